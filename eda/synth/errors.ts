// Errors of the synthesis flows (eda/synth). Tool problems reuse eda/tools/errors.ts.
import { DcgenError } from '../../generator/errors.ts';
import { ToolFailedError, type ToolFailedInfo, ToolMissingError } from '../tools/errors.ts';

/** Native Yosys is not on PATH: name the package, and the in-process alternative. */
export class YosysMissingError extends ToolMissingError {
  constructor() {
    super('yosys');
    this.message = `yosys not found: install the Debian package 'yosys' (apt-get install yosys), or use --engine wasm to run Yosys in WebAssembly (npm package @yowasp/yosys, no install needed)`;
  }
}

/** `--engine wasm` without the npm package that carries a tool in WebAssembly (@yowasp/yosys, @yowasp/nextpnr-ice40). */
export class WasmToolMissingError extends ToolMissingError {
  constructor(pkg: string) {
    super(pkg);
    this.message = `--engine wasm needs the npm package ${pkg}: run npm ci (or npm install ${pkg})`;
  }
}

/** A sweep was asked for something it cannot do (unknown parameter, empty value list...). */
export class SweepOptionError extends DcgenError {}

/** A --liberty file that cannot be used (missing, unreadable, not Liberty, no flip-flop...). */
export class LibertyError extends DcgenError {}

/** The default cell library is not installed: name its Debian package, and --liberty. */
export class LibertyMissingError extends ToolMissingError {
  constructor(file: string) {
    super(file);
    this.message = `${file} not found: install the Debian package '${this.debianPackage}' (apt-get install ${this.debianPackage}) or run npm start, or give another library with --liberty <file.lib>`;
  }
}

/**
 * A tool of the ASIC flow failed: one line naming the tool, how it failed, the first
 * diagnostic of its output and the log (the whole output is in the log).
 */
export class FlowToolError extends ToolFailedError {
  constructor(tool: string, info: ToolFailedInfo & { diagnostic?: string }) {
    super(tool, info);
    const how = info.timedOut ? 'timed out' : info.signal ? `killed by ${info.signal}` : info.exitCode !== undefined && info.exitCode !== 0 ? `exited with code ${info.exitCode}` : 'failed';
    const why = [info.reason, info.diagnostic].filter((s) => s !== undefined && s !== '').join(': ');
    this.message = `${tool} ${how}${why ? `: ${why}` : ''}${info.logPath ? ` (log: ${info.logPath})` : ''}`.replace(/\r?\n/g, ' ');
  }
}

/** `--place` cannot run as asked (a library qflow has no layouts for, an unusable work folder). */
export class PlaceError extends DcgenError {}
