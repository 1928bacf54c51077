// Locate the external EDA tools on PATH (no shell, no `which` binary).
import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { ToolMissingError, debianPackageFor } from './errors.ts';

export type ToolName = 'verilator' | 'iverilog' | 'vvp' | 'yosys' | 'nextpnr-ice40' | 'icepack' | 'ccache' | 'sta' | 'qflow';

export interface WhichOptions {
  /** Search this PATH string instead of process.env.PATH (mainly for tests). */
  path?: string;
}

const cache = new Map<string, Promise<string>>();

async function isExecutableFile(p: string): Promise<boolean> {
  try {
    const st = await stat(p);
    if (!st.isFile()) return false;
    await access(p, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function searchPath(cmd: string, pathVar: string): Promise<string | undefined> {
  for (const dir of pathVar.split(path.delimiter)) {
    if (dir === '') continue; // an empty entry would mean cwd: never trust that
    const candidate = path.join(dir, cmd);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Absolute path of `cmd`, or throws ToolMissingError naming the Debian package.
 * Successful look-ups are cached per (PATH, cmd); failures are not cached, so a tool
 * installed later in the same process is found.
 */
export function requireTool(cmd: ToolName, opts: WhichOptions = {}): Promise<string> {
  const pathVar = opts.path ?? process.env.PATH ?? '';
  const key = `${pathVar}\0${cmd}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const p = searchPath(cmd, pathVar).then((found) => {
    if (found === undefined) {
      cache.delete(key);
      throw new ToolMissingError(cmd);
    }
    return found;
  });
  cache.set(key, p);
  return p;
}

const VERSION_ARGS: Record<ToolName, string[] | undefined> = {
  verilator: ['--version'],
  iverilog: ['-V'],
  yosys: ['-V'],
  'nextpnr-ice40': ['--version'],
  icepack: undefined, // icepack has no version flag
  vvp: ['-V'],
  ccache: ['--version'],
  sta: ['-version'], // OpenSTA prints its version only ("2.0.17")
  qflow: undefined, // qflow has no version flag (`qflow -h` prints "version 1.3 revision 17")
};

function firstLine(text: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t !== '') return t;
  }
  return undefined;
}

/**
 * First line of the tool's version output (`--version` / `-V`). For icepack, which has
 * no version flag, the version of the Debian package that ships it (via dpkg-query),
 * or "icepack (version unknown)".
 */
export async function toolVersion(cmd: ToolName): Promise<string> {
  const exe = await requireTool(cmd);
  const args = VERSION_ARGS[cmd];
  if (args === undefined) {
    const pkg = debianPackageFor(cmd);
    const r = await execa('dpkg-query', ['-W', '-f=${Version}', pkg], { reject: false, timeout: 10_000 });
    const v = r.exitCode === 0 ? firstLine(String(r.stdout)) : undefined;
    return v ? `${cmd} (${pkg} ${v})` : `${cmd} (version unknown)`;
  }
  const r = await execa(exe, args, { reject: false, all: true, timeout: 30_000 });
  return firstLine(String(r.all ?? '')) ?? `${cmd} (version unknown)`;
}

/**
 * The environment of a tool run: the caller's, with LC_ALL=C (messages in English, stable
 * formats) and, when the temporary folder's path is not plain, TMPDIR=. (the run's own
 * folder, its cwd): iverilog and Yosys (for ABC) put TMPDIR paths into shell command lines,
 * where a space, a quote or a `$` in them breaks the run.
 */
export function toolEnv(): Record<string, string> {
  return /^[A-Za-z0-9_./-]+$/.test(os.tmpdir()) ? { LC_ALL: 'C' } : { LC_ALL: 'C', TMPDIR: '.' };
}
