import { describe, expect, it } from 'vitest';
import { BandwidthLimiter, backoffDelay } from './pacing.ts';

describe('backoffDelay', () => {
  const policy = { baseMs: 1000, maxMs: 60_000 };
  it('doubles per attempt between half and the whole nominal delay', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(500);
    expect(backoffDelay(1, policy, () => 1)).toBe(1000);
    expect(backoffDelay(4, policy, () => 0)).toBe(4000);
    expect(backoffDelay(4, policy, () => 0.5)).toBe(6000);
  });
  it('never exceeds the cap', () => {
    expect(backoffDelay(40, policy, () => 1)).toBe(60_000);
  });
});

describe('BandwidthLimiter', () => {
  it('holds a stream of bytes to the configured rate after the first second of burst', async () => {
    const limiter = new BandwidthLimiter(200_000);
    const start = performance.now();
    for (let i = 0; i < 6; i++) await limiter.take(50_000); // 300 kB: 200 kB burst + 100 kB at 200 kB/s ≈ 0.5 s
    const elapsed = performance.now() - start;
    expect(elapsed).toBeGreaterThan(400);
    expect(elapsed).toBeLessThan(1500);
  });
  it('refuses a non-positive limit', () => {
    expect(() => new BandwidthLimiter(0)).toThrow(/positive/);
  });
});
