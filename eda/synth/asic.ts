// ASIC synthesis on a standard-cell library: Yosys `synth -flatten`, `dfflibmap` and `abc`
// against a Liberty file (default OSU 0.18 µm, Debian package qflow-tech-osu018), area from
// `stat -liberty`, then OpenSTA on the mapped netlist for the worst register-to-register path
// and Fmax. Memories are mapped to flip-flops and logic for now (no memory macros).
//
// Paths are never spliced into a script: the design's files, the library (as dcgen-cells.lib)
// and the netlist live in the run's own folder under plain names.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { quotedPath } from '../../generator/io/errors.ts';
import { ToolFailedError } from '../tools/errors.ts';
import { requireTool } from '../tools/which.ts';
import type { DesignFolder } from './design.ts';
import { LibertyError, FlowToolError } from './errors.ts';
import { statCells, yosysProgress, type StatJson } from './generic.ts';
import { defaultLibertyPath, readLiberty, type LibertyInfo } from './liberty.ts';
import { writeFileAtomic, type AsicPath, type AsicPlaced, type AsicSynth } from './report.ts';
import { runYosysScript, type SynthEngine } from './run.ts';
import { runSta } from './sta.ts';
import { ASIC_PLACE_FILES, ASIC_ROUTED_STA_LOG, checkPlaceLibrary, placeAsic } from './place.ts';

/** `--clock-ns` default: the period STA checks and abc aims at. */
export const DEFAULT_ASIC_CLOCK_NS = 10;
/** Outputs the flow writes into the design folder. */
export const ASIC_YOSYS_LOG = 'synth-asic.log';
export const ASIC_STA_LOG = 'sta.log';
export const ASIC_NETLIST = 'netlist-asic.v';
/** The library's name inside the run folder. */
const LIB_FILE = 'dcgen-cells.lib';
const STAT_TEXT = 'stat-asic.txt';
const STAT_JSON = 'stat-asic.json';

export interface AsicOptions {
  engine: SynthEngine;
  /** A Liberty file (any path); default: OSU018 from qflow-tech-osu018. */
  liberty?: string;
  clockNs: number;
  workDir: string;
  onProgress?: (line: string) => void;
  timeoutMs?: number;
  /** Then place and route the netlist with qflow and time it again with the wires (place.ts). */
  place?: boolean;
}

export interface AsicOutcome {
  result: AsicSynth;
  yosysVersion: string;
  staVersion: string;
  /** Log and output files written into the design folder (names). */
  files: string[];
  /** Notes for the report (memories mapped to flip-flops, Fmax from I/O paths...). */
  messages: string[];
}

/** abc's delay target: the clock period in whole picoseconds (at least 1). */
export function abcDelayPs(clockNs: number): number {
  return Math.max(1, Math.round(clockNs * 1000));
}

/**
 * The ABC script: Yosys 0.23's own script for `abc -liberty -D` (mapping for delay), then ABC's
 * buffering and gate sizing (`buffer -p; upsize; dnsize`, as OpenLane's synthesis scripts do).
 * Without them a high-fanout net hangs on one small gate, and such nets, not the logic, set the
 * worst path (ditto.encoder: 49.5 ns unbuffered, 7.1 ns buffered and sized).
 */
export function abcScript(delayPs: number): string[] {
  const d = `-D ${delayPs}`;
  return ['strash', '&get -n', '&fraig -x', '&put', 'scorr', 'dc2', 'dretime', `retime -o ${d}`, 'strash', '&get -n', '&dch -f', `&nf ${d}`, '&put', 'buffer -p', `upsize ${d}`, `dnsize ${d}`];
}

