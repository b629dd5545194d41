// Radix-2 complex FFT on split real/imaginary Float64Arrays, in pure TypeScript.
//
// Used for the screening signature's small transforms; CMC correlations run on cv.dft (cmc/correlator.ts).
// 2-D transforms skip the final transpose: forward2d returns the spectrum TRANSPOSED (index u·n + v for
// frequency (u, v)), and inverse2d expects that layout and returns the image in its original orientation.

interface Plan {
  n: number;
  bitReverse: Uint32Array;
  cos: Float64Array;
  sin: Float64Array;
}

const plans = new Map<number, Plan>();

function planFor(n: number): Plan {
  let plan = plans.get(n);
  if (plan) return plan;
  if (n < 2 || (n & (n - 1)) !== 0) throw new RangeError(`FFT size must be a power of two ≥ 2, got ${n}`);
  const bits = Math.log2(n);
  const bitReverse = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    bitReverse[i] = r;
  }
  const cos = new Float64Array(n / 2);
  const sin = new Float64Array(n / 2);
  for (let i = 0; i < n / 2; i++) {
    cos[i] = Math.cos((2 * Math.PI * i) / n);
    sin[i] = Math.sin((2 * Math.PI * i) / n);
  }
  plan = { n, bitReverse, cos, sin };
  plans.set(n, plan);
  return plan;
}

/** In-place 1-D FFT of re/im[offset .. offset+n). sign = -1 forward, +1 inverse (unscaled). */
function fft1d(re: Float64Array, im: Float64Array, offset: number, plan: Plan, sign: number): void {
  const { n, bitReverse, cos, sin } = plan;
  for (let i = 0; i < n; i++) {
    const j = bitReverse[i];
    if (j > i) {
      const a = offset + i;
      const b = offset + j;
      let t = re[a];
      re[a] = re[b];
      re[b] = t;
      t = im[a];
      im[a] = im[b];
      im[b] = t;
    }
  }
  // Sizes 2 and 4 have trivial twiddles (1, ∓i): done together without multiplications.
  if (n >= 4) {
    for (let s = offset; s < offset + n; s += 4) {
      const r0 = re[s] + re[s + 1],
        i0 = im[s] + im[s + 1];
      const r1 = re[s] - re[s + 1],
        i1 = im[s] - im[s + 1];
      const r2 = re[s + 2] + re[s + 3],
        i2 = im[s + 2] + im[s + 3];
      const r3 = re[s + 2] - re[s + 3],
        i3 = im[s + 2] - im[s + 3];
      // w = sign·i for the odd element of the size-4 butterfly: (r3 + i·i3)·(sign·i) = −sign·i3 + i·sign·r3.
      const tr = -sign * i3,
        ti = sign * r3;
      re[s] = r0 + r2;
      im[s] = i0 + i2;
      re[s + 2] = r0 - r2;
      im[s + 2] = i0 - i2;
      re[s + 1] = r1 + tr;
      im[s + 1] = i1 + ti;
      re[s + 3] = r1 - tr;
      im[s + 3] = i1 - ti;
    }
  } else {
    const a = offset,
      b = offset + 1;
    const xr = re[b],
      xi = im[b];
    re[b] = re[a] - xr;
    im[b] = im[a] - xi;
    re[a] += xr;
    im[a] += xi;
  }
  for (let size = 8; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = n / size;
    for (let k = 0; k < half; k++) {
      const wr = cos[k * step];
      const wi = sign * sin[k * step];
      for (let a = offset + k; a < offset + n; a += size) {
        const b = a + half;
        const br = re[b],
          bi = im[b];
        const xr = br * wr - bi * wi;
        const xi = br * wi + bi * wr;
        const ar = re[a],
          ai = im[a];
        re[b] = ar - xr;
        im[b] = ai - xi;
        re[a] = ar + xr;
        im[a] = ai + xi;
      }
    }
  }
}

/** In-place 1-D FFT of a power-of-two length; sign −1 forward, +1 inverse (unscaled). */
export function fft1dInPlace(re: Float64Array, im: Float64Array, sign: -1 | 1): void {
  if (re.length !== im.length) throw new RangeError('re and im differ in length');
  fft1d(re, im, 0, planFor(re.length), sign);
}

function transposeSquare(a: Float64Array, n: number): void {
  for (let y = 0; y < n; y++) {
    for (let x = y + 1; x < n; x++) {
      const i = y * n + x;
      const j = x * n + y;
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}

function rows(re: Float64Array, im: Float64Array, n: number, sign: number): void {
  const plan = planFor(n);
  for (let y = 0; y < n; y++) fft1d(re, im, y * n, plan, sign);
}

/** Forward 2-D FFT of an n×n complex image, in place; the result is the TRANSPOSED spectrum. */
export function forward2d(re: Float64Array, im: Float64Array, n: number): void {
  rows(re, im, n, -1);
  transposeSquare(re, n);
  transposeSquare(im, n);
  rows(re, im, n, -1);
}

/** Inverse of forward2d (scaled by 1/n²): takes a transposed spectrum, returns the image in place. */
export function inverse2d(re: Float64Array, im: Float64Array, n: number): void {
  rows(re, im, n, 1);
  transposeSquare(re, n);
  transposeSquare(im, n);
  rows(re, im, n, 1);
  const scale = 1 / (n * n);
  for (let i = 0; i < re.length; i++) {
    re[i] *= scale;
    im[i] *= scale;
  }
}

export function nextPowerOfTwo(n: number): number {
  let p = 2;
  while (p < n) p <<= 1;
  return p;
}
