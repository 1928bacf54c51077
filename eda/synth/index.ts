// Synthesis of generated designs: generic gate counts, iCE40 place and route, ASIC area and
// timing on a Liberty library (and, with --place, after qflow placed and routed it), sweeps.
export { synthesize, SynthOptionError, SYNTH_ENGINES, SYNTH_TARGETS, SWEEP_TARGETS, MIN_CLOCK_NS, MAX_CLOCK_NS, type SynthesizeOptions } from './synthesize.ts';
export { sweep, type SweepOptions, type SweepPoint, type SweepResult } from './sweep.ts';
export { writeReport, reportMarkdown, SYNTH_REPORT_SCHEMA, SYNTH_REPORT_VERSION } from './report.ts';
export type { SynthReport, SynthTarget, GenericSynth, Ice40Synth, Ice40Attempt, Ice40Netlist, Ice40Wrapper, Ice40Device, Used, AsicSynth, AsicPath, AsicPlaced, AsicMacro } from './report.ts';
export type { SynthEngine } from './run.ts';
export { YosysMissingError, WasmToolMissingError, SweepOptionError, LibertyError, LibertyMissingError, FlowToolError, PlaceError } from './errors.ts';
export { DesignFolderError } from '../../generator/emit/manifest.ts';
export { ice40Wrapper, ICE40_DEVICES, DEFAULT_ICE40_FREQ_MHZ, ICE40_SEED } from './ice40.ts';
export { DEFAULT_ASIC_CLOCK_NS, ASIC_NETLIST, ASIC_STA_LOG, ASIC_YOSYS_LOG, DEFAULT_MEMORY_MAPPING, MEMORY_MAPPINGS, type MemoryMapping } from './asic.ts';
export { ASIC_PLACE_FILES, QFLOW_LIBRARY, checkPlaceLibrary } from './place.ts';
export { OSU018_LIBERTY, OSU018_PACKAGE, readLiberty, defaultLibertyPath, cellArea } from './liberty.ts';
