// Synthesis of generated designs: generic gate counts, iCE40 place and route, sweeps.
export { synthesize, SynthOptionError, SYNTH_ENGINES, SYNTH_TARGETS, type SynthesizeOptions } from './synthesize.ts';
export { sweep, type SweepOptions, type SweepPoint, type SweepResult } from './sweep.ts';
export { writeReport, reportMarkdown, SYNTH_REPORT_SCHEMA, SYNTH_REPORT_VERSION } from './report.ts';
export type { SynthReport, SynthTarget, GenericSynth, Ice40Synth, Ice40Attempt, Ice40Netlist, Ice40Wrapper, Ice40Device, Used } from './report.ts';
export type { SynthEngine } from './run.ts';
export { YosysMissingError, SweepOptionError } from './errors.ts';
export { DesignFolderError } from '../../generator/emit/manifest.ts';
export { ice40Wrapper, ICE40_DEVICES, DEFAULT_ICE40_FREQ_MHZ, ICE40_SEED } from './ice40.ts';
