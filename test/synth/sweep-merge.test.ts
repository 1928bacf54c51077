// Sharded PPA sweeps as users run them (`node bin/dcgen.mjs sweep ... --shard k/n`, then
// `sweep --merge`): common.fifo at depth 2, 4, 8 (width 4, generic Yosys, about 1 s a point). The
// joined CSV and SVG equal the unsharded run's byte for byte; shares given twice, left out, or of
// another sweep are refused.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { shardPoints } from '../../eda/synth/sweep.ts';
import { parseCsv } from '../../eda/synth/sweep-merge.ts';
import { type Run, dcgen, expectUserError, tempRoot } from '../support/cli.ts';

const T = 240_000;
const root = tempRoot('dcgen-sweep-merge-');
const SWEEP = ['sweep', 'common.fifo', '--vary', 'depth=2,4,8', '--set', 'width=4'];
const sweeps = path.join(root, 'rtl-out', 'sweeps');

function run(args: string[]): Promise<Run> {
  return dcgen(args, { cwd: root, env: { CI: 'true' } });
}

let whole: { csv: string; svg: string; stem: string };
const share = (k: number, n: number) => path.join(sweeps, `${whole.stem}-shard${k}of${n}.csv`);

beforeAll(async () => {
  // the two shares side by side (disjoint points), then the unsharded sweep
  const shares = await Promise.all([run([...SWEEP, '--shard', '1/2']), run([...SWEEP, '--shard', '2/2'])]);
  for (const r of shares) expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(shares[0]!.stdout).toMatch(/^sweep common\.fifo: 2 points \(share 1\/2 of 3\), 0 failed$/m);
  expect(shares[1]!.stdout).toMatch(/^sweep common\.fifo: 1 points \(share 2\/2 of 3\), 0 failed$/m);
  const r = await run(SWEEP);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const csv = /^csv: (.*)$/m.exec(r.stdout)![1]!;
  whole = { csv: path.resolve(root, csv), svg: path.resolve(root, csv.replace(/\.csv$/, '.svg')), stem: path.basename(csv, '.csv') };
}, T);

describe('dcgen sweep --shard k/n', () => {
  it('share k/n runs the points i with i mod n = k-1; each row names its sweep', () => {
    expect(shardPoints(5, { k: 2, n: 2 })).toEqual([1, 3]);
    expect(shardPoints(2, { k: 3, n: 3 })).toEqual([]);
    const [header, ...rows] = parseCsv(readFileSync(share(1, 2), 'utf8'));
    expect(header!.slice(-4)).toEqual(['design', 'target', 'sweep_hash', 'sweep_points']);
    expect(rows.map((r) => [r[0], r[1]])).toEqual([
      ['0', '2'],
      ['2', '8'],
    ]);
    const hash = whole.stem.slice('common.fifo-'.length);
    for (const r of rows) expect(r.slice(-4)).toEqual(['common.fifo', 'generic', hash, '3']);
    expect(parseCsv(readFileSync(share(2, 2), 'utf8')).slice(1).map((r) => r[1])).toEqual(['4']);
    expect(readFileSync(share(2, 2).replace(/\.csv$/, '.svg'), 'utf8')).toContain('1 point(s) (share 2/2 of 3)');
  });
});

