import { describe, expect, it } from 'vitest';
import { computeNormals, invalidHatch, lightVector, niceLength, shadeRelief, type HeightMap } from './shading.ts';
import { heightRange } from '../../../shared/heightColour.ts';

/** A plane rising towards the top of the screen by `slope` µm per µm: it faces the bottom (south). */
function southFacingPlane(w: number, h: number, slope: number, pixelUm = 2): HeightMap {
  const heights = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) heights[y * w + x] = (h - 1 - y) * pixelUm * slope;
  return { width: w, height: h, heights, pixelUm };
}

function grey(out: Uint8ClampedArray, w: number, x: number, y: number) {
  return out[(y * w + x) * 4]!;
}

describe('relief shading', () => {
  it('computes unit normals tilted by the physical slope', () => {
    const normals = computeNormals(southFacingPlane(8, 8, 1));
    // 45° slope facing south: normal (0, +1/√2, 1/√2) everywhere, edges included.
    for (const i of [0, 9, 63]) {
      expect(normals.nx[i]).toBeCloseTo(0, 6);
      expect(normals.ny[i]).toBeCloseTo(Math.SQRT1_2, 6);
      expect(normals.nz[i]).toBeCloseTo(Math.SQRT1_2, 6);
    }
  });

  it('takes the pixel size into account and exaggerates slopes on request', () => {
    const map = southFacingPlane(4, 4, 0.5);
    const plain = computeNormals(map).ny[5]!;
    const steeper = computeNormals(map, 2).ny[5]!;
    expect(plain).toBeCloseTo(0.5 / Math.sqrt(1.25), 5);
    expect(steeper).toBeCloseTo(1 / Math.sqrt(2), 5);
  });

  it('lights a south-facing slope from the south (bottom) and leaves it dark from the north', () => {
    const map = southFacingPlane(6, 6, 1);
    const normals = computeNormals(map);
    const out = new Uint8ClampedArray(36 * 4);
    shadeRelief(normals, { azimuthDeg: 180, elevationDeg: 45, ambient: 0 }, out);
    expect(grey(out, 6, 3, 3)).toBe(255);
    shadeRelief(normals, { azimuthDeg: 0, elevationDeg: 45, ambient: 0 }, out);
    expect(grey(out, 6, 3, 3)).toBe(0);
    shadeRelief(normals, { azimuthDeg: 90, elevationDeg: 0, ambient: 0.2 }, out);
    expect(grey(out, 6, 3, 3)).toBe(Math.round(255 * 0.2));
  });

  it('marks invalid pixels with the hatch and shades their neighbours from one side', () => {
    const map = southFacingPlane(16, 16, 1);
    map.heights[5 * 16 + 5] = NaN;
    const normals = computeNormals(map);
    expect(Number.isNaN(normals.nx[5 * 16 + 5])).toBe(true);
    expect(normals.ny[5 * 16 + 6]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(normals.ny[4 * 16 + 5]).toBeCloseTo(Math.SQRT1_2, 6);
    const out = new Uint8ClampedArray(256 * 4);
    shadeRelief(normals, { azimuthDeg: 0, elevationDeg: 45 }, out);
    const o = (5 * 16 + 5) * 4;
    expect([out[o], out[o + 1], out[o + 2]]).toEqual(invalidHatch[((5 + 5) >> 3) & 1]);
    // An isolated valid pixel (no valid neighbours) is drawn flat, not as NaN.
    const lone: HeightMap = { width: 3, height: 1, heights: new Float32Array([NaN, 4, NaN]), pixelUm: 1 };
    expect(computeNormals(lone).nz[1]).toBe(1);
  });

  it('colours by height in false colour, low blue-violet and high yellow', () => {
    const map = southFacingPlane(4, 64, 0.01);
    const normals = computeNormals(map);
    const out = new Uint8ClampedArray(4 * 64 * 4);
    const range = heightRange(map.heights)!;
    shadeRelief(
      normals,
      { azimuthDeg: 0, elevationDeg: 90, ambient: 1, falseColour: { heights: map.heights, range } },
      out,
    );
    const top = 0 * 4 * 4;
    const bottom = 63 * 4 * 4;
    expect(out[top]! > out[top + 2]!).toBe(true); // high: yellow (red > blue)
    expect(out[bottom + 2]! > out[bottom]!).toBe(true); // low: violet (blue > red)
  });

  it('finds a robust height range and ignores NaN', () => {
    const heights = new Float32Array(1000).map((_, i) => (i % 10 === 0 ? NaN : i));
    heights[1] = 1e9; // one outlier
    const range = heightRange(heights)!;
    expect(range.min).toBeLessThan(20);
    expect(range.max).toBeLessThan(1000);
    expect(heightRange(new Float32Array([NaN, NaN]))).toBeNull();
  });

  it('points the light vector as documented', () => {
    const [x, y, z] = lightVector(90, 0);
    expect(x).toBeCloseTo(1);
    expect(y).toBeCloseTo(0);
    expect(z).toBeCloseTo(0);
    expect(lightVector(0, 90)[2]).toBeCloseTo(1);
  });

  it('picks round scale-bar lengths', () => {
    expect(niceLength(730)).toBe(500);
    expect(niceLength(199)).toBe(100);
    expect(niceLength(2.5)).toBe(2);
    expect(niceLength(0)).toBe(0);
  });

  it('refuses a height map of the wrong length', () => {
    expect(() => computeNormals({ width: 3, height: 3, heights: new Float32Array(8), pixelUm: 1 })).toThrow(RangeError);
  });
});
