// Cost formulas for whole CMC segments, used by `dcgen eval cmc` (sim/eval/cmc/) over every
// threshold and window of a clip, where simulating the engine would be far too slow.
// SAD ENGINE jobs (the cycles of a job stream are sad.ts sadCyclesFree): a job is one reference
//   token against P candidates. Inter: a P token with c candidates needs ceil(c/P) jobs (full
//   search: 49; R = 1: 1..3; R = 2: 3..7 by position); a segment of g frames has g − 1 P frames.
//   Intra: a row segment of g rows is one job group, the reference row as the job's reference
//   and its g − 1 other rows as candidates: ceil((g−1)/P) jobs (1 for G_v = 4).
// GEMM (a simple array model, not gemm.ts's model of the GEMM engine RTL; one array for the
//   dense and the condensed GEMM): an output-stationary array of Ra × Ca MACs computes a
//   rows × K by K × Nout product as ceil(rows/Ra) · ceil(Nout/Ca) tiles of K cycles each, back
//   to back, plus Ra + Ca cycles of fill and drain:
//   cycles(rows) = ceil(rows/Ra)·ceil(Nout/Ca)·K + Ra + Ca (0 rows: 0).
import { segments } from '../../golden/cmc/prediction.ts';
import { type SearchWindow, candidates } from '../../golden/cmc/search.ts';

/** The MAC array of the GEMM model and the projection it computes. */
export interface GemmArray {
  arrayRows: number;
  arrayCols: number;
  K: number;
  Nout: number;
}

export function gemmArrayCycles(rows: number, g: GemmArray): number {
  if (rows === 0) return 0;
  return Math.ceil(rows / g.arrayRows) * Math.ceil(g.Nout / g.arrayCols) * g.K + g.arrayRows + g.arrayCols;
}

/** SAD jobs of inter token i: its candidates, P per job. */
export function interJobsOfToken(i: number, grid: { H: number; W: number }, win: SearchWindow, lanes: number): number {
  return Math.ceil(candidates(i, grid, win).length / lanes);
}

/** SAD jobs of one P frame (inter, a window): Σ_i ceil(|candidates(i)| / P). */
export function interJobsPerFrame(N: number, grid: { H: number; W: number }, win: SearchWindow, lanes: number): { jobs: number; candidates: number } {
  let jobs = 0;
  let cands = 0;
  for (let i = 0; i < N; i++) {
    const c = candidates(i, grid, win).length;
    cands += c;
    jobs += Math.ceil(c / lanes);
  }
  return { jobs, candidates: cands };
}

/** SAD jobs of one frame (intra): Σ over row segments of ceil((g − 1) / P). */
export function intraJobsPerFrame(N: number, Gv: number, lanes: number): { jobs: number; candidates: number } {
  let jobs = 0;
  let cands = 0;
  for (const seg of segments(N, Gv)) {
    cands += seg.len - 1;
    jobs += Math.ceil((seg.len - 1) / lanes);
  }
  return { jobs, candidates: cands };
}
