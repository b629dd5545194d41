import { describe, expect, it } from 'vitest';
import { fft1dInPlace, forward2d, inverse2d } from './fft.ts';

function naiveDft(re: Float64Array, im: Float64Array, n: number) {
  const outRe = new Float64Array(n * n);
  const outIm = new Float64Array(n * n);
  for (let v = 0; v < n; v++)
    for (let u = 0; u < n; u++) {
      let sr = 0;
      let si = 0;
      for (let y = 0; y < n; y++)
        for (let x = 0; x < n; x++) {
          const a = (-2 * Math.PI * (u * x + v * y)) / n;
          sr += re[y * n + x] * Math.cos(a) - im[y * n + x] * Math.sin(a);
          si += re[y * n + x] * Math.sin(a) + im[y * n + x] * Math.cos(a);
        }
      outRe[v * n + u] = sr;
      outIm[v * n + u] = si;
    }
  return { outRe, outIm };
}

const random = (n: number, seed: number) => {
  let s = seed;
  return Float64Array.from({ length: n }, () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5);
};

describe('fft', () => {
  it.each([2, 4, 8, 16])('matches a naive DFT at %i² (transposed layout) and inverts exactly', (n) => {
    const re = random(n * n, 1);
    const im = random(n * n, 2);
    const { outRe, outIm } = naiveDft(re, im, n);
    const r = re.slice();
    const i = im.slice();
    forward2d(r, i, n);
    for (let v = 0; v < n; v++)
      for (let u = 0; u < n; u++) {
        expect(r[u * n + v]).toBeCloseTo(outRe[v * n + u], 9);
        expect(i[u * n + v]).toBeCloseTo(outIm[v * n + u], 9);
      }
    inverse2d(r, i, n);
    for (let k = 0; k < n * n; k++) expect(r[k]).toBeCloseTo(re[k], 12);
  });

  it('1-D transform matches the first row of a 2-D one', () => {
    const n = 16;
    const re = random(n, 5);
    const im = new Float64Array(n);
    const r2 = new Float64Array(n * n);
    r2.set(re);
    const i2 = new Float64Array(n * n);
    forward2d(r2, i2, n);
    fft1dInPlace(re, im, -1);
    // A 2-D transform of an image with one non-zero row has that row's 1-D spectrum in every row (transposed: columns).
    for (let u = 0; u < n; u++) expect(re[u]).toBeCloseTo(r2[u * n], 10);
  });

  it('refuses sizes that are not powers of two', () => {
    expect(() => forward2d(new Float64Array(9), new Float64Array(9), 3)).toThrow(/power of two/);
  });
});
