// PPA benchmark: area and Fmax of every design dcgen generates on both targets (OSU018
// standard cells: area and worst path from Yosys + OpenSTA; iCE40: LUT4/FF/DSP/BRAM and Fmax
// after nextpnr place and route; plus generic Yosys cells), the Ditto A4W8 PE against the dense
// A8W8 baseline PE with the same multiplier budget (also placed and routed on OSU018 with
// qflow), a pipeline-depth sweep (Fmax against latency and area, both targets; CSV + SVG) and
// size sweeps (CMC SAD lanes P; the Ditto compute unit's R × C array). Prints markdown tables,
// writes rtl-out/ppa/ppa.json (every raw synthesis report), rtl-out/ppa/ppa.md and
// rtl-out/ppa/pipeline.csv / pipeline.svg; asserts nothing. Designs are generated into
// rtl-out/ppa/<design>[/<point>]/<flow>.
//
//   npx tsx bench/ppa.ts [--quick] [--jobs=2] [--skip=design[:flow],...]
//
// --skip: leave out a design (every run of it) or one flow of it (generic, ice40, asic), e.g.
// --skip=ditto,cmc,ditto.vpu:asic for a shorter run; the tables say what was skipped.
// --quick: the designs at defaults get the generic and OSU018 flows only (no iCE40 place and
// route), the SAD sweep has P = 1, 2 and the compute sweep 1×1, 1×2; the A4W8 / A8W8
// comparison and the pipeline sweep are complete.
// See docs/ppa.md for the measured tables and what every column means.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { adderTree } from '../generator/blocks/common/adder_tree.ts';
import { peWordSum } from '../generator/blocks/ditto/pe.ts';
import { dittoPeA8w8Design, peDenseWordSum } from '../generator/blocks/ditto/pe_a8w8.ts';
import { type Expr, type HwModule, bit, module, mux, sint, uint } from '../generator/dsl/index.ts';
import { generateDesign } from '../cli/generate.ts';
import { designs, findDesign } from '../generator/designs/index.ts';
import { type DesignDef, defineDesign } from '../generator/designs/registry.ts';
import type { ParamValue } from '../generator/emit/design.ts';
import { peLatency } from '../generator/spec/ditto/pe.ts';
import { searchLatency } from '../generator/spec/cmc/search.ts';
import { type SynthReport, synthesize } from '../eda/synth/index.ts';
import { asicFigures, fmt, ice40Figures, memoryNote, paramText, summary, table } from './ppa-figures.ts';
import { type PipelinePoint, type PipelineSeries, pipelineCsv, pipelineParams, pipelineSvg, pipelineTable } from './ppa-pipeline.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(REPO, 'rtl-out', 'ppa');
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const JOBS = Number(args.find((a) => a.startsWith('--jobs='))?.slice(7) ?? 2);
const COMMAND = ['npx tsx bench/ppa.ts', ...args].join(' ');
const SKIP = (args.find((a) => a.startsWith('--skip='))?.slice(7) ?? '').split(',').filter(Boolean);
const skipped = (design: string, flow: Flow) => SKIP.some((x) => x === design || x === `${design}:${flow.replace(/-(dsp|place)$/, '')}`);
/** Per tool run; a design that takes longer is recorded as failed (the ASIC run of ditto.vpu takes 6 min alone). */
const TIMEOUT_MS = 20 * 60_000;

// ---------------------------------------------------------------------------------------------
// jobs: one synthesis run each, in its own folder (report.json is per folder)

type Flow = 'generic' | 'ice40' | 'ice40-dsp' | 'asic' | 'asic-place';

interface Job {
  design: DesignDef;
  /** Parameters given (the rest at their defaults). */
  params: Record<string, ParamValue>;
  flow: Flow;
  /** Folder under rtl-out/ppa for this design point (the flow is a subfolder). */
  point: string;
}

interface JobResult {
  design: string;
  params: Record<string, ParamValue>;
  flow: Flow;
  dir: string;
  ok: boolean;
  error: string | null;
  seconds: number;
  report: SynthReport | null;
}

const results = new Map<string, JobResult>();
const keyOf = (design: string, params: Record<string, ParamValue>, flow: Flow) => `${design} ${JSON.stringify(params)} ${flow}`;

