// Static timing analysis of a mapped netlist with OpenSTA (`sta`, Debian package opensta):
// the Tcl script, the run, and the parse of its `report_checks` output.
//
// Constraints (the ASIC flow's assumption, stated in report.md and docs/ppa.md): one ideal
// clock of the given period on the design's clock port (a virtual clock when the design has
// none), and input and output delays of 0 ns relative to it, i.e. the logic outside the block
// is taken to be registered right at its ports. No wire load (after --place: the routed wires'
// parasitics from a SPEF file), no clock tree, typical corner. The pins of black-boxed memory
// macros, cut to ports by the synthesis (asic.ts), get the same 0 ns delays and count as
// registers for the register-to-register report: their outputs as startpoints, their inputs
// as endpoints.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { requireTool, toolVersion } from '../tools/which.ts';
import { FlowToolError } from './errors.ts';
import type { AsicPath } from './report.ts';
import { runNative } from './run.ts';

export const STA_SCRIPT = 'dcgen-sta.tcl';
/** The marker lines the script prints, so the parser finds each report and knows it finished. */
const MARK = 'dcgen-sta:';
const SECTION_ALL = 'all paths';
const SECTION_REG = 'register to register';
const DONE = 'done';

export interface StaScriptOptions {
  top: string;
  /** File names in the run folder. */
  liberty: string;
  netlist: string;
  clockNs: number;
  /** The design's clock port, or null for a virtual clock (a design without a clock). */
  clockPort: string | null;
  /** A SPEF file of the netlist's wire parasitics (after routing), read before the reports. */
  spef?: string;
  /**
   * Ports that are the cut pins of black-boxed macros, as get_ports patterns (`u_vpu.ybuf.rdata*`):
   * the macros' outputs (read data: inputs of the netlist) and their inputs (outputs of it).
   */
  macroPorts?: { outputs: string[]; inputs: string[] };
}

/** A get_ports pattern spliced into the script: `<instance path>.<pin>*`, nothing else. */
const MACRO_PORT = /^[A-Za-z_][A-Za-z0-9_.]*\*?$/;

/** The clock period as Tcl/SDC text: at most 3 decimals (1 ps), no exponent. */
export function periodText(ns: number): string {
  return String(Number(ns.toFixed(3)));
}

/**
 * The OpenSTA script. Every command runs inside one `catch`, so the first failing command
 * stops it with a `dcgen-sta: error:` line; the last line printed is `dcgen-sta: done`.
 */
export function staScript(o: StaScriptOptions): string {
  const period = periodText(o.clockNs);
  const fields = '-fields {slew cap input_pins nets fanout} -digits 3';
  const macro = o.macroPorts && (o.macroPorts.outputs.length > 0 || o.macroPorts.inputs.length > 0) ? o.macroPorts : undefined;
  for (const p of [...(macro?.outputs ?? []), ...(macro?.inputs ?? [])]) if (!MACRO_PORT.test(p)) throw new Error(`internal: macro port pattern ${JSON.stringify(p)}`);
  const regToReg = macro
    ? [
        `set dcgen_macro_out [get_ports -quiet {${macro.outputs.join(' ')}}]`,
        `set dcgen_macro_in [get_ports -quiet {${macro.inputs.join(' ')}}]`,
        'set dcgen_from [concat [all_registers -clock_pins] $dcgen_macro_out]',
        'set dcgen_to [concat [all_registers -data_pins] $dcgen_macro_in]',
        'if {[llength $dcgen_from] > 0 && [llength $dcgen_to] > 0} {',
        `  report_checks -path_delay max -from $dcgen_from -to $dcgen_to -format full ${fields}`,
        '} else { puts "No registers." }',
      ]
    : [
        'if {[llength [all_registers]] > 0} {',
        `  report_checks -path_delay max -from [all_registers -clock_pins] -to [all_registers -data_pins] -format full ${fields}`,
        '} else { puts "No registers." }',
      ];
  const body = [
    `read_liberty ${o.liberty}`,
    `read_verilog ${o.netlist}`,
    `link_design ${o.top}`,
    ...(o.spef ? [`read_spef ${o.spef}`] : []),
    // Every time below (constraints and reports) in ns, whatever the library's time_unit.
    'set_cmd_units -time ns',
    o.clockPort ? `create_clock -name clk -period ${period} [get_ports ${o.clockPort}]` : `create_clock -name clk -period ${period}`,
    o.clockPort ? `set dcgen_inputs [delete_from_list [all_inputs] [get_ports ${o.clockPort}]]` : 'set dcgen_inputs [all_inputs]',
    'if {[llength $dcgen_inputs] > 0} { set_input_delay 0 -clock clk $dcgen_inputs }',
    'if {[llength [all_outputs]] > 0} { set_output_delay 0 -clock clk [all_outputs] }',
    `puts "${MARK} ${SECTION_ALL}"`,
    `report_checks -path_delay max -format full ${fields}`,
    `puts "${MARK} ${SECTION_REG}"`,
    ...regToReg,
    `puts "${MARK} ${DONE}"`,
  ];
  return [
    `# OpenSTA script written by dcgen (dcgen synth --target asic): ${o.top}, clock ${period} ns`,
    'if {[catch {',
    ...body.map((l) => `  ${l}`),
    '} dcgen_err]} {',
    `  puts "${MARK} error: $dcgen_err"`,
    '  exit 1',
    '}',
    'exit 0',
    '',
  ].join('\n');
}

const NUM = '(-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)';

