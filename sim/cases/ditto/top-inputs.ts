// Layer-0 inputs of the `ditto` cases (sim/cases/ditto/top.ts, TopWorkloadOptions.x0): a random
// trajectory (many zero changes, a few large), or one planned beat by beat so that the row
// encoders meet every state of their reorder buffer followed by every class combination of a
// beat (the encoder's packing corners, which random data rarely reaches).
import type { Matrix } from '../../golden/ditto/compute.ts';
import type { Rng } from '../../stimulus/rng.ts';
import type { Cls } from './common.ts';

function clamp8(v: number): number {
  return Math.max(-128, Math.min(127, v));
}

/** Layer-0 inputs: a random x_T, then each step a small temporal change (many zeros, a few large). */
export function layer0Inputs(rng: Rng, M: number, K: number, T: number): Matrix[] {
  const xs: Matrix[] = [Array.from({ length: M }, () => Array.from({ length: K }, () => rng.int(-90, 90)))];
  for (let t = 1; t < T; t++) {
    xs.push(
      xs[t - 1].map((row) =>
        row.map((v) => {
          const r = rng.float();
          const d = r < 0.5 ? 0 : r < 0.93 ? rng.int(-12, 12) : rng.int(-120, 120);
          return clamp8(v + d);
        }),
      ),
    );
  }
  return xs;
}

/** An encoded value of class `cls` (ZERO 0, LOW |d| 1..15, FULL |d| ≥ 16): x itself at step 1 (`prev` undefined), else x − prev with x in int8. */
function valueOfClass(rng: Rng, cls: Cls, prev?: number): number {
  const p = prev ?? 0;
  if (cls === 'zero') return p;
  // the feasible changes of the class: [lo, hi] upwards and [−hi', −lo] downwards, x = p + d in −128..127
  const [lo, top] = cls === 'low' ? [1, 15] : [16, 255];
  const up = Math.min(top, 127 - p);
  const down = Math.min(top, 128 + p);
  const nUp = Math.max(0, up - lo + 1);
  const nDown = Math.max(0, down - lo + 1);
  if (cls === 'full' && rng.chance(0.2)) return rng.pick([...(nUp > 0 ? [127] : []), ...(nDown > 0 ? [-128] : [])]); // the extremes
  const k = rng.int(0, nUp + nDown - 1);
  return k < nUp ? p + lo + k : p - lo - (k - nUp);
}

/**
 * Layer-0 inputs planned beat by beat (TopWorkloadOptions.x0 = 'packing'): every vector (token,
 * step; x at step 1, the change from the step before after it) is a sequence of beats of L lanes
 * whose ZERO/LOW/FULL classes are chosen while following the encoder's reorder buffer (f FULLs
 * and l LOWs pending, 2f + l ≤ 4; empty at each vector's start; sim/golden/ditto/encoder.ts).
 * Once a LOW is pending one stays until the vector ends (a word takes LOWs two or four at a
 * time, and only from five slots up), so the LOW-free states (0, 0), (1, 0) and (2, 0) are met
 * only at a vector's start, and each vector can leave them by one beat with a LOW only. So each
 * vector starts with one such exit not met yet, most wanted first: from (2, 0) (two FULLs
 * pending, U0 = 4) with lane 0 FULL (an FF word formed on lane 0 carries a FULL into the word of
 * rank 1, with the beat's LOWs after it), then the other beats from (2, 0), then from (1, 0),
 * then from (0, 0), each reached by one ZERO/FULL beat; then the vector's other beats, each the
 * combination not met yet in the current state whose next state has the most left (ties at
 * random; when the state has none left, the one leading to the state with the most left).
 */
