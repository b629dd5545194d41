import { describe, expect, it } from 'vitest';
import { BandwidthLimiter, Slots, backoffDelay } from './pacing.ts';

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
  it('lets a stopped caller go at once, without counting its bytes against the others', async () => {
    const limiter = new BandwidthLimiter(100_000);
    await limiter.take(100_000); // the burst is spent: the next 100 kB wait a second
    const stop = new AbortController();
    const waiting = limiter.take(100_000, stop.signal);
    const behind = limiter.take(100_000, stop.signal);
    setTimeout(() => stop.abort(), 50);
    const start = performance.now();
    await expect(waiting).rejects.toThrow('canceled');
    await expect(behind).rejects.toThrow('canceled');
    expect(performance.now() - start).toBeLessThan(500);
    // The stopped callers' bytes were given back: 50 kB more now waits about half a second, not two and a half.
    const next = performance.now();
    await limiter.take(50_000);
    expect(performance.now() - next).toBeLessThan(1200);
  });
  it('refuses a non-positive limit', () => {
    expect(() => new BandwidthLimiter(0)).toThrow(/positive/);
  });
});

describe('Slots', () => {
  it('lets at most `size` hold a slot, hands a released slot to the first waiter, and counts a double release once', async () => {
    const slots = new Slots(2);
    const a = await slots.acquire();
    const b = await slots.acquire();
    const order: string[] = [];
    const c = slots.acquire().then((release) => (order.push('c'), release));
    const d = slots.acquire().then((release) => (order.push('d'), release));
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([]);
    a();
    a();
    const releaseC = await c;
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual(['c']);
    b();
    await d;
    expect(order).toEqual(['c', 'd']);
    releaseC();
  });
  it('a waiter whose job is aborted leaves the line and takes no slot', async () => {
    const slots = new Slots(1);
    const held = await slots.acquire();
    const abort = new AbortController();
    const waiting = slots.acquire(abort.signal);
    abort.abort();
    await expect(waiting).rejects.toThrow(/canceled/);
    held();
    const again = await Promise.race([
      slots.acquire(),
      new Promise<'blocked'>((r) => setTimeout(() => r('blocked'), 50)),
    ]);
    expect(again).not.toBe('blocked');
  });
});