async function runJob(j: Job, tag: string): Promise<JobResult> {
  const dir = path.join(OUT, j.point, j.flow);
  const t0 = performance.now();
  let res: JobResult;
  try {
    generateDesign({ design: j.design, overrides: j.params, outDir: dir });
    const target = j.flow === 'generic' ? 'generic' : j.flow.startsWith('asic') ? 'asic' : 'ice40';
    const report = await synthesize(dir, { target, engine: 'native', dsp: j.flow === 'ice40-dsp', place: j.flow === 'asic-place', timeoutMs: TIMEOUT_MS });
    res = { design: j.design.name, params: j.params, flow: j.flow, dir: path.relative(REPO, dir), ok: true, error: null, seconds: (performance.now() - t0) / 1000, report };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    res = { design: j.design.name, params: j.params, flow: j.flow, dir: path.relative(REPO, dir), ok: false, error, seconds: (performance.now() - t0) / 1000, report: null };
  }
  process.stderr.write(`${tag} ${j.point} ${j.flow}: ${res.ok ? summary(res.report!) : `FAILED: ${res.error!.split('\n')[0]}`} (${res.seconds.toFixed(1)} s)\n`);
  return res;
}

/** Run every job, `JOBS` at a time, in list order. */
async function runAll(jobs: Job[]): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const j = jobs[next++];
      const r = await runJob(j, `[${++done}/${jobs.length}]`);
      results.set(keyOf(j.design.name, j.params, j.flow), r);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(JOBS, jobs.length)) }, worker));
}

function get(design: string, params: Record<string, ParamValue>, flow: Flow): JobResult | undefined {
  return results.get(keyOf(design, params, flow)) ?? (flow === 'asic' ? results.get(keyOf(design, params, 'asic-place')) : undefined);
}

// ---------------------------------------------------------------------------------------------
// the plan

const PE = 'ditto.pe';
const PE8 = 'ditto.pe_a8w8';
const peA4 = findDesign(PE)!;
const peA8 = findDesign(PE8) ?? dittoPeA8w8Design;
const all: DesignDef[] = designs.filter((d) => !SKIP.includes(d.name));
if (!findDesign(PE8)) all.splice(all.indexOf(peA4) + 1, 0, dittoPeA8w8Design);
const sad = findDesign('cmc.sad');
const compute = findDesign('ditto.compute');

const SAD_M = 64;
const SAD_LANES = QUICK ? [1, 2] : [1, 2, 4, 8];
const ARRAYS: [number, number][] = QUICK ? [[1, 1], [1, 2]] : [[1, 1], [1, 2], [2, 2], [2, 4], [4, 4]];

// Where the A4W8 PE's area goes: its combinational datapath (no accumulator, no control) built
// from the same builders as the PEs (pe.ts peWordSum, pe_a8w8.ts peDenseWordSum), and parts
// of it. Bench-only designs, not registered.
type Part = 'a4-mults' | 'a8-mults' | 'a4-datapath' | 'a4-nosign' | 'a4-noshift' | 'a4-adder-tree' | 'a8-datapath';
const PARTS: { part: Part; what: string }[] = [
  { part: 'a4-mults', what: 'A4W8: the 4 multipliers alone (u4 zero-extended to s5 × s8 → s13)' },
  { part: 'a8-mults', what: 'A8W8: the 2 multipliers alone (s8 × s8 → s16)' },
  { part: 'a4-datapath', what: 'A4W8 word datapath as in ditto_pe (peWordSum): valid-gated nibble × weight per slot (compressor + 12-bit adder), sign by one\'s complement (+1 into the word\'s tree), ×16 shift (slots 1, 3), one compressor tree, 17-bit adder' },
  { part: 'a4-nosign', what: 'the same with every sign 0: what the sign costs' },
  { part: 'a4-noshift', what: 'the same with both shift flags 0: what the two ×16 shifters cost' },
  { part: 'a4-adder-tree', what: 'the datapath before issue 13 part 4: products, ×16 shift, sign as an 18-bit negate, valid, 4-input tree of 18-20-bit adders' },
  { part: 'a8-datapath', what: 'A8W8 word datapath as in ditto_pe_a8w8: 2 multipliers, 2-input adder' },
];
function partModule(part: Part): HwModule {
  return module(
    `ppa_${part.replaceAll('-', '_')}`,
    (m) => {
      const outs: Expr[] = [];
      if (part === 'a8-mults' || part === 'a8-datapath') {
        const lanes = [0, 1].map((i) => ({ a: m.input(`a${i}`, sint(8)), w: m.input(`w${i}`, sint(8)) }));
        if (part === 'a8-mults') outs.push(...lanes.map((l) => l.a.mul(l.w)));
        else outs.push(peDenseWordSum(m, 'pe', lanes, 0));
      } else {
        const slots = [0, 1, 2, 3].map((i) => ({ v: m.input(`v${i}`, bit()), s: m.input(`s${i}`, bit()), n: m.input(`n${i}`, uint(4)), h: m.input(`h${i}`, bit()), w: m.input(`w${i}`, sint(8)) }));
        if (part === 'a4-mults') outs.push(...slots.map((sl) => sl.n.zext(5).asSigned().mul(sl.w)));
        else if (part === 'a4-datapath') outs.push(peWordSum(m, 'pe', slots, 0));
        else if (part === 'a4-nosign' || part === 'a4-noshift') {
          const zero = m.const(bit(), 0);
          for (const sl of slots) m.sink(part === 'a4-nosign' ? sl.s : sl.h);
          outs.push(peWordSum(m, 'pe', slots.map((sl) => (part === 'a4-nosign' ? { ...sl, s: zero } : { ...sl, h: zero })), 0));
        } else {
          const terms = slots.map((sl, i) => {
            const prod = m.wire(`p${i}`, sl.n.zext(5).asSigned().mul(sl.w)); // s13
            const shifted = i % 2 === 1 ? mux(sl.h, prod.shl(4), prod.sext(17)) : prod.sext(17);
            const signed = mux(sl.s, shifted.neg(), shifted.sext(18));
            return m.wire(`t${i}`, mux(sl.v, signed, 0));
          });
          outs.push(adderTree(m, 'tree', terms, { stages: 0 }));
        }
      }
      outs.forEach((o, i) => m.assign(m.output(`o${i}`, o.type), o));
    },
    { doc: `PPA bench part: ${part}` },
  );
}
const partDesigns = new Map(PARTS.map(({ part }) => [part, defineDesign({ name: `ppa.${part}`, description: part, params: {}, build: () => partModule(part) })]));

