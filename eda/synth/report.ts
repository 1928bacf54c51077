// The synthesis report: one stable, versioned JSON schema (SynthReport), written beside the
// design as report.json plus a readable report.md, each atomically (temp file + rename).
//
// Schema "dcgen.synth-report", version 1. Bump SYNTH_REPORT_VERSION on any change that is
// not a pure addition of optional fields.
//
//   schema, version        "dcgen.synth-report", 1
//   design, top,           from the design's manifest.json
//   configHash, params
//   target                 "generic" | "ice40" | "asic"
//   engine                 "native" | "wasm" (which Yosys and, for ice40, which nextpnr-ice40 ran;
//                          OpenSTA and qflow are always native)
//   tools                  { yosys: version text, nextpnr: version text | null,
//                            sta: OpenSTA version text | null (target asic) }
//   startedAt, durationMs  ISO time the run started; wall time of the whole run
//   generic                GenericSynth | null   (target generic; target ice40 only when the
//                                                 design fits no iCE40, as a fallback figure)
//   ice40                  Ice40Synth | null     (target ice40)
//   asic                   AsicSynth | null      (target asic; absent from reports written
//                                                 before the asic target existed)
//   messages               notes for the user (e.g. "fits no iCE40 device: ...")
//   files                  names (relative to the design folder) of logs and other outputs
//
// GenericSynth (Yosys `synth -flatten -top <top>`, technology-independent gates):
//   cells        every cell after synthesis, gates and flip-flops (one cell = one gate/bit)
//   area         = cells; areaUnit "cells". A gate count, not µm²: comparable between points
//                of one sweep and between designs under the same Yosys version only.
//   flipFlops    cells whose type is a flip-flop ($_DFF_*, $_DFFE_*, $_SDFF*_, $_ALDFF*_,
//                $_DFFSR*_, and the coarse $dff-family if any survive); one bit each
//   latches      latch cells ($_DLATCH*_, $_SR_*, ...); generated designs have none
//   cellsByType  the full table from `stat -json`, keys sorted
//   warnings     Yosys "Warning:" lines
//
// Ice40Synth (Yosys `synth_ice40` then nextpnr-ice40 place & route of a wrapper, see ice40.ts):
//   fits, device, package     the smallest device it fit, tried up5k/sg48 then hx8k/ct256
//   dspRequested, dspMapped   `-dsp` asked for / used in the placed netlist (the HX8K has no
//                             DSPs; a netlist needing more DSPs than the UP5K's 8 is retried
//                             there with multipliers in logic before moving to the HX8K)
//   freqTargetMhz, seed       nextpnr --freq and --seed
//   attempts                  every (device, dsp) tried in order: placed | too-large + reason
//   netlist                   from synth_ice40 `stat -json` of the placed netlist: lut4
//                             (SB_LUT4), ff (SB_DFF*), carry (SB_CARRY), dsp (SB_MAC16),
//                             ram (SB_RAM40_4K), spram (SB_SPRAM256KA), cellsByType
//   utilisation               from nextpnr --report: lc (ICESTORM_LC: a LUT4 + carry + FF
//                             slot), dsp (ICESTORM_DSP), ram (ICESTORM_RAM), io (SB_IO),
//                             gb (SB_GB), each { used, available }
//   fmaxMhz                   post-route achieved frequency of the clock (the lowest of
//                             them, were there several); clocks lists each
//   timingMet                 every clock met freqTargetMhz
//   criticalPath              the worst register-to-register path: from/to cell and ns
//   wrapper                   the scan-chain wrapper that was placed around the design
//                             (its own flip-flops are included in netlist/utilisation)
//   message                   why nothing was placed, when fits is false
//
// AsicSynth (Yosys synth -flatten, dfflibmap + abc on a Liberty library, then OpenSTA; asic.ts):
//   liberty      { path (absolute), library (its name), default (true: OSU018 from the Debian
//                package qflow-tech-osu018) }
//   clockNs      the clock period STA checks against (--clock-ns, default 10); also abc's
//                delay target (-D, in ps: abcDelayTargetPs)
//   abcDrive     { drivingCell, load }: abc's `-constr` (the library's smallest buffer drives
//                every input of the logic, flip-flop outputs included, four of its inputs load
//                every output), so abc buffers high-fanout flip-flops; null without a buffer cell
//   clockPort    the design's clock port, or null: a combinational design, checked against a
//                virtual clock of that period
//   ioDelayNs    0: input and output delays relative to the clock (the logic around the block
//                is taken to be registered at its ports); ideal clock, no wire load, typical corner
//   cells        cells of the mapped netlist; flipFlops / latches: those whose Liberty cell has
//                an ff / latch group; cellsByType: the `stat` table, keys sorted
//   areaUm2      `stat -liberty` chip area: the sum of the cells' Liberty areas (µm²)
//   memoriesAsFlipFlops   memories mapped to flip-flops and logic (by instance: `u_vpu.ybuf`):
//                all of them with --memories flops, those with an asynchronous read (not
//                macro-ready) with macros; also the ROMs Yosys inferred from case statements
//                (by their Yosys names)
//   memories     "macros" | "flops": the --memories mapping asked for (absent from older reports)
//   macros       AsicMacro[]: the memory modules black-boxed as macros (--memories macros, the
//                default): module, instances (paths from the top), depth, width, bits (one
//                instance), totalBits, ports ("1r1w"), readLatency, constraints (how the paths
//                at its pins are constrained). Their area and contents are not in areaUm2 and
//                cells; their pins are ports of the netlist (<instance>.<pin>), timed at 0 ns to
//                the clock and counted as registers by worstPath.
//   worstPath    the worst register-to-register path (report_checks -from all_registers
//                -clock_pins -to all_registers -data_pins, black-boxed macros' output pins
//                added to the startpoints and their input pins to the endpoints): startpoint, endpoint (cell instances
//                or ports, and their kinds), startRegister / endRegister (the net a register
//                cell drives: its RTL name), pathGroup, arrivalNs (data arrival), requiredNs (data required),
//                setupNs (library setup time), slackNs, met; null when there is none
//   worstConstrainedPath  the worst of all constrained paths (I/O paths included, under
//                the 0 ns I/O delays), same fields
//   worstPathNs  clockNs − slackNs of worstPath (= arrival + setup with an ideal clock): the
//                shortest clock period that path allows. From worstConstrainedPath when there is
//                no register-to-register path (fmaxFrom says which; null when no path at all)
//   fmaxMHz      1000 / worstPathNs (from the rounded worstPathNs, 2 decimals)
//   worstConstrainedPathNs, constrainedFmaxMHz   the same from worstConstrainedPath: what the
//                block allows when its inputs come from, and its outputs go to, registers with
//                no logic in between (like the iCE40 flow's scan wrapper); lower than fmaxMHz
//                when an input-to-register, register-to-output or input-to-output path is longer
//   timingMet    worstConstrainedPath meets clockNs (null when there is no path)
//   netlist      the mapped netlist's file name in the design folder (netlist-asic.v)
//   warnings     Yosys "Warning:" lines and OpenSTA "Warning" lines
//   placed       AsicPlaced with --place, else null (absent from reports written before --place)
//
// AsicPlaced (--place: qflow places and routes the mapped netlist as it is, then OpenSTA times
// the routed netlist with qrouter's wire parasitics; place.ts):
//   tool         qflow's version and what ran; seconds: wall time of qflow (place and route)
//   dieWidthUm, dieHeightUm, dieAreaUm2   the routed layout's DIEAREA (DEF): the block's area
//   cellAreaUm2  the Liberty areas of the routed netlist's cells (fillers excluded); equals the
//                synthesis areaUm2 (qflow's fanout buffering is off)
//   utilisation  cellAreaUm2 / dieAreaUm2; cells, fillerCells: cell counts of the routed netlist
//   failedRoutes nets qrouter could not route (0: all routed)
//   parasitics   where the wire RC comes from; unannotatedNets: SPEF nets OpenSTA did not find
//   worstPathNs, fmaxMHz, fmaxFrom, worstConstrainedPathNs, constrainedFmaxMHz, timingMet,
//   worstPath, worstConstrainedPath   as above, from the routed netlist with its parasitics
//                (instance names are qflow's: DFFPOSX1_12; startRegister / endRegister the nets)
//   netlist, def, spef   the routed netlist, layout and parasitics in the design folder
import path from 'node:path';
import type { ParamValue } from '../../generator/emit/design.ts';
import { render } from '../../generator/emit/templates.ts';
import { writeFileAtomic as writeFileAtomicSync } from '../../generator/io/output.ts';
import type { SynthEngine } from './run.ts';

