import { describe, expect, it } from 'vitest';
import { falseColour, heightsOf, paletteAt, robustRange } from './colour.ts';

describe('false colour', () => {
  it('runs from the palette start to its end and keeps no-data transparent', () => {
    expect(paletteAt(0)).toEqual([68, 1, 84]);
    expect(paletteAt(1)).toEqual([253, 231, 37]);
    expect(paletteAt(-3)).toEqual(paletteAt(0));
    const px = falseColour(Float32Array.from([0, NaN, 1]), [0, 1]);
    expect([...px.slice(0, 4)]).toEqual([68, 1, 84, 255]);
    expect(px[7]).toBe(0);
    expect([...px.slice(8, 12)]).toEqual([253, 231, 37, 255]);
  });

  it('takes a robust range that ignores a few spikes and NaN', () => {
    const values = new Float32Array(1000).map((_, i) => i / 1000);
    values[0] = -1e6;
    values[999] = 1e6;
    values[500] = NaN;
    const [lo, hi] = robustRange(values);
    expect(lo).toBeGreaterThan(0);
    expect(hi).toBeLessThan(1);
    expect(robustRange(Float32Array.from([NaN]))).toEqual([0, 1]);
  });

  it('reads heights from unaligned little-endian bytes', () => {
    const bytes = new Uint8Array(9);
    new DataView(bytes.buffer).setFloat32(1, 2.5, true);
    new DataView(bytes.buffer).setFloat32(5, -1, true);
    expect([...heightsOf(bytes.subarray(1))]).toEqual([2.5, -1]);
  });
});
