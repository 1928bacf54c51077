// cmc_top's frame buffer (generator/blocks/cmc/top.ts): two halves, one per slot, each holding a
// segment's g·N token beats, written by LOAD one beat per cycle, read by PREDICT (a token beat
// and P candidate beats per job beat) and by the GEMM feeder (one beat per cycle). The front end
// (LOAD, PREDICT) uses its slot's half while the back end's GEMM reads the other. How one copy
// serves P + 1 reads per cycle: frameBanking in generator/spec/cmc/top.ts. Per half h:
//   banked  Q memories `xbank<h>_<q>`; word (row, b) in bank b mod Q at row·BPT/Q + floor(b/Q).
//           A PREDICT step reads the token of the job beat issued now and, for lane k, the
//           candidate of the job beat issued k + 1 steps ago: role ρ (0 = token, k + 1 = lane k)
//           reads bank (β − ρ) mod Q, β the step's bank (b mod Q of the job beat issued now), so
//           each bank serves at most one role. Role ρ's read data then waits P − ρ steps, and
//           the SAD input is the job beat issued P steps ago, every role aligned. Steps are the
//           issue side's job beats and, once the segment's last job beat is issued, P flush
//           steps (the issue side's `step`), so the banks of consecutive steps stay consecutive.
//   copies  tokens of fewer than P + 1 beats: memory `xbuf<h>` (the token and the GEMM) and
//           `cbuf<h>_<k>` (lane k), each a full copy written by every token beat; no skew.
// Each memory has one synchronous read port, the register `<memory>_rd`, read by PREDICT or by
// the GEMM (never both: they work on different halves).
import { type Expr, type ModuleBuilder, type Signal, mux, uint } from '../../../dsl/index.ts';
import { addrBits } from '../../../spec/math.ts';
import { frameBanking } from '../../../spec/cmc/top.ts';
import { pipeRegs } from '../../common/pipeline.ts';
import { pick } from '../../common/pick.ts';
import type { TopEnv } from './env.ts';

/** A beat position within the frames split for the banks: memory `bank`, `sub` the beat's word within the token there. */
export interface BeatCounter {
  /** b mod Q (a constant 0 for copies) and floor(b/Q) (b for copies) */
  bank: Expr;
  sub: Signal;
  /** steps, inside a process: to beat 0; to the next beat (`tokenEnd`: the token's last beat, back to 0) */
  restart(): void;
  next(tokenEnd: Expr): void;
}

export interface FrameBuffer {
  /** A (bank, sub) counter over the beats of a token (registers `<name>_bank`, `<name>_sub`). */
  beatCounter(name: string): BeatCounter;
  /** Address in a memory of beat `sub` of token row `row` (t·N + i). */
  address(row: Expr, sub: Expr): Expr;
  /**
   * PREDICT's reads. At `step` (an issued job beat or a flush step, beat counter `at`), role 0
   * reads `tokenAddr`, lane k the address `laneAddr[k]` had k + 1 steps ago. `token` and
   * `lanes[k]` are the data of the job beat issued `skew` steps ago, held until the next step.
   */
  predictReads(step: Expr, at: BeatCounter, tokenAddr: Expr, laneAddr: Expr[]): { token: Expr; lanes: Expr[] };
  /** The GEMM's read: at `en`, the word at `addr` in memory `at.bank`; held until the next `en`. */
  gemmRead(en: Expr, at: BeatCounter, addr: Expr): Expr;
  /** Build the read ports (after predictReads and gemmRead). */
  finish(): void;
}

