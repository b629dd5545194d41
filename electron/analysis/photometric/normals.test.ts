import { describe, expect, it } from 'vitest';
import { estimateNormals, type CalibratedLight, type Vec3 } from './normals.ts';

const ring = (count: number, elevationDeg: number): CalibratedLight[] =>
  Array.from({ length: count }, (_, k) => {
    const az = (2 * Math.PI * k) / count;
    const el = (elevationDeg * Math.PI) / 180;
    return {
      direction: [Math.cos(el) * Math.cos(az), Math.cos(el) * Math.sin(az), Math.sin(el)] as Vec3,
      intensity: 1 + 0.1 * k,
    };
  });

/** Lambertian images of one normal, albedo 0.7, on a w × 1 strip. */
function shade(normal: Vec3, lights: CalibratedLight[], w = 4): Float32Array[] {
  const n = Math.hypot(...normal);
  return lights.map((l) => {
    const value =
      0.7 *
      l.intensity *
      Math.max(0, (normal[0] * l.direction[0] + normal[1] * l.direction[1] + normal[2] * l.direction[2]) / n);
    return new Float32Array(w).fill(value);
  });
}

describe('estimateNormals', () => {
  it('recovers normal and albedo with unequal light intensities', () => {
    const lights = ring(8, 40);
    const field = estimateNormals({ width: 4, height: 1, images: shade([0.2, -0.1, 1], lights), lights });
    const n = Math.hypot(0.2, -0.1, 1);
    expect(field.nx[0]).toBeCloseTo(0.2 / n, 5);
    expect(field.ny[0]).toBeCloseTo(-0.1 / n, 5);
    expect(field.albedo[0]).toBeCloseTo(0.7, 5);
    expect(field.lightsUsed[0]).toBe(8);
  });

  it('leaves out lights that put the pixel in shadow (a steep facet)', () => {
    const lights = ring(8, 20);
    const normal: Vec3 = [0.9, 0, 0.6]; // faces +x: the lights on the -x side do not reach it
    const field = estimateNormals({ width: 4, height: 1, images: shade(normal, lights), lights });
    const n = Math.hypot(...normal);
    expect(field.lightsUsed[0]).toBeLessThan(8);
    expect(field.nx[0]).toBeCloseTo(0.9 / n, 4);
    expect(field.nz[0]).toBeCloseTo(0.6 / n, 4);
  });

  it('rejects a specular highlight and saturated pixels', () => {
    const lights = ring(8, 40);
    const images = shade([0, 0, 1], lights);
    images[3][0] *= 3; // highlight on pixel 0 under light 3
    images[5][1] = 10; // saturated on pixel 1 under light 5
    const saturated = lights.map((_, j) => Uint8Array.from([0, j === 5 ? 1 : 0, 0, 0]));
    const field = estimateNormals({ width: 4, height: 1, images, lights, saturated });
    for (const i of [0, 1]) {
      expect(field.nz[i]).toBeCloseTo(1, 5);
      expect(field.lightsUsed[i]).toBe(7);
    }
  });

  it('marks pixels without three usable lights invalid and refuses impossible light sets', () => {
    const lights = ring(4, 30);
    const dark = lights.map(() => new Float32Array(4));
    expect(estimateNormals({ width: 4, height: 1, images: dark, lights }).valid[0]).toBe(0);
    expect(() =>
      estimateNormals({ width: 4, height: 1, images: dark.slice(0, 2), lights: lights.slice(0, 2) }),
    ).toThrow(/at least 3 lights/);
    const coplanar: CalibratedLight[] = [0, 1, 2].map((k) => ({
      direction: [Math.cos(k), Math.sin(k), 0] as Vec3,
      intensity: 1,
    }));
    expect(() => estimateNormals({ width: 4, height: 1, images: dark.slice(0, 3), lights: coplanar })).toThrow(
      /coplanar/,
    );
    expect(() => estimateNormals({ width: 5, height: 1, images: dark, lights })).toThrow(/expected 5 × 1/);
  });
});
