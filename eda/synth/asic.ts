// ASIC synthesis on a standard-cell library: Yosys `synth -flatten`, `dfflibmap` and `abc`
// against a Liberty file (default OSU 0.18 µm, Debian package qflow-tech-osu018), area from
// `stat -liberty`, then OpenSTA on the mapped netlist for the worst register-to-register path
// and Fmax.
//
// Memories (`--memories`, default macros): the design's memory modules (<top>.mems.json,
// generator/emit/memories.ts) are SRAM macro boundaries. With `macros`, every macro-ready one
// (all reads synchronous) is a black box, as OpenLane's flow treats a hard macro: Yosys keeps
// its instances out of synthesis (`blackbox`), then `expose -evert` cuts each instance out,
// turning its pins into ports of the top (`<instance>.<pin>`: the macro's outputs become inputs,
// its inputs outputs; its clock pin is dropped). The area and the cells are the logic's alone;
// OpenSTA constrains the pins like the block's ports (delay 0 ns to the clock: read data
// arrives at the clock edge, addresses, enables and write data are due at the next one: the
// macro's own clock-to-output and setup times are not included) and counts them as registers
// for the register-to-register path. Memories with an asynchronous read (latency 0, not
// macro-ready), and all memories with `flops`, are mapped to flip-flops and logic.
//
// Paths are never spliced into a script: the design's files, the library (as dcgen-cells.lib)
// and the netlist live in the run's own folder under plain names.
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DesignFolderError } from '../../generator/emit/manifest.ts';
import { type MemsFile, type MemsModule, memsFileName, memsProblem } from '../../generator/emit/memories.ts';
import { quotedPath } from '../../generator/io/errors.ts';
import { ToolFailedError } from '../tools/errors.ts';
import { requireTool } from '../tools/which.ts';
import type { DesignFolder } from './design.ts';
import { LibertyError, FlowToolError } from './errors.ts';
import { statCells, yosysProgress, type StatJson } from './generic.ts';
import { abcDriveConstraints, defaultLibertyPath, readLiberty, type LibertyInfo } from './liberty.ts';
import { writeFileAtomic, type AsicMacro, type AsicPath, type AsicPlaced, type AsicSynth } from './report.ts';
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
const ABC_CONSTR_FILE = 'dcgen-abc.constr';
const STAT_TEXT = 'stat-asic.txt';
const STAT_JSON = 'stat-asic.json';

/** `--memories`: memory modules as black-boxed macros, or mapped to flip-flops and logic. */
export type MemoryMapping = 'macros' | 'flops';
export const MEMORY_MAPPINGS: readonly MemoryMapping[] = ['macros', 'flops'];
export const DEFAULT_MEMORY_MAPPING: MemoryMapping = 'macros';

