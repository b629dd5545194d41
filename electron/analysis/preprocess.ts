// Preprocessing after the CMC literature (Song 2013; cmcR's preProcess_* steps): resample to a working
// resolution, level, remove outliers, mask, Gaussian band-pass. Every parameter used is returned with the
// result, so a score can always be reproduced. Already-processed scans (e.g. the Fadul set) pass through
// almost unchanged: the plane is ~0, no point is an outlier, and a 16–500 µm band-pass of band-passed data is
// close to the identity.
import { z } from 'zod';
import type { Surface } from './surface.ts';
import { AnalysisError } from './errors.ts';
import { validateSurface } from './cmc/prepared.ts';
import { countFinite } from './raster.ts';
import type { OpenCv, CvMat } from './opencv.ts';
import { withMats } from './opencv.ts';

export const preprocessParamsSchema = z.object({
  /** Working pixel size in metres (Fadul/NIST: 6.25 µm). null keeps the input's (square) spacing. */
  pixelSize: z.number().positive().nullable().default(6.25e-6),
  /** Surface removed by least squares: 0 = mean, 1 = plane, 2 = quadratic. */
  levelOrder: z.number().int().min(0).max(2).default(1),
  /** Points further than this many robust standard deviations (1.4826 × MAD) from their ~50 µm neighbourhood become NaN. */
  outlierSigmas: z.number().positive().default(6),
  /** Gaussian band-pass cut-offs (ISO 16610-61 wavelengths, metres); null disables that side. */
  shortCutoff: z.number().positive().nullable().default(16e-6),
  longCutoff: z.number().positive().nullable().default(500e-6),
  /** Valid pixels within this distance of the mask edge are dropped (filter edge effects), in pixels. */
  erodeEdgePx: z.number().int().min(0).max(50).default(0),
  /** Largest surface accepted, in points, before and after resampling (bounded memory). */
  maxPoints: z.number().int().positive().default(64_000_000),
});

export type PreprocessParams = z.infer<typeof preprocessParamsSchema>;
export type PreprocessParamsInput = z.input<typeof preprocessParamsSchema>;

export interface PreprocessResult {
  surface: Surface;
  params: PreprocessParams;
  /** What each step did, for the record. */
  report: {
    inputSize: [number, number];
    inputPixelSize: [number, number];
    outputSize: [number, number];
    resampleFactor: [number, number];
    levelCoefficients: number[];
    outliersRemoved: number;
    erodedPoints: number;
    validPoints: number;
  };
}

/** Gaussian weighting function of ISO 16610-61: σ = λc · √(ln 2 / 2) / π ≈ 0.1874 λc. */
export function gaussianSigmaForCutoff(cutoff: number): number {
  return (cutoff * Math.sqrt(Math.LN2 / 2)) / Math.PI;
}

