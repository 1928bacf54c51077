// The printed tables of `dcgen eval cmc`: informative tokens, condensed GEMM, SAD-engine cycles
// and the golden check (run.ts), and with --rtl the segments through the cmc_top RTL (rtl.ts).
import { pct, table, times } from '../common.ts';
import { CMC_RTL_FRAMES, type CmcRtlResult } from './rtl.ts';
import type { CmcEvalResult } from './run.ts';

export function cmcTables(r: CmcEvalResult): string[] {
  const c = r.config;
  const out: string[] = [];
  const tauHead = c.taus.map((t) => `τ=${t}`);
  out.push(`CMC informative tokens (%) over ${c.frames} frames x 196 tokens; Thr = round(τ·768) (τ per element); informative iff SADmin ≥ Thr`);
  out.push('');
  const t1 = [['clip', 'setting', ...tauHead]];
  for (const cl of r.clips) for (const s of cl.settings) t1.push([cl.name, s.setting, ...s.byThreshold.map((b) => pct(b.fraction, 1))]);
  out.push(...table(t1, 2), `paper (re-implementations, G = ${r.paper.G}): about ${r.paper.skippedPct} % of tokens skipped (about ${r.paper.informativePct} % informative) on video-language workloads`, '');
  out.push(
    `Condensed GEMM (${c.gemm.K} -> ${c.gemm.Nout}, ${c.gemm.arrayRows}x${c.gemm.arrayCols} MAC array) + recovery, as % of the dense GEMM cycles on the same array`,
  );
  out.push('');
  const hi = c.taus.includes(4) ? c.taus.indexOf(4) : c.taus.length - 1;
  const t2 = [['clip', 'setting', ...tauHead, `speedup τ=${c.taus[hi]}`]];
  for (const cl of r.clips) {
    for (const s of cl.settings) {
      t2.push([cl.name, s.setting, ...s.byThreshold.map((b) => pct(b.ratio, 1)), times(s.byThreshold[hi].speedup)]);
    }
  }
  out.push(...table(t2, 2), '');
  out.push(
    `SAD engine (m = ${c.sad.m}, P = ${c.sad.lanes}, ${c.sad.elemsPerBeat} elements/beat, treeStages = ${c.sad.treeStages}): ${c.sadBeatsPerJob} beats per job; cycles = jobs x ${c.sadBeatsPerJob} + ${c.sadLatency}`,
  );
  out.push('');
  const t3 = [['setting', 'cands/token', 'jobs/token', 'jobs/segment', 'cycles/segment', 'cycles/clip', 'dense GEMM/clip', 'SAD/GEMM']];
  const first = r.clips[0];
  if (first) {
    for (const s of first.settings) {
      t3.push([s.setting, s.sad.candidatesPerToken.toFixed(2), s.sad.jobsPerToken.toFixed(2), String(s.sad.jobsPerSegment), String(s.sad.cyclesPerSegment), String(s.sad.cyclesPerClip), String(s.sad.denseGemmCyclesPerClip), times(s.sad.cyclesPerClip / s.sad.denseGemmCyclesPerClip)]);
    }
  }
  out.push(...table(t3, 1), '');
  for (const cl of r.clips) out.push(`golden check (${cl.name}): ${cl.check.ran ? (cl.check.agree ? 'yes' : 'NO') : 'not run'} — ${cl.check.tokens} tokens; ${cl.check.what}`);
  return out;
}

export function cmcRtlTable(r: CmcRtlResult): string[] {
  const head = ['clip', 'frames', 'informative rows', 'load', 'predict', 'GEMM', 'recover', 'read-out', 'GEMM + recover / dense GEMM'];
  const rows = r.clips.flatMap((c) =>
    c.segments.map((s) => [
      c.clip,
      `${s.frame}-${s.frame + CMC_RTL_FRAMES - 1}`,
      `${s.informativeRows} / ${s.rows}`,
      String(s.phases.load),
      String(s.phases.predict),
      String(s.phases.gemm),
      String(s.phases.recover),
      String(s.phases.readOut),
      `${pct((s.phases.gemm + s.phases.recover) / s.denseGemmCycles)} % of ${s.denseGemmCycles}`,
    ]),
  );
  const totals = [['clip', 'bit-exact', 'cycle model', 'segments', 'total (RTL)', 'GEMM + recover', 'total / (GEMM + recover)', 'steady state / (GEMM + recover)']];
  for (const c of r.clips) {
    totals.push([c.clip, c.bitExact ? 'yes' : 'NO', c.cycleModelExact ? 'exact' : `model ${c.modelCycles}`, String(c.segments.length), String(c.rtlCycles), String(c.backEndCycles), c.totalVsBackEnd.toFixed(3), c.steadyVsBackEnd.toFixed(4)]);
  }
  return [
    `cmc_top RTL (Verilator), frames 0-${r.config.frames - 1} in segments of ${CMC_RTL_FRAMES} x 196 tokens x 768 B, inter R = 1, Thr = round(${r.config.tau}·768), 768 -> 768 on 16 columns x 16 MACs; cycles, free running, stages overlapped`,
    ...table([head, ...rows]),
    '',
    ...table(totals),
    ...r.clips.filter((c) => c.message).map((c) => `${c.clip}: ${c.message}`),
  ];
}
