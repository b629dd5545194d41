import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { sharedDataPath } from '../../tests/fixtures/sharedData.ts';
import { decodePng } from './calibration/png.ts';
import { readX3PFile } from './x3p/index.ts';
import { loadOpenCv, type OpenCv } from './opencv.ts';
import { breechFaceMask, detectRegionsInImage, detectRegionsInSurface, regionsSchema } from './regions.ts';

let cv: OpenCv;
beforeAll(async () => {
  cv = await loadOpenCv();
});

const inside = (c: { cx: number; cy: number; r: number }, outer: { cx: number; cy: number; r: number }) =>
  Math.hypot(c.cx - outer.cx, c.cy - outer.cy) + c.r <= outer.r * 1.05;

describe('regions on 2D ring-light images (NBIDE)', () => {
  it('finds the primer and the firing pin in both test fires of the same gun, consistently', () => {
    const found = ['NBIDE_R_BF_118', 'NBIDE_R_BF_129'].map((name) => {
      const png = decodePng(readFileSync(sharedDataPath('nbide-2d', `${name}.png`)));
      expect(png.colour).toBe('grey');
      return detectRegionsInImage(cv, png.data as Uint8Array, png.width, png.height);
    });
    for (const r of found) {
      expect(regionsSchema.parse(r)).toEqual(r);
      expect(r.primer).not.toBeNull();
      expect(r.firingPin).not.toBeNull();
      // The primer fills about three quarters of the 1944-px height and sits near the centre of the frame.
      expect(r.primer!.r / 1944).toBeGreaterThan(0.3);
      expect(r.primer!.r / 1944).toBeLessThan(0.45);
      expect(Math.hypot(r.primer!.cx - 1296, r.primer!.cy - 972)).toBeLessThan(200);
      expect(inside(r.firingPin!, r.primer!)).toBe(true);
      expect(r.firingPin!.r).toBeLessThan(0.5 * r.primer!.r);
    }
    expect(Math.abs(found[0].primer!.r - found[1].primer!.r) / found[0].primer!.r).toBeLessThan(0.1);
  });
});

describe('regions on topographies', () => {
  it('reads primer and firing-pin aperture from a masked Fadul scan; the annulus holds its valid data', async () => {
    const surface = (await readX3PFile(sharedDataPath('fadul', 'fadul_1-1.x3p'))).surface;
    const r = detectRegionsInSurface(cv, surface);
    expect(r.primer!.r).toBeGreaterThan(0.45 * surface.width);
    expect(r.firingPin).not.toBeNull();
    expect(inside(r.firingPin!, r.primer!)).toBe(true);
    const mask = breechFaceMask(r);
    let valid = 0;
    let covered = 0;
    for (let i = 0; i < surface.z.length; i++)
      if (!Number.isNaN(surface.z[i])) {
        valid++;
        covered += mask[i];
      }
    expect(covered / valid).toBeGreaterThan(0.95);
  });

  it('refuses surfaces with no data and pictures too small to hold a cartridge', () => {
    expect(() =>
      detectRegionsInSurface(cv, { width: 32, height: 32, dx: 1e-6, dy: 1e-6, z: new Float64Array(1024).fill(NaN) }),
    ).toThrow(/no valid point/);
    expect(() => detectRegionsInImage(cv, new Uint8Array(10), 5, 2)).toThrow(/picture of 5 × 2/);
  });
});
