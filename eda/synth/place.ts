// `dcgen synth --target asic --place`: placement and routing of the mapped netlist with Debian's
// qflow (graywolf places, qrouter routes, tech osu018), then OpenSTA again on the routed
// netlist with the wire parasitics qrouter extracted (its .rc file, turned into SPEF by qflow's
// rc2dly). The netlist is placed as the ASIC flow mapped it: qflow's own synthesis is replaced
// by a Yosys script that only reads the netlist and writes the BLIF qflow wants, and its
// fanout buffering is off (`nofanout`), so the routed cells are the synthesised ones (plus
// filler cells) and the two timings differ by the wires alone.
//
// qflow's scripts are tcsh, run in a project folder of their own (source/, synthesis/,
// layout/, log/); the files kept in the design folder are listed in ASIC_PLACE_FILES.
import { readFile, writeFile, mkdir, copyFile } from 'node:fs/promises';
import path from 'node:path';
import { ToolFailedError } from '../tools/errors.ts';
import { requireTool, toolVersion } from '../tools/which.ts';
import { FlowToolError, PlaceError } from './errors.ts';
import { cellArea, type LibertyInfo } from './liberty.ts';
import { writeFileAtomic, type AsicPath, type AsicPlaced } from './report.ts';
import { runNative } from './run.ts';
import { runSta } from './sta.ts';

export const QFLOW_TECH = 'osu018';
/** The Liberty library qflow's osu018 technology describes (its LEF has the same cells). */
export const QFLOW_LIBRARY = 'osu018_stdcells';
export const ASIC_PLACE_LOG = 'qflow.log';
export const ASIC_ROUTED_NETLIST = 'netlist-routed.v';
export const ASIC_ROUTED_DEF = 'routed.def';
export const ASIC_ROUTED_SPEF = 'routed.spef';
export const ASIC_ROUTED_STA_LOG = 'sta-routed.log';
/** Everything --place writes into the design folder. */
export const ASIC_PLACE_FILES: readonly string[] = [ASIC_PLACE_LOG, ASIC_ROUTED_NETLIST, ASIC_ROUTED_DEF, ASIC_ROUTED_SPEF, ASIC_ROUTED_STA_LOG];
const LIB_FILE = 'dcgen-cells.lib';
const YOSYS_SCRIPT = 'dcgen-qflow.ys';

export interface PlaceOptions {
  top: string;
  /** The mapped netlist (Yosys write_verilog) and the library it was mapped onto. */
  netlist: string;
  lib: LibertyInfo;
  clockNs: number;
  clockPort: string | null;
  /** A private folder: the qflow project goes into <workDir>/qflow. */
  workDir: string;
  /** The design folder: logs and outputs are written here. */
  designDir: string;
  timeoutMs?: number;
  onProgress?: (line: string) => void;
}

export interface PlaceOutcome {
  placed: AsicPlaced;
  /** Files written into the design folder (names). */
  files: string[];
  warnings: string[];
  /** The routed netlist as timed (fillers removed): for the register names of the paths. */
  routedNetlist: string;
}

/** Refuse a library qflow's technology does not describe (before anything runs). */
export function checkPlaceLibrary(lib: Pick<LibertyInfo, 'library' | 'path'>): void {
  if (lib.library !== QFLOW_LIBRARY) {
    throw new PlaceError(
      `--place runs qflow's ${QFLOW_TECH} technology, whose cell layouts (LEF) are those of the library ${QFLOW_LIBRARY}; ${lib.path} is the library ${lib.library}: use the default library (no --liberty) with --place`,
    );
  }
}

/** The Yosys script qflow runs instead of its synthesis: read the mapped netlist, write BLIF. */
export function qflowYosysScript(top: string): string {
  return [
    `read_liberty -lib -ignore_miss_dir -setattr blackbox ${LIB_FILE}`,
    `read_verilog ${top}.v`,
    `hierarchy -top ${top}`,
    // qflow's own option for constant drivers and the BLIF name it looks for.
    `write_blif -buf BUFX2 A Y ${top}_mapped.blif`,
    '',
  ].join('\n');
}