export const SYNTH_REPORT_SCHEMA = 'dcgen.synth-report';
export const SYNTH_REPORT_VERSION = 1;

export type SynthTarget = 'generic' | 'ice40' | 'asic';
export type Ice40Device = 'up5k' | 'hx8k';

export interface Used {
  used: number;
  available: number;
}

export interface GenericSynth {
  cells: number;
  area: number;
  areaUnit: 'cells';
  flipFlops: number;
  latches: number;
  cellsByType: Record<string, number>;
  warnings: string[];
}

export interface Ice40Attempt {
  device: Ice40Device;
  package: string;
  /** This attempt's netlist had multipliers mapped to SB_MAC16 (`synth_ice40 -dsp`). */
  dsp: boolean;
  outcome: 'placed' | 'too-large';
  detail: string;
}

export interface Ice40Netlist {
  lut4: number;
  ff: number;
  carry: number;
  dsp: number;
  ram: number;
  spram: number;
  cellsByType: Record<string, number>;
}

export interface Ice40Clock {
  net: string;
  achievedMhz: number;
  constraintMhz: number;
}

export interface Ice40Wrapper {
  module: string;
  file: string;
  pins: string[];
  inputBits: number;
  outputBits: number;
  /** Flip-flops the wrapper adds before optimisation (scan registers + pin registers). */
  flipFlops: number;
}

