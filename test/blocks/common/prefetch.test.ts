// common/prefetch.ts: a synchronous (macro-ready) read with an asynchronous read's timing, for
// a table walked by an address register. Checked cycle by cycle in Verilator against a model of
// the asynchronous read, with writes landing on the address being stepped to; the same module
// without the write forwarding must fail the same check (the check sees the hazard).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prefetchedRead } from '../../../generator/blocks/common/prefetch.ts';
import { type Expr, type HwModule, bit, module, mux, uint } from '../../../generator/dsl/index.ts';
import { emitDesign } from '../../../generator/emit/design.ts';
import { writeFilesAtomically } from '../../../generator/emit/write.ts';
import { runCosim } from '../../../sim/cosim/index.ts';
import { tempRoot } from '../../support/cli.ts';

const T = 300_000;
const tmp = tempRoot('dcgen-prefetch-test-');
const DEPTH = 8;

/** An address register stepped by `step` (wrapping), cleared by `restart`; q = mem[addr]. */
function walker(name: string, forward: boolean): HwModule {
  return module(name, (m) => {
    const step = m.input('step', bit());
    const restart = m.input('restart', bit());
    const we = m.input('we', bit());
    const wa = m.input('wa', uint(3));
    const wd = m.input('wd', uint(8));
    const mem = m.memory('table', { depth: DEPTH, type: uint(8) });
    m.sync(() => m.when(we, () => mem.write(wa, wd)));
    const addr = m.reg('addr', uint(3), { reset: 0 });
    const next = m.wire('addr_next', mux(restart, m.const(uint(3), 0), mux(step, addr.add(1).trunc(3), addr)));
    m.sync(() => addr.set(next));
    let q: Expr;
    if (forward) q = prefetchedRead(m, 'q_word', mem, next, { en: we, addr: wa, data: wd });
    else {
      const rd = m.reg('q_word_rdata', uint(8));
      m.sync(() => rd.set(mem.read(next)));
      q = rd;
    }
    m.output('addr_q', addr);
    m.output('q', q);
  });
}

type Row = Record<'step' | 'restart' | 'we' | 'wa' | 'wd', number>;

/** The asynchronous read: q = mem[addr] before each edge (left out while that word is undefined). */
function model(rows: Row[], resetCycles: number): Record<string, bigint>[] {
  const mem: (number | undefined)[] = Array(DEPTH).fill(undefined);
  let addr = 0;
  const edge = (x: Row) => {
    if (x.we) mem[x.wa] = x.wd;
    addr = x.restart ? 0 : x.step ? (addr + 1) % DEPTH : addr;
  };
  const idle: Row = { step: 0, restart: 0, we: 0, wa: 0, wd: 0 };
  for (let i = 0; i < resetCycles; i++) edge(idle);
  return rows.map((x) => {
    const s: Record<string, bigint> = { addr_q: BigInt(addr) };
    const w = mem[addr];
    if (w !== undefined) s.q = BigInt(w);
    edge(x);
    return s;
  });
}

/** Random walks whose writes often hit the address the register steps to at the same edge. */
function stimulus(n: number): Row[] {
  let state = 777;
  const rnd = (k: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((state / 2 ** 31) * k);
  };
  let addr = 0;
  return Array.from({ length: n }, () => {
    const restart = rnd(16) === 0 ? 1 : 0;
    const step = rnd(2);
    const next = restart ? 0 : step ? (addr + 1) % DEPTH : addr;
    const we = rnd(3) ? 1 : 0;
    const wa = rnd(2) ? next : rnd(DEPTH);
    addr = next;
    return { step, restart, we, wa, wd: rnd(256) };
  });
}

async function check(forward: boolean): Promise<{ ok: boolean; message: string }> {
  const name = forward ? 'pf_walker' : 'pf_walker_noforward';
  const { files } = emitDesign(walker(name, forward), { design: `test.${name}`, params: {} });
  const dir = path.join(tmp, name);
  writeFilesAtomically(dir, files);
  const rows = stimulus(600);
  const samples = model(rows, 4);
  expect(samples.filter((s) => 'q' in s).length).toBeGreaterThan(500);
  const r = await runCosim({ dir, seeds: [1], waveform: false, workDir: path.join(dir, 'work'), stimulus: () => ({ rows }), golden: () => ({ samples }) });
  return { ok: r.ok, message: r.message ?? '' };
}

describe('prefetchedRead', () => {
  it('reads synchronously (a macro-ready port) and delivers mem[addr] in the cycle addr holds, writes at the same edge included', async () => {
    const { files } = emitDesign(walker('pf_ports', true), { design: 'test.pf_ports', params: {} });
    const mems = JSON.parse(files.get('pf_ports.mems.json')!) as { modules: { module: string; macroReady: boolean }[] };
    expect(mems.modules.map((x) => [x.module, x.macroReady])).toEqual([['dcgen_mem_8x8_1r1w_r1', true]]);
    const r = await check(true);
    expect(r.ok, r.message).toBe(true);
  }, T);

  it('without the forwarding the same check fails: the stimulus hits the read-first hazard', async () => {
    const r = await check(false);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/\bq\b/);
  }, T);
});
