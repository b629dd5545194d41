// The engine on real Fadul pairs (one known match, one known non-match) and on deliberately bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDataPath } from '../../../tests/fixtures/sharedData.ts';
import { readX3PFile } from '../x3p/index.ts';
import { loadOpenCv, wasmHeapSize, type OpenCv } from '../opencv.ts';
import { preprocessSurface } from '../preprocess.ts';
import type { Surface } from '../surface.ts';
import { createCmcEngine, type CmcEngine } from './compare.ts';
import { cmcPreprocessDefaults } from './params.ts';
import { cutByFrame, prepareScan, type PreparedScan } from './prepared.ts';
import { invertRegistration, registerCoarse } from './registration.ts';
import { createCorrelator } from './correlator.ts';
import { resolveCmcParams } from './params.ts';

let cv: OpenCv;
let engine: CmcEngine;
const scans = new Map<string, PreparedScan>();
const raw = new Map<string, Surface>();

async function scan(name: string): Promise<PreparedScan> {
  let s = scans.get(name);
  if (!s) {
    const surface = (await readX3PFile(sharedDataPath('fadul', `fadul_${name}.x3p`))).surface;
    raw.set(name, surface);
    s = prepareScan(name, preprocessSurface(cv, surface, cmcPreprocessDefaults).surface);
    scans.set(name, s);
  }
  return s;
}

beforeAll(async () => {
  cv = await loadOpenCv();
  engine = createCmcEngine(cv);
});
afterAll(() => engine.dispose());