export interface Ice40Synth {
  fits: boolean;
  device: Ice40Device | null;
  package: string | null;
  dspRequested: boolean;
  dspMapped: boolean;
  freqTargetMhz: number;
  seed: number;
  attempts: Ice40Attempt[];
  netlist: Ice40Netlist;
  utilisation: { lc: Used; dsp: Used; ram: Used; io: Used; gb: Used } | null;
  fmaxMhz: number | null;
  clocks: Ice40Clock[];
  timingMet: boolean | null;
  criticalPath: { from: string; to: string; delayNs: number } | null;
  wrapper: Ice40Wrapper;
  message: string | null;
}

/** One timing path as OpenSTA's report_checks prints it (times in ns). */
export interface AsicPath {
  startpoint: string;
  /** "rising edge-triggered flip-flop clocked by clk", "input port clocked by clk", ... */
  startpointKind: string;
  endpoint: string;
  endpointKind: string;
  /**
   * For a flip-flop (or latch) startpoint / endpoint: the net its state output drives in the
   * mapped netlist, i.e. the register's RTL name when Yosys kept one (`acc_q[31]`); else null.
   */
  startRegister: string | null;
  endRegister: string | null;
  pathGroup: string | null;
  /** Data arrival time. */
  arrivalNs: number;
  /** Data required time. */
  requiredNs: number;
  /** The endpoint's library setup time (null for a path to an output port). */
  setupNs: number | null;
  slackNs: number;
  met: boolean;
}

/** A memory module black-boxed as a macro by the asic flow (from <top>.mems.json). */
export interface AsicMacro {
  module: string;
  /** Hierarchical instance paths from the top. */
  instances: string[];
  depth: number;
  width: number;
  /** depth × width, one instance. */
  bits: number;
  /** bits × instances. */
  totalBits: number;
  ports: string;
  readLatency: number;
  /** How the paths at its pins are constrained. */
  constraints: string;
}

/** OpenSTA's verdict, after synthesis and again after placement and routing. */
export interface AsicTiming {
  worstPathNs: number | null;
  fmaxMHz: number | null;
  fmaxFrom: 'register-to-register' | 'all-paths' | null;
  worstConstrainedPathNs: number | null;
  constrainedFmaxMHz: number | null;
  timingMet: boolean | null;
  worstPath: AsicPath | null;
  worstConstrainedPath: AsicPath | null;
}

export interface AsicSynth extends AsicTiming {
  liberty: { path: string; library: string; default: boolean };
  clockNs: number;
  clockPort: string | null;
  ioDelayNs: number;
  abcDelayTargetPs: number;
  /** abc's input driving cell and output load (`-constr`), null when the library has no buffer; absent from older reports. */
  abcDrive?: { drivingCell: string; load: number } | null;
  cells: number;
  flipFlops: number;
  latches: number;
  areaUm2: number;
  cellsByType: Record<string, number>;
  memoriesAsFlipFlops: string[];
  /** Absent from reports written before memories became modules. */
  memories?: 'macros' | 'flops';
  macros?: AsicMacro[];
  netlist: string;
  warnings: string[];
  placed?: AsicPlaced | null;
}