export function plannedLayer0Inputs(rng: Rng, M: number, K: number, T: number, L: number): Matrix[] {
  const classes: Cls[] = ['zero', 'low', 'full'];
  const combos = (n: number): Cls[][] => Array.from({ length: 3 ** n }, (_, c) => Array.from({ length: n }, (_, j) => classes[Math.floor(c / 3 ** j) % 3]!));
  const widths = new Map<number, Cls[][]>();
  const width = (n: number): Cls[][] => widths.get(n) ?? widths.set(n, combos(n)).get(n)!;
  const seen = new Set<string>();
  const key = (f: number, l: number, cs: Cls[]) => `${f}.${l}.${cs.map((c) => c[0]).join('')}`;
  /** The reorder buffer after the elements `cs` (one word formed whenever the pending cost reaches 5). */
  const after = (f: number, l: number, cs: Cls[]): [number, number] => {
    for (const c of cs) {
      if (c === 'zero') continue;
      if (c === 'full') f++;
      else l++;
      if (2 * f + l >= 5) {
        if (f >= 2) f -= 2;
        else if (f === 1) [f, l] = [0, l - 2];
        else l -= 4;
      }
    }
    return [f, l];
  };
  const full = width(L);
  // combinations of each width not met yet, per state
  const unmet = new Map<string, number>();
  const left = (f: number, l: number, n: number) => unmet.get(`${f}.${l}.${n}`) ?? 3 ** n;
  const meet = (f: number, l: number, cs: Cls[]) => {
    if (seen.has(key(f, l, cs))) return;
    seen.add(key(f, l, cs));
    unmet.set(`${f}.${l}.${cs.length}`, left(f, l, cs.length) - 1);
  };
  // the exits of the LOW-free states: lane 0 FULL from (2, 0) first, then the others of (2, 0),
  // (1, 0) and (0, 0) in turn (each list in random order)
  const shuffled = <X>(xs: X[]): X[] => {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  };
  const withLow = full.filter((cs) => cs.includes('low'));
  const exits: [number, Cls[]][] = shuffled(withLow.filter((cs) => cs[0] === 'full')).map((cs) => [2, cs]);
  const rest = [shuffled(withLow.filter((cs) => cs[0] !== 'full')), shuffled(withLow), shuffled(withLow)];
  for (let i = 0; i < withLow.length; i++) rest.forEach((list, k) => i < list.length && exits.push([2 - k, list[i]!]));
  const xs: Matrix[] = [];
  for (let t = 0; t < T; t++) {
    xs.push(
      Array.from({ length: M }, (_, m) => {
        const prev = t > 0 ? xs[t - 1][m] : undefined;
        const x: number[] = [];
        let [f, l] = [0, 0];
        const emit = (cs: Cls[]) => {
          meet(f, l, cs);
          [f, l] = after(f, l, cs);
          cs.forEach((c) => x.push(valueOfClass(rng, c, prev?.[x.length])));
        };
        // the vector's start: a LOW-free beat to the exit's state (FULLs only: f0 of them, or f0 + 2), then the exit
        const exit = K >= 2 * L ? exits.find(([f0, cs]) => !seen.has(key(f0, 0, cs))) : undefined;
        if (exit && exit[0] > 0) {
          const to = full.filter((cs) => !cs.includes('low') && after(0, 0, cs)[0] === exit[0]);
          const fresh = to.filter((cs) => !seen.has(key(0, 0, cs)));
          emit(rng.pick(fresh.length > 0 ? fresh : to));
        }
        if (exit) emit(exit[1]);
        while (x.length < K) {
          const n = Math.min(L, K - x.length);
          const nNext = Math.min(L, K - x.length - n);
          const score = (cs: Cls[]) => (nNext > 0 ? left(...after(f, l, cs), nNext) : 0);
          const all = width(n);
          const fresh = all.filter((cs) => !seen.has(key(f, l, cs)));
          const pool = fresh.length > 0 ? fresh : all;
          const best = Math.max(...pool.map(score));
          emit(rng.pick(pool.filter((cs) => score(cs) === best)));
        }
        return x;
      }),
    );
  }
  return xs;
}