/** One `report_checks -format full` path (the text from `Startpoint:` to `slack`). */
export function parsePath(block: string): AsicPath | null {
  const start = /^Startpoint: (\S+)(?: \((.*)\))?\s*$/m.exec(block);
  const end = /^Endpoint: (\S+)(?: \((.*)\))?\s*$/m.exec(block);
  const arrival = new RegExp(`^\\s*${NUM}\\s+data arrival time\\s*$`, 'm').exec(block);
  const required = new RegExp(`^\\s*${NUM}\\s+data required time\\s*$`, 'm').exec(block);
  const slack = new RegExp(`^\\s*${NUM}\\s+slack \\((MET|VIOLATED)\\)\\s*$`, 'm').exec(block);
  if (!start || !end || !arrival || !required || !slack) return null;
  const group = /^Path Group: (\S+)/m.exec(block);
  const setup = new RegExp(`${NUM}\\s+${NUM}\\s+library setup time\\s*$`, 'm').exec(block);
  return {
    startpoint: start[1],
    startpointKind: start[2] ?? '',
    endpoint: end[1],
    endpointKind: end[2] ?? '',
    startRegister: null,
    endRegister: null,
    pathGroup: group?.[1] ?? null,
    arrivalNs: Number(arrival[1]),
    requiredNs: Number(required[1]),
    setupNs: setup ? -Number(setup[1]) : null,
    slackNs: Number(slack[1]),
    met: slack[2] === 'MET',
  };
}

/** The worst (least slack) path of one report section; null for "No paths found." or none. */
export function worstPathOf(section: string): AsicPath | null {
  let worst: AsicPath | null = null;
  const blocks = section.split(/^(?=Startpoint: )/m).filter((b) => b.startsWith('Startpoint: '));
  for (const b of blocks) {
    const p = parsePath(b);
    if (!p) throw new Error(`unreadable report_checks path:\n${b.slice(0, 2000)}`);
    if (!worst || p.slackNs < worst.slackNs) worst = p;
  }
  return worst;
}

export interface StaParsed {
  /** The worst of every constrained path (register, input and output paths). */
  all: AsicPath | null;
  /** The worst register-to-register path; null when there is none. */
  regToReg: AsicPath | null;
  warnings: string[];
}

/** The first diagnostic OpenSTA printed (`Error: ...` or the script's own error line), or null. */
export function staError(output: string): string | null {
  const lines = output.split(/\r?\n/);
  const own = lines.find((l) => l.startsWith(`${MARK} error:`));
  // A netlist cell the library lacks is only a warning to OpenSTA (a black box, untimed): here it is an error.
  const err = lines.find((l) => /^Error\b/.test(l) || /Creating black box/.test(l));
  const text = err ?? (own ? own.slice(MARK.length).trim().replace(/^error:\s*/, '') : null);
  return text === null ? null : text.replace(/^Error:\s*/, '').trim();
}

/**
 * Read the output of staScript's run. Throws Error (a parser bug or an unexpected OpenSTA)
 * when the markers or a path cannot be read; tool errors are the caller's (staError first).
 */
export function parseStaOutput(output: string): StaParsed {
  const text = `\n${output.replace(/\r\n/g, '\n')}\n`;
  const at = (name: string) => text.indexOf(`\n${MARK} ${name}\n`);
  const iAll = at(SECTION_ALL);
  const iReg = at(SECTION_REG);
  const iDone = at(DONE);
  if (iAll < 0 || iReg < iAll || iDone < iReg) throw new Error('the OpenSTA output lacks the dcgen-sta section markers');
  const all = worstPathOf(text.slice(iAll, iReg));
  const regToReg = worstPathOf(text.slice(iReg, iDone));
  const warnings = text.split('\n').filter((l) => /^Warning\b/.test(l));
  return { all, regToReg, warnings };
}

export interface StaRunOptions extends StaScriptOptions {
  workDir: string;
  logPath: string;
  timeoutMs?: number;
  onProgress?: (line: string) => void;
}

export interface StaRun extends StaParsed {
  version: string;
  script: string;
}

/** Write the script into workDir, run `sta` there, and parse what it reports. */
export async function runSta(o: StaRunOptions): Promise<StaRun> {
  const exe = await requireTool('sta');
  const version = `OpenSTA ${await toolVersion('sta')}`;
  const script = staScript(o);
  await writeFile(path.join(o.workDir, STA_SCRIPT), script);
  const lines: string[] = [];
  const args = ['-no_init', '-no_splash', '-exit', STA_SCRIPT];
  const { exitCode } = await runNative('sta', exe, args, {
    cwd: o.workDir,
    logPath: o.logPath,
    timeoutMs: o.timeoutMs,
    header: [`# ${STA_SCRIPT}:`, ...script.trimEnd().split('\n').map((l) => `#   ${l}`)].join('\n'),
    onLine: (l) => {
      lines.push(l);
      if (o.onProgress && (/^(Error|Warning)\b/.test(l) || l.startsWith(MARK))) o.onProgress(`sta: ${l}`);
    },
  });
  const output = lines.join('\n');
  const diagnostic = staError(output);
  if (exitCode !== 0 || diagnostic) throw new FlowToolError('sta', { exitCode, logPath: o.logPath, diagnostic: diagnostic ?? 'no diagnostic printed' });
  if (!output.includes(`${MARK} ${DONE}`)) throw new FlowToolError('sta', { exitCode, logPath: o.logPath, reason: 'the script did not finish' });
  try {
    return { ...parseStaOutput(output), version, script };
  } catch (e) {
    throw new FlowToolError('sta', { exitCode, logPath: o.logPath, reason: `unreadable report (${(e as Error).message.split('\n')[0]})` });
  }
}