export interface AsicOptions {
  engine: SynthEngine;
  /** Default macros (see the file header). */
  memories?: MemoryMapping;
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

/** Black-boxed memory modules and the clock ports `expose -evert` gives their instances. */
export interface AsicBlackBoxes {
  modules: string[];
  /** `<flattened instance>.<clock pin>`: ports to drop again (the clock is not a data path). */
  clockPorts: string[];
}

export function asicYosysScript(files: string[], top: string, delayPs: number, boxes?: AsicBlackBoxes, constr = false): string {
  const cut = boxes && boxes.modules.length > 0;
  return [
    ...files.map((f) => `read_verilog ${f}`),
    ...(cut ? boxes.modules.map((m) => `blackbox ${m}`) : []),
    `synth -flatten -top ${top}`,
    // Yosys 0.38+ keeps $scopeinfo cells (names of flattened instances): not logic, no cell.
    'delete t:$scopeinfo',
    // Each macro instance out, its pins ports of the top named `<instance>.<pin>`.
    ...(cut ? [`expose -evert ${boxes.modules.map((m) => `t:${m}`).join(' ')}`] : []),
    ...(cut && boxes.clockPorts.length > 0 ? [`delete -port ${boxes.clockPorts.map((p) => `w:${p}`).join(' ')}`, 'opt_clean'] : []),
    `dfflibmap -liberty ${LIB_FILE}`,
    // `-script +a;b,c`: ABC commands inline (commas for spaces), so no script path is involved.
    `abc -liberty ${LIB_FILE} -D ${delayPs}${constr ? ` -constr ${ABC_CONSTR_FILE}` : ''} -script +${abcScript(delayPs).map((c) => c.replace(/ /g, ',')).join(';')}`,
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

/**
 * The memories `memory_map` turned into flip-flops ("Mapping memory \q_mem in module \top:"),
 * a memory module's array by its instance (`\u_vpu.ybuf.mem` → `u_vpu.ybuf`).
 */
export function mappedMemories(lines: string[], memoryModules = false): string[] {
  const out: string[] = [];
  for (const l of lines) {
    const m = /^Mapping memory (\S+) in module /.exec(l);
    if (!m) continue;
    const name = m[1].replace(/^\\/, '');
    out.push(memoryModules ? name.replace(/\.mem$/, '') : name);
  }
  return out;
}

/** `<top>.mems.json` of the design folder: null when absent (a folder written before it existed). */
export function readMems(d: DesignFolder): MemsFile | null {
  const file = memsFileName(d.manifest.top);
  if (!(d.manifest.files ?? []).includes(file)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path.join(d.dir, file), 'utf8'));
  } catch (e) {
    throw new DesignFolderError(d.dir, file, `expected the JSON file manifest.json lists (${(e as Error).message.split('\n')[0]})`);
  }
  const problem = memsProblem(raw, d.manifest.top, new Set(d.manifest.modules.map((m) => m.name)));
  if (problem) throw new DesignFolderError(d.dir, file, problem);
  return raw as MemsFile;
}

/** The instance's name in the flattened netlist: its path below the top (`cmc_top.u_rec.bank0` → `u_rec.bank0`). */
export function flatName(instancePath: string): string {
  return instancePath.split('.').slice(1).join('.');
}

/** How the paths at a black-boxed macro's pins are constrained (report text). */
export function macroConstraints(m: MemsModule): string {
  const outs = m.pins.read.map((r) => r.data);
  const ins = [...m.pins.write.flatMap((w) => [w.enable, w.address, w.data]), ...m.pins.read.flatMap((r) => [...(r.enable ? [r.enable] : []), r.address])];
  return (
    `pins cut to ports \`<instance>.<pin>\`: ${outs.join(', ')} as inputs with an input delay of 0 ns to the clock (the macro's clock-to-output time not included), ` +
    `${ins.join(', ')} as outputs with an output delay of 0 ns (its setup time not included); both ends count as registers for the register-to-register path` +
    `${m.pins.clock ? `; ${m.pins.clock} dropped (ideal clock)` : ''}`
  );
}

/** The macro's pins as OpenSTA port patterns of its cut instances: its outputs (read data) and its inputs. */
function macroPorts(m: MemsModule): { outputs: string[]; inputs: string[] } {
  const outputs: string[] = [];
  const inputs: string[] = [];
  for (const i of m.instances.map(flatName)) {
    for (const r of m.pins.read) {
      outputs.push(`${i}.${r.data}*`);
      inputs.push(...(r.enable ? [`${i}.${r.enable}*`] : []), `${i}.${r.address}*`);
    }
    for (const w of m.pins.write) inputs.push(`${i}.${w.enable}*`, `${i}.${w.address}*`, `${i}.${w.data}*`);
  }
  return { outputs, inputs };
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
  const mapping = o.memories ?? DEFAULT_MEMORY_MAPPING;
  const mems = readMems(d);
  const macros = mapping === 'macros' && mems ? mems.modules.filter((m) => m.macroReady) : [];
  const boxes: AsicBlackBoxes = {
    modules: macros.map((m) => m.module),
    clockPorts: macros.flatMap((m) => (m.pins.clock ? m.instances.map((i) => `${flatName(i)}.${m.pins.clock}`) : [])),
  };
  const inputs = new Map(d.files);
  inputs.set(LIB_FILE, lib.text);
  const drive = abcDriveConstraints(lib);
  if (drive) inputs.set(ABC_CONSTR_FILE, `set_driving_cell ${drive.drivingCell}\nset_load ${drive.load}\n`);
  const yosysLog = path.join(d.dir, ASIC_YOSYS_LOG);
  const lines: string[] = [];
  const progress = yosysProgress(o.onProgress, 'yosys');
  o.onProgress?.(`yosys: ${macros.length ? `${macros.length} memory module(s) as black-box macros; ` : ''}synth -flatten -top ${top}; dfflibmap, abc -D ${delayPs} on ${lib.library} (${o.engine})`);
  let run;
  try {
    run = await runYosysScript({
      engine: o.engine,
      workDir: o.workDir,
      inputs,
      script: asicYosysScript([...d.files.keys()], top, delayPs, boxes, drive !== null),
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
  // No cell at all (a design that is nothing but its macros): stat prints no chip area.
  const areaUm2 = chipArea(run.outputs.get(STAT_TEXT)!) ?? (cells === 0 ? 0 : null);
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
  const cutPorts = macros.map(macroPorts);
  const sta = await runSta({
    top,
    liberty: LIB_FILE,
    netlist: ASIC_NETLIST,
    clockNs: o.clockNs,
    clockPort,
    ...(macros.length ? { macroPorts: { outputs: cutPorts.flatMap((p) => p.outputs), inputs: cutPorts.flatMap((p) => p.inputs) } } : {}),
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
  const memories = mappedMemories(lines, mems !== null);
  const messages: string[] = [];
  const asicMacros: AsicMacro[] = macros.map((m) => ({
    module: m.module,
    instances: m.instances,
    depth: m.depth,
    width: m.width,
    bits: m.bits,
    totalBits: m.bits * m.instances.length,
    ports: m.ports,
    readLatency: m.readLatency,
    constraints: macroConstraints(m),
  }));
  if (asicMacros.length > 0) {
    const n = asicMacros.reduce((s, m) => s + m.instances.length, 0);
    const bits = asicMacros.reduce((s, m) => s + m.totalBits, 0);
    messages.push(
      `${n} memory instance${n === 1 ? '' : 's'} of ${asicMacros.length} memory module${asicMacros.length === 1 ? '' : 's'} (${asicMacros.map((m) => m.module).join(', ')}; ${bits} bits) black-boxed as macros: ` +
        'the area and the timing are the logic\'s; the paths at the macro pins are constrained at 0 ns to the clock (see "macros").',
    );
  }
  // The design's memories by instance; anything else memory_map mapped is a ROM Yosys inferred
  // from a case statement (a lookup table: logic, no flip-flops).
  const instances = new Set((mems?.modules ?? []).flatMap((m) => m.instances.map(flatName)));
  const ours = mems ? memories.filter((n) => instances.has(n)) : memories;
  const roms = mems ? memories.filter((n) => !instances.has(n)) : [];
  if (ours.length > 0) {
    const why =
      mapping === 'flops' ? '--memories flops' : mems ? 'asynchronous read (readLatency 0): not macro-ready' : `no ${memsFileName(top)} in the design folder: memories not known as modules`;
    messages.push(`${ours.length} ${ours.length === 1 ? 'memory' : 'memories'} (${ours.join(', ')}) mapped to flip-flops and logic (${why}), so the area includes them as flip-flops.`);
  }
  if (roms.length > 0) messages.push(`${roms.length} ROM${roms.length === 1 ? '' : 's'} Yosys inferred from case statements (lookup tables) mapped to logic.`);
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
    if (asicMacros.length > 0) {
      messages.push('--place placed and routed the logic alone: the black-boxed memory macros are not in the die, their pins are pins of the layout, and the post-route timing treats them as plain ports (not as registers).');
    }
  }
  return {
    result: {
      liberty: { path: lib.path, library: lib.library, default: isDefault },
      clockNs: o.clockNs,
      clockPort,
      ioDelayNs: 0,
      abcDelayTargetPs: delayPs,
      abcDrive: drive,
      cells,
      flipFlops,
      latches,
      areaUm2: round(areaUm2, 3),
      cellsByType: byType,
      memoriesAsFlipFlops: memories,
      memories: mapping,
      macros: asicMacros,
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