/** The frame buffer and LOAD's writes (token beats `word` accepted at `loadFire`, from beat 0 after `segFire`). */
export function frameBuffer(m: ModuleBuilder, env: TopEnv, s: { segFire: Expr; loadFire: Expr; word: Expr; feSlot: Expr; beSlot: Expr }): FrameBuffer {
  const { p, lit, inc, mulAdd } = env;
  const fb = frameBanking(p);
  const Q = fb.memories;
  const AB = addrBits(fb.depth);
  const QB = addrBits(Q);
  const SB = addrBits(fb.tokenWords);
  const P = p.lanes;
  // the memories of each half: banks `xbank<h>_<q>`, or copies `xbuf<h>`, `cbuf<h>_<k>`
  const halves = [0, 1].map((h) => Array.from({ length: Q }, (_, q) => (fb.banked ? `xbank${h}_${q}` : q === 0 ? `xbuf${h}` : `cbuf${h}_${q - 1}`)));
  const memories = halves.map((names) => names.map((name) => m.memory(name, { depth: fb.depth, type: env.word })));
  const inHalf = (slot: Expr, h: number) => (h === 1 ? slot : slot.not());

  const beatCounter = (name: string): BeatCounter => {
    const sub = m.reg(`${name}_sub`, uint(SB));
    if (!fb.banked) {
      return {
        bank: lit(QB, 0),
        sub,
        restart: () => sub.set(0),
        next: (tokenEnd) => m.when(tokenEnd, () => sub.set(0)).otherwise(() => sub.set(inc(sub))),
      };
    }
    const bank = m.reg(`${name}_bank`, uint(QB));
    return {
      bank,
      sub,
      restart() {
        bank.set(0);
        sub.set(0);
      },
      next(tokenEnd: Expr) {
        const wrap = bank.eq(Q - 1);
        bank.set(mux(wrap, lit(QB, 0), inc(bank)));
        m.when(tokenEnd, () => sub.set(0)).elseWhen(wrap, () => sub.set(inc(sub)));
      },
    };
  };
  const address = (row: Expr, sub: Expr) => mulAdd(row, fb.tokenWords, sub, AB);

  // ---- LOAD: beat w of the segment to memory w mod Q at floor(w/Q) (banked), or to every copy ----
  const ldBank = fb.banked ? m.reg('load_bank', uint(QB), { reset: 0 }) : undefined;
  const ldAddr = m.reg('load_addr', uint(AB), { reset: 0 });
  const ldWrap = ldBank ? ldBank.eq(Q - 1) : lit(1, 1); // copies: every beat is a new address
  m.sync(() => {
    memories.forEach((half, h) => half.forEach((mem, q) => m.when(s.loadFire.and(inHalf(s.feSlot, h)).and(ldBank ? ldBank.eq(q) : lit(1, 1)), () => mem.write(ldAddr, s.word))));
    m.when(s.loadFire, () => {
      ldBank?.set(mux(ldWrap, lit(QB, 0), inc(ldBank)));
      m.when(ldWrap, () => ldAddr.set(inc(ldAddr)));
    });
    m.when(s.segFire, () => {
      ldBank?.set(0);
      ldAddr.set(0);
    });
  });

  // the read ports: PREDICT's and the GEMM's requests, built in finish()
  let predict: { step: Expr; bank: Expr; addr: Expr[] } | undefined;
  let gemm: { en: Expr; bank: Expr; addr: Expr } | undefined;
  const rdHalves = halves.map((names) => names.map((name) => m.reg(`${name}_rd`, env.word)));
  // the read data of the half a side works on (its slot holds during its reads)
  const rdOf = (slot: Expr) => rdHalves[0].map((r0, q) => mux(slot, rdHalves[1][q], r0));

  return {
    beatCounter,
    address,
    predictReads(step, at, tokenAddr, laneAddr) {
      // role ρ's address: the token's now, lane k's from k + 1 steps ago
      const roleAddr = [tokenAddr, ...laneAddr.map((a, k) => (fb.banked ? pipeRegs(m, `lane${k}_addr_d`, [a], step, k + 1)[0] : a))];
      predict = { step, bank: at.bank, addr: roleAddr };
      const rd = rdOf(s.feSlot).map((d, q) => m.wire(`predict_rd${q}`, d));
      if (!fb.banked) return { token: rd[0], lanes: rd.slice(1) };
      // the bank each role read at the last step, and the data re-aligned by P − ρ steps
      const rdBank = m.reg('xbank_rd_step', uint(QB));
      m.sync(() => m.when(step, () => rdBank.set(at.bank)));
      const roleData = roleAddr.map((_, rho) => {
        const fromBank = Array.from({ length: Q }, (_, beta) => rd[(beta - rho + Q) % Q]);
        const now = m.wire(`role${rho}_rd`, pick(fromBank, rdBank));
        return pipeRegs(m, `role${rho}_deskew`, [now], step, P - rho)[0];
      });
      return { token: roleData[0], lanes: roleData.slice(1) };
    },
    gemmRead(en, at, addr) {
      gemm = { en, bank: at.bank, addr };
      const rd = rdOf(s.beSlot);
      if (!fb.banked) return m.wire('gemm_rd', rd[0]);
      const rdBank = m.reg('xbank_rd_gemm', uint(QB));
      m.sync(() => m.when(en, () => rdBank.set(at.bank)));
      return m.wire('gemm_rd', pick(rd, rdBank));
    },
    finish() {
      if (!predict || !gemm) {
        m.fail('cmc_top frame buffer', 'predictReads and gemmRead before finish', 'a read side missing');
        return;
      }
      const pr = predict;
      const gr = gemm;
      memories.forEach((half, h) =>
        half.forEach((mem, q) => {
          // banked: memory q serves role (β − q) mod Q at a step of bank β, if that role exists
          const roleOf = (beta: number) => (beta - q + Q) % Q;
          const predictAddr = fb.banked ? pick(Array.from({ length: Q }, (_, beta) => (roleOf(beta) <= P ? pr.addr[roleOf(beta)] : lit(AB, 0))), pr.bank) : pr.addr[q];
          const gemmHere = gr.en.and(inHalf(s.beSlot, h)).and(fb.banked ? gr.bank.eq(q) : lit(1, q === 0 ? 1 : 0));
          const en = m.wire(`${halves[h][q]}_re`, pr.step.and(inHalf(s.feSlot, h)).or(gemmHere));
          const a = m.wire(`${halves[h][q]}_raddr`, mux(gemmHere, gr.addr, predictAddr));
          m.sync(() => m.when(en, () => rdHalves[h][q].set(mem.read(a))));
        }),
      );
    },
  };
}
