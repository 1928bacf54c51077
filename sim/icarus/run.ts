// Icarus second opinion: compile the generated testbench with the design (`iverilog -g2005`)
// and run it (`vvp`) on the same stimulus file as the Verilator harness.
//
// The testbench writes its records as text lines (Verilog-2005 has no portable binary
// output), one record per line, in the same order as the harness's binary records:
//   O <out-stream index> <cycle> <hex field>...   output transaction (fields in layout order)
//   A <in-stream index> <cycle>                   input beat accepted
//   S <cycle> <hex port>...                       sample of the non-stream outputs
//   P <out-stream index> <cycle> <code>           protocol violation (1 valid withdrawn, 2 payload changed)
//   E <cycles run> <0 done | 1 cycle limit> <completion cycle>
// Hex values are the port's bits (%h); x/z digits mark unknown bits.
import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { ToolFailedError } from '../../eda/tools/errors.ts';
import { requireTool, toolEnv } from '../../eda/tools/which.ts';
import { type SimDesign, loadDesign } from '../cosim/design.ts';
import { type Response, ResponseFormatError, VIOLATION_CODES, emptyResponse } from '../stimulus/format.ts';
import type { Layout, LayoutPort } from '../stimulus/layout.ts';
import { toSigned } from '../stimulus/rng.ts';
import { TB_TOP, renderTestbench } from './tb.ts';

const TIMEOUT_MS = 30 * 60 * 1000;
/** Subfolder of the work folder that holds copies of the design's sources. */
const SRC_DIR = 'src';
/** Names in the work folder for the stimulus and response when their own paths are not plain. */
const STIM_COPY = 'dcgen-stim.bin';
const RESP_COPY = 'dcgen-resp.txt';

/** `to` relative to `from` if that is a plain ASCII path (letters, digits, `_ . / -`), else undefined. */
function plainRelative(from: string, to: string): string | undefined {
  const rel = path.relative(from, to);
  return /^[A-Za-z0-9_.][A-Za-z0-9_./-]*$/.test(rel) ? rel : undefined;
}

export interface IcarusRunOptions {
  stimPath: string;
  /** Text response file to write. */
  respPath: string;
  /** Folder for the testbench and the compiled simulation (default: the response's folder). */
  workDir?: string;
  expect?: Record<string, number>;
  maxCycles?: number;
  minCycles?: number;
  drain?: number;
  sample?: boolean;
  timeoutMs?: number;
}

export interface IcarusRun {
  response: Response;
  stallReport?: string;
  ms: number;
}

function parseHex(text: string, port: Pick<LayoutPort, 'width' | 'signed'>): { value: bigint; unknown: boolean } {
  if (!/^[0-9a-fA-FxXzZ]+$/.test(text)) throw new ResponseFormatError(`icarus response: bad value '${text}'`);
  const unknown = /[xXzZ]/.test(text);
  let v = BigInt(`0x${text.replace(/[xXzZ]/g, '0')}`);
  v &= (1n << BigInt(port.width)) - 1n;
  return { value: port.signed ? toSigned(v, port.width) : v, unknown };
}

/** Parse the testbench's text records into a Response. */
export function parseIcarusResponse(layout: Layout, text: string): Response {
  const r = emptyResponse(layout);
  let ended = false;
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  for (const line of lines) {
    const t = line.trim().split(/\s+/);
    const num = (i: number) => {
      const s = t[i];
      if (s === undefined || !/^-?\d+$/.test(s)) throw new ResponseFormatError(`icarus response: bad line '${line}'`);
      return Number(s);
    };
    switch (t[0]) {
      case 'O': {
        const s = layout.outStreams[num(1)];
        if (!s || t.length !== 3 + s.fields.length) throw new ResponseFormatError(`icarus response: bad line '${line}'`);
        const fields: Record<string, bigint> = {};
        const unknown: string[] = [];
        s.fields.forEach((f, i) => {
          const v = parseHex(t[3 + i]!, f);
          fields[f.name] = v.value;
          if (v.unknown) unknown.push(f.name);
        });
        const list = r.out[s.name]!;
        list.push({ index: list.length, cycle: num(2), fields, ...(unknown.length ? { unknown } : {}) });
        break;
      }
      case 'A': {
        const s = layout.inStreams[num(1)];
        if (!s) throw new ResponseFormatError(`icarus response: bad line '${line}'`);
        r.accepted[s.name]!.push(num(2));
        break;
      }
      case 'S': {
        if (t.length !== 2 + layout.samplePorts.length) throw new ResponseFormatError(`icarus response: bad line '${line}'`);
        const values: Record<string, bigint> = {};
        const unknown: string[] = [];
        layout.samplePorts.forEach((p, i) => {
          const v = parseHex(t[2 + i]!, p);
          values[p.port] = v.value;
          if (v.unknown) unknown.push(p.port);
        });
        r.samples.push({ cycle: num(1), values, ...(unknown.length ? { unknown } : {}) });
        break;
      }
      case 'P': {
        const s = layout.outStreams[num(1)];
        const violation = VIOLATION_CODES[num(3)];
        if (!s || !violation) throw new ResponseFormatError(`icarus response: bad line '${line}'`);
        r.protocol.push({ stream: s.name, cycle: num(2), violation });
        break;
      }
      case 'E':
        r.cycles = num(1);
        r.status = num(2) === 0 ? 'done' : 'cycle-limit';
        r.doneCycle = num(3);
        ended = true;
        break;
      default:
        throw new ResponseFormatError(`icarus response: bad line '${line}'`);
    }
  }
  if (!ended) throw new ResponseFormatError('icarus response: no end record (the testbench did not finish)');
  return r;
}