describe('dcgen sweep --merge', () => {
  it('shares 1/2 and 2/2 join into the unsharded CSV and SVG, byte for byte', async () => {
    const r = await run(['sweep', '--merge', share(2, 2), share(1, 2), '--out', path.join(root, 'joined.csv')]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^sweep --merge: 2 files of sweep common\.fifo-[0-9a-f]{10} \(generic, 3 points\)$/m);
    expect(r.stdout).toMatch(/^sweep common\.fifo: 3 points, 0 failed$/m);
    expect(readFileSync(path.join(root, 'joined.csv'), 'utf8')).toBe(readFileSync(whole.csv, 'utf8'));
    expect(readFileSync(path.join(root, 'joined.svg'), 'utf8')).toBe(readFileSync(whole.svg, 'utf8'));
    // a share without points (more shares than points) holds the header only and joins too
    const empty = path.join(root, 'empty.csv');
    writeFileSync(empty, `${readFileSync(whole.csv, 'utf8').split('\n')[0]}\n`);
    const e = await run(['sweep', '--merge', share(1, 2), empty, share(2, 2), '--out', path.join(root, 'joined2.csv')]);
    expect(e.code, e.stdout + e.stderr).toBe(0);
    expect(readFileSync(path.join(root, 'joined2.csv'), 'utf8')).toBe(readFileSync(whole.csv, 'utf8'));
    expectUserError(await run(['sweep', '--merge', empty]), /--merge: no share holds a point, so the sweep cannot be told/);
    // without --out: the unsharded run's own file names
    const d = await run(['sweep', '--merge', share(1, 2), share(2, 2)]);
    expect(d.code, d.stdout + d.stderr).toBe(0);
    expect(d.stdout).toContain(`csv: ${path.join('rtl-out', 'sweeps', `${whole.stem}.csv`)}`);
  }, T);

  it('a share given twice or left out: exit 1 naming the points, nothing written', async () => {
    const twice = await run(['sweep', '--merge', share(1, 2), share(1, 2), share(2, 2), '--out', path.join(root, 'twice.csv')]);
    expect(twice.code, twice.stdout + twice.stderr).toBe(1);
    expect(twice.stdout).toContain('cannot merge: the files do not hold every point of the sweep exactly once:');
    expect(twice.stdout).toMatch(/- 2 points are in more than one file \(a share given twice\?\): point 0 \(depth=2\) in '.*shard1of2\.csv' and '.*shard1of2\.csv'; point 2 \(depth=8\)/);
    const missing = await run(['sweep', '--merge', share(1, 2), '--out', path.join(root, 'missing.csv')]);
    expect(missing.code, missing.stdout + missing.stderr).toBe(1);
    expect(missing.stdout).toMatch(/- 1 of the 3 points is in no file \(a share left out\?\): point 1$/m);
    for (const f of ['twice.csv', 'twice.svg', 'missing.csv', 'missing.svg']) expect(existsSync(path.join(root, f))).toBe(false);
  }, T);

  it('shares of another sweep, foreign files and bad options: exit 2, one error line', async () => {
    const other = await run(['sweep', 'common.fifo', '--vary', 'depth=2,4', '--set', 'width=4', '--shard', '2/2']);
    expect(other.code, other.stdout + other.stderr).toBe(0);
    const otherCsv = path.resolve(root, /^csv: (.*)$/m.exec(other.stdout)![1]!);
    const old = path.join(root, 'old.csv');
    writeFileSync(old, readFileSync(whole.csv, 'utf8').split('\n').map((l) => l.split(',').slice(0, -4).join(',')).join('\n'));
    const runs = await Promise.all([
      run(['sweep', '--merge', share(1, 2), otherCsv]),
      run(['sweep', '--merge', share(1, 2), old]),
      run(['sweep', '--merge', share(1, 2), whole.svg]),
      run(['sweep', '--merge', share(1, 2), path.join(root, 'none.csv')]),
      run(['sweep', '--merge', share(1, 2), share(2, 2), '--target', 'ice40']),
      run(['sweep', 'common.fifo', '--merge', share(1, 2)]),
      run([...SWEEP, '--out', path.join(root, 'x.csv')]),
      run([...SWEEP, '--shard', '3/2']),
    ]);
    expectUserError(runs[0]!, /--merge: '.*shard2of2\.csv' is not a share of the same sweep as '.*shard1of2\.csv': sweep_hash [0-9a-f]{10} there, [0-9a-f]{10} here/);
    expectUserError(runs[1]!, /old\.csv': not a sweep CSV of this dcgen: expected the columns point, <varied parameters>, status.*older dcgen/);
    expectUserError(runs[2]!, /\.svg': not a sweep CSV of this dcgen: malformed CSV/);
    expectUserError(runs[3]!, /cannot read '.*none\.csv': no such file or folder/);
    expectUserError(runs[4]!, /--target cannot be combined with --merge/);
    expectUserError(runs[5]!, /unexpected argument 'common\.fifo' for 'dcgen sweep --merge'/);
    expectUserError(runs[6]!, /--out is for --merge only/);
    expectUserError(runs[7]!, /--shard '3\/2': expected k\/n with 1 <= k <= n.*every 4th point/);
  }, T);
});