describe('CMC on real Fadul scans', () => {
  it('finds many congruent cells for a known match (1-1 vs 1-2) in both directions', async () => {
    const r = engine.compare(await scan('1-1'), await scan('1-2'));
    // Published for this pair: NIST 27, cmcR 17–19. Our parameters give 17–19.
    expect(r.cmc.ab).toBeGreaterThanOrEqual(12);
    expect(r.cmc.ba).toBeGreaterThanOrEqual(12);
    expect(r.cmc.combined).toBe(Math.min(r.cmc.ab, r.cmc.ba));
    expect(r.directions[0].cells.filter((c) => c.congruent)).toHaveLength(r.cmc.ab);
    for (const c of r.directions[0].cells.filter((c) => c.congruent)) expect(c.corr).toBeGreaterThanOrEqual(0.5);
    expect(Math.abs(r.registration.thetaDeg - -23)).toBeLessThan(3);
    expect(r.timing.totalMs).toBeGreaterThan(0);
    // The features beyond the count agree: the scans correlate after registration, cells cluster, and both
    // directions register the same way.
    expect(r.features.fullCorrelation).toBeGreaterThan(0.4);
    expect(r.features.cellCorrelationMean).toBeGreaterThan(0.5);
    expect(r.features.clusterFraction).toBeGreaterThan(0.8);
    expect(r.features.directionTranslationGap).toBeLessThan(0.1);
  });

  it('finds almost none for a known non-match (1-1 vs 2-1), and features to match', async () => {
    const r = engine.compare(await scan('1-1'), await scan('2-1'));
    expect(r.cmc.combined).toBeLessThanOrEqual(2);
    expect(r.directions[0].validCells).toBeGreaterThan(10);
    expect(r.features.fullCorrelation).toBeLessThan(0.25);
    expect(r.features.cellCorrelationMean).toBeLessThan(0.4);
  });

  it('features do not depend on which scan comes first', async () => {
    const ab = engine.compare(await scan('1-1'), await scan('1-2')).features;
    const ba = engine.compare(await scan('1-2'), await scan('1-1')).features;
    for (const key of Object.keys(ab) as (keyof typeof ab)[])
      expect(Math.abs(ab[key] - ba[key]), key).toBeLessThan(key === 'registrationCorrelation' ? 0.1 : 0.06);
  });

  it('registers a scan cropped to a fifth of its breech face against a full scan of its mate, either way round', async () => {
    // The top-left part of 2-1's scan only (an off-centre window, as another lab's pipeline may leave it). The
    // sweep's plain correlation alone took a wrong angle here in both orders (CMC 1 and 0).
    const full = await scan('2-1');
    const { width, height, data } = full.raster;
    const w = Math.round(0.5 * width);
    const h = Math.round(0.6 * height);
    const z = new Float64Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) z[y * w + x] = data[y * width + x];
    const cropped = prepareScan('2-1 cropped', { width: w, height: h, dx: full.pixelSize, dy: full.pixelSize, z });
    expect(cropped.validPoints).toBeLessThan(0.25 * full.validPoints);
    const mate = await scan('2-2');
    for (const [a, b, theta] of [
      [cropped, mate, -15],
      [mate, cropped, 15],
    ] as const) {
      const r = engine.compare(a, b);
      expect(Math.abs(r.registration.thetaDeg - theta), `${a.id} vs ${b.id}`).toBeLessThan(3);
      expect(r.cmc.combined, `${a.id} vs ${b.id}`).toBeGreaterThanOrEqual(4);
    }
  });

  it('tells a whole breech face from one cut by a straight edge (a field of view or a crop)', async () => {
    const { readdirSync } = await import('node:fs');
    // Every NIST Fadul scan is a whole breech face: the pairs among them keep the plain sweep.
    const names = readdirSync(sharedDataPath('fadul'))
      .filter((f) => /^fadul_.*\.x3p$/.test(f))
      .map((f) => f.slice(6, -4));
    expect(names).toHaveLength(40);
    for (const name of names) expect(cutByFrame(await scan(name)), name).toBe(false);
    // A crop to 85 % of each side, off centre, cuts it; so does a raw scan's field of view smaller than the face.
    const full = await scan('3-1');
    const { width, height, data } = full.raster;
    const crop = (x0: number, y0: number, w: number, h: number) => {
      const z = new Float64Array(w * h);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) z[y * w + x] = data[(y0 + y) * width + x0 + x];
      return prepareScan('cropped', { width: w, height: h, dx: full.pixelSize, dy: full.pixelSize, z });
    };
    expect(cutByFrame(crop(0, 0, Math.round(0.85 * width), Math.round(0.85 * height)))).toBe(true);
    expect(cutByFrame(crop(40, 40, width - 80, height - 80))).toBe(true);
    // A margin of unmeasured points around the face changes nothing.
    expect(cutByFrame(crop(0, 0, width, height))).toBe(false);
  });

  it('inverts a registration consistently: registering B onto A directly gives the same transform', async () => {
    const [a, b] = [await scan('1-1'), await scan('1-2')];
    const params = resolveCmcParams();
    const correlators = new Map<number, ReturnType<typeof createCorrelator>>();
    const correlatorFor = (n: number) => correlators.get(n) ?? correlators.set(n, createCorrelator(cv, n)).get(n)!;
    const ab = registerCoarse(a, b, params, correlatorFor);
    const ba = registerCoarse(b, a, params, correlatorFor);
    const inv = invertRegistration(ab, a.raster, b.raster);
    expect(Math.abs(inv.thetaDeg - ba.thetaDeg)).toBeLessThan(1.5);
    expect(Math.hypot(inv.tx - ba.tx, inv.ty - ba.ty)).toBeLessThan(12);
    for (const c of correlators.values()) c.dispose();
  });

  it('recovers a synthetic rotation of 120° and a shift over the full circle', async () => {
    const a = await scan('1-1');
    const src = a.raster;
    // B = A rotated by −120° and shifted by (9, −6) px, so A(p) ≈ B_120(p + t).
    const { rotateRaster } = await import('../raster.ts');
    const rotated = rotateRaster(src, -120);
    const z = new Float64Array(src.width * src.height).fill(NaN);
    for (let y = 0; y < src.height; y++)
      for (let x = 0; x < src.width; x++) {
        const sx = x - 9;
        const sy = y + 6;
        if (sx >= 0 && sy >= 0 && sx < src.width && sy < src.height)
          z[y * src.width + x] = rotated[sy * src.width + sx];
      }
    const b = prepareScan('1-1 turned', { width: src.width, height: src.height, dx: a.pixelSize, dy: a.pixelSize, z });
    const r = engine.compare(a, b);
    expect(Math.abs(r.registration.thetaDeg - 120)).toBeLessThan(1.5);
    expect(r.cmc.combined).toBeGreaterThanOrEqual(15);
  });
});