/** Compile and run the Icarus testbench of `dirOrDesign` on `opts.stimPath`. */
export async function runIcarus(dirOrDesign: string | SimDesign, opts: IcarusRunOptions): Promise<IcarusRun> {
  const design = typeof dirOrDesign === 'string' ? await loadDesign(dirOrDesign) : dirOrDesign;
  const layout = design.layout;
  for (const k of Object.keys(opts.expect ?? {})) {
    if (!layout.outStreams.some((s) => s.name === k)) throw new Error(`expect: '${k}' is not an output stream of ${layout.top}`);
  }
  const iverilog = await requireTool('iverilog');
  const vvp = await requireTool('vvp');
  const work = path.resolve(opts.workDir ?? path.dirname(path.resolve(opts.respPath)));
  await mkdir(path.join(work, SRC_DIR), { recursive: true });
  const tbPath = path.join(work, `${TB_TOP}.v`);
  const simPath = path.join(work, `${TB_TOP}.vvp`);
  await writeFile(tbPath, renderTestbench(layout));
  // Icarus writes every source path into the .vvp file, in double quotes, and vvp cannot read
  // it back if a path holds a '"' (or a newline): compile in `work` from plain relative names
  // only, with the design's sources copied in beside the testbench.
  for (const s of design.sources) await writeFile(path.join(work, SRC_DIR, s.name), s.text);
  const nbytes = (await stat(opts.stimPath)).size;
  const t0 = performance.now();
  const c = await execa(iverilog, ['-g2005', '-s', TB_TOP, '-P', `${TB_TOP}._NBYTES=${nbytes}`, '-o', `${TB_TOP}.vvp`, `${TB_TOP}.v`, ...design.sources.map((s) => `${SRC_DIR}/${s.name}`)], {
    cwd: work,
    reject: false,
    all: true,
    stdin: 'ignore',
    timeout: TIMEOUT_MS,
    env: toolEnv(),
  });
  if (c.exitCode !== 0) {
    throw new ToolFailedError('iverilog', { exitCode: c.exitCode, signal: c.signal, timedOut: c.timedOut, output: String(c.all ?? c.message), reason: `compiling the testbench ${tbPath}` });
  }
  // vvp mangles non-ASCII bytes in a +plusarg string (é reads as \377\377): the testbench gets
  // the stimulus and response files relative to `work` (vvp runs there), or, when that relative
  // path is not plain, copies under plain names in `work`.
  const respPath = path.resolve(opts.respPath);
  let stimArg = plainRelative(work, path.resolve(opts.stimPath));
  if (stimArg === undefined) {
    stimArg = STIM_COPY;
    await copyFile(opts.stimPath, path.join(work, STIM_COPY));
  }
  const respArg = plainRelative(work, respPath) ?? RESP_COPY;
  const args = ['-n', `${TB_TOP}.vvp`, `+stim=${stimArg}`, `+resp=${respArg}`, `+max_cycles=${opts.maxCycles ?? 100_000}`, `+min_cycles=${opts.minCycles ?? 0}`, `+drain=${opts.drain ?? 0}`];
  for (const s of layout.outStreams) args.push(`+expect_${s.name}=${opts.expect?.[s.name] ?? 0}`);
  if (opts.sample) args.push('+sample');
  const r = await execa(vvp, args, { cwd: work, reject: false, all: true, stdin: 'ignore', timeout: opts.timeoutMs ?? TIMEOUT_MS, env: toolEnv() });
  const out = String(r.all ?? '');
  if (r.exitCode !== 0 || /dcgen tb: (?!cycle limit)/.test(out)) {
    throw new ToolFailedError('vvp', { exitCode: r.exitCode, signal: r.signal, timedOut: r.timedOut, output: out || r.message, reason: `running ${simPath}` });
  }
  if (respArg === RESP_COPY) await copyFile(path.join(work, RESP_COPY), respPath);
  const response = parseIcarusResponse(layout, await readFile(respPath, 'utf8'));
  const stall = /dcgen tb: cycle limit[\s\S]*/.exec(out);
  return { response, stallReport: response.status === 'cycle-limit' ? (stall?.[0].trim() ?? out.trim()) : undefined, ms: performance.now() - t0 };
}
