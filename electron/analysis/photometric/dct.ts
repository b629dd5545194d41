// Row-wise DCT-II and its inverse (DCT-III) through OpenCV-WASM's row DFT, by Makhoul's reordering
// (one N-point complex DFT per row). This build of opencv-js has no cv.dct, and the shared FFT in
// ../fft.ts only does square power-of-two 2-D transforms; here sizes are any even number.
import { withMats, type CvMat, type OpenCv } from '../opencv.ts';

/** Unnormalised DCT-II of each row: X[k] = Σ x[n] cos(πk(2n+1)/(2N)). Rows of length `cols` (even). */
export function dctRows(cv: OpenCv, data: Float64Array, rows: number, cols: number): Float64Array {
  const half = cols / 2;
  return withMats((track) => {
    const input: CvMat = track(new cv.Mat(rows, cols, cv.CV_64F));
    const v = input.data64F;
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      for (let n = 0; n < half; n++) {
        v[o + n] = data[o + 2 * n];
        v[o + cols - 1 - n] = data[o + 2 * n + 1];
      }
    }
    const spectrum: CvMat = track(new cv.Mat());
    cv.dft(input, spectrum, cv.DFT_ROWS | cv.DFT_COMPLEX_OUTPUT);
    const s = spectrum.data64F;
    const { cos, sin } = twiddles(cols);
    const out = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      for (let k = 0; k < cols; k++) out[o + k] = s[2 * (o + k)] * cos[k] + s[2 * (o + k) + 1] * sin[k];
    }
    return out;
  });
}

/** Inverse of dctRows. */
export function idctRows(cv: OpenCv, data: Float64Array, rows: number, cols: number): Float64Array {
  const half = cols / 2;
  return withMats((track) => {
    const input: CvMat = track(new cv.Mat(rows, cols, cv.CV_64FC2));
    const c = input.data64F;
    const { cos, sin } = twiddles(cols);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      for (let k = 0; k < cols; k++) {
        const a = data[o + k];
        const b = k === 0 ? 0 : -data[o + cols - k];
        c[2 * (o + k)] = a * cos[k] - b * sin[k];
        c[2 * (o + k) + 1] = a * sin[k] + b * cos[k];
      }
    }
    const signal: CvMat = track(new cv.Mat());
    cv.dft(input, signal, cv.DFT_INVERSE | cv.DFT_ROWS | cv.DFT_SCALE);
    const s = signal.data64F;
    const out = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      for (let n = 0; n < half; n++) {
        out[o + 2 * n] = s[2 * (o + n)];
        out[o + 2 * n + 1] = s[2 * (o + cols - 1 - n)];
      }
    }
    return out;
  });
}

const twiddleCache = new Map<number, { cos: Float64Array; sin: Float64Array }>();
function twiddles(n: number) {
  let t = twiddleCache.get(n);
  if (!t) {
    t = { cos: new Float64Array(n), sin: new Float64Array(n) };
    for (let k = 0; k < n; k++) {
      t.cos[k] = Math.cos((Math.PI * k) / (2 * n));
      t.sin[k] = Math.sin((Math.PI * k) / (2 * n));
    }
    twiddleCache.set(n, t);
  }
  return t;
}

export function transpose(data: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  // Blocked so both reads and writes stay in cache for large images.
  const block = 32;
  for (let r0 = 0; r0 < rows; r0 += block) {
    for (let c0 = 0; c0 < cols; c0 += block) {
      const r1 = Math.min(r0 + block, rows);
      const c1 = Math.min(c0 + block, cols);
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) out[c * rows + r] = data[r * cols + c];
    }
  }
  return out;
}
