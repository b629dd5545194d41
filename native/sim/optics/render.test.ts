import { describe, expect, it } from 'vitest';
import {
  coaxialLight,
  defaultSensor,
  directionFromAngles,
  exposureForPeak,
  prepareSpecimen,
  renderImage,
  ringSegments,
  type HeightField,
  type Scene,
} from './index.ts';

/** A plane z = sx·x + sy·y sampled on a w × h grid of 1 µm. */
function plane(w: number, h: number, sx: number, sy: number): HeightField {
  const z = new Float64Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) z[y * w + x] = (sx * x + sy * y) * 1e-6;
  return { width: w, height: h, dx: 1e-6, dy: 1e-6, z };
}

const mean = (data: ArrayLike<number>) => Array.from(data).reduce((a, b) => a + b, 0) / data.length;

describe('renderImage', () => {
  const flat = prepareSpecimen(plane(32, 32, 0, 0), { albedo: 0.5 });
  const base: Scene = {
    specimen: flat,
    lights: [coaxialLight(1)],
    camera: { width: 32, height: 32, bitDepth: 16, exposureMs: 4 },
    noise: false,
  };

  it('a flat diffuser under a coaxial light gives albedo × intensity × exposure in electrons, mapped to DN', () => {
    const img = renderImage(base);
    const electrons = 0.5 * 1 * 4 * defaultSensor.electronsPerMs;
    const expected = Math.round((electrons * 65535) / defaultSensor.fullWellE + defaultSensor.blackLevel * 65535);
    expect(img.data[0]).toBe(expected);
    expect(new Set(img.data).size).toBe(1);
  });

  it('follows Lambert: a plane tilted towards one light is brighter under it by the cosine ratio', () => {
    const slope = Math.tan((20 * Math.PI) / 180);
    const tilted = prepareSpecimen(plane(32, 32, -slope, 0), { albedo: 0.5 }); // normal leans to +x
    const towards = { direction: directionFromAngles(0, 45), intensity: 1 };
    const away = { direction: directionFromAngles(180, 45), intensity: 1 };
    const black = defaultSensor.blackLevel * 65535;
    const at = (light: typeof towards) =>
      renderImage({ ...base, specimen: tilted, lights: [light] }).data[16 * 32 + 16] - black;
    const expectedRatio = Math.cos(((45 - 20) * Math.PI) / 180) / Math.cos(((45 + 20) * Math.PI) / 180);
    expect(at(towards) / at(away)).toBeCloseTo(expectedRatio, 2);
  });

  it('saturates at full scale and reports the saturated fraction', () => {
    const img = renderImage({ ...base, camera: { ...base.camera, exposureMs: 100 } });
    expect(img.saturatedFraction).toBe(1);
    expect(img.data[0]).toBe(65535);
    const eightBit = renderImage({ ...base, camera: { ...base.camera, bitDepth: 8, exposureMs: 100 } });
    expect(eightBit.data).toBeInstanceOf(Uint8Array);
    expect(eightBit.data[0]).toBe(255);
  });

  it('exposureForPeak picks an exposure that lands the brightest point at the asked fraction', () => {
    const exposureMs = exposureForPeak(0.5, 0.8);
    const img = renderImage({ ...base, camera: { ...base.camera, exposureMs } });
    expect(img.data[0] / 65535).toBeCloseTo(0.8 + defaultSensor.blackLevel * (1 - 0.8), 2);
  });

  it('adds shot and read noise with the expected spread, reproducibly for a seed', () => {
    const noisy = { ...base, camera: { ...base.camera, width: 256, height: 256 }, noise: true, seed: 7 };
    const a = renderImage(noisy);
    const b = renderImage(noisy);
    expect(a.data).toEqual(b.data);
    expect(renderImage({ ...noisy, seed: 8 }).data).not.toEqual(a.data);
    const m = mean(a.data);
    const sd = Math.sqrt(mean(Array.from(a.data, (v) => (v - m) ** 2)));
    const electrons = 0.5 * 4 * defaultSensor.electronsPerMs;
    const expectedSd = (Math.sqrt(electrons + defaultSensor.readNoiseE ** 2) * 65535) / defaultSensor.fullWellE;
    expect(sd / expectedSd).toBeGreaterThan(0.9);
    expect(sd / expectedSd).toBeLessThan(1.1);
  });

  it('defocus blurs: fine texture loses contrast as the focus error grows', () => {
    const w = 128;
    const z = new Float64Array(w * w);
    for (let i = 0; i < z.length; i++) z[i] = Math.sin(i * 0.7) * Math.cos((i % w) * 1.3) * 1e-6;
    const textured = prepareSpecimen({ width: w, height: w, dx: 1e-6, dy: 1e-6, z });
    const contrast = (defocusM: number) => {
      const img = renderImage({
        ...base,
        specimen: textured,
        lights: ringSegments(4, 30),
        camera: { ...base.camera, width: w, height: w },
        optics: { numericalAperture: 0.1, defocusM },
      });
      const m = mean(img.data);
      return Math.sqrt(mean(Array.from(img.data, (v) => (v - m) ** 2)));
    };
    const c0 = contrast(0);
    const c1 = contrast(20e-6);
    const c2 = contrast(80e-6);
    expect(c1).toBeLessThan(c0 * 0.8);
    expect(c2).toBeLessThan(c1 * 0.8);
  });

  it('pixel size and field of view: half the pixel size shows half the specimen, the rest is background', () => {
    const specimen = prepareSpecimen(plane(32, 32, 0, 0), { albedo: 0.9 });
    const wide = renderImage({ ...base, specimen, camera: { ...base.camera, pixelSizeM: 2e-6 } });
    // 32 points of 1 µm fill the centre 16 pixels; the border shows the duller casing around the scan.
    expect(wide.data[16 * 32 + 16]).toBeGreaterThan(wide.data[0]);
    const fov = renderImage({ ...base, specimen, camera: { ...base.camera, fieldOfViewM: 64e-6 } });
    expect(fov.pixelSizeM).toBe(2e-6);
    expect(fov.data).toEqual(wide.data);
  });

  it('refuses impossible settings with clear errors', () => {
    expect(() => renderImage({ ...base, camera: { ...base.camera, bitDepth: 12 as 8 } })).toThrow(
      /bit depth must be 8 or 16/,
    );
    expect(() => renderImage({ ...base, camera: { ...base.camera, width: 0 } })).toThrow(/camera size/);
    expect(() => renderImage({ ...base, lights: [{ direction: [0, 0, 1], intensity: -1 }] })).toThrow(/intensity/);
    expect(() => prepareSpecimen({ width: 4, height: 4, dx: 1, dy: 1, z: new Float64Array(3) })).toThrow(
      /expected 4 × 4/,
    );
  });
});
