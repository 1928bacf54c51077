// Liberty (.lib) cell libraries for the ASIC flow: finding the default one (OSU 0.18 µm from the
// Debian package qflow-tech-osu018), checking a file given with --liberty, and the little the
// flow needs from it: the library's name, each cell's area and which cells are flip-flops or
// latches. The reader is a scanner of Liberty's group/attribute syntax (comments and strings
// skipped), not a full parser: it never evaluates tables.
import { execFile } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { quotedPath } from '../../generator/io/errors.ts';
import { LibertyError, LibertyMissingError } from './errors.ts';

/** The Debian package holding the default library, and the file's name in it. */
export const OSU018_PACKAGE = 'qflow-tech-osu018';
export const OSU018_LIBERTY = 'osu018_stdcells.lib';
/** Where qflow-tech-osu018 (Debian 12) installs it; looked up with dpkg -L when not there. */
export const OSU018_PATHS: readonly string[] = [`/usr/share/qflow/tech/osu018/${OSU018_LIBERTY}`];

export interface LibertyCell {
  name: string;
  /** The cell's `area` attribute (µm² by convention; Liberty has no unit for it). */
  area: number | null;
  /** The cell has an `ff` / `ff_bank` group (edge-triggered). */
  flipFlop: boolean;
  /** The cell has a `latch` / `latch_bank` group. */
  latch: boolean;
  /**
   * Flip-flops and latches: the output pin that carries the stored state (its `function` is
   * the ff/latch group's first variable; else the first output pin), or null.
   */
  stateOutput: string | null;
  /**
   * A non-inverting buffer (one input pin, one output pin whose function is that input, no
   * state): its input pin's capacitance (library units), or null for any other cell.
   */
  bufferInputCap: number | null;
}

export interface LibertyInfo {
  /** Absolute path of the file read. */
  path: string;
  /** The name in `library (name) { ... }`. */
  library: string;
  /** `time_unit` as written ("1ns"), or null. */
  timeUnit: string | null;
  cells: Map<string, LibertyCell>;
  /** The file's text (handed to Yosys, which reads it again). */
  text: string;
}

/** `text` with every comment (C and C++ style, outside strings) replaced by spaces. */
function stripComments(text: string): string {
  const out: string[] = [];
  let i = 0;
  let from = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '/' && text[i + 1] === '*') {
      out.push(text.slice(from, i));
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      out.push(' ');
      from = i;
    } else if (c === '/' && text[i + 1] === '/') {
      out.push(text.slice(from, i));
      const end = text.indexOf('\n', i + 2);
      i = end < 0 ? text.length : end;
      from = i;
    } else i++;
  }
  out.push(text.slice(from));
  return out.join('');
}

const GROUP_HEAD = /^([A-Za-z_][A-Za-z0-9_]*)\s*\(\s*(?:"([^"]*)"|([^)]*?))\s*\)$/s;
const ATTRIBUTE = /^([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?:"([^"]*)"|(.*?))$/s;

/**
 * Scan Liberty text. Returns null when it is not Liberty: the first group must be
 * `library (name) { ... }` and the braces must balance.
 */
export function scanLiberty(text: string, file: string): Omit<LibertyInfo, 'text'> | null {
  const src = stripComments(text).replace(/\\\r?\n/g, ' ');
  const stack: { kind: string; name: string }[] = [];
  const cells = new Map<string, LibertyCell>();
  let library: string | null = null;
  let timeUnit: string | null = null;
  let cell: LibertyCell | null = null;
  // The cell's state variable (first name in `ff (IQ, IQN)`) and its output pins with their functions.
  let stateVar: string | null = null;
  let outputs: { name: string; fn: string | null }[] = [];
  let inputs: { name: string; cap: number | null }[] = [];
  let pin: { name: string; output: boolean; fn: string | null; cap: number | null } | null = null;
  const closeCell = () => {
    if (cell && !cell.flipFlop && !cell.latch && inputs.length === 1 && outputs.length === 1 && outputs[0].fn?.replace(/[\s()]/g, '') === inputs[0].name) {
      cell.bufferInputCap = inputs[0].cap;
    }
    if (cell && (cell.flipFlop || cell.latch)) {
      const out = outputs.find((o) => stateVar !== null && o.fn !== null && o.fn.replace(/\s/g, '') === stateVar) ?? outputs[0];
      cell.stateOutput = out?.name ?? null;
    }
    cell = null;
  };
  let seg = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '"') {
      i++;
      while (i < src.length && src[i] !== '"') i += src[i] === '\\' ? 2 : 1;
    } else if (c === '{') {
      const m = GROUP_HEAD.exec(src.slice(seg, i).trim());
      if (!m) return null;
      const kind = m[1];
      const name = (m[2] ?? m[3] ?? '').trim();
      if (stack.length === 0) {
        if (kind !== 'library' || library !== null) return null;
        library = name;
      } else if (stack.length === 1 && kind === 'cell') {
        cell = { name, area: null, flipFlop: false, latch: false, stateOutput: null, bufferInputCap: null };
        cells.set(name, cell);
        stateVar = null;
        outputs = [];
        inputs = [];
      } else if (stack.length === 2 && cell && stack[1].kind === 'cell') {
        if (kind === 'ff' || kind === 'ff_bank' || kind === 'latch' || kind === 'latch_bank') {
          if (kind.startsWith('ff')) cell.flipFlop = true;
          else cell.latch = true;
          stateVar ??= name.split(',')[0].trim() || null;
        }
        if (kind === 'pin') pin = { name, output: false, fn: null, cap: null };
      }
      stack.push({ kind, name });
      seg = i + 1;
    } else if (c === '}') {
      if (stack.length === 0) return null;
      const closed = stack.pop()!;
      if (closed.kind === 'cell' && stack.length === 1) closeCell();
      if (closed.kind === 'pin' && stack.length === 2 && pin) {
        if (pin.output) outputs.push({ name: pin.name, fn: pin.fn });
        else inputs.push({ name: pin.name, cap: pin.cap });
        pin = null;
      }
      seg = i + 1;
    } else if (c === ';') {
      const m = ATTRIBUTE.exec(src.slice(seg, i).trim());
      if (m) {
        const value = (m[2] ?? m[3] ?? '').trim();
        if (stack.length === 1 && m[1] === 'time_unit') timeUnit = value;
        if (stack.length === 2 && cell && m[1] === 'area' && /^[0-9.eE+-]+$/.test(value) && Number.isFinite(Number(value))) cell.area = Number(value);
        if (stack.length === 3 && pin && m[1] === 'direction') pin.output = value === 'output' || value === 'inout';
        if (stack.length === 3 && pin && m[1] === 'function') pin.fn = value;
        if (stack.length === 3 && pin && m[1] === 'capacitance' && Number.isFinite(Number(value))) pin.cap = Number(value);
      }
      seg = i + 1;
    }
  }
  if (library === null || stack.length !== 0) return null;
  return { path: file, library, timeUnit, cells };
}

