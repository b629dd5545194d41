import { describe, expect, it } from 'vitest';
import { downsampleMean, rotateRaster, sampleRotated } from './raster.ts';

describe('raster', () => {
  it('rotating by 90° moves a point a quarter turn about the centre', () => {
    const w = 5;
    const data = new Float64Array(w * w);
    data[0 * w + 4] = 1; // top-right corner (x=4, y=0)
    const out = rotateRaster({ width: w, height: w, data }, 90);
    // out(p) = src(R(−90°)(p − c) + c): the source corner (4,0) appears at (4,4).
    expect(out[4 * w + 4]).toBeCloseTo(1, 12);
    expect(out.reduce((s, v) => s + (Number.isNaN(v) ? 0 : v), 0)).toBeCloseTo(1, 12);
  });

  it('keeps NaN masks sharp and samples windows identical to the full rotation', () => {
    const w = 32;
    const data = Float64Array.from({ length: w * w }, (_, i) => (i % w < 16 ? NaN : Math.sin(i)));
    const full = rotateRaster({ width: w, height: w, data }, 17);
    const window = sampleRotated({ width: w, height: w, data }, 17, 5, 7, 10, 9, new Float64Array(90));
    for (let y = 0; y < 9; y++)
      for (let x = 0; x < 10; x++) expect(window[y * 10 + x]).toStrictEqual(full[(y + 7) * w + x + 5]);
    const windowOutside = sampleRotated({ width: w, height: w, data }, 0, -20, -20, 4, 4, new Float64Array(16));
    expect(windowOutside.every((v) => Number.isNaN(v))).toBe(true);
  });

  it('block means ignore NaN and need half the block valid', () => {
    const data = Float64Array.from([1, NaN, 3, NaN, NaN, NaN, NaN, 8]);
    const out = downsampleMean({ width: 4, height: 2, data }, 2);
    expect(out.width).toBe(2);
    expect(Number.isNaN(out.data[0])).toBe(true); // only 1 of 4 valid
    expect(out.data[1]).toBeCloseTo(5.5, 12);
  });
});
