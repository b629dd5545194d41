import { describe, expect, it } from 'vitest';
import { binomialTailAtLeast, checkedScreeningCut, screeningCut, type ScreeningReference } from './screeningCut.ts';

const reference = (km: number[], knm: number[]): ScreeningReference => ({
  name: 'test',
  description: '',
  engine: 2,
  harmonics: 24,
  km,
  knm,
});

describe('screeningCut', () => {
  it('binomial tail matches direct sums', () => {
    // n = 4, p = 0.5: P(X ≥ 2) = 11/16.
    expect(binomialTailAtLeast(4, 0.5, 2)).toBeCloseTo(11 / 16, 12);
    expect(binomialTailAtLeast(10, 0.1, 1)).toBeCloseTo(1 - 0.9 ** 10, 12);
    expect(binomialTailAtLeast(10, 0.1, 0)).toBe(1);
    expect(binomialTailAtLeast(10, 0.1, 11)).toBe(0);
    expect(binomialTailAtLeast(1e6, 1e-3, 20)).toBeCloseTo(1, 9); // ~1000 expected above
  });

  it('keeps everything: no miss; keeps nothing: always a miss', () => {
    const r = reference([0.5], [0.1, 0.2]);
    expect(screeningCut(39, 39, r).expectedMissRate).toBe(0);
    expect(screeningCut(0, 39, r).expectedMissRate).toBe(1);
  });

  it('grows with the number screened and shrinks with the cut', () => {
    const knm = Array.from({ length: 1000 }, (_, i) => i / 1000); // uniform 0…1
    const r = reference([0.9, 0.95, 0.99], knm);
    const small = screeningCut(20, 39, r).expectedMissRate;
    const large = screeningCut(20, 100_000, r).expectedMissRate;
    expect(small).toBeLessThan(1e-6);
    expect(large).toBeGreaterThan(0.99);
    expect(screeningCut(200, 1000, r).expectedMissRate).toBeLessThan(screeningCut(20, 1000, r).expectedMissRate);
    // One mate scoring 0.9 among 1000 others, each above it with p = 0.1: P(≥ 20 above) ≈ 1.
    expect(screeningCut(20, 1001, reference([0.9], knm)).expectedMissRate).toBeCloseTo(
      binomialTailAtLeast(1000, 0.1, 20),
      12,
    );
  });

  it('says what the reference cannot: the range between unseen rates at 0 and at their 95 % upper bound', () => {
    const knm = Array.from({ length: 1000 }, (_, i) => i / 1000);
    // Two mates beyond every reference non-match, one inside their range.
    const r = reference([2, 3, 0.999], knm);
    const few = screeningCut(20, 39, r);
    expect(few.range.low).toBeLessThanOrEqual(few.expectedMissRate + 1e-12);
    expect(few.range.high).toBeGreaterThanOrEqual(few.expectedMissRate - 1e-12);
    expect(few.estimable).toBe(true);
    // 10⁵ candidates, 20 kept: the mate at 0.999 (1 of 1000 non-matches above it) is lost for certain; the other two
    // are lost with q = 0 (low) and kept with… nothing the reference holds: q ≤ 0.3 % (95 %) means ~300 above them.
    const many = screeningCut(20, 100_000, r);
    expect(many.range.low).toBeCloseTo(1 / 3, 6);
    expect(many.range.high).toBeCloseTo(1, 6);
    expect(many.estimable).toBe(false);
    // The point estimate (half an observation) sits inside the range and is no longer what the user is shown.
    expect(many.expectedMissRate).toBeGreaterThanOrEqual(many.range.low);
  });

  it('on the Fadul references: estimable among a station’s candidates, not at network sizes', async () => {
    const { fadulRegistrationReference, fadulScreeningReference } = await import('./reference/index.ts');
    const at = (screened: number) =>
      checkedScreeningCut(20, 40, screened, fadulScreeningReference, fadulRegistrationReference);
    expect(at(39).estimable).toBe(true);
    expect(at(1000).estimable).toBe(true);
    for (const n of [1e5, 1e6]) {
      const cut = at(n);
      expect(cut.estimable, `${n}`).toBe(false);
      // What the reference does say: the mates it has seen outranked by non-matches are lost at this size.
      expect(cut.range.low, `${n}`).toBeGreaterThan(0.5);
      expect(cut.range.high, `${n}`).toBeLessThanOrEqual(1);
    }
  });

  it('floors unseen non-match rates at half an observation, and refuses nonsense', () => {
    const r = reference([2], [0, 0.1]); // no non-match reaches the mate: q = 0.5 / 2
    expect(screeningCut(1, 3, r).expectedMissRate).toBeCloseTo(binomialTailAtLeast(2, 0.25, 1), 12);
    expect(() => screeningCut(-1, 3, r)).toThrow(RangeError);
    expect(() => screeningCut(1.5, 3, r)).toThrow(RangeError);
  });

  it('a registration check: lost below the checked share or below the kept share of those', () => {
    const signature = reference([0.5, 0.3], [0.1, 0.2, 0.4, 0.6]);
    const registration = reference([0.9], [0.2, 0.3, 0.5, 0.95]);
    const two = checkedScreeningCut(5, 40, 1000, signature, registration);
    const first = screeningCut(40, 1000, signature).expectedMissRate;
    const second = screeningCut(5, 40, registration).expectedMissRate;
    expect(two).toMatchObject({ kept: 5, checked: 40, screened: 1000 });
    expect(two.expectedMissRate).toBeCloseTo(1 - (1 - first) * (1 - second), 12);
    expect(two.reference).toContain('test; test');
    // Checking no more than are kept changes nothing: the signature's cut alone.
    expect(checkedScreeningCut(20, 10, 1000, signature, registration).expectedMissRate).toBe(
      screeningCut(20, 1000, signature).expectedMissRate,
    );
    // Everything checked and kept: nothing lost.
    expect(checkedScreeningCut(39, 39, 39, signature, registration).expectedMissRate).toBe(0);
    // A better registration reference can only lower the rate.
    const perfect = reference([0.99], [0.1, 0.2]);
    expect(checkedScreeningCut(5, 40, 1000, signature, perfect).expectedMissRate).toBeLessThanOrEqual(
      two.expectedMissRate,
    );
  });
});
