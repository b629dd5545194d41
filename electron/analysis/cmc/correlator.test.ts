// The correlator's shortcut for the coarse sweep: the correlation with an image turned 180° derived from the
// image's own spectrum must equal correlating the turned image directly, and a registration must not change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOpenCv, type OpenCv } from '../opencv.ts';
import { seededRandom } from '../random.ts';
import { createCorrelator, type Correlator } from './correlator.ts';
import { angleScorer } from './registration.ts';
import { prepareScan } from './prepared.ts';
import { rotateRaster } from '../raster.ts';

let cv: OpenCv;
const correlators = new Map<number, Correlator>();
const correlatorFor = (n: number) => correlators.get(n) ?? correlators.set(n, createCorrelator(cv, n)).get(n)!;
beforeAll(async () => {
  cv = await loadOpenCv();
});
afterAll(() => {
  for (const c of correlators.values()) c.dispose();
});

describe('correlateWithTurned', () => {
  it('equals correlating the image turned 180° within its box, for odd and even box sizes', () => {
    const random = seededRandom(7);
    for (const [n, w, h] of [
      [108, 70, 69],
      [96, 61, 64],
    ]) {
      const correlator = correlatorFor(n);
      const template = new Float32Array(n * n);
      const image = new Float32Array(n * n);
      const turned = new Float32Array(n * n);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          template[y * n + x] = random() - 0.5;
          image[y * n + x] = random() - 0.5;
        }
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) turned[y * n + x] = image[(h - 1 - y) * n + (w - 1 - x)];
      const spectrum = correlator.spectrum(template);
      const [direct, directTurned, both, bothTurned] = Array.from({ length: 4 }, () => new Float32Array(n * n));
      correlator.correlate(spectrum, image, direct);
      correlator.correlate(spectrum, turned, directTurned);
      correlator.correlateWithTurned(spectrum, image, { width: w, height: h }, both, bothTurned);
      let worst = 0;
      let scale = 0;
      for (let i = 0; i < n * n; i++) {
        worst = Math.max(worst, Math.abs(both[i] - direct[i]), Math.abs(bothTurned[i] - directTurned[i]));
        scale = Math.max(scale, Math.abs(directTurned[i]));
      }
      expect(scale).toBeGreaterThan(1);
      expect(worst / scale, `${n} ${w}×${h}`).toBeLessThan(1e-4);
    }
  });

  it('the sweep, turning the reference, scores every angle as turning the target does, and finds the turn', () => {
    const random = seededRandom(11);
    // A smooth random texture (a few hundred µm wavelengths survive the ×8 level), an unmeasured corner so the
    // mask differs between angles, and the target: the same surface turned by 64° about its centre.
    const w = 560;
    const h = 552;
    const z = new Float64Array(w * h);
    const waves = Array.from({ length: 24 }, () => [random() * 0.2, random() * 0.2, random() * 2 * Math.PI]);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let v = 0;
        for (const [kx, ky, phase] of waves) v += Math.sin(kx * x + ky * y + phase);
        z[y * w + x] = Math.hypot(x - w / 2, y - h / 2) < 260 ? v : NaN;
      }
    for (let y = 0; y < 120; y++) for (let x = 0; x < 150; x++) z[y * w + x] = NaN;
    const a = prepareScan('a', { width: w, height: h, dx: 6.25e-6, dy: 6.25e-6, z });
    const turned = rotateRaster({ width: w, height: h, data: z }, -64);
    const b = prepareScan('b', { width: w, height: h, dx: 6.25e-6, dy: 6.25e-6, z: turned });
    const scorer = angleScorer(a, b, 8, correlatorFor);
    const steps = 180;
    const scores = scorer.sweep(steps);
    let worst = 0;
    for (const i of [0, 7, 32, 90, 122, 151])
      worst = Math.max(worst, Math.abs(scores[i] - scorer.evaluate(2 * i).score));
    expect(worst).toBeLessThan(0.05);
    const best = scores.indexOf(Math.max(...scores));
    expect(best * 2).toBe(64);
    expect(scores[best]).toBeGreaterThan(0.9);
    // A second sweep reuses the kept rotations and gives the same scores; so does one after other references
    // (of another size, so another transform) pushed this one out of the kept set and it was turned again.
    expect(scorer.sweep(steps)).toEqual(scores);
    const small = (id: string) =>
      prepareScan(id, { width: 300, height: 280, dx: 6.25e-6, dy: 6.25e-6, z: z.slice(0, 300 * 280) });
    for (const other of [small('c'), small('d')]) angleScorer(other, a, 8, correlatorFor).sweep(steps);
    // The other way round (B as the reference, its own turned spectra): A onto B is the turn back, 360° − 64°.
    const back = angleScorer(b, a, 8, correlatorFor).sweep(steps);
    expect(back.indexOf(Math.max(...back)) * 2).toBe(360 - 64);
    expect(angleScorer(a, b, 8, correlatorFor).sweep(steps)).toEqual(scores);
    // Turning the reference by +θ instead of −θ would find the turn at 360° − 64°: the sign is checked above.
    expect(scores[(360 - 64) / 2]).toBeLessThan(0.5);
  });
});