export interface AsicPlaced extends AsicTiming {
  tool: string;
  seconds: number;
  dieWidthUm: number;
  dieHeightUm: number;
  dieAreaUm2: number;
  cellAreaUm2: number;
  utilisation: number | null;
  cells: number;
  fillerCells: number;
  failedRoutes: number;
  parasitics: string;
  unannotatedNets: number;
  netlist: string;
  def: string;
  spef: string;
}

export interface SynthReport {
  schema: typeof SYNTH_REPORT_SCHEMA;
  version: typeof SYNTH_REPORT_VERSION;
  design: string;
  top: string;
  configHash: string;
  params: Record<string, ParamValue>;
  target: SynthTarget;
  engine: SynthEngine;
  tools: { yosys: string; nextpnr: string | null; sta: string | null };
  startedAt: string;
  durationMs: number;
  generic: GenericSynth | null;
  ice40: Ice40Synth | null;
  asic: AsicSynth | null;
  messages: string[];
  files: string[];
}

/** Write `text` to `file` through a temp file in the same folder and one rename. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  writeFileAtomicSync(file, text);
}

export const REPORT_JSON = 'report.json';
export const REPORT_MD = 'report.md';

/**
 * Write report.json and report.md into `dir`. Each file is replaced in one rename, so a
 * reader sees either the previous complete file or the new complete one; both are rendered
 * before either is written, so a rendering failure writes nothing.
 */
export async function writeReport(dir: string, report: SynthReport): Promise<{ json: string; md: string }> {
  const json = JSON.stringify(report, null, 2) + '\n';
  const md = reportMarkdown(report);
  const jsonPath = path.join(dir, REPORT_JSON);
  const mdPath = path.join(dir, REPORT_MD);
  await writeFileAtomic(jsonPath, json);
  await writeFileAtomic(mdPath, md);
  return { json: jsonPath, md: mdPath };
}

function fmt(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined) return '-';
  return digits > 0 ? n.toFixed(digits) : String(n);
}

function usedText(u: Used | undefined): string {
  if (!u) return '-';
  const pct = u.available > 0 ? ` (${((100 * u.used) / u.available).toFixed(1)} %)` : '';
  return `${u.used} / ${u.available}${pct}`;
}

/** The report as Markdown (the view model is built here; the template prints it). */
export function reportMarkdown(r: SynthReport): string {
  const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const rows = (pairs: [string, string][]) => pairs.map(([k, v]) => ({ k: cell(k), v: cell(v) }));
  const g = r.generic;
  const i = r.ice40;
  const summary = rows([
    ['target', r.target],
    ['engine', r.engine],
    ['yosys', r.tools.yosys],
    r.asic ? ['sta', r.tools.sta ?? '-'] : ['nextpnr', r.tools.nextpnr ?? '-'],
    ['config hash', r.configHash],
    ['parameters', Object.entries(r.params).map(([k, v]) => `${k}=${String(v)}`).join(', ') || '-'],
    ['started', r.startedAt],
    ['duration', `${(r.durationMs / 1000).toFixed(1)} s`],
  ]);
  if (r.asic) return asicMarkdown(r, r.asic, summary, cell);
  return render('flows/report.md.hbs', {
    title: `Synthesis report: ${r.design} (${r.top})`,
    summary,
    messages: r.messages.map(cell),
    hasGeneric: g !== null,
    generic: g
      ? rows([
          ['cells (area)', String(g.cells)],
          ['flip-flops', String(g.flipFlops)],
          ['latches', String(g.latches)],
          ['warnings', String(g.warnings.length)],
        ])
      : [],
    genericCells: g ? Object.entries(g.cellsByType).map(([k, v]) => ({ k, v: String(v) })) : [],
    hasIce40: i !== null,
    ice40: i
      ? rows([
          ['fits', i.fits ? 'yes' : 'no'],
          ['device', i.device ? `iCE40${i.device.toUpperCase()} (${i.package})` : '-'],
          ['logic cells (ICESTORM_LC)', usedText(i.utilisation?.lc)],
          ['LUT4s (SB_LUT4)', String(i.netlist.lut4)],
          ['flip-flops (SB_DFF*)', String(i.netlist.ff)],
          ['carries (SB_CARRY)', String(i.netlist.carry)],
          ['DSPs (ICESTORM_DSP)', usedText(i.utilisation?.dsp)],
          ['block RAMs (ICESTORM_RAM)', usedText(i.utilisation?.ram)],
          ['I/O pins (SB_IO)', usedText(i.utilisation?.io)],
          ['Fmax (post-route)', i.fmaxMhz === null ? '-' : `${fmt(i.fmaxMhz, 2)} MHz`],
          ['target frequency', `${i.freqTargetMhz} MHz (${i.timingMet === null ? '-' : i.timingMet ? 'met' : 'not met'})`],
          ['critical path', i.criticalPath ? `${i.criticalPath.delayNs.toFixed(2)} ns, ${i.criticalPath.from} -> ${i.criticalPath.to}` : '-'],
          ['DSP mapping', `${i.dspRequested ? 'requested' : 'not requested'}${i.dspRequested ? (i.dspMapped ? ', used' : ', not used (device without DSPs)') : ''}`],
          ['seed', String(i.seed)],
        ])
      : [],
    attempts: i ? i.attempts.map((a) => ({ device: `${a.device}/${a.package}${a.dsp ? ' (DSPs)' : ''}`, outcome: a.outcome, detail: cell(a.detail) })) : [],
    wrapper: i
      ? `${i.wrapper.module} (${i.wrapper.file}): pins ${i.wrapper.pins.join(', ')}; ${i.wrapper.inputBits} input bits shifted in, ${i.wrapper.outputBits} output bits captured and shifted out; adds about ${i.wrapper.flipFlops} flip-flops (included above).`
      : '',
    files: r.files,
    schema: `${r.schema} v${r.version}`,
  });
}

