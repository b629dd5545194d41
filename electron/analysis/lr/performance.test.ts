import { describe, expect, it } from 'vitest';
import { cllr, cllrMin, eceCurve, elub, misleading, pav, tippett } from './performance.ts';

describe('LR performance metrics', () => {
  it('Cllr is 1 bit for LR = 1 everywhere, 0 for perfect LRs, and punishes misleading ones', () => {
    expect(cllr([0, 0], [0, 0, 0])).toBeCloseTo(1, 12);
    expect(cllr([30], [-30])).toBeCloseTo(0, 6);
    // One KM at LR = 1/100: log2(1 + 100) / 2 over one KM and one perfect KNM.
    expect(cllr([-2], [-30])).toBeCloseTo(Math.log2(101) / 2, 6);
  });

  it('PAV is the monotone fit of the labels; Cllr-min is 0 for separated scores and ≤ Cllr always', () => {
    expect(pav([1, 2, 3, 4], [0, 1, 0, 1])).toEqual([0, 0.5, 0.5, 1]);
    expect(cllrMin([3, 4], [1, 2])).toBeCloseTo(0, 12);
    const km = [0.5, 1, -0.2, 2];
    const knm = [-1, 0.7, -2, -0.5, 0.1];
    expect(cllrMin(km, knm)).toBeLessThanOrEqual(cllr(km, knm));
    expect(cllrMin(km, knm)).toBeGreaterThan(0);
  });

  it('ECE at prior odds 1 is Cllr; LR = 1 gives the prior entropy', () => {
    const km = [1, 2, 0.5];
    const knm = [-1, -0.2, 0.3];
    const curve = eceCurve(km, knm, [-1, 0, 1]);
    expect(curve[1].ece).toBeCloseTo(cllr(km, knm), 12);
    expect(curve[1].neutral).toBeCloseTo(1, 12);
    const p = 1 / (1 + 10);
    expect(curve[0].neutral).toBeCloseTo(-(p * Math.log2(p) + (1 - p) * Math.log2(1 - p)), 12);
    for (const point of curve) expect(point.eceMin).toBeLessThanOrEqual(point.ece + 1e-12);
  });

  it('Tippett shares fall from 1 to the last value; misleading rates count the wrong side of 1', () => {
    const t = tippett([1, 2], [-1]);
    expect(t[0]).toEqual({ threshold: -1, km: 1, knm: 1 });
    expect(t.at(-1)).toEqual({ threshold: 2, km: 0.5, knm: 0 });
    expect(misleading([1, -1], [-1, 1, 2, -3])).toEqual({ km: 0.5, knm: 0.5 });
  });

  it('ELUB: perfectly separated data support no more than about the count of the other class', () => {
    const km = new Array(63).fill(5);
    const knm = new Array(717).fill(-5);
    const { lower, upper } = elub(km, knm);
    // With one misleading pseudo-pair added, LR θ is supported while θ/718 < 1 (upper), 1/(θ·64) < 1 (lower).
    expect(upper).toBeCloseTo(Math.log10(718), 1);
    expect(lower).toBeCloseTo(-Math.log10(64), 1);
    // Uninformative LRs support nothing beyond 1.
    expect(elub([0, 0, 0], [0, 0, 0])).toEqual({ lower: 0, upper: 0 });
  });
});
