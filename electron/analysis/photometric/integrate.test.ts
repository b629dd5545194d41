import { beforeAll, describe, expect, it } from 'vitest';
import { loadOpenCv, type OpenCv } from '../opencv.ts';
import { dctRows, idctRows } from './dct.ts';
import { integrateGradients } from './integrate.ts';

let cv: OpenCv;
beforeAll(async () => {
  cv = await loadOpenCv();
});

/** Analytic surface (metres) on a grid of spacing dx, with its exact slopes. */
function analytic(width: number, height: number, dx: number) {
  const f = (x: number, y: number) => (Math.sin(x * 0.2) + 2 * Math.cos(y * 0.15 + x * 0.05)) * 1e-6 + x * 1e-8;
  const fx = (x: number, y: number) => (0.2 * Math.cos(x * 0.2) - 0.1 * Math.sin(y * 0.15 + x * 0.05)) * 1e-6 + 1e-8;
  const fy = (x: number, y: number) => -0.3 * Math.sin(y * 0.15 + x * 0.05) * 1e-6;
  const z = new Float64Array(width * height);
  const p = new Float64Array(width * height);
  const q = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      z[y * width + x] = f(x, y);
      p[y * width + x] = fx(x, y) / dx;
      q[y * width + x] = fy(x, y) / dx;
    }
  }
  return { z, p, q };
}

function maxError(a: Float64Array, b: Float64Array): number {
  let meanA = 0;
  let meanB = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) continue;
    meanA += a[i];
    meanB += b[i];
    n++;
  }
  meanA /= n;
  meanB /= n;
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    if (!Number.isNaN(a[i]) && !Number.isNaN(b[i])) worst = Math.max(worst, Math.abs(a[i] - meanA - (b[i] - meanB)));
  return worst;
}

describe('DCT through OpenCV row DFTs', () => {
  it('matches the direct DCT-II sum and inverts exactly', () => {
    const n = 10;
    const x = Float64Array.from({ length: 2 * n }, (_, i) => Math.sin(i * 1.7) + i * 0.1);
    const X = dctRows(cv, x, 2, n);
    for (let k = 0; k < n; k++) {
      let direct = 0;
      for (let m = 0; m < n; m++) direct += x[n + m] * Math.cos((Math.PI * k * (2 * m + 1)) / (2 * n));
      expect(X[n + k]).toBeCloseTo(direct, 10);
    }
    const back = idctRows(cv, X, 2, n);
    for (let i = 0; i < x.length; i++) expect(back[i]).toBeCloseTo(x[i], 12);
  });
});

describe('integrateGradients', () => {
  it('recovers a surface from its slopes to within 0.5 % of its relief (odd sizes, free edges)', () => {
    const width = 63;
    const height = 50;
    const dx = 1e-6;
    const { z, p, q } = analytic(width, height, dx);
    const { z: heights, iterations } = integrateGradients(cv, { width, height, p, q, dx, dy: dx });
    expect(iterations).toBe(0);
    expect(maxError(heights, z)).toBeLessThan(0.005 * 3.2e-6);
  });

  it('leaves masked points NaN and integrates the rest', () => {
    const width = 64;
    const height = 64;
    const dx = 2e-6;
    const { z, p, q } = analytic(width, height, dx);
    const valid = new Uint8Array(width * height).fill(1);
    for (let y = 20; y < 30; y++) for (let x = 10; x < 40; x++) valid[y * width + x] = 0;
    const { z: heights, iterations } = integrateGradients(cv, { width, height, p, q, valid, dx, dy: dx });
    expect(iterations).toBeGreaterThan(0);
    expect(heights[25 * width + 20]).toBeNaN();
    expect(Number.isNaN(heights[5 * width + 5])).toBe(false);
    const truth = Float64Array.from(z, (v, i) => (valid[i] ? v : NaN));
    expect(maxError(heights, truth)).toBeLessThan(0.01 * 3.2e-6);
  });
});
