import { describe, expect, it } from 'vitest';
import { adviseExposure } from './exposure.ts';

const frame = (bright: number, black = 655) => ({
  bitDepth: 16 as const,
  data: Uint16Array.from({ length: 10_000 }, (_, i) => (i % 2 ? bright : black)),
});
const limits = { minUs: 20, maxUs: 200_000 };

describe('adviseExposure', () => {
  it('scales the exposure linearly above black to land the bright percentile at the target', () => {
    const advice = adviseExposure(frame(655 + 10_000), 1000, { ...limits, blackDn: 655 });
    expect(advice.kind).toBe('ok');
    // (0.8·65535 − 655) / 10000 × 1000 µs
    expect(advice.exposureUs).toBe(Math.round(((0.8 * 65535 - 655) / 10_000) * 1000));
  });

  it('asks for a shorter retry when the probe saturates, and says when the scene is too dark', () => {
    expect(adviseExposure(frame(65535), 8000, limits)).toMatchObject({ kind: 'retry', exposureUs: 2000 });
    expect(adviseExposure(frame(660), 1000, { ...limits, blackDn: 655 }).kind).toBe('too-dark');
    expect(adviseExposure(frame(655), 1000, { ...limits, blackDn: 655 }).kind).toBe('too-dark');
    // Without a dark frame the black level is taken as 0: a shorter, safe exposure.
    expect(adviseExposure(frame(655 + 10_000), 1000, limits).exposureUs).toBeLessThan(5000);
    expect(() => adviseExposure(frame(1000), 0, limits)).toThrow(/probe exposure must be positive/);
  });

  it('stays within the camera limits', () => {
    expect(adviseExposure(frame(60_000), 1000, { minUs: 900, maxUs: 1e6 }).exposureUs).toBe(900);
  });
});