function pathRows(p: AsicPath | null): { k: string; v: string }[] {
  if (!p) return [];
  const ns = (n: number) => `${n.toFixed(3)} ns`;
  return [
    { k: 'startpoint', v: `${p.startpoint}${p.startRegister ? ` = register ${p.startRegister}` : ''}${p.startpointKind ? ` (${p.startpointKind})` : ''}` },
    { k: 'endpoint', v: `${p.endpoint}${p.endRegister ? ` = register ${p.endRegister}` : ''}${p.endpointKind ? ` (${p.endpointKind})` : ''}` },
    { k: 'data arrival time', v: ns(p.arrivalNs) },
    { k: 'library setup time', v: p.setupNs === null ? '-' : ns(p.setupNs) },
    { k: 'data required time', v: ns(p.requiredNs) },
    { k: 'slack', v: `${ns(p.slackNs)} (${p.met ? 'met' : 'violated'})` },
  ].map(({ k, v }) => ({ k, v: v.replace(/\|/g, '\\|') }));
}

function asicMarkdown(r: SynthReport, a: AsicSynth, summary: { k: string; v: string }[], cell: (t: string) => string): string {
  const fmaxFrom = a.fmaxFrom === 'register-to-register' ? 'worst register-to-register path' : a.fmaxFrom === 'all-paths' ? 'worst constrained path (no register-to-register path)' : '-';
  const kv = (pairs: [string, string][]) => pairs.map(([k, v]) => ({ k: cell(k), v: cell(v) }));
  return render('flows/report-asic.md.hbs', {
    title: `Synthesis report: ${r.design} (${r.top})`,
    summary,
    messages: r.messages.map(cell),
    asic: kv([
      ['library', `${a.liberty.library} (${a.liberty.path})${a.liberty.default ? ', the default' : ''}`],
      ['area', `${fmt(a.areaUm2, 3)} µm²`],
      ['cells', String(a.cells)],
      ['flip-flops', String(a.flipFlops)],
      ['latches', String(a.latches)],
      ['memories as macros (black boxes)', a.macros?.length ? `${a.macros.reduce((s, m) => s + m.instances.length, 0)} instances of ${a.macros.length} module(s), ${a.macros.reduce((s, m) => s + m.totalBits, 0)} bits: not in the area (see Macros)` : 'none'],
      ['memories mapped to flip-flops', a.memoriesAsFlipFlops.length ? a.memoriesAsFlipFlops.join(', ') : 'none'],
      ['clock', `${a.clockNs} ns on ${a.clockPort ?? 'a virtual clock (no clock port)'}; abc -D ${a.abcDelayTargetPs} ps${a.abcDrive ? `, inputs driven by ${a.abcDrive.drivingCell}, outputs loaded with ${a.abcDrive.load}` : ''}`],
      ['worst path delay', a.worstPathNs === null ? '-' : `${fmt(a.worstPathNs, 3)} ns (${fmaxFrom})`],
      ['Fmax', a.fmaxMHz === null ? '-' : `${fmt(a.fmaxMHz, 2)} MHz`],
      ['worst path, I/O paths included', a.worstConstrainedPathNs === null ? '-' : `${fmt(a.worstConstrainedPathNs, 3)} ns, Fmax ${fmt(a.constrainedFmaxMHz, 2)} MHz (I/O delays ${a.ioDelayNs} ns)`],
      ['timing at the clock', a.timingMet === null ? '-' : a.timingMet ? 'met' : 'violated'],
      ['netlist', a.netlist],
      ['warnings', String(a.warnings.length)],
    ]),
    memoriesText:
      a.memories === 'flops'
        ? 'Memories are mapped to flip-flops and logic (--memories flops).'
        : a.macros?.length
          ? 'Memories are black-boxed SRAM macros (--memories macros, the default): area and cells are the logic\'s; the pins of each macro are ports of the netlist timed like the block\'s (0 ns), and count as registers for the register-to-register path. Memories with an asynchronous read are mapped to flip-flops.'
          : 'Memories, if any, are mapped to flip-flops and logic.',
    hasMacros: (a.macros?.length ?? 0) > 0,
    macros: (a.macros ?? []).map((m) => ({
      module: cell(`\`${m.module}\``),
      shape: cell(`${m.depth} × ${m.width} = ${m.bits} bits, ${m.ports}, read latency ${m.readLatency}`),
      instances: cell(`${m.instances.length}: ${m.instances.join(', ')}`),
      constraints: cell(m.constraints),
    })),
    hasWorstPath: a.worstPath !== null,
    worstPath: pathRows(a.worstPath),
    hasConstrained: a.worstConstrainedPath !== null,
    constrainedPath: pathRows(a.worstConstrainedPath),
    cells: Object.entries(a.cellsByType).map(([k, v]) => ({ k, v: String(v) })),
    ioDelayNs: String(a.ioDelayNs),
    hasPlaced: !!a.placed,
    placed: a.placed ? placedRows(a, a.placed, kv) : [],
    placedPath: a.placed ? pathRows(a.placed.worstPath) : [],
    files: r.files,
    schema: `${r.schema} v${r.version}`,
  });
}

