import { describe, expect, it } from 'vitest';
import { decodeSlope, surfaceTexels } from './surfaceTexture.ts';

function grid(width: number, height: number, f: (x: number, y: number) => number, spacingUm = 2) {
  const heights = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) heights[y * width + x] = f(x, y);
  return { width, height, heights, spacingUm };
}

describe('surface texels', () => {
  it('stores slopes in micrometres per micrometre, recoverable to within a step of the encoding', () => {
    // A ramp rising 0.3 µm per 2 µm point along x, plus a little texture so the typical slope is not degenerate.
    const g = grid(64, 32, (x, y) => 0.3 * x + 0.01 * Math.sin(y));
    const t = surfaceTexels(g);
    const o = (10 * 64 + 20) * 4;
    expect(decodeSlope(t.rgba[o]!, t.slopeScale)).toBeCloseTo(0.15, 2);
    expect(Math.abs(decodeSlope(t.rgba[o + 1]!, t.slopeScale))).toBeLessThan(0.02);
    expect(t.rgba[o + 3]).toBe(255);
    expect(t.validPoints).toBe(64 * 32);
  });

  it('marks unmeasured points with zero alpha and neutral, premultiplied channels', () => {
    const g = grid(8, 8, (x, y) => (x === 3 && y === 4 ? NaN : x + y));
    const t = surfaceTexels(g);
    const o = (4 * 8 + 3) * 4;
    expect([...t.rgba.subarray(o, o + 4)]).toEqual([128, 128, 0, 0]);
    expect(t.validPoints).toBe(63);
    // Its neighbours take one-sided slopes instead of NaN.
    const left = (4 * 8 + 2) * 4;
    expect(decodeSlope(t.rgba[left]!, t.slopeScale)).toBeCloseTo(0.5, 1);
  });

  it('maps heights over the robust range into the blue channel', () => {
    const g = grid(100, 100, (x) => x);
    const t = surfaceTexels(g);
    expect(t.rgba[2]).toBe(0);
    expect(t.rgba[(100 * 100 - 1) * 4 + 2]).toBe(255);
    expect(t.rgba[(50 * 100 + 50) * 4 + 2]).toBeGreaterThan(120);
    expect(t.rgba[(50 * 100 + 50) * 4 + 2]).toBeLessThan(135);
  });

  it('refuses a grid whose size does not match its heights', () => {
    expect(() => surfaceTexels({ width: 4, height: 4, heights: new Float32Array(15), spacingUm: 1 })).toThrow(
      RangeError,
    );
  });

  it('survives an entirely unmeasured or flat surface', () => {
    expect(surfaceTexels(grid(4, 4, () => NaN)).validPoints).toBe(0);
    expect(surfaceTexels(grid(4, 4, () => 5)).slopeScale).toBeGreaterThan(0);
  });
});
