// The printed tables of `dcgen eval ditto`: classes and bit operations, compute-unit cycles, Defo,
// and the exactness lines, all from the result that is also written as JSON (run.ts), and with
// --rtl the clips through the ditto_top RTL (rtl.ts).
import { SAT16 } from '../../golden/ditto/defo.ts';
import { pct, table, times } from '../common.ts';
import type { DittoEvalResult } from './run.ts';
import type { DittoRtlResult } from './rtl.ts';
import { resolveTopParams } from '../../cases/ditto/top.ts';

export function dittoTables(r: DittoEvalResult): string[] {
  const c = r.config;
  const out: string[] = [];
  out.push(`Ditto temporal differences: ${c.frames} steps, int8 activations, L0 768→${c.outputs} (GELU) and L1 ${c.outputs}→${c.outputs}; statistics over steps 2..${c.frames}`);
  out.push('');
  const s1 = [['dataset', 'layer', 'K', 'ZERO %', 'LOW %', 'FULL %', '≤4 bits %', 'orig ZERO %', 'orig ≤4 bits %', 'BOPs diff/dense %', 'BOPs saved %', 'BOPs orig/dense %']];
  for (const d of r.datasets) {
    for (const l of d.layers) {
      s1.push([d.name, l.layer, String(l.K), pct(l.diff.zero), pct(l.diff.low), pct(l.diff.full), pct(l.diff.within4), pct(l.orig.zero), pct(l.orig.within4), pct(l.bops.diffVsDense), l.bops.diffReductionPct.toFixed(2), pct(l.bops.origVsDense)]);
    }
  }
  s1.push(['paper (7 models)', '-', '-', r.paper.zeroPct.toFixed(2), '-', '-', r.paper.within4Pct.toFixed(2), '-', '-', (100 - r.paper.bopsReductionPct).toFixed(2), r.paper.bopsReductionPct.toFixed(2), '-']);
  out.push(...table(s1, 2), '');
  out.push(`Compute-unit cycles (SPEC §1.4): ${c.rows} PE rows x ${c.outputs} columns, L = ${c.lanes} lanes, latency ${c.latency} per tile; sums over steps 2..${c.frames}`);
  out.push('');
  const s2 = [['dataset', 'layer', 'diff cycles', 'orig cycles', 'dense cycles', 'diff vs dense', 'diff vs orig', 'diff vs dense (L=inf)']];
  for (const d of r.datasets) {
    for (const l of d.layers) {
      s2.push([d.name, l.layer, String(l.cycles.diff), String(l.cycles.orig), String(l.cycles.dense), times(l.cycles.speedupVsDense), times(l.cycles.speedupVsOrig), times(l.cycles.speedupVsDensePacking)]);
    }
  }
  s2.push(['paper', '-', '-', '-', '-', `up to ${times(r.paper.speedupUpTo, 1)}`, '-', '-']);
  out.push(...table(s2, 2), '');
  out.push(`Defo per layer (step 1 original, step 2 difference, decision from step 3); cycles over steps 1..${c.frames}`);
  out.push('');
  const s3 = [['dataset', 'layer', 'cycle_act', 'cycle_diff', 'picks', 'Defo cycles', 'all-orig', 'all-diff', 'dense']];
  for (const d of r.datasets) {
    for (const l of d.layers) {
      const sat = (v: number) => `${v}${v === SAT16 ? ' (sat)' : ''}`;
      s3.push([d.name, l.layer, sat(l.defo.cycleAct), sat(l.defo.cycleDiff), l.defo.picks, String(l.defo.scheduleCycles), String(l.defo.allOrigCycles), String(l.defo.allDiffCycles), String(l.defo.denseCycles)]);
    }
  }
  out.push(...table(s3, 2), '');
  for (const d of r.datasets) {
    out.push(
      `exact (${d.name}): ${d.check.exact ? 'yes' : 'NO'} — steps 1..${d.check.steps}, ${d.check.tokens} tokens, both layers, golden encoder/PE/VPU vs dense integer; ` +
        `fast statistics = golden model: ${d.check.modelsAgree ? 'yes' : 'NO'} (${d.check.goldenWords} words)`,
    );
  }
  return out;
}

export function dittoRtlTable(r: DittoRtlResult): string[] {
  const p = resolveTopParams(r.config.params as never);
  const head = ['clip', 'layer', 'bit-exact', 'cycle model', 'RTL cycles', 'bound', 'RTL / bound', 'dense', 'RTL vs dense', 'bound vs dense'];
  const rows: string[][] = [head];
  for (const c of r.clips) {
    for (const l of c.layers) {
      rows.push([c.clip, l.layer, c.bitExact ? 'yes' : 'NO', c.cycleModelExact ? 'exact' : 'NO', String(l.diff.rtl), String(l.diff.bound), l.diff.rtlVsBound.toFixed(3), String(l.diff.dense), times(l.diff.speedupVsDense), times(l.diff.boundSpeedupVsDense)]);
    }
  }
  return [
    `ditto_top RTL (Verilator): first ${r.config.steps} frames x ${r.config.tokens} tokens; ${p.rows} rows x ${p.cols} columns, L = ${p.lanes} lanes; step 1 original, steps 2..${r.config.steps} differences (the sums below); free running; column tiles per weight load: ${r.config.tilesPerLoad.map((n, l) => `L${l} ${n}`).join(', ')}`,
    'bound = SPEC §1.4 per column tile: max over rows of Σ max(words, ceil(K/L)); dense = ceil(M/R)·ceil(K/2) per column tile',
    '',
    ...table(rows, 2),
  ];
}
