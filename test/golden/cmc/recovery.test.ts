// Golden model of the recovery block: phases, scatter masks, copies, reads, errors.
import { describe, expect, it } from 'vitest';
import { type RecoveryConfig, RecoveryModelError, recoveryStream } from '../../../sim/golden/cmc/recovery.ts';

const c: RecoveryConfig = { banks: 2, entries: 8, dataBits: 8, signed: true };
const wr = (entry: number, mask: number, d0: number, d1: number, last = 0) => ({ entry, mask, d_0: d0, d_1: d1, last });

describe('recovery golden', () => {
  it('scatter with masks, copy whole entries, read back; phases in rounds', () => {
    const out = recoveryStream(
      {
        wr: [wr(0, 1, 5, 0), wr(0, 2, 0, -6), wr(1, 3, 7, 8, 1), wr(2, 3, 1, 1, 1)],
        nitt: [{ i: 3, j: 0, last: 0 }, { i: 4, j: 3, last: 1 }, { i: 5, j: 2, last: 1 }],
        rd: [{ entry: 3, last: 0 }, { entry: 4, last: 0 }, { entry: 1, last: 1 }, { entry: 5, last: 1 }],
      },
      c,
    );
    expect(out).toEqual([
      { d_0: 5, d_1: -6, last: 0 },
      { d_0: 5, d_1: -6, last: 0 },
      { d_0: 7, d_1: 8, last: 1 },
      { d_0: 1, d_1: 1, last: 1 },
    ]);
  });
  it('a later round sees the earlier rounds; a no-op copy (i = j) is an empty phase', () => {
    const out = recoveryStream(
      {
        wr: [wr(0, 3, 1, 2, 1), wr(0, 1, 9, 0, 1)],
        nitt: [{ i: 0, j: 0, last: 1 }, { i: 1, j: 0, last: 1 }],
        rd: [{ entry: 0, last: 1 }, { entry: 1, last: 1 }],
      },
      c,
    );
    expect(out).toEqual([{ d_0: 1, d_1: 2, last: 1 }, { d_0: 9, d_1: 2, last: 1 }]);
  });
  it('stops where a phase runs out; unwritten reads and bad addresses throw', () => {
    expect(recoveryStream({ wr: [wr(0, 3, 1, 2, 0)], nitt: [], rd: [] }, c)).toEqual([]);
    expect(() => recoveryStream({ wr: [wr(0, 1, 1, 2, 1)], nitt: [{ i: 0, j: 0, last: 1 }], rd: [{ entry: 0, last: 1 }] }, c)).toThrow(RecoveryModelError);
    expect(() => recoveryStream({ wr: [wr(8, 1, 1, 2, 1)], nitt: [], rd: [] }, c)).toThrow(RecoveryModelError);
  });
});
