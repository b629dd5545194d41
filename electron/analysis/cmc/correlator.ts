// FFT cross-correlation of n×n real images on OpenCV-WASM's dft (2–3× faster here than a JS FFT; see
// docs/analysis.md). opencv-js has no mulSpectrums, so the spectrum product is done in JS on the heap view.
// One Correlator owns three Mats, reused for every call; dispose() frees them.
import type { CvMat, OpenCv } from '../opencv.ts';

export interface Correlator {
  readonly size: number;
  /** Complex spectrum (interleaved re, im; length 2n²) of an n×n real image given row-major. */
  spectrum(image: Float32Array, out?: Float32Array): Float32Array;
  /**
   * Circular cross-correlation c[s] = Σ_p t[p] · r[p + s] of a template (given by its spectrum) with an image,
   * written into `out` (length n²). `imageSpectrum` may be passed instead of the image when it is cached.
   */
  correlate(templateSpectrum: Float32Array, image: Float32Array | { spectrum: Float32Array }, out: Float32Array): void;
  /**
   * correlate() of the image and of the image turned 180° within its w×h box at the top-left (g(p) = f(c − p),
   * c = (w − 1, h − 1)) in one go: the turned image's spectrum is e^(−2πi k·c/n) · conj(F(k)) for a real image, so
   * it costs no forward dft; and since both correlations are real, P + i·Q of their spectra P, Q goes through one
   * complex inverse (real part: the correlation, imaginary part: the turned one). The coarse sweep scores θ and
   * θ + 180° this way (a raster rotated by θ + 180° about its centre is the one rotated by θ, turned).
   */
  correlateWithTurned(
    templateSpectrum: Float32Array,
    image: Float32Array,
    box: { width: number; height: number },
    out: Float32Array,
    outTurned: Float32Array,
  ): void;
  /**
   * correlateWithTurned() without unpacking: the two correlations interleaved (straight at even indices, turned at
   * odd ones) in a view of the heap, valid until the correlator's next call. `image` may be given by its spectrum.
   */
  correlateBoth(
    templateSpectrum: Float32Array,
    image: Float32Array | { spectrum: Float32Array },
    box: { width: number; height: number },
  ): Float32Array;
  dispose(): void;
}