describe('CMC on bad input', () => {
  const surface = (w: number, h: number, fill: (x: number, y: number) => number, dx = 6.25e-6): Surface => ({
    width: w,
    height: h,
    dx,
    dy: dx,
    z: Float64Array.from({ length: w * h }, (_, i) => fill(i % w, Math.floor(i / w))),
  });

  it('refuses empty and NaN-only surfaces with a specific reason', () => {
    expect(() => prepareScan('empty', { width: 0, height: 0, dx: 1e-6, dy: 1e-6, z: new Float64Array(0) })).toThrow(
      /dimensions must be positive/,
    );
    try {
      prepareScan(
        'nan',
        surface(64, 64, () => NaN),
      );
      expect.unreachable();
    } catch (error) {
      expect((error as { reason: string }).reason).toBe('empty_surface');
      expect((error as Error).message).toMatch(/no valid point/);
    }
    expect(() =>
      prepareScan(
        'few',
        surface(64, 64, (x, y) => (x < 10 && y < 10 ? 1e-6 : NaN)),
      ),
    ).toThrow(/only 100 valid points/);
  });

  it('refuses a huge raster before allocating anything for it', () => {
    // The heights array is shared, not copied: the check runs on the declared size before any work.
    const z = new Float64Array(3000 * 3000);
    expect(() => prepareScan('huge', { width: 3000, height: 3000, dx: 6.25e-6, dy: 6.25e-6, z })).toThrow(
      /above the 4194304-point bound.*resample/,
    );
  });

  it('refuses mismatched pixel sizes and says how to fix it', async () => {
    const a = await scan('1-1');
    const b = prepareScan('coarser', { ...raw.get('1-1')!, dx: 12.5e-6, dy: 12.5e-6 });
    expect(() => engine.compare(a, b)).toThrow(
      /pixel sizes differ: 1-1 6\.250 µm, coarser 12\.500 µm.*preprocessSurface resamples/,
    );
    expect(() => prepareScan('skewed', { ...raw.get('1-1')!, dy: 7e-6 })).toThrow(/non-square pixels/);
  });

  it('gives a clear zero, not a crash, when the valid areas hardly overlap', async () => {
    // Independent rough textures on two thin strips at opposite edges: whatever the registration, at most a
    // sliver overlaps, and cells whose overlap is below half their points get no correlation at all.
    let seed = 7;
    const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 1e-6;
    const left = prepareScan(
      'left',
      surface(200, 200, (x) => (x < 30 ? noise() : NaN)),
    );
    const right = prepareScan(
      'right',
      surface(200, 200, (x) => (x > 175 ? noise() : NaN)),
    );
    const r = engine.compare(left, right);
    expect(r.cmc.combined).toBe(0);
    expect(Number.isFinite(r.registration.thetaDeg)).toBe(true);
    for (const cell of r.directions[0].cells) expect(Number.isNaN(cell.corr) || cell.corr < 0.5).toBe(true);
  });

  it('rejects out-of-range parameters', async () => {
    const a = await scan('1-1');
    expect(() => engine.compare(a, a, { corrThreshold: 2 })).toThrow(/invalid CMC parameters: corrThreshold/);
  });

  it('stops at once when canceled', async () => {
    const controller = new AbortController();
    controller.abort(new Error('user'));
    expect(() => engine.compare(scans.get('1-1')!, scans.get('1-2')!, {}, controller.signal)).toThrow(/user/);
  });

  it('does not leak OpenCV memory across many comparisons and engines', async () => {
    const [a, b] = [await scan('1-1'), await scan('2-1')];
    const warm = createCmcEngine(cv);
    warm.compare(a, b);
    warm.dispose();
    const before = wasmHeapSize(cv);
    for (let i = 0; i < 5; i++) {
      const e = createCmcEngine(cv);
      e.compare(a, b);
      e.dispose();
    }
    expect(wasmHeapSize(cv)).toBe(before);
    // Leaking the three Mats of 150 correlators of 256² would grow the 128 MiB heap (measured: to 256 MiB),
    // so this check can fail.
    for (let i = 0; i < 150; i++) createCorrelator(cv, 256).dispose();
    expect(wasmHeapSize(cv)).toBe(before);
  });
});