const PE_STAGES = [0, 1, 2, 3];
const search = findDesign('cmc.search');
// The pipeline-depth sweep: register levels against latency, Fmax and area on both targets.
const PIPELINE: PipelineSeries[] = [
  { design: peA4, label: 'A4W8 PE (ditto.pe)', param: 'stages', values: PE_STAGES, fixed: {}, latency: peLatency },
  { design: peA8, label: 'A8W8 PE (ditto.pe_a8w8)', param: 'stages', values: PE_STAGES, fixed: {}, latency: peLatency },
  ...(search ? [{ design: search, label: 'CMC search (cmc.search)', param: 'stages', values: [0, 1, 2, 3], fixed: {}, latency: (v: number) => searchLatency({ stages: v }) }] : []),
];
/** A pipeline point's parameters: {} at the design's default (so it shares the defaults' runs). */
function pipelinePoint(s: PipelineSeries, v: number): Record<string, ParamValue> {
  const dflt = (s.design.params as Record<string, { default?: unknown }>)[s.param]?.default;
  return v === dflt && Object.keys(s.fixed).length === 0 ? {} : pipelineParams(s, v);
}
const pointName = (d: DesignDef, p: Record<string, ParamValue>) => [d.name, ...Object.entries(p).map(([k, v]) => `${k}${String(v)}`)].join('/');

const jobs: Job[] = [];
const planned = new Set<string>();
const plan = (design: DesignDef, params: Record<string, ParamValue>, flows: Flow[], point = pointName(design, params)) => {
  for (const flow of flows) {
    if (skipped(design.name, flow)) continue;
    const key = keyOf(design.name, params, flow);
    if (planned.has(key) || (flow === 'asic' && planned.has(keyOf(design.name, params, 'asic-place')))) continue;
    planned.add(key);
    jobs.push({ design, params, flow, point });
  }
};
// A4W8 vs A8W8 first (the headline comparison), with and without DSP inference, and placed and
// routed on OSU018 (asic-place also gives the synthesis figures).
for (const d of [peA4, peA8]) plan(d, {}, ['generic', 'ice40', 'ice40-dsp', 'asic-place']);
for (const s of PIPELINE) for (const v of s.values) plan(s.design, pipelinePoint(s, v), s.design === search ? ['ice40', 'asic'] : ['generic', 'ice40', 'asic']);
for (const d of partDesigns.values()) plan(d, {}, ['generic', 'ice40'], `ppa-parts/${d.name}`);
// every design at its defaults
for (const d of all) plan(d, {}, QUICK ? ['generic', 'asic'] : ['generic', 'ice40', 'asic']);
if (sad) {
  for (const P of SAD_LANES) plan(sad, { m: SAD_M, lanes: P }, ['generic', 'ice40'], `${sad.name}/m${SAD_M}-lanes${P}`);
}
if (compute) {
  for (const [R, C] of ARRAYS) plan(compute, { rows: R, cols: C }, ['generic', 'ice40'], `${compute.name}/r${R}-c${C}`);
}

