// Errors of the synthesis flows (eda/synth). Tool problems reuse eda/tools/errors.ts.
import { DcgenError } from '../../generator/errors.ts';
import { ToolMissingError } from '../tools/errors.ts';

/** Native Yosys is not on PATH: name the package, and the in-process alternative. */
export class YosysMissingError extends ToolMissingError {
  constructor() {
    super('yosys');
    this.message = `yosys not found: install the Debian package 'yosys' (apt-get install yosys), or use --engine wasm to run Yosys in WebAssembly (npm package @yowasp/yosys, no install needed)`;
  }
}

/** `--engine wasm` without the npm package that carries Yosys in WebAssembly. */
export class WasmYosysMissingError extends ToolMissingError {
  constructor() {
    super('@yowasp/yosys');
    this.message = '--engine wasm needs the npm package @yowasp/yosys: run npm ci (or npm install @yowasp/yosys)';
  }
}

/** A sweep was asked for something it cannot do (unknown parameter, empty value list...). */
export class SweepOptionError extends DcgenError {}