/** project_vars.sh: the script above instead of qflow's synthesis, no fanout buffering. */
export const QFLOW_PROJECT_VARS = `#!/usr/bin/tcsh -f\n# written by dcgen (synth --target asic --place)\nset yosys_options = "-s ${YOSYS_SCRIPT}"\nset nofanout\n`;

/** DEF `DIEAREA ( x0 y0 ) ( x1 y1 )` in µm (with `UNITS DISTANCE MICRONS n`). */
export function defDieArea(def: string): { widthUm: number; heightUm: number } | null {
  const units = /^UNITS DISTANCE MICRONS (\d+)\s*;/m.exec(def);
  const die = /^DIEAREA\s*\(\s*(-?\d+)\s+(-?\d+)\s*\)\s*\(\s*(-?\d+)\s+(-?\d+)\s*\)\s*;/m.exec(def);
  if (!units || !die) return null;
  const u = Number(units[1]);
  const [x0, y0, x1, y1] = die.slice(1).map(Number);
  return { widthUm: (x1 - x0) / u, heightUm: (y1 - y0) / u };
}

/** qrouter's verdict: the failed routes of its last stage (0: all routed), or null when it did not finish. */
export function failedRoutes(routeLog: string): number | null {
  const finals = [...routeLog.matchAll(/^Final: (.*)$/gm)];
  if (finals.length === 0) return null;
  const last = finals[finals.length - 1][1];
  if (/No failed routes/.test(last)) return 0;
  const m = /Failed net routes:\s*(\d+)/.exec(last);
  return m ? Number(m[1]) : null;
}

/**
 * The routed netlist qflow writes (synthesis/<top>.rtlnopwr.v) without the filler cells that
 * the library has no timing for (they have no pins), and its cells by type.
 */
export function routedNetlist(text: string, lib: Pick<LibertyInfo, 'cells'>): { text: string; byType: Record<string, number>; fillers: number } {
  const byType: Record<string, number> = {};
  let fillers = 0;
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s+\S+\s*\(/.exec(line);
    if (m && m[1] !== 'module') {
      if (!lib.cells.has(m[1])) {
        if (/\(\s*\)\s*;\s*$/.test(line)) {
          fillers++;
          continue;
        }
      } else byType[m[1]] = (byType[m[1]] ?? 0) + 1;
    }
    out.push(line);
  }
  return { text: out.join('\n'), byType: Object.fromEntries(Object.entries(byType).sort(([a], [b]) => a.localeCompare(b))), fillers };
}

/**
 * qflow's SPEF (rc2dly -D :) as OpenSTA reads it: its capacitances are in the library's unit
 * (pF) though the header says FF; its internal nodes are `<net>_<k>` where SPEF wants
 * `*<net>:<k>`; and its net names keep the BLIF's names (`acc_q[3]`, `q_mem.mem[5][0]`) where
 * the routed Verilog (blif2Verilog) has `acc_q_3_`, `q_mem_mem_5__0_`: every `[ ] . $ < >`
 * becomes `_` in a net that is not a bit of a port.
 */
export function fixQflowSpef(spef: string, netlist: string): string {
  const header = /\bmodule\s+\S+\s*\(([^)]*)\)/.exec(netlist);
  const ports = new Set((header?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  let t = spef.replace(/^\*C_UNIT 1 FF\s*$/m, '*C_UNIT 1 PF').replace(/^\*BUS_DELIMITER <>\s*$/m, '*BUS_DELIMITER []');
  t = t.replace(/(^|[ \t])(\d+)_(\d+)(?=[ \t]|$)/gm, '$1*$2:$3');
  let inMap = false;
  return t
    .split('\n')
    .map((line) => {
      if (line.startsWith('*NAME_MAP')) inMap = true;
      else if (/^\*(PORTS|D_NET|POWER_NETS|GROUND_NETS)\b/.test(line)) inMap = false;
      if (!inMap) return line;
      const m = /^(\*\d+ )(\S+)\s*$/.exec(line);
      if (!m || !/[[\].$<>]/.test(m[2])) return line;
      const bit = /^([^[\]]*)\[(\d+)\]$/.exec(m[2]);
      return bit && ports.has(bit[1]) ? line : `${m[1]}${m[2].replace(/[[\].$<>]/g, '_')}`;
    })
    .join('\n');
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));