// ---------------------------------------------------------------------------------------------
// work per cycle (SPEC §1.2–§1.4)

/** Element mix: fractions of ZERO / LOW / FULL elements (sum 1). */
interface Mix {
  label: string;
  zero: number;
  low: number;
  full: number;
}

const PAPER_MIX: Mix = { label: 'paper mix: 45 % ZERO, 51 % LOW, 4 % FULL', zero: 0.45, low: 0.51, full: 0.04 };
const MIXES: Mix[] = [
  PAPER_MIX,
  { label: 'no ZERO, all LOW (A4W8 best case)', zero: 0, low: 1, full: 0 },
  { label: 'no ZERO, all FULL (A4W8 worst case)', zero: 0, low: 0, full: 1 },
];

/**
 * Elements per cycle of one A4W8 PE fed by an encoder of `lanes` lanes (Infinity = PE-bound):
 * a vector of K elements takes max(ceil((nL + 2 nF) / 4), ceil(K / L)) words (SPEC §1.3/§1.4),
 * i.e. K / max((low + 2 full) / 4, 1 / L) for long vectors. ZERO elements take no slot.
 */
function a4w8Rate(m: Mix, lanes = Infinity): number {
  return 1 / Math.max((m.low + 2 * m.full) / 4, 1 / lanes);
}
/** The dense A8W8 PE: 2 elements per cycle whatever the mix (nothing is skipped). */
const A8W8_RATE = 2;

/**
 * Work per area, the figure the A4W8 PE is judged by against the A8W8 PE: elements per cycle per
 * mm² of OSU018 standard cells (the synthesis area `asic.areaUm2`). Computed here only; the work
 * table and ppa.json (`workPerCycle.mixes`) both take it from this function.
 */
