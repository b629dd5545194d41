import { describe, expect, it } from 'vitest';
import { forward2d, inverse2d, splitRealPair } from './fft.ts';

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
  return Float64Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5);
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

  it('splits the spectrum of two packed real images', () => {
    const n = 8;
    const a = random(n * n, 3);
    const b = random(n * n, 4);
    const zr = a.slice();
    const zi = b.slice();
    forward2d(zr, zi, n);
    const [ar, ai, br, bi] = [0, 0, 0, 0].map(() => new Float64Array(n * n));
    splitRealPair(zr, zi, n, ar, ai, br, bi);
    const sa = [a.slice(), new Float64Array(n * n)];
    forward2d(sa[0], sa[1], n);
    const sb = [b.slice(), new Float64Array(n * n)];
    forward2d(sb[0], sb[1], n);
    for (let k = 0; k < n * n; k++) {
      expect(ar[k]).toBeCloseTo(sa[0][k], 10);
      expect(ai[k]).toBeCloseTo(sa[1][k], 10);
      expect(br[k]).toBeCloseTo(sb[0][k], 10);
      expect(bi[k]).toBeCloseTo(sb[1][k], 10);
    }
  });

  it('refuses sizes that are not powers of two', () => {
    expect(() => forward2d(new Float64Array(9), new Float64Array(9), 3)).toThrow(/power of two/);
  });
});