/** The --place figures beside the synthesis ones they revise. */
function placedRows(a: AsicSynth, p: AsicPlaced, kv: (pairs: [string, string][]) => { k: string; v: string }[]) {
  const vs = (post: number | null, pre: number | null, unit: string, digits: number) =>
    post === null ? '-' : `${fmt(post, digits)} ${unit}${pre !== null && pre > 0 ? ` (synthesis: ${fmt(pre, digits)} ${unit}, ${post >= pre ? '+' : ''}${((100 * (post - pre)) / pre).toFixed(1)} %)` : ''}`;
  return kv([
    ['tools', `${p.tool}; ${p.seconds.toFixed(1)} s`],
    ['die', `${fmt(p.dieWidthUm, 1)} × ${fmt(p.dieHeightUm, 1)} µm = ${fmt(p.dieAreaUm2, 0)} µm²`],
    ['cell area', `${fmt(p.cellAreaUm2, 3)} µm², ${p.cells} cells (+ ${p.fillerCells} fillers); utilisation ${p.utilisation === null ? '-' : `${(100 * p.utilisation).toFixed(1)} %`}`],
    ['routing', p.failedRoutes === 0 ? 'all nets routed' : `${p.failedRoutes} net(s) not routed`],
    ['parasitics', `${p.parasitics}${p.unannotatedNets ? `; ${p.unannotatedNets} net(s) not annotated` : ''}`],
    ['worst path delay', vs(p.worstPathNs, a.worstPathNs, 'ns', 3)],
    ['Fmax', vs(p.fmaxMHz, a.fmaxMHz, 'MHz', 2)],
    ['worst path, I/O paths included', vs(p.worstConstrainedPathNs, a.worstConstrainedPathNs, 'ns', 3)],
    ['timing at the clock', p.timingMet === null ? '-' : p.timingMet ? 'met' : 'violated'],
    ['files', `${p.netlist}, ${p.def}, ${p.spef}`],
  ]);
}