function perMm2(rate: number, areaUm2: number | null | undefined): number | null {
  return areaUm2 ? rate / (areaUm2 / 1e6) : null;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const t0 = performance.now();
  const started = new Date();
  await mkdir(OUT, { recursive: true });
  process.stderr.write(`ppa: ${jobs.length} synthesis runs, ${JOBS} at a time${QUICK ? ' (--quick)' : ''}; ${os.cpus().length} CPU(s)\n`);
  await runAll(jobs);
  const wallS = (performance.now() - t0) / 1000;

  const md: string[] = [];
  const yosys = [...results.values()].find((r) => r.report)?.report?.tools.yosys ?? '?';
  const nextpnr = [...results.values()].find((r) => r.report?.tools.nextpnr)?.report?.tools.nextpnr ?? '?';
  const sta = [...results.values()].find((r) => r.report?.tools.sta)?.report?.tools.sta ?? '?';
  const qflow = [...results.values()].find((r) => r.report?.asic?.placed)?.report?.asic?.placed?.tool ?? '?';
  md.push(`# dcgen PPA benchmark`, '');
  md.push(`\`${COMMAND}\` — ${started.toISOString()}, ${jobs.length} runs, ${JOBS} at a time, ${wallS.toFixed(0)} s wall on ${os.cpus().length} CPU(s).${SKIP.length ? ` Skipped (\`--skip\`): ${SKIP.join(', ')}.` : ''}`);
  md.push(`Yosys: ${yosys.split('\n')[0]}; nextpnr: ${nextpnr.split('\n')[0]}; ${sta}; ${qflow}. iCE40: nextpnr --freq 12 --seed 1, smallest device that fits (UP5K sg48, then HX8K ct256). OSU018: osu018_stdcells (qflow-tech-osu018), 10 ns clock.`, '');

  // --- A4W8 vs A8W8 ---------------------------------------------------------------------------
  const g4 = get(PE, {}, 'generic')?.report?.generic;
  const g8 = get(PE8, {}, 'generic')?.report?.generic;
  const i4 = ice40Figures(get(PE, {}, 'ice40')?.report);
  const i8 = ice40Figures(get(PE8, {}, 'ice40')?.report);
  const d4 = ice40Figures(get(PE, {}, 'ice40-dsp')?.report);
  const d8 = ice40Figures(get(PE8, {}, 'ice40-dsp')?.report);
  const a4 = asicFigures(get(PE, {}, 'asic')?.report);
  const a8 = asicFigures(get(PE8, {}, 'asic')?.report);
  const ratio = (a: number | null | undefined, b: number | null | undefined) => (a != null && b != null && b !== 0 ? (a / b).toFixed(2) : '-');
  const cmpRow = (label: string, a: number | null | undefined, b: number | null | undefined, digits = 0): (string | number)[] => [label, fmt(a, digits), fmt(b, digits), ratio(a, b)];
  md.push('## Ditto A4W8 PE vs dense A8W8 PE (same multiplier budget)', '');
  md.push(`Both at defaults (accBits 32, stages ${String(peA4.resolve({}).stages)}), the same valid/ready clear/accumulate/drain interface and control. A4W8 (\`ditto.pe\`): per slot the valid-gated u4 nibble × s8 weight minus the sign, q = u·w − s (Baugh-Wooley partial products, compressor, 12-bit adder), its one's complement x = q ^ s as the signed product, ×16 multiplexers on slots 1 and 3, one compressor tree and a 17-bit adder per word. A8W8 (\`ditto.pe_a8w8\`): per lane the s8 × s8 Baugh-Wooley partial products reduced to two rows, one compressor tree and a 17-bit adder per word.`, '');
  md.push(
    table(
      ['metric', 'A4W8 `ditto.pe`', 'A8W8 `ditto.pe_a8w8`', 'A4W8 / A8W8'],
      [
        cmpRow('generic cells', g4?.cells, g8?.cells),
        cmpRow('generic FFs', g4?.flipFlops, g8?.flipFlops),
        cmpRow('iCE40 LUT4 (no DSP)', i4?.lut4, i8?.lut4),
        cmpRow('iCE40 logic cells (no DSP)', i4?.lc, i8?.lc),
        cmpRow('iCE40 SB_CARRY (no DSP)', i4?.carry, i8?.carry),
        cmpRow('iCE40 FFs, design (no DSP)', i4?.ffDesign, i8?.ffDesign),
        cmpRow('iCE40 FFs, wrapper', i4?.ffWrapper, i8?.ffWrapper),
        cmpRow('iCE40 wrapper output bits (≈ LUT4s of its capture muxes)', i4?.outBits, i8?.outBits),
        cmpRow('iCE40 Fmax MHz (no DSP)', i4?.fmax, i8?.fmax, 2),
        cmpRow('iCE40 LUT4 (`-dsp`)', d4?.lut4, d8?.lut4),
        cmpRow('iCE40 DSP SB_MAC16 (`-dsp`)', d4?.dsp, d8?.dsp),
        cmpRow('iCE40 FFs, design (`-dsp`)', d4?.ffDesign, d8?.ffDesign),
        cmpRow('iCE40 Fmax MHz (`-dsp`)', d4?.fmax, d8?.fmax, 2),
        cmpRow('OSU018 area µm² (standard cells, synthesis)', a4?.areaUm2, a8?.areaUm2),
        cmpRow('OSU018 cells', a4?.cells, a8?.cells),
        cmpRow('OSU018 worst path ns (synthesis, I/O paths included)', a4?.worstNs, a8?.worstNs, 3),
        cmpRow('OSU018 Fmax MHz (synthesis)', a4?.fmax, a8?.fmax, 1),
        cmpRow('OSU018 die area µm² (qflow placed and routed)', a4?.placed?.dieAreaUm2, a8?.placed?.dieAreaUm2),
        cmpRow('OSU018 worst path ns (routed, wire parasitics)', a4?.placed?.worstNs, a8?.placed?.worstNs, 3),
        cmpRow('OSU018 Fmax MHz (routed)', a4?.placed?.fmax, a8?.placed?.fmax, 1),
      ],
    ),
    '',
  );

  md.push('### Work per cycle', '');
  md.push(
    'A4W8: 4 slots of 4-bit × 8-bit per cycle; a LOW element takes 1 slot, a FULL element 2 (an aligned pair), a ZERO element none (the encoder drops it), so a vector of K elements takes max(ceil((nL + 2·nF)/4), ceil(K/L)) cycles (L = encoder lanes). ' +
      'A8W8 (assumption): dense, nothing skipped — every element, ZERO included, is one of the 2 MACs per cycle, K/2 cycles per vector (SPEC §1.4). ' +
      '"Elements" counts all elements of the vector, ZEROs included, so the two columns compare time per vector. Area per PE: OSU018 standard-cell area (synthesis), iCE40 LUT4 without DSPs, and generic cells; the encoder (one per row of PEs) is not included.',
    '',
  );
  const perK = (rate: number, area: number | null | undefined) => (area ? ((1000 * rate) / area).toFixed(2) : '-');
  const workRow = (label: string, r4: number): (string | number)[] => [
    label,
    r4.toFixed(2),
    A8W8_RATE.toFixed(2),
    (r4 / A8W8_RATE).toFixed(2),
    fmt(perMm2(r4, a4?.areaUm2), 0),
    fmt(perMm2(A8W8_RATE, a8?.areaUm2), 0),
    ratio(perMm2(r4, a4?.areaUm2), perMm2(A8W8_RATE, a8?.areaUm2)),
    perK(r4, i4?.lut4),
    perK(A8W8_RATE, i8?.lut4),
    ratio((r4 / (i4?.lut4 ?? NaN)) * 1000, (A8W8_RATE / (i8?.lut4 ?? NaN)) * 1000),
    perK(r4, g4?.cells),
    perK(A8W8_RATE, g8?.cells),
  ];
  const workRows: (string | number)[][] = [...MIXES.map((m) => workRow(`${m.label}, PE-bound`, a4w8Rate(m))), workRow('paper mix, encoder L = 4 (default)', a4w8Rate(PAPER_MIX, 4))];
  md.push(
    table(
      ['element mix', 'A4W8 el/cycle', 'A8W8 el/cycle', 'speed-up', 'A4W8 el/cycle per mm² (OSU018)', 'A8W8 el/cycle per mm² (OSU018)', 'A4W8 / A8W8 per mm²', 'A4W8 el/cycle per 1k LUT4', 'A8W8 el/cycle per 1k LUT4', 'A4W8 / A8W8 per LUT4', 'A4W8 el/cycle per 1k cells', 'A8W8 el/cycle per 1k cells'],
      workRows,
    ),
    '',
  );

  md.push('### Pipeline depth (`stages`: register levels between the input and the accumulator)', '');
  const stRows: (string | number)[][] = [];
  for (const st of PE_STAGES) {
    // the points of the pipeline sweep (the defaults' runs at the default depth)
    const pointOf = (d: DesignDef) => pipelinePoint(PIPELINE.find((x) => x.design === d)!, st);
    stRows.push([String(st), fmt(get(PE, pointOf(peA4), 'generic')?.report?.generic?.cells), fmt(get(PE8, pointOf(peA8), 'generic')?.report?.generic?.cells)]);
  }
  md.push(table(['stages', 'A4W8 generic cells', 'A8W8 generic cells'], stRows), '');
  md.push('Latency, OSU018 and iCE40 figures of the same points: the pipeline sweep below.', '');

  md.push('### Where the area goes (combinational word datapaths, no accumulator or control)', '');
  const partRows: (string | number)[][] = PARTS.map(({ part, what }) => {
    const g = get(`ppa.${part}`, {}, 'generic')?.report?.generic;
    const f = ice40Figures(get(`ppa.${part}`, {}, 'ice40')?.report);
    return [`\`${part}\``, what, fmt(g?.cells), fmt(f?.lut4), fmt(f?.carry), fmt(f?.outBits)];
  });
  md.push(table(['part', 'what', 'generic cells', 'iCE40 LUT4', 'SB_CARRY', 'output bits'], partRows, ['l', 'l', 'r', 'r', 'r', 'r']), '');
  md.push('iCE40 LUT4 counts include the wrapper\'s output capture/shift multiplexers, about one LUT4 per output bit of the design (last column); generic cells are the design alone.', '');

  // --- pipeline sweep ----------------------------------------------------------------------------
  const pipeline: PipelinePoint[] = PIPELINE.flatMap((s) =>
    s.values.map((v) => {
      const p = pipelinePoint(s, v);
      const runs = [get(s.design.name, p, 'asic'), get(s.design.name, p, 'ice40')];
      const note = runs.filter((x) => x && !x.ok).map((x) => `${x!.flow} failed: ${x!.error!.split('\n')[0].slice(0, 100)}`).join('; ');
      return { series: s, value: v, latency: s.latency(v), asic: asicFigures(runs[0]?.report), ice40: ice40Figures(runs[1]?.report), note };
    }),
  );
  await writeFile(path.join(OUT, 'pipeline.csv'), pipelineCsv(pipeline));
  await writeFile(path.join(OUT, 'pipeline.svg'), pipelineSvg(pipeline, `OSU018: Yosys + OpenSTA, 10 ns clock, I/O paths included; iCE40: nextpnr post-route, smallest device that fits`));
  md.push('## Pipeline depth: Fmax against latency and area (both targets)', '');
  md.push(
    'Register levels swept at the other parameters\' defaults. Latency: cycles from an accepted input to its result on the output (`generator/spec`: PE stages + 1, search stages + 1). ' +
      'OSU018: worst path with the I/O paths included (inputs and outputs registered right outside the block, as the iCE40 wrapper does), Fmax = 1000 / it. iCE40: post-route Fmax through the scan wrapper. ' +
      `Written to \`rtl-out/ppa/pipeline.csv\` and \`rtl-out/ppa/pipeline.svg\`.`,
    '',
  );
  md.push(pipelineTable(pipeline), '');

  // --- both targets at a glance -----------------------------------------------------------------
  md.push('## Every design at its defaults: OSU018 and iCE40', '');
  md.push(
    'OSU018 (Yosys `synth`, `dfflibmap`, `abc` on osu018_stdcells, then OpenSTA at a 10 ns clock): area = the standard cells\' Liberty area (memories with a synchronous read are black-boxed SRAM macros, outside the area; the others become flip-flops); worst path with the I/O paths included (0 ns I/O delays), and register to register. ' +
      'iCE40: LUT4, the design\'s flip-flops, block RAMs and post-route Fmax (details in the next table).',
    '',
  );
  const bothRows: (string | number)[][] = all.map((d) => {
    const a = asicFigures(get(d.name, {}, 'asic')?.report);
    const f = ice40Figures(get(d.name, {}, 'ice40')?.report);
    const err = [get(d.name, {}, 'asic'), get(d.name, {}, 'ice40')].filter((x) => x && !x.ok).map((x) => `${x!.flow} failed`).join('; ');
    return [`\`${d.name}\``, fmt(a?.areaUm2), fmt(a?.ff), fmt(a?.worstNs, 3), fmt(a?.regNs, 3), fmt(a?.fmax, 1), f ? `${f.lut4}${f.fits ? '' : ' (not placed)'}` : '-', f?.fits ? f.ffDesign : '-', f?.fits ? f.bram : '-', f?.fits ? fmt(f.fmax, 2) : '-', [memoryNote(a), err].filter(Boolean).join('; ')];
  });
  md.push(table(['design', 'OSU018 area µm²', 'OSU018 FFs', 'OSU018 worst path ns', 'reg-to-reg ns', 'OSU018 Fmax MHz', 'iCE40 LUT4', 'iCE40 FF', 'iCE40 BRAM', 'iCE40 Fmax MHz', 'note'], bothRows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l']), '');

  // --- every design at defaults ------------------------------------------------------------------
  md.push(`## Every design at its defaults: generic and iCE40 details${QUICK ? ' (generic only: --quick)' : ''}`, '');
  md.push('generic: Yosys `synth -flatten`, cells = gates + flip-flops. iCE40: `synth_ice40` + nextpnr-ice40 through the scan wrapper; FFs split into the design\'s (total − wrapper) and the wrapper\'s (scan and pin registers); Fmax post-route. A design too big for every iCE40 shows the LUT4s `synth_ice40` produced (not placed).', '');
  const defRows: (string | number)[][] = [];
  for (const d of all) {
    const g = get(d.name, {}, 'generic');
    const i = get(d.name, {}, 'ice40');
    const f = ice40Figures(i?.report);
    const err = [g, i].filter((x) => x && !x.ok).map((x) => `${x!.flow} failed: ${x!.error!.split('\n')[0].slice(0, 120)}`).join('; ');
    defRows.push([
      `\`${d.name}\``,
      fmt(g?.report?.generic?.cells),
      fmt(g?.report?.generic?.flipFlops),
      f ? f.device : '-',
      f ? `${f.lut4}${f.fits ? '' : ' (not placed)'}` : '-',
      f?.fits ? f.ffDesign : '-',
      f ? f.ffWrapper : '-',
      f?.fits ? f.dsp : '-',
      f?.fits ? f.bram : '-',
      f?.fits ? fmt(f.fmax, 2) : '-',
      err,
    ]);
  }
  md.push(table(['design', 'generic cells', 'generic FFs', 'iCE40 device', 'LUT4', 'FF design', 'FF wrapper', 'DSP', 'BRAM', 'Fmax MHz', 'note'], defRows, ['l', 'r', 'r', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l']), '');

  // --- sweeps ----------------------------------------------------------------------------------
  const sweepTable = (design: DesignDef, points: Record<string, ParamValue>[], label: (p: Record<string, ParamValue>) => string, units: (p: Record<string, ParamValue>) => number, unitName: string) => {
    const rows: (string | number)[][] = [];
    for (const p of points) {
      const g = get(design.name, p, 'generic');
      const f = ice40Figures(get(design.name, p, 'ice40')?.report);
      const cells = g?.report?.generic?.cells;
      const err = [g, get(design.name, p, 'ice40')].filter((x) => x && !x.ok).map((x) => `${x!.flow} failed`).join('; ');
      rows.push([
        label(p),
        fmt(cells),
        fmt(g?.report?.generic?.flipFlops),
        cells ? (cells / units(p)).toFixed(0) : '-',
        f ? f.device : '-',
        f ? `${f.lut4}${f.fits ? '' : ' (not placed)'}` : '-',
        f ? (f.lut4 / units(p)).toFixed(0) : '-',
        f?.fits ? f.ffDesign : '-',
        f?.fits ? f.dsp : '-',
        f?.fits ? f.bram : '-',
        f?.fits ? fmt(f.fmax, 2) : '-',
        err,
      ]);
    }
    return table(['point', 'generic cells', 'generic FFs', `cells per ${unitName}`, 'iCE40 device', 'LUT4', `LUT4 per ${unitName}`, 'FF design', 'DSP', 'BRAM', 'Fmax MHz', 'note'], rows, ['l', 'r', 'r', 'r', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l']);
  };
  if (sad) {
    md.push(`## \`cmc.sad\`: candidate lanes P (m = ${SAD_M}; other parameters at defaults)`, '');
    md.push(sweepTable(sad, SAD_LANES.map((P) => ({ m: SAD_M, lanes: P })), (p) => `P = ${p.lanes}`, (p) => Number(p.lanes), 'lane'), '');
  }
  if (compute) {
    md.push('## `ditto.compute`: array size R × C (other parameters at defaults)', '');
    md.push(sweepTable(compute, ARRAYS.map(([R, C]) => ({ rows: R, cols: C })), (p) => `${p.rows} × ${p.cols}`, (p) => Number(p.rows) * Number(p.cols), 'PE'), '');
  } else {
    md.push('`ditto.compute` is not registered: no array-size sweep.', '');
  }

  const failed = [...results.values()].filter((r) => !r.ok);
  if (failed.length) {
    md.push('## Failed runs', '');
    for (const f of failed) md.push(`- ${f.design} ${paramText(f.params)} ${f.flow}: ${f.error!.split('\n').slice(0, 3).join(' ')}`);
    md.push('');
  }
  const text = md.join('\n');
  process.stdout.write(text + '\n');
  await writeFile(path.join(OUT, 'ppa.md'), text + '\n');
  const json = {
    schema: 'dcgen.ppa',
    version: 1,
    command: COMMAND,
    skipped: SKIP,
    startedAt: started.toISOString(),
    wallSeconds: Number(wallS.toFixed(1)),
    jobs: JOBS,
    cpus: os.cpus().length,
    workPerCycle: {
      assumption: 'A4W8: ZERO skipped, LOW 1 slot, FULL 2 slots, 4 slots/cycle, cycles/vector = max(ceil((nL+2nF)/4), ceil(K/L)); A8W8: dense, 2 elements/cycle, nothing skipped',
      mixes: [...MIXES.map((m) => ({ ...m, encoderLanes: null as number | null, a4w8: a4w8Rate(m) })), { ...PAPER_MIX, encoderLanes: 4, a4w8: a4w8Rate(PAPER_MIX, 4) }].map((m) => ({
        ...m,
        a8w8: A8W8_RATE,
        a4w8PerMm2: perMm2(m.a4w8, a4?.areaUm2),
        a8w8PerMm2: perMm2(A8W8_RATE, a8?.areaUm2),
      })),
    },
    pipeline: pipeline.map((p) => ({ design: p.series.design.name, param: p.series.param, value: p.value, latency: p.latency, asic: p.asic, ice40: p.ice40, note: p.note })),
    runs: [...results.values()].map((r) => ({ ...r, params: { ...resolvedParams(r), ...r.params } })),
  };
  await writeFile(path.join(OUT, 'ppa.json'), JSON.stringify(json, null, 1) + '\n');
  process.stderr.write(`ppa: done in ${wallS.toFixed(0)} s; ${failed.length} failed; wrote ${path.relative(REPO, path.join(OUT, 'ppa.json'))}, ${path.relative(REPO, path.join(OUT, 'ppa.md'))}\n`);
}

function resolvedParams(r: JobResult): Record<string, ParamValue> {
  const d = all.find((x) => x.name === r.design) ?? [...partDesigns.values()].find((x) => x.name === r.design);
  try {
    return d ? (d.resolve(r.params) as Record<string, ParamValue>) : {};
  } catch {
    return {};
  }
}

await rm(path.join(OUT, 'ppa.json'), { force: true });
await main();