export function createCorrelator(cv: OpenCv, size: number): Correlator {
  const input: CvMat = new cv.Mat(size, size, cv.CV_32F);
  const spec: CvMat = new cv.Mat(size, size, cv.CV_32FC2);
  const back: CvMat = new cv.Mat(size, size, cv.CV_32F);
  const length = size * size;
  const forward = (image: Float32Array) => {
    if (image.length !== length) throw new RangeError(`correlator expects ${length} values, got ${image.length}`);
    input.data32F.set(image);
    cv.dft(input, spec, cv.DFT_COMPLEX_OUTPUT);
  };
  // correlateWithTurned's packed product and its complex inverse.
  const both: CvMat = new cv.Mat(size, size, cv.CV_32FC2);
  const bothBack: CvMat = new cv.Mat(size, size, cv.CV_32FC2);
  // e^(−2πi (kx·cx + ky·cy)/n) over the whole spectrum (re, im interleaved), per turning box; a sweep uses one box.
  const turnPhases = new Map<string, Float32Array>();
  const turnPhaseOf = (cx: number, cy: number) => {
    const key = `${cx}:${cy}`;
    let table = turnPhases.get(key);
    if (!table) {
      if (turnPhases.size >= 8) turnPhases.clear();
      table = new Float32Array(2 * length);
      for (let ky = 0; ky < size; ky++)
        for (let kx = 0; kx < size; kx++) {
          const angle = (-2 * Math.PI * (((kx * cx) % size) + ((ky * cy) % size))) / size;
          table[2 * (ky * size + kx)] = Math.cos(angle);
          table[2 * (ky * size + kx) + 1] = Math.sin(angle);
        }
      turnPhases.set(key, table);
    }
    return table;
  };
  /** conj(T) · R in place on the heap view (fetched after dft, which may grow the heap), then the inverse into out. */
  const productInverse = (templateSpectrum: Float32Array, out: Float32Array) => {
    const s = spec.data32F;
    const t = templateSpectrum;
    for (let k = 0; k < s.length; k += 2) {
      const rr = s[k];
      const ri = s[k + 1];
      const tr = t[k];
      const ti = t[k + 1];
      s[k] = tr * rr + ti * ri;
      s[k + 1] = tr * ri - ti * rr;
    }
    cv.dft(spec, back, cv.DFT_INVERSE | cv.DFT_REAL_OUTPUT | cv.DFT_SCALE);
    out.set(back.data32F);
  };
  // V = conj(T)·phase for the last template and box: a sweep correlates one template with many images.
  let turnedFor: { template: Float32Array; key: string; v: Float32Array } | undefined;
  const turnedTemplateOf = (t: Float32Array, box: { width: number; height: number }) => {
    const key = `${box.width}:${box.height}`;
    if (turnedFor?.template === t && turnedFor.key === key) return turnedFor.v;
    const phase = turnPhaseOf(box.width - 1, box.height - 1);
    const v = turnedFor?.v ?? new Float32Array(2 * length);
    for (let k = 0; k < v.length; k += 2) {
      v[k] = t[k] * phase[k] + t[k + 1] * phase[k + 1];
      v[k + 1] = t[k] * phase[k + 1] - t[k + 1] * phase[k];
    }
    turnedFor = { template: t, key, v };
    return v;
  };
  const correlateBoth: Correlator['correlateBoth'] = (templateSpectrum, image, box) => {
    let f: Float32Array;
    if (image instanceof Float32Array) {
      forward(image);
      f = spec.data32F;
    } else {
      if (image.spectrum.length !== 2 * length)
        throw new RangeError(`correlator expects a spectrum of ${2 * length} values, got ${image.spectrum.length}`);
      f = image.spectrum;
    }
    const t = templateSpectrum;
    const v = turnedTemplateOf(t, box);
    const z = both.data32F;
    // Both products are spectra of real correlations (Hermitian), so P + i·Q goes through one complex inverse
    // whose real part is P's correlation and imaginary part Q's: P = conj(T)·F, Q = conj(T)·phase·conj(F) = V·conj(F).
    for (let k = 0; k < z.length; k += 2) {
      const fr = f[k];
      const fi = f[k + 1];
      const tr = t[k];
      const ti = t[k + 1];
      const vr = v[k];
      const vi = v[k + 1];
      z[k] = tr * fr + ti * fi - (vi * fr - vr * fi);
      z[k + 1] = tr * fi - ti * fr + (vr * fr + vi * fi);
    }
    cv.dft(both, bothBack, cv.DFT_INVERSE | cv.DFT_SCALE);
    return bothBack.data32F;
  };
  return {
    size,
    spectrum(image, out) {
      forward(image);
      if (!out) return spec.data32F.slice();
      out.set(spec.data32F);
      return out;
    },
    correlate(templateSpectrum, image, out) {
      if (image instanceof Float32Array) forward(image);
      else spec.data32F.set(image.spectrum);
      productInverse(templateSpectrum, out);
    },
    correlateWithTurned(templateSpectrum, image, box, out, outTurned) {
      const c = correlateBoth(templateSpectrum, image, box);
      for (let i = 0; i < length; i++) {
        out[i] = c[2 * i];
        outTurned[i] = c[2 * i + 1];
      }
    },
    correlateBoth,
    dispose() {
      for (const m of [input, spec, back, both, bothBack]) if (!m.isDeleted()) m.delete();
    },
  };
}

/**
 * The smallest size ≥ n of the form 2^a·3^b: OpenCV's dft is about as fast on these as on powers of two
 * (measured here: 96² takes 55 % of 128²), so a correlation need not round 92 up to 128.
 */
export function fastDftSize(n: number): number {
  let best = Infinity;
  for (let p3 = 1; p3 < 2 * n; p3 *= 3) {
    let size = p3;
    while (size < n) size *= 2;
    best = Math.min(best, size);
  }
  return best;
}