export function asicYosysScript(files: string[], top: string, delayPs: number): string {
  return [
    ...files.map((f) => `read_verilog ${f}`),
    `synth -flatten -top ${top}`,
    // Yosys 0.38+ keeps $scopeinfo cells (names of flattened instances): not logic, no cell.
    'delete t:$scopeinfo',
    `dfflibmap -liberty ${LIB_FILE}`,
    // `-script +a;b,c`: ABC commands inline (commas for spaces), so no script path is involved.
    `abc -liberty ${LIB_FILE} -D ${delayPs} -script +${abcScript(delayPs).map((c) => c.replace(/ /g, ',')).join(';')}`,
    // For OpenSTA's Verilog reader: no x constants, every net one bit (no `assign {a, b} = ...`),
    // no leftover aliases.
    'setundef -zero',
    'splitnets -ports',
    'opt_clean -purge',
    `tee -o ${STAT_TEXT} stat -liberty ${LIB_FILE}`,
    `tee -q -o ${STAT_JSON} stat -json`,
    `write_verilog -noattr -noexpr -nohex -nodec ${ASIC_NETLIST}`,
    '',
  ].join('\n');
}

/** "Chip area for module '\top': 55048.000000" (or "for top module") from `stat -liberty`. */
export function chipArea(statText: string): number | null {
  let area: number | null = null;
  for (const m of statText.matchAll(/Chip area for (?:top )?module '[^']*':\s*([0-9.eE+-]+)/g)) area = Number(m[1]);
  return area !== null && Number.isFinite(area) ? area : null;
}

/** The memories `memory_map` turned into flip-flops ("Mapping memory \q_mem in module \top:"). */
export function mappedMemories(lines: string[]): string[] {
  const out: string[] = [];
  for (const l of lines) {
    const m = /^Mapping memory (\S+) in module /.exec(l);
    if (m) out.push(m[1].replace(/^\\/, ''));
  }
  return out;
}

/**
 * Register cell instance → the net its state output drives, from Yosys' write_verilog netlist
 * (`DFFPOSX1 _2961_ (\n .CLK(clk),\n .D(_0052_),\n .Q(\acc_q[31] )\n );`). Names are given as
 * OpenSTA prints them: escaped identifiers without their backslash.
 */
export function registerNets(netlist: string, lib: Pick<LibertyInfo, 'cells'>): Map<string, string> {
  const plain = (id: string) => id.trim().replace(/^\\/, '');
  const out = new Map<string, string>();
  const inst = /^[ \t]*([A-Za-z_][A-Za-z0-9_$]*)[ \t]+(\\\S+|[A-Za-z_][A-Za-z0-9_$]*)[ \t]*\(([\s\S]*?)\);/gm;
  for (const m of netlist.matchAll(inst)) {
    const pin = lib.cells.get(m[1])?.stateOutput;
    if (!pin) continue;
    const conn = new RegExp(`\\.${pin.replace(/[^A-Za-z0-9_]/g, '\\$&')}\\(\\s*([^()]*?)\\s*\\)`).exec(m[3]);
    if (conn && conn[1] !== '') out.set(plain(m[2]), plain(conn[1]));
  }
  return out;
}

/** The path with the register names of its startpoint and endpoint filled in. */
function named(p: AsicPath | null, regs: Map<string, string>): AsicPath | null {
  return p ? { ...p, startRegister: regs.get(p.startpoint) ?? null, endRegister: regs.get(p.endpoint) ?? null } : null;
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));
/** The shortest clock period a path allows: period − slack (= arrival + setup, ideal clock), 1 ps. */
const pathNs = (p: AsicPath | null, clockNs: number) => (p ? round(clockNs - p.slackNs, 3) : null);
/** Fmax from a (rounded) path delay, 0.01 MHz. */
const mhz = (ns: number | null) => (ns !== null && ns > 0 ? round(1000 / ns, 2) : null);

async function libraryFor(given: string | undefined): Promise<{ lib: LibertyInfo; isDefault: boolean }> {
  if (given !== undefined) return { lib: await readLiberty(given), isDefault: false };
  return { lib: await readLiberty(await defaultLibertyPath(), 'the default library'), isDefault: true };
}

