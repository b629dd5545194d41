// The correlator's shortcut for the coarse sweep: the correlation with an image turned 180° derived from the
// image's own spectrum must equal correlating the turned image directly, and a registration must not change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOpenCv, type OpenCv } from '../opencv.ts';
import { seededRandom } from '../random.ts';
import { createCorrelator, type Correlator } from './correlator.ts';
import { angleScorer } from './registration.ts';
import { prepareScan } from './prepared.ts';

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

  it('the sweep scores θ + 180° as evaluating that angle directly does', () => {
    const random = seededRandom(11);
    const surface = (w: number, h: number) => {
      const z = new Float64Array(w * h);
      for (let i = 0; i < z.length; i++) z[i] = random();
      // An unmeasured corner, so the turned mask differs from the straight one.
      for (let y = 0; y < 120; y++) for (let x = 0; x < 150; x++) z[y * w + x] = NaN;
      return { width: w, height: h, dx: 6.25e-6, dy: 6.25e-6, z };
    };
    const a = prepareScan('a', surface(560, 552));
    const b = prepareScan('b', surface(545, 557));
    const scorer = angleScorer(a, b, 8, correlatorFor);
    for (const theta of [0, 14, 88, 130, 178]) {
      const [peak, opposite] = scorer.evaluateWithOpposite(theta);
      const direct = scorer.evaluate(theta);
      const directOpposite = scorer.evaluate(theta + 180);
      // One packed complex inverse gives both: equal to the plain correlation up to float rounding.
      expect(Math.abs(peak.score - direct.score), `${theta}`).toBeLessThan(1e-6);
      expect([peak.sx, peak.sy]).toEqual([direct.sx, direct.sy]);
      expect(Math.abs(opposite.score - directOpposite.score), `${theta}`).toBeLessThan(1e-5);
      expect([opposite.sx, opposite.sy]).toEqual([directOpposite.sx, directOpposite.sy]);
    }
  });
});
