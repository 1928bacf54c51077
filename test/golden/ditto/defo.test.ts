// Golden model of the Ditto Defo unit (§1.6).
import { describe, expect, it } from 'vitest';
import { DefoUnit, SAT16, exeDiff, saturate16 } from '../../../sim/golden/ditto/defo.ts';

describe('Defo', () => {
  it('step 1 original, step 2 difference, then act > diff (strict)', () => {
    const u = new DefoUnit(4);
    const cases: [number, number, 'orig' | 'diff'][] = [
      [100, 60, 'diff'],
      [60, 100, 'orig'],
      [77, 77, 'orig'], // tie keeps original data
      [0, 0, 'orig'],
    ];
    cases.forEach(([act, diff], l) => {
      expect(u.modeFor(l, 1)).toBe('orig');
      u.report(l, 1, act);
      expect(u.modeFor(l, 2)).toBe('diff');
      u.report(l, 2, diff);
    });
    cases.forEach(([, , want], l) => {
      for (let step = 3; step < 8; step++) expect(u.modeFor(l, step)).toBe(want);
    });
  });
  it('counts saturate at 65,535; saturated ties keep original data', () => {
    expect(saturate16(70000)).toBe(SAT16);
    expect(saturate16(65535)).toBe(65535);
    const u = new DefoUnit();
    u.report(0, 1, 1e6);
    u.report(0, 2, 70000);
    expect(u.table[0].cycleAct).toBe(65535);
    expect(u.table[0].cycleDiff).toBe(65535);
    expect(u.modeFor(0, 3)).toBe('orig');
    u.report(1, 1, 1e6);
    u.report(1, 2, 65534);
    expect(u.modeFor(1, 3)).toBe('diff');
    expect(exeDiff(65536, 65535)).toBe(0);
    expect(exeDiff(65535, 65534)).toBe(1);
  });
  it('the decision is frozen at step 3', () => {
    const u = new DefoUnit(1);
    u.report(0, 1, 10);
    u.report(0, 2, 20);
    expect(u.modeFor(0, 3)).toBe('orig');
    u.report(0, 3, 1); // later measurements change nothing
    u.report(0, 4, 99999);
    expect(u.modeFor(0, 9)).toBe('orig');
    expect(u.table[0]).toMatchObject({ cycleAct: 10, cycleDiff: 20, exeDiff: 0 });
  });
  it('rejects questions it cannot answer', () => {
    const u = new DefoUnit(2);
    expect(() => u.modeFor(0, 3)).toThrow(/steps 1 and 2/);
    expect(() => u.modeFor(2, 1)).toThrow(RangeError);
    expect(() => u.modeFor(0, 0)).toThrow(RangeError);
    expect(() => u.report(0, 1, -1)).toThrow(RangeError);
    expect(new DefoUnit().entries).toBe(512);
  });
});
