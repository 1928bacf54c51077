// Test hooks for the file-system layer (generator/io/fs.ts), so that tests can reproduce a full
// disk or a killed run without a real full disk or a real crash. Both are inert unless their
// environment variable is set (tests set them on the dcgen child process) or a test installs a
// plan in-process.
//
//   DCGEN_TEST_FAULTS='<op>:<substring>:<CODE>[,...]'
//       the first <op> (write, mkdir, rename, exchange, rm, open) on a path containing
//       <substring> fails with errno <CODE> (ENOSPC, EXDEV, EPERM, ...). `*` matches any path.
//   DCGEN_TEST_KILL_AT='<step>'
//       the process kills itself with SIGKILL on reaching the named step (see killPoint calls:
//       replace:staged, replace:old-moved, replace:exchanged, file:staged).
//   DCGEN_TEST_NO_EXCHANGE=1
//       behave as on a kernel or file system without renameat2(RENAME_EXCHANGE).
import { constants } from 'node:os';

export type FsOp = 'write' | 'mkdir' | 'rename' | 'exchange' | 'rm' | 'open';

export interface Fault {
  op: FsOp;
  /** The fault hits paths that contain this; `*` hits every path. */
  match: string;
  code: string;
}

let plan: Fault[] | undefined;

function envPlan(): Fault[] {
  const text = process.env.DCGEN_TEST_FAULTS ?? '';
  return text
    .split(',')
    .filter((s) => s.trim() !== '')
    .map((s) => {
      const [op, match, code] = s.split(':');
      return { op: op as FsOp, match: match ?? '*', code: code ?? 'EIO' };
    });
}

/** Replace the fault plan of this process (tests); `undefined` goes back to the environment's. */
export function setFaults(faults: Fault[] | undefined): void {
  plan = faults;
}

/** Throw the injected error if a fault is planned for `op` on `file`. */
export function injectFault(op: FsOp, file: string): void {
  const faults = plan ?? envPlan();
  const f = faults.find((x) => x.op === op && (x.match === '*' || file.includes(x.match)));
  if (!f) return;
  const errno = (constants.errno as Record<string, number>)[f.code] ?? 5;
  throw Object.assign(new Error(`${f.code}: injected fault, ${op} '${file}'`), { code: f.code, errno: -errno, syscall: op, path: file });
}

/** Kill this process at `step` when DCGEN_TEST_KILL_AT names it (a run killed between two steps). */
export function killPoint(step: string): void {
  if (process.env.DCGEN_TEST_KILL_AT === step) process.kill(process.pid, 'SIGKILL');
}

export function exchangeDisabled(): boolean {
  return process.env.DCGEN_TEST_NO_EXCHANGE === '1';
}