export function resolvePreprocessParams(input: PreprocessParamsInput = {}): PreprocessParams {
  const parsed = preprocessParamsSchema.safeParse(input);
  if (!parsed.success)
    throw new AnalysisError(
      'bad_parameters',
      `invalid preprocessing parameters: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const p = parsed.data;
  if (p.shortCutoff !== null && p.longCutoff !== null && p.shortCutoff >= p.longCutoff) {
    throw new AnalysisError(
      'bad_parameters',
      `band-pass short cut-off ${p.shortCutoff} m must be below the long cut-off ${p.longCutoff} m`,
    );
  }
  return p;
}

export function preprocessSurface(
  cv: OpenCv,
  surface: Surface,
  input: PreprocessParamsInput = {},
  mask?: Uint8Array,
): PreprocessResult {
  const params = resolvePreprocessParams(input);
  validateSurface(surface);
  if (surface.width * surface.height > params.maxPoints) {
    throw new AnalysisError(
      'too_large',
      `surface has ${surface.width * surface.height} points, above the bound of ${params.maxPoints}`,
      { points: surface.width * surface.height },
    );
  }
  if (mask && mask.length !== surface.z.length)
    throw new AnalysisError('bad_surface', `mask has ${mask.length} entries for ${surface.z.length} points`);
  let z: Float64Array = Float64Array.from(surface.z);
  if (mask) for (let i = 0; i < z.length; i++) if (!mask[i]) z[i] = NaN;
  if (countFinite(z) === 0)
    throw new AnalysisError('empty_surface', 'the surface has no valid point (empty, all NaN, or fully masked)');

  const targetPixel = params.pixelSize ?? surface.dx;
  const resampled = resampleTo({ ...surface, z }, targetPixel, params.maxPoints);
  const { width, height } = resampled;
  z = resampled.z;
  const levelCoefficients = level(z, width, height, params.levelOrder);
  const outliersRemoved = removeOutliers(cv, z, width, height, params.outlierSigmas, targetPixel);
  bandPass(cv, z, width, height, params, targetPixel);
  const erodedPoints = params.erodeEdgePx > 0 ? erodeValid(z, width, height, params.erodeEdgePx) : 0;
  const validPoints = countFinite(z);
  if (validPoints === 0) throw new AnalysisError('empty_surface', 'no valid point is left after preprocessing');
  return {
    surface: { width, height, dx: targetPixel, dy: targetPixel, z },
    params,
    report: {
      inputSize: [surface.width, surface.height],
      inputPixelSize: [surface.dx, surface.dy],
      outputSize: [width, height],
      resampleFactor: [surface.dx / targetPixel, surface.dy / targetPixel],
      levelCoefficients,
      outliersRemoved,
      erodedPoints,
      validPoints,
    },
  };
}

/**
 * Resamples to square pixels of `pixel` metres: block means for integer shrink factors (no aliasing, bounded
 * work), then bilinear for the remaining fraction. NaN-aware: a block is valid when half its points are.
 */
export function resampleTo(surface: Surface, pixel: number, maxPoints = Infinity): Surface {
  const rx = pixel / surface.dx;
  const ry = pixel / surface.dy;
  if (Math.abs(rx - 1) < 1e-6 && Math.abs(ry - 1) < 1e-6) return surface;
  let cur = surface;
  const bx = Math.max(1, Math.floor(rx + 1e-9));
  const by = Math.max(1, Math.floor(ry + 1e-9));
  if (bx > 1 || by > 1) cur = blockMean(cur, bx, by);
  const width = Math.max(1, Math.round((surface.width * surface.dx) / pixel));
  const height = Math.max(1, Math.round((surface.height * surface.dy) / pixel));
  if (width * height > maxPoints)
    throw new AnalysisError(
      'too_large',
      `resampling to ${pixel} m would give ${width} × ${height} points, above the bound of ${maxPoints}`,
    );
  if (cur.width === width && cur.height === height) return { ...cur, dx: pixel, dy: pixel };
  const z = new Float64Array(width * height);
  const sx = cur.width / width;
  const sy = cur.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(cur.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.min(cur.height - 2, Math.floor(fy));
    const ty = cur.height === 1 ? 0 : fy - Math.max(0, y0);
    for (let x = 0; x < width; x++) {
      const fx = Math.min(cur.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.min(cur.width - 2, Math.floor(fx));
      const tx = cur.width === 1 ? 0 : fx - Math.max(0, x0);
      z[y * width + x] = bilinear(cur, Math.max(0, x0), Math.max(0, y0), tx, ty);
    }
  }
  return { width, height, dx: pixel, dy: pixel, z };
}

function bilinear(s: Surface, x0: number, y0: number, tx: number, ty: number): number {
  const x1 = Math.min(s.width - 1, x0 + 1);
  const y1 = Math.min(s.height - 1, y0 + 1);
  const a = s.z[y0 * s.width + x0];
  const b = s.z[y0 * s.width + x1];
  const c = s.z[y1 * s.width + x0];
  const d = s.z[y1 * s.width + x1];
  const v = (a * (1 - tx) + b * tx) * (1 - ty) + (c * (1 - tx) + d * tx) * ty;
  if (v === v) return v;
  return ty < 0.5 ? (tx < 0.5 ? a : b) : tx < 0.5 ? c : d;
}

function blockMean(s: Surface, fx: number, fy: number): Surface {
  const width = Math.floor(s.width / fx);
  const height = Math.floor(s.height / fy);
  const z = new Float64Array(width * height);
  const need = (fx * fy) / 2;
  for (let by = 0; by < height; by++) {
    for (let bx = 0; bx < width; bx++) {
      let sum = 0;
      let n = 0;
      for (let y = by * fy; y < (by + 1) * fy; y++) {
        for (let x = bx * fx; x < (bx + 1) * fx; x++) {
          const v = s.z[y * s.width + x];
          if (v === v) {
            sum += v;
            n++;
          }
        }
      }
      z[by * width + bx] = n >= need ? sum / n : NaN;
    }
  }
  return { width, height, dx: s.dx * fx, dy: s.dy * fy, z };
}

/** Least-squares polynomial (order 0–2 in x, y) over valid points, subtracted in place; returns its coefficients. */
export function level(z: Float64Array, width: number, height: number, order: number): number[] {
  // Normalised coordinates keep the normal equations well conditioned. Terms: 1, x, y, x², xy, y².
  const k = order === 0 ? 1 : order === 1 ? 3 : 6;
  const ata = new Float64Array(k * k);
  const atb = new Float64Array(k);
  const t = new Float64Array(6);
  const sx = 2 / Math.max(1, width - 1);
  const sy = 2 / Math.max(1, height - 1);
  const fill = (x: number, y: number) => {
    t[0] = 1;
    t[1] = x;
    t[2] = y;
    t[3] = x * x;
    t[4] = x * y;
    t[5] = y * y;
  };
  for (let y = 0; y < height; y++) {
    const v0 = y * sy - 1;
    for (let x = 0; x < width; x++) {
      const v = z[y * width + x];
      if (v !== v) continue;
      fill(x * sx - 1, v0);
      for (let i = 0; i < k; i++) {
        atb[i] += t[i] * v;
        for (let j = i; j < k; j++) ata[i * k + j] += t[i] * t[j];
      }
    }
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) ata[i * k + j] = ata[j * k + i];
  const coef = solve(ata, atb, k);
  if (!coef) return new Array<number>(k).fill(0);
  for (let y = 0; y < height; y++) {
    const v0 = y * sy - 1;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (z[i] !== z[i]) continue;
      fill(x * sx - 1, v0);
      let fit = 0;
      for (let j = 0; j < k; j++) fit += coef[j] * t[j];
      z[i] -= fit;
    }
  }
  return coef;
}

/** Gaussian elimination with partial pivoting; undefined when singular (too few points for the order). */
function solve(a: Float64Array, b: Float64Array, k: number): number[] | undefined {
  const m = Array.from({ length: k }, (_, i) => [...a.slice(i * k, i * k + k), b[i]]);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    if (Math.abs(m[p][c]) < 1e-12) return undefined;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let j = c; j <= k; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row, i) => row[k] / row[i]);
}

/**
 * Sets to NaN points further than `sigmas` robust standard deviations from their neighbourhood (a Gaussian
 * smooth of ~50 µm by normalised convolution), twice (a spike biases its own neighbourhood the first time);
 * returns how many. Local, so a domed or tilted primer does not hide spikes the way a global median would.
 */
export function removeOutliers(
  cv: OpenCv,
  z: Float64Array,
  width: number,
  height: number,
  sigmas: number,
  pixel: number,
): number {
  let removed = 0;
  const sigmaPx = Math.max(1, 50e-6 / pixel / 2);
  for (let round = 0; round < 2; round++) {
    const smooth = normalisedBlur(cv, z, width, height, sigmaPx);
    // Median and MAD from at most ~50 000 evenly spread points: exact enough for a 6 σ limit, and sorting a
    // 4-megapixel scan twice per round would cost more than the whole filter.
    const stride = Math.max(1, Math.floor(z.length / 50_000));
    const residual: number[] = [];
    for (let i = 0; i < z.length; i += stride) if (z[i] === z[i]) residual.push(z[i] - smooth[i]);
    if (residual.length < 3) return removed;
    const sorted = Float64Array.from(residual).sort();
    const med = sorted[sorted.length >> 1];
    const dev = sorted.map((v) => Math.abs(v - med)).sort();
    const mad = dev[dev.length >> 1];
    if (!(mad > 0)) return removed;
    const limit = sigmas * 1.4826 * mad;
    let now = 0;
    for (let i = 0; i < z.length; i++) {
      if (z[i] === z[i] && Math.abs(z[i] - smooth[i] - med) > limit) {
        z[i] = NaN;
        now++;
      }
    }
    removed += now;
    if (now === 0) break;
  }
  return removed;
}

/**
 * Gaussian blur of the valid points only: blur(z·w) / blur(w), 0 where no valid point is near. A wide kernel
 * (σ > 12 px: a 500 µm cut-off at 6.25 µm, any long cut-off on a finer grid) runs on block sums a few times
 * smaller and is interpolated back: the Gaussian is smooth at that scale (the box adds f²/12 to σ², about 1 %),
 * and the cost drops by the block area.
 */
function normalisedBlur(cv: OpenCv, z: Float64Array, width: number, height: number, sigmaPx: number): Float32Array {
  const f = sigmaPx > 12 ? Math.floor(sigmaPx / 6) : 1;
  const w = Math.ceil(width / f);
  const h = Math.ceil(height / f);
  return withMats((track) => {
    const values: CvMat = track(new cv.Mat(h, w, cv.CV_32F));
    const weights: CvMat = track(new cv.Mat(h, w, cv.CV_32F));
    const v = values.data32F;
    const wt = weights.data32F;
    v.fill(0);
    wt.fill(0);
    for (let y = 0; y < height; y++) {
      const row = Math.floor(y / f) * w;
      for (let x = 0; x < width; x++) {
        const value = z[y * width + x];
        if (value !== value) continue;
        const j = row + Math.floor(x / f);
        v[j] += value;
        wt[j] += 1;
      }
    }
    const sigma = sigmaPx / f;
    const k = 2 * Math.ceil(3 * sigma) + 1;
    const bv: CvMat = track(new cv.Mat());
    const bw: CvMat = track(new cv.Mat());
    cv.GaussianBlur(values, bv, new cv.Size(k, k), sigma, sigma, cv.BORDER_CONSTANT);
    cv.GaussianBlur(weights, bw, new cv.Size(k, k), sigma, sigma, cv.BORDER_CONSTANT);
    const a = bv.data32F;
    const b = bw.data32F;
    const out = new Float32Array(z.length);
    if (f === 1) {
      for (let i = 0; i < out.length; i++) out[i] = b[i] > 1e-6 ? a[i] / b[i] : 0;
      return out;
    }
    // Back to full resolution: bilinear between block centres (f·j + (f − 1)/2), numerator and weight apart.
    const weightFloor = 1e-6 * f * f;
    for (let y = 0; y < height; y++) {
      const fy = Math.min(h - 1, Math.max(0, (y - (f - 1) / 2) / f));
      const y0 = Math.min(h - 2, Math.floor(fy));
      const ty = h === 1 ? 0 : fy - Math.max(0, y0);
      const r0 = Math.max(0, y0) * w;
      const r1 = Math.min(h - 1, Math.max(0, y0) + 1) * w;
      for (let x = 0; x < width; x++) {
        const fx = Math.min(w - 1, Math.max(0, (x - (f - 1) / 2) / f));
        const x0 = Math.min(w - 2, Math.floor(fx));
        const tx = w === 1 ? 0 : fx - Math.max(0, x0);
        const c0 = Math.max(0, x0);
        const c1 = Math.min(w - 1, c0 + 1);
        const num =
          (a[r0 + c0] * (1 - tx) + a[r0 + c1] * tx) * (1 - ty) + (a[r1 + c0] * (1 - tx) + a[r1 + c1] * tx) * ty;
        const den =
          (b[r0 + c0] * (1 - tx) + b[r0 + c1] * tx) * (1 - ty) + (b[r1 + c0] * (1 - tx) + b[r1 + c1] * tx) * ty;
        out[y * width + x] = den > weightFloor ? num / den : 0;
      }
    }
    return out;
  });
}

/**
 * Gaussian band-pass by normalised convolution (blur(z·w) / blur(w), w = validity), so masked areas neither
 * pull heights towards zero nor grow: NaN stays NaN. Output = low-pass(short) − low-pass(long).
 */
function bandPass(
  cv: OpenCv,
  z: Float64Array,
  width: number,
  height: number,
  params: PreprocessParams,
  pixel: number,
): void {
  const smooth = (cutoff: number | null): Float32Array | undefined => {
    if (cutoff === null) return undefined;
    const sigma = gaussianSigmaForCutoff(cutoff) / pixel;
    if (sigma < 0.3) return undefined; // below a third of a pixel the filter is the identity
    return normalisedBlur(cv, z, width, height, sigma);
  };
  // Heights are metres (~1e-6): float32 keeps ~7 significant digits of them, far below instrument noise.
  const short = smooth(params.shortCutoff);
  const long = smooth(params.longCutoff);
  for (let i = 0; i < z.length; i++) {
    if (z[i] !== z[i]) continue;
    z[i] = (short ? short[i] : z[i]) - (long ? long[i] : 0);
  }
}

/** Drops valid points within `radius` pixels (Chebyshev) of an invalid point or the border; returns how many. */
function erodeValid(z: Float64Array, width: number, height: number, radius: number): number {
  const invalid = new Uint8Array(z.length);
  for (let i = 0; i < z.length; i++) invalid[i] = z[i] === z[i] ? 0 : 1;
  // Separable max filter: rows then columns.
  const rowHit = new Uint8Array(z.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let hit = 0;
      for (let d = -radius; d <= radius && !hit; d++) {
        const xx = x + d;
        hit = xx < 0 || xx >= width ? 1 : invalid[y * width + xx];
      }
      rowHit[y * width + x] = hit;
    }
  }
  let removed = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let hit = 0;
      for (let d = -radius; d <= radius && !hit; d++) {
        const yy = y + d;
        hit = yy < 0 || yy >= height ? 1 : rowHit[yy * width + x];
      }
      const i = y * width + x;
      if (hit && z[i] === z[i]) {
        z[i] = NaN;
        removed++;
      }
    }
  }
  return removed;
}
