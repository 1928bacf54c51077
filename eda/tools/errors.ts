// Errors raised by the wrappers around the external EDA tools (eda/tools/*). Both are user-facing
// (the environment, not dcgen, is at fault): the CLI prints them without a stack and exits 2.
import { DcgenError } from '../../generator/errors.ts';

/** Debian package that provides each command (what `apt-get install` needs). */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  verilator: 'verilator',
  iverilog: 'iverilog',
  vvp: 'iverilog',
  yosys: 'yosys',
  'nextpnr-ice40': 'nextpnr-ice40',
  icepack: 'fpga-icestorm',
  icetime: 'fpga-icestorm',
  ccache: 'ccache',
  sta: 'opensta',
  // graywolf placement and qrouter routing for `dcgen synth --target asic --place`.
  qflow: 'qflow',
  // A file, not a command: the default cell library of `dcgen synth --target asic`.
  'osu018_stdcells.lib': 'qflow-tech-osu018',
};

/** The Debian package for `cmd`; falls back to the command name itself. */
export function debianPackageFor(cmd: string): string {
  return TOOL_PACKAGES[cmd] ?? cmd;
}

/** A required command is not on PATH. */
export class ToolMissingError extends DcgenError {
  readonly tool: string;
  readonly debianPackage: string;

  constructor(tool: string) {
    const pkg = debianPackageFor(tool);
    super(
      `${tool} not found: install the Debian package '${pkg}' (apt-get install ${pkg}) or run npm start`,
    );
    this.tool = tool;
    this.debianPackage = pkg;
  }
}

const TAIL_LINES = 20;

/** Last `n` non-empty-trailing lines of a tool's output. */
export function tailLines(output: string, n: number = TAIL_LINES): string[] {
  const lines = output.replace(/\s+$/, '').split(/\r?\n/);
  if (lines.length === 1 && lines[0] === '') return [];
  return lines.slice(-n);
}

export interface ToolFailedInfo {
  /** Exit code, if the process exited normally. */
  exitCode?: number;
  /** Signal that killed the process, if any. */
  signal?: string;
  /** True when the process was killed for exceeding its time limit. */
  timedOut?: boolean;
  /** Full combined stdout+stderr of the tool. */
  output?: string;
  /** Path of a log file the tool wrote (kept on disk for inspection). */
  logPath?: string;
  /** Extra explanation (e.g. "exited non-zero without diagnostics"). */
  reason?: string;
}

/**
 * A tool ran but failed in a way that is not a diagnosable design problem
 * (crash, signal, timeout, non-zero exit without any diagnostic line).
 * The message ends with the last 20 lines of the tool's output.
 */
export class ToolFailedError extends DcgenError {
  readonly tool: string;
  readonly exitCode?: number;
  readonly signal?: string;
  readonly timedOut: boolean;
  readonly logPath?: string;
  /** Last 20 lines of the output. */
  readonly tail: string[];

  constructor(tool: string, info: ToolFailedInfo = {}) {
    const tail = tailLines(info.output ?? '');
    const how = info.timedOut
      ? 'timed out'
      : info.signal
        ? `killed by ${info.signal}`
        : info.exitCode !== undefined
          ? `exited with code ${info.exitCode}`
          : 'could not be run';
    const parts = [`${tool} ${how}`];
    if (info.reason) parts.push(`: ${info.reason}`);
    if (info.logPath) parts.push(` (log: ${info.logPath})`);
    const head = parts.join('');
    const body = tail.length > 0 ? `\n--- last ${tail.length} line(s) of output ---\n${tail.join('\n')}` : '';
    super(head + body);
    this.tool = tool;
    this.exitCode = info.exitCode;
    this.signal = info.signal;
    this.timedOut = info.timedOut ?? false;
    this.logPath = info.logPath;
    this.tail = tail;
  }
}