export async function synthAsic(d: DesignFolder, o: AsicOptions): Promise<AsicOutcome> {
  const { lib, isDefault } = await libraryFor(o.liberty);
  // Before the long Yosys run: a missing OpenSTA (or qflow) and a library qflow cannot place fail now.
  await requireTool('sta');
  if (o.place) {
    checkPlaceLibrary(lib);
    await requireTool('qflow');
  }
  // Outputs of an earlier run that this one may not rewrite must not pass for its own.
  for (const f of [ASIC_NETLIST, ASIC_STA_LOG, ...ASIC_PLACE_FILES]) await rm(path.join(d.dir, f), { force: true });
  const files: string[] = [];
  const top = d.manifest.top;
  const delayPs = abcDelayPs(o.clockNs);
  const inputs = new Map(d.files);
  inputs.set(LIB_FILE, lib.text);
  const yosysLog = path.join(d.dir, ASIC_YOSYS_LOG);
  const lines: string[] = [];
  const progress = yosysProgress(o.onProgress, 'yosys');
  o.onProgress?.(`yosys: synth -flatten -top ${top}; dfflibmap, abc -D ${delayPs} on ${lib.library} (${o.engine})`);
  let run;
  try {
    run = await runYosysScript({
      engine: o.engine,
      workDir: o.workDir,
      inputs,
      script: asicYosysScript([...d.files.keys()], top, delayPs),
      outputs: [STAT_TEXT, STAT_JSON, ASIC_NETLIST],
      logPath: yosysLog,
      timeoutMs: o.timeoutMs,
      onLine: (l) => {
        if (/(^|: )Warning:|^Mapping memory /.test(l) && !/^ABC:/.test(l)) lines.push(l);
        progress?.(l);
      },
    });
  } catch (e) {
    if (!(e instanceof ToolFailedError) || e instanceof FlowToolError) throw e;
    // One line: Yosys' own ERROR line (the last one), the log for the rest.
    const diagnostic = [...e.tail].reverse().find((l) => /^ERROR:/.test(l.trim()))?.trim();
    if (diagnostic) throw new FlowToolError(e.tool, { exitCode: e.exitCode, signal: e.signal, timedOut: e.timedOut, logPath: e.logPath ?? yosysLog, diagnostic });
    // A timeout, a signal, an output not written: the first line already says it and names the log.
    e.message = e.message.split('\n')[0];
    throw e;
  }
  files.push(ASIC_YOSYS_LOG);
  const stat = JSON.parse(run.outputs.get(STAT_JSON)!) as StatJson;
  const { cells, byType } = statCells(stat, top);
  const missing = Object.keys(byType).filter((t) => !lib.cells.has(t));
  if (missing.length > 0) {
    throw new LibertyError(`${isDefault ? 'the default library' : `--liberty ${quotedPath(o.liberty!)}`} (${lib.library}) has no cell for ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}: the netlist cannot be mapped onto it (log: ${yosysLog})`);
  }
  const areaUm2 = chipArea(run.outputs.get(STAT_TEXT)!);
  if (areaUm2 === null) throw new FlowToolError('yosys', { exitCode: 0, logPath: yosysLog, reason: 'stat -liberty printed no chip area' });
  let flipFlops = 0;
  let latches = 0;
  for (const [t, n] of Object.entries(byType)) {
    if (lib.cells.get(t)?.flipFlop) flipFlops += n;
    if (lib.cells.get(t)?.latch) latches += n;
  }
  await writeFileAtomic(path.join(d.dir, ASIC_NETLIST), run.outputs.get(ASIC_NETLIST)!);
  files.push(ASIC_NETLIST);

  // The WebAssembly engine keeps its inputs in memory: OpenSTA needs the library on disk.
  if (o.engine === 'wasm') await writeFile(path.join(o.workDir, LIB_FILE), lib.text);
  const clockPort = d.top.hasClock && d.top.ports.some((p) => p.name === 'clk' && p.direction === 'input') ? 'clk' : null;
  o.onProgress?.(`sta: clock ${o.clockNs} ns on ${clockPort ?? 'a virtual clock'}, I/O delays 0`);
  const sta = await runSta({
    top,
    liberty: LIB_FILE,
    netlist: ASIC_NETLIST,
    clockNs: o.clockNs,
    clockPort,
    workDir: o.workDir,
    logPath: path.join(d.dir, ASIC_STA_LOG),
    timeoutMs: o.timeoutMs,
    onProgress: o.onProgress,
  });
  files.push(ASIC_STA_LOG);

  const regs = registerNets(run.outputs.get(ASIC_NETLIST)!, lib);
  const worstPath = named(sta.regToReg, regs);
  const worstConstrainedPath = named(sta.all, regs);
  const basis = sta.regToReg ?? sta.all;
  const fmaxFrom = sta.regToReg ? 'register-to-register' : sta.all ? 'all-paths' : null;
  const worstPathNs = pathNs(basis, o.clockNs);
  const fmaxMHz = mhz(worstPathNs);
  const worstConstrainedPathNs = pathNs(sta.all, o.clockNs);
  const constrainedFmaxMHz = mhz(worstConstrainedPathNs);
  const where = (p: AsicPath) => `${p.startRegister ?? p.startpoint} -> ${p.endRegister ?? p.endpoint}`;
  const memories = mappedMemories(lines);
  const messages: string[] = [];
  if (memories.length > 0) messages.push(`${memories.length} ${memories.length === 1 ? 'memory' : 'memories'} (${memories.join(', ')}) mapped to flip-flops and logic: no memory macros yet, so the area includes them as flip-flops.`);
  if (fmaxFrom === 'all-paths') messages.push('No register-to-register path: worst path and Fmax are those of the worst input/output path (I/O delays 0 ns).');
  if (!basis) messages.push('No constrained timing path: no worst path, no Fmax.');
  if (fmaxFrom === 'register-to-register' && worstConstrainedPath && worstConstrainedPathNs !== null && worstPathNs !== null && worstConstrainedPathNs > worstPathNs) {
    messages.push(`An input/output path is longer than every register-to-register path: ${worstConstrainedPathNs} ns (${where(worstConstrainedPath)}), Fmax ${constrainedFmaxMHz ?? '-'} MHz with I/O delays of 0 ns.`);
  }
  if (worstConstrainedPath && !worstConstrainedPath.met) messages.push(`The ${o.clockNs} ns clock is not met: slack ${worstConstrainedPath.slackNs} ns on ${where(worstConstrainedPath)}.`);
  const staWarnings = [...sta.warnings];
  let placed: AsicPlaced | null = null;
  if (o.place) {
    const p = await placeAsic({ top, netlist: run.outputs.get(ASIC_NETLIST)!, lib, clockNs: o.clockNs, clockPort, workDir: o.workDir, designDir: d.dir, timeoutMs: o.timeoutMs, onProgress: o.onProgress });
    const routedRegs = registerNets(p.routedNetlist, lib);
    placed = { ...p.placed, worstPath: named(p.placed.worstPath, routedRegs), worstConstrainedPath: named(p.placed.worstConstrainedPath, routedRegs) };
    files.push(...p.files);
    staWarnings.push(...p.warnings.map((w) => `after routing: ${w}`));
    if (placed.failedRoutes > 0) messages.push(`qrouter left ${placed.failedRoutes} net(s) unrouted: the post-route figures miss their wires.`);
    if (placed.unannotatedNets > 0) messages.push(`${placed.unannotatedNets} net(s) of the routed netlist got no parasitics from the SPEF (OpenSTA warnings in ${ASIC_ROUTED_STA_LOG}).`);
  }
  return {
    result: {
      liberty: { path: lib.path, library: lib.library, default: isDefault },
      clockNs: o.clockNs,
      clockPort,
      ioDelayNs: 0,
      abcDelayTargetPs: delayPs,
      cells,
      flipFlops,
      latches,
      areaUm2: round(areaUm2, 3),
      cellsByType: byType,
      memoriesAsFlipFlops: memories,
      worstPathNs,
      fmaxMHz,
      fmaxFrom,
      worstConstrainedPathNs,
      constrainedFmaxMHz,
      timingMet: sta.all ? sta.all.met : null,
      worstPath,
      worstConstrainedPath,
      netlist: ASIC_NETLIST,
      warnings: [...lines.filter((l) => !/^Mapping memory /.test(l)), ...staWarnings],
      placed,
    },
    yosysVersion: stat.creator ?? run.version,
    staVersion: sta.version,
    files,
    messages,
  };
}
