import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  it('doubles from 250 ms and stops at 10 s', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, middle))).toEqual([
      250, 500, 1000, 2000, 4000, 8000, 10000, 10000,
    ]);
  });
  it('jitters within ±20 %', () => {
    expect(backoffDelay(3, () => 0)).toBe(800);
    expect(backoffDelay(3, () => 1)).toBe(1200);
  });
});
