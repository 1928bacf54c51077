// The synthesis report: one stable, versioned JSON schema (SynthReport), written beside the
// design as report.json plus a readable report.md, each atomically (temp file + rename).
//
// Schema "dcgen.synth-report", version 1. Bump SYNTH_REPORT_VERSION on any change that is
// not a pure addition of optional fields.
//
//   schema, version        "dcgen.synth-report", 1
//   design, top,           from the design's manifest.json
//   configHash, params
//   target                 "generic" | "ice40"
//   engine                 "native" | "wasm" (which Yosys ran; nextpnr is always native)
//   tools                  { yosys: version text, nextpnr: version text | null }
//   startedAt, durationMs  ISO time the run started; wall time of the whole run
//   generic                GenericSynth | null   (target generic; target ice40 only when the
//                                                 design fits no iCE40, as a fallback figure)
//   ice40                  Ice40Synth | null     (target ice40)
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
import path from 'node:path';
import type { ParamValue } from '../../generator/emit/design.ts';
import { render } from '../../generator/emit/templates.ts';
import { writeFileAtomic as writeFileAtomicSync } from '../../generator/io/output.ts';
import type { SynthEngine } from './run.ts';

export const SYNTH_REPORT_SCHEMA = 'dcgen.synth-report';
export const SYNTH_REPORT_VERSION = 1;

export type SynthTarget = 'generic' | 'ice40';
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

export interface SynthReport {
  schema: typeof SYNTH_REPORT_SCHEMA;
  version: typeof SYNTH_REPORT_VERSION;
  design: string;
  top: string;
  configHash: string;
  params: Record<string, ParamValue>;
  target: SynthTarget;
  engine: SynthEngine;
  tools: { yosys: string; nextpnr: string | null };
  startedAt: string;
  durationMs: number;
  generic: GenericSynth | null;
  ice40: Ice40Synth | null;
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
  return render('flows/report.md.hbs', {
    title: `Synthesis report: ${r.design} (${r.top})`,
    summary: rows([
      ['target', r.target],
      ['engine', r.engine],
      ['yosys', r.tools.yosys],
      ['nextpnr', r.tools.nextpnr ?? '-'],
      ['config hash', r.configHash],
      ['parameters', Object.entries(r.params).map(([k, v]) => `${k}=${String(v)}`).join(', ') || '-'],
      ['started', r.startedAt],
      ['duration', `${(r.durationMs / 1000).toFixed(1)} s`],
    ]),
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
