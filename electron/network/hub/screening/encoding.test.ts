import { describe, expect, it } from 'vitest';
import { compareSignatures } from '../../../analysis/index.ts';
import { like, randomSignature, seeded } from '../../../../tests/fixtures/screeningSignatures.ts';
import { BestOf, Screener, encodeScreening, encodedSize, encodingShape } from './encoding.ts';

describe('screening encoding', () => {
  it('is 844 bytes for a 12 × 64 signature and scores as compareSignatures does, to within 0.01', () => {
    const random = seeded(7);
    let worst = 0;
    for (let i = 0; i < 100; i++) {
      const query = randomSignature(random);
      const screener = new Screener(query);
      for (const candidate of [randomSignature(random), like(query, random, i % 64, 0.5)]) {
        const encoded = encodeScreening(candidate);
        expect(encoded.byteLength).toBe(844);
        expect(encodingShape(encoded)).toEqual({ radialBins: 12, angularBins: 64 });
        worst = Math.max(worst, Math.abs(screener.score(encoded) - compareSignatures(query, candidate).score));
      }
    }
    expect(worst).toBeLessThan(0.01);
    expect(worst).toBeGreaterThan(0); // it is a quantisation, not a copy
  });

  it('ranks a casing like the query above unrelated ones, whatever the turn', () => {
    const random = seeded(11);
    const query = randomSignature(random);
    const screener = new Screener(query);
    const best = new BestOf<{ id: string; score: number }>(3);
    for (let i = 0; i < 500; i++)
      best.offer({ id: `other-${i}`, score: screener.score(encodeScreening(randomSignature(random))) });
    best.offer({ id: 'same-gun', score: screener.score(encodeScreening(like(query, random, 17))) });
    expect(best.items[0]!.id).toBe('same-gun');
    expect(best.items).toHaveLength(3);
    expect(best.items[0]!.score).toBeGreaterThan(best.items[1]!.score);
  });

  it('refuses what is not an encoding of its shape, and keeps the best few in order with ties by id', () => {
    const random = seeded(3);
    const screener = new Screener(randomSignature(random));
    expect(screener.score(encodeScreening(randomSignature(random, 8, 64)))).toBeNaN();
    expect(() => encodingShape(Buffer.from('not an encoding'))).toThrow(/not a screening encoding/);
    expect(() => encodingShape(Buffer.alloc(10, 1))).toThrow(/wrong length/);
    expect(encodedSize(12, 64)).toBe(844);
    const best = new BestOf<{ id: string; score: number }>(2);
    for (const [id, score] of [
      ['b', 0.5],
      ['a', 0.5],
      ['c', 0.9],
      ['d', 0.1],
    ] as const)
      best.offer({ id, score });
    expect(best.items.map((i) => i.id)).toEqual(['c', 'a']);
  });
});
