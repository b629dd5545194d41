import { describe, expect, it } from 'vitest';
import { heightRange } from './heightColour.ts';
import { niceLength } from './scale.ts';

describe('scale and colour ranges', () => {
  it('picks round scale-bar lengths', () => {
    expect(niceLength(730)).toBe(500);
    expect(niceLength(199)).toBe(100);
    expect(niceLength(2.5)).toBe(2);
    expect(niceLength(0)).toBe(0);
  });

  it('finds a robust height range and ignores NaN', () => {
    const heights = new Float32Array(1000).map((_, i) => (i % 10 === 0 ? NaN : i));
    heights[1] = 1e9; // one outlier
    const range = heightRange(heights)!;
    expect(range.min).toBeLessThan(20);
    expect(range.max).toBeLessThan(1000);
    expect(heightRange(new Float32Array([NaN, NaN]))).toBeNull();
  });
});