/**
 * Read and check a Liberty file: it exists, is a readable regular file, is Liberty (see
 * scanLiberty) and has at least one cell with an area and one flip-flop. Throws LibertyError
 * (a user error) naming the file and what is wrong. `what` names the file in the message.
 */
export async function readLiberty(file: string, what = '--liberty'): Promise<LibertyInfo> {
  const abs = path.resolve(file);
  const bad = (rule: string) => new LibertyError(`${what} ${quotedPath(file)}: ${rule}`);
  let st;
  try {
    st = await stat(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw bad(code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' : `cannot be read (${code ?? String(e)})`);
  }
  if (!st.isFile()) throw bad('not a regular file (expected a Liberty .lib file)');
  try {
    await access(abs, fsConstants.R_OK);
  } catch {
    throw bad('not readable (permission denied)');
  }
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (e) {
    throw bad(`cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const info = scanLiberty(text, abs);
  if (!info) throw bad('not a Liberty file (expected one "library (name) { ... }" group with balanced braces)');
  const cells = [...info.cells.values()];
  if (!cells.some((c) => c.area !== null)) throw bad(`Liberty library '${info.library}' has no cell with an area`);
  if (!cells.some((c) => c.flipFlop)) throw bad(`Liberty library '${info.library}' has no flip-flop cell (no "ff" group)`);
  return { ...info, text };
}

function dpkgList(pkg: string): Promise<string[]> {
  return new Promise((resolve) => {
    execFile('dpkg', ['-L', pkg], { timeout: 10_000 }, (err, stdout) => resolve(err ? [] : String(stdout).split('\n')));
  });
}

/**
 * The default library: OSU 0.18 µm from qflow-tech-osu018, at its known path or wherever
 * `dpkg -L` says the package put it. Throws LibertyMissingError when it is not installed.
 */
export async function defaultLibertyPath(): Promise<string> {
  for (const p of OSU018_PATHS) {
    try {
      await access(p, fsConstants.R_OK);
      return p;
    } catch {
      // not there; try the next place
    }
  }
  const listed = (await dpkgList(OSU018_PACKAGE)).find((l) => path.basename(l.trim()) === OSU018_LIBERTY);
  if (listed) return listed.trim();
  throw new LibertyMissingError(OSU018_LIBERTY);
}

/** Sum of count × cell area: the area `stat -liberty` reports, from the library's own figures. */
export function cellArea(lib: Pick<LibertyInfo, 'cells'>, byType: Record<string, number>): number {
  let sum = 0;
  for (const [t, n] of Object.entries(byType)) sum += n * (lib.cells.get(t)?.area ?? 0);
  return sum;
}

/**
 * The driving cell abc assumes for its inputs (the flip-flop outputs and the design's inputs):
 * the library's smallest non-inverting buffer, and as load on its outputs four of that
 * buffer's inputs. Without them abc takes every input as ideal and never buffers a flip-flop
 * that drives hundreds of gates (ditto_top: 8.01 ns with a 275-load flip-flop, 6.22 ns with
 * the constraint), as OpenLane's synthesis passes SYNTH_DRIVING_CELL and SYNTH_CAP_LOAD.
 */
export function abcDriveConstraints(lib: Pick<LibertyInfo, 'cells'>): { drivingCell: string; load: number } | null {
  let best: LibertyCell | null = null;
  for (const c of lib.cells.values()) {
    if (c.bufferInputCap === null || c.area === null) continue;
    if (!best || c.area < best.area! || (c.area === best.area && c.name < best.name)) best = c;
  }
  return best ? { drivingCell: best.name, load: Number((4 * best.bufferInputCap!).toPrecision(6)) } : null;
}
