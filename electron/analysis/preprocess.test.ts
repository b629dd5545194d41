import { beforeAll, describe, expect, it } from 'vitest';
import { sharedDataPath } from '../../tests/fixtures/sharedData.ts';
import { readX3PFile } from './x3p/index.ts';
import { loadOpenCv, type OpenCv } from './opencv.ts';
import { gaussianSigmaForCutoff, preprocessSurface, resampleTo } from './preprocess.ts';
import type { Surface } from './surface.ts';

let cv: OpenCv;
beforeAll(async () => {
  cv = await loadOpenCv();
});

const px = 6.25e-6;
const make = (w: number, h: number, f: (x: number, y: number) => number, dx = px): Surface => ({
  width: w,
  height: h,
  dx,
  dy: dx,
  z: Float64Array.from({ length: w * h }, (_, i) => f(i % w, Math.floor(i / w))),
});
const rms = (z: Float64Array) => {
  let s = 0;
  let n = 0;
  for (const v of z)
    if (!Number.isNaN(v)) {
      s += v * v;
      n++;
    }
  return Math.sqrt(s / n);
};

describe('preprocessSurface', () => {
  it('uses the ISO 16610-61 Gaussian: σ ≈ 0.1874 λc', () => {
    expect(gaussianSigmaForCutoff(500e-6)).toBeCloseTo(93.7e-6, 7);
  });

  it('removes a tilt, keeps a 100 µm wave and removes a 4 mm wave; records every parameter', () => {
    const wave = (x: number) => 1e-6 * Math.sin((2 * Math.PI * x * px) / 100e-6);
    // A 4 mm form wave: the Gaussian high-pass keeps 1 − exp(−π(αλc/λ)²) ≈ 1 % of it.
    const form = (x: number) => 2e-6 * Math.sin((2 * Math.PI * x * px) / 4e-3);
    const s = make(256, 256, (x, y) => wave(x) + form(x) + 3e-6 * (x / 256) + 2e-6 * (y / 256));
    const out = preprocessSurface(cv, s, { longCutoff: 500e-6 });
    expect(out.params.longCutoff).toBe(500e-6);
    expect(out.params.shortCutoff).toBe(16e-6);
    expect(out.report.levelCoefficients).toHaveLength(3);
    // Compare in the interior (the filter has no data beyond the border).
    const inner = new Float64Array(128 * 128);
    const expected = new Float64Array(128 * 128);
    for (let y = 0; y < 128; y++)
      for (let x = 0; x < 128; x++) {
        inner[y * 128 + x] = out.surface.z[(y + 64) * 256 + x + 64];
        expected[y * 128 + x] = wave(x + 64);
      }
    const diff = inner.map((v, i) => v - expected[i]);
    expect(rms(diff)).toBeLessThan(0.15 * rms(expected));
  });

  it('drops spikes as outliers and keeps NaN where data was missing', () => {
    const s = make(64, 64, (x, y) => (x === 10 && y === 10 ? 1e-3 : x < 5 ? NaN : 1e-7 * Math.sin(x + y * 1.7)));
    const out = preprocessSurface(cv, s, { shortCutoff: null, longCutoff: null });
    expect(out.report.outliersRemoved).toBeGreaterThanOrEqual(1);
    expect(Number.isNaN(out.surface.z[10 * 64 + 10])).toBe(true);
    expect(Number.isNaN(out.surface.z[3])).toBe(true);
  });

  it('is close to the identity on an already processed Fadul scan', async () => {
    const s = (await readX3PFile(sharedDataPath('fadul', 'fadul_1-1.x3p'))).surface;
    const out = preprocessSurface(cv, s, { shortCutoff: 16e-6, longCutoff: 500e-6 });
    let sab = 0,
      saa = 0,
      sbb = 0;
    for (let i = 0; i < s.z.length; i++) {
      const a = s.z[i],
        b = out.surface.z[i];
      if (Number.isNaN(a) || Number.isNaN(b)) continue;
      sab += a * b;
      saa += a * a;
      sbb += b * b;
    }
    expect(sab / Math.sqrt(saa * sbb)).toBeGreaterThan(0.9);
    expect(out.report.validPoints).toBeGreaterThan(0.97 * (out.report.validPoints + out.report.outliersRemoved));
  });

  it('resamples a fine, large scan to the working resolution with bounded memory', () => {
    // 2400² points at 0.625 µm → 240² at 6.25 µm; the block mean runs first, so nothing of 2400² is copied twice.
    const s = make(2400, 2400, (x, y) => 1e-7 * Math.sin(x / 50) * Math.cos(y / 70), 0.625e-6);
    const out = resampleTo(s, px);
    expect([out.width, out.height]).toEqual([240, 240]);
    expect(out.dx).toBe(px);
    expect(() => preprocessSurface(cv, s, { maxPoints: 1_000_000 })).toThrow(/above the bound of 1000000/);
  });

  it('refuses empty, NaN-only and inconsistent input with specific errors', () => {
    expect(() =>
      preprocessSurface(
        cv,
        make(16, 16, () => NaN),
      ),
    ).toThrow(/no valid point/);
    expect(() => preprocessSurface(cv, { width: 4, height: 4, dx: px, dy: px, z: new Float64Array(3) })).toThrow(
      /3 heights for 4 × 4/,
    );
    expect(() =>
      preprocessSurface(
        cv,
        make(8, 8, () => 0),
        { shortCutoff: 600e-6, longCutoff: 500e-6 },
      ),
    ).toThrow(/must be below the long cut-off/);
    expect(() =>
      preprocessSurface(
        cv,
        make(8, 8, () => 0, -1),
      ),
    ).toThrow(/spacings must be positive/);
  });
});