/** Place and route `o.netlist` with qflow, then time the routed netlist with its parasitics. */
export async function placeAsic(o: PlaceOptions): Promise<PlaceOutcome> {
  checkPlaceLibrary(o.lib);
  const qflow = await requireTool('qflow');
  const version = await toolVersion('qflow');
  const proj = path.join(o.workDir, 'qflow');
  // qflow's tcsh scripts put the project path into command lines unquoted.
  if (!/^[A-Za-z0-9_./-]+$/.test(proj)) throw new PlaceError(`--place: qflow cannot work in ${proj} (a path with spaces or quotes): set TMPDIR to a plain folder`);
  for (const sub of ['source', 'synthesis', 'layout', 'log']) await mkdir(path.join(proj, sub), { recursive: true });
  const top = o.top;
  await writeFile(path.join(proj, 'source', `${top}.v`), o.netlist);
  await writeFile(path.join(proj, 'source', LIB_FILE), o.lib.text);
  await writeFile(path.join(proj, 'source', YOSYS_SCRIPT), qflowYosysScript(top));
  await writeFile(path.join(proj, 'project_vars.sh'), QFLOW_PROJECT_VARS);
  const logPath = path.join(o.designDir, ASIC_PLACE_LOG);
  const t0 = performance.now();
  o.onProgress?.(`qflow -T ${QFLOW_TECH} synthesize place route ${top} (graywolf, qrouter; the netlist as mapped)`);
  const { exitCode, tail } = await runNative('qflow', qflow, ['-T', QFLOW_TECH, 'synthesize', 'place', 'route', top], {
    cwd: proj,
    logPath,
    timeoutMs: o.timeoutMs,
    onLine: (l) => {
      if (o.onProgress && /^(Running|Final:|Progress: Stage|ERROR|Error|Premature)/.test(l)) o.onProgress(`qflow: ${l}`);
    },
  });
  // qflow's tools write their full output into log/: keep it with the run's log.
  const logs: string[] = [];
  for (const name of ['synth.log', 'place.log', 'route.log']) {
    const text = await readFile(path.join(proj, 'log', name), 'utf8').catch(() => null);
    if (text !== null) logs.push(`\n# ---- qflow log/${name} ----\n${text}`);
  }
  if (logs.length) await writeFile(logPath, logs.join(''), { flag: 'a' });
  const routeLog = await readFile(path.join(proj, 'log', 'route.log'), 'utf8').catch(() => '');
  const failed = failedRoutes(routeLog);
  if (exitCode !== 0 || failed === null) {
    const diagnostic = tail.split('\n').reverse().find((l) => /error|failure|premature/i.test(l))?.trim();
    throw new FlowToolError('qflow', { exitCode, logPath, reason: failed === null && exitCode === 0 ? 'qrouter did not finish routing' : undefined, diagnostic });
  }
  const placeSeconds = (performance.now() - t0) / 1000;

  // Parasitics: qrouter's RC trees as SPEF (the command qflow's own timing step runs).
  const vars = await readFile(path.join(proj, 'qflow_vars.sh'), 'utf8').catch(() => '');
  const bindir = /^set bindir=(\S+)/m.exec(vars)?.[1] ?? '/usr/lib/qflow/bin';
  const rc = path.join(proj, 'layout', `${top}.rc`);
  const rawSpef = path.join(proj, 'layout', `${top}.spef`);
  const r = await runNative('rc2dly', path.join(bindir, 'rc2dly'), ['-D', ':', '-r', rc, '-l', path.join(proj, 'source', LIB_FILE), '-d', rawSpef], { cwd: path.join(proj, 'layout'), logPath, append: true });
  if (r.exitCode !== 0) throw new ToolFailedError('rc2dly', { exitCode: r.exitCode, output: r.tail, logPath });
  const routedText = await readFile(path.join(proj, 'synthesis', `${top}.rtlnopwr.v`), 'utf8');
  const routed = routedNetlist(routedText, o.lib);
  const spef = fixQflowSpef(await readFile(rawSpef, 'utf8'), routed.text);
  const def = await readFile(path.join(proj, 'layout', `${top}.def`), 'utf8');
  await writeFile(path.join(proj, ASIC_ROUTED_NETLIST), routed.text);
  await writeFile(path.join(proj, ASIC_ROUTED_SPEF), spef);
  await copyFile(path.join(proj, 'source', LIB_FILE), path.join(proj, LIB_FILE));

  o.onProgress?.(`sta: the routed netlist with its wire parasitics (${ASIC_ROUTED_SPEF})`);
  const sta = await runSta({
    top,
    liberty: LIB_FILE,
    netlist: ASIC_ROUTED_NETLIST,
    spef: ASIC_ROUTED_SPEF,
    clockNs: o.clockNs,
    clockPort: o.clockPort,
    workDir: proj,
    logPath: path.join(o.designDir, ASIC_ROUTED_STA_LOG),
    timeoutMs: o.timeoutMs,
    onProgress: o.onProgress,
  });
  for (const [name, text] of [[ASIC_ROUTED_NETLIST, routed.text], [ASIC_ROUTED_SPEF, spef], [ASIC_ROUTED_DEF, def]] as const) await writeFileAtomic(path.join(o.designDir, name), text);

  const die = defDieArea(def);
  if (!die) throw new FlowToolError('qflow', { exitCode, logPath, reason: `no DIEAREA in layout/${top}.def` });
  const dieAreaUm2 = round(die.widthUm * die.heightUm, 3);
  const cellAreaUm2 = round(cellArea(o.lib, routed.byType), 3);
  const pathNs = (p: AsicPath | null) => (p ? round(o.clockNs - p.slackNs, 3) : null);
  const mhz = (ns: number | null) => (ns !== null && ns > 0 ? round(1000 / ns, 2) : null);
  const basis = sta.regToReg ?? sta.all;
  const worstPathNs = pathNs(basis);
  const worstConstrainedPathNs = pathNs(sta.all);
  const unannotated = sta.warnings.filter((w) => /not found/.test(w)).length;
  const placed: AsicPlaced = {
    tool: `qflow ${version.replace(/^qflow \(qflow (.*)\)$/, '$1')} (graywolf placement, qrouter routing, tech ${QFLOW_TECH}; no fanout buffering)`,
    seconds: round(placeSeconds, 1),
    dieWidthUm: round(die.widthUm, 3),
    dieHeightUm: round(die.heightUm, 3),
    dieAreaUm2,
    cellAreaUm2,
    utilisation: dieAreaUm2 > 0 ? round(cellAreaUm2 / dieAreaUm2, 4) : null,
    cells: Object.values(routed.byType).reduce((a, b) => a + b, 0),
    fillerCells: routed.fillers,
    failedRoutes: failed,
    parasitics: 'SPEF from qrouter (rc2dly)',
    unannotatedNets: unannotated,
    worstPathNs,
    fmaxMHz: mhz(worstPathNs),
    fmaxFrom: sta.regToReg ? 'register-to-register' : sta.all ? 'all-paths' : null,
    worstConstrainedPathNs,
    constrainedFmaxMHz: mhz(worstConstrainedPathNs),
    timingMet: sta.all ? sta.all.met : null,
    worstPath: sta.regToReg ?? sta.all,
    worstConstrainedPath: sta.all,
    netlist: ASIC_ROUTED_NETLIST,
    def: ASIC_ROUTED_DEF,
    spef: ASIC_ROUTED_SPEF,
  };
  return { placed, files: [...ASIC_PLACE_FILES], warnings: sta.warnings, routedNetlist: routed.text };
}
