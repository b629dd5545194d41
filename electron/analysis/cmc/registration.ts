// Coarse registration over the full 360°: both scans block-averaged (default ×8 → 50 µm/px), the target rotated
// at every coarse step and cross-correlated with the reference by FFT, then refined around the best angle.
// This is what makes a full rotation search cheap: ~120 small correlations instead of 120 full CMC passes.
import { rotateRaster, type Raster } from '../raster.ts';
import { throwIfAborted } from '../errors.ts';
import { fastDftSize, type Correlator } from './correlator.ts';
import type { CmcParams } from './params.ts';
import { cached, levelOf, type PreparedScan } from './prepared.ts';

/** A(p) ≈ B_θ(p + t): B rotated by θ about its centre, then shifted by t (pixels at the working resolution). */
export interface Registration {
  thetaDeg: number;
  tx: number;
  ty: number;
  /** Normalised cross-correlation of the coarse levels at the registration, over their overlap (−1…1). */
  score: number;
  /** The sweep's score at every angle of the coarse grid (index i ↔ i × coarseStepDeg), for display and diagnostics. */
  angleScores: number[];
}

/**
 * A correlation held to its bounds: sums of products in float rounding drift a hair past ±1 (1 + 1e-12), which a
 * schema bounding it (a lead's registration score) would refuse. NaN stays NaN (no score: the caller says why).
 */
export function boundedCorrelation(r: number): number {
  return Number.isNaN(r) ? r : Math.min(1, Math.max(-1, r));
}

interface Template {
  n: number;
  spectrum: Float32Array;
  norm: number;
}

/** Mean-subtracted, NaN → 0 copy of a raster at the top-left of an n×n buffer; returns its L2 norm. */
export function fillBuffer(
  src: Raster | { width: number; height: number; data: Float64Array },
  n: number,
  out: Float32Array,
): number {
  out.fill(0);
  let sum = 0;
  let count = 0;
  const w = Math.min(src.width, n);
  const h = Math.min(src.height, n);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = src.data[y * src.width + x];
      if (v === v) {
        sum += v;
        count++;
      }
    }
  }
  if (count === 0) return 0;
  const mean = sum / count;
  let energy = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = src.data[y * src.width + x];
      if (v === v) {
        const d = v - mean;
        out[y * n + x] = d;
        energy += d * d;
      }
    }
  }
  return Math.sqrt(energy);
}

export function coarseSize(a: PreparedScan, b: PreparedScan, factor: number): number {
  const la = levelOf(a, factor);
  const lb = levelOf(b, factor);
  // 1.5 × the larger side leaves shifts up to a quarter of the scan unambiguous after circular wrap.
  return fastDftSize(Math.ceil(1.5 * Math.max(la.width, la.height, lb.width, lb.height)));
}

/** Shifts (level pixels) a correlation of size n can tell apart from their wrapped twins. */
function shiftReach(a: PreparedScan, b: PreparedScan, factor: number, n: number): number {
  const la = levelOf(a, factor);
  const lb = levelOf(b, factor);
  return Math.max(1, n - Math.max(la.width, la.height, lb.width, lb.height));
}

interface Peak {
  score: number;
  sx: number;
  sy: number;
}

/**
 * The best shift of a circular correlation of two images zero-padded to n, among the shifts that wrap-around
 * cannot alias (|shift| ≤ reach = n − the larger image side).
 */
function bestShift(
  corr: Float32Array,
  n: number,
  normA: number,
  normB: number,
  subpixel: boolean,
  reach = n >> 1,
): Peak {
  let best = -Infinity;
  let bi = 0;
  for (let y = 0; y < n; y++) {
    if (y > reach && y < n - reach) continue;
    for (let x = 0; x < n; x++) {
      if (x > reach && x < n - reach) continue;
      const i = y * n + x;
      if (corr[i] > best) {
        best = corr[i];
        bi = i;
      }
    }
  }
  const px = bi % n;
  const py = (bi - px) / n;
  let sx = px > n / 2 ? px - n : px;
  let sy = py > n / 2 ? py - n : py;
  if (subpixel) {
    const at = (x: number, y: number) => corr[((y + n) % n) * n + ((x + n) % n)];
    sx += parabolicOffset(at(px - 1, py), best, at(px + 1, py));
    sy += parabolicOffset(at(px, py - 1), best, at(px, py + 1));
  }
  const denom = normA * normB;
  return { score: denom > 0 ? best / denom : 0, sx, sy };
}

function parabolicOffset(left: number, centre: number, right: number): number {
  const d = left - 2 * centre + right;
  if (d >= 0) return 0;
  return Math.max(-0.5, Math.min(0.5, (0.5 * (left - right)) / d));
}

/** Scores every angle of `angles` at one pyramid level; the reference template spectrum is cached per scan. */
export function angleScorer(
  reference: PreparedScan,
  target: PreparedScan,
  factor: number,
  correlatorFor: (n: number) => Correlator,
) {
  const n = coarseSize(reference, target, factor);
  const correlator = correlatorFor(n);
  const template = templateOf(reference, factor, n, correlator);
  const level = levelOf(target, factor);
  const reach = shiftReach(reference, target, factor, n);
  const rotated = new Float64Array(level.width * level.height);
  const buffer = new Float32Array(n * n);
  const corr = new Float32Array(n * n);
  const none = { score: 0, sx: 0, sy: 0 };
  return {
    level,
    evaluate(thetaDeg: number, subpixel = false): Peak {
      rotateRaster(level, thetaDeg, rotated);
      const norm = fillBuffer({ width: level.width, height: level.height, data: rotated }, n, buffer);
      if (norm === 0 || template.norm === 0) return none;
      correlator.correlate(template.spectrum, buffer, corr);
      return bestShift(corr, n, template.norm, norm, subpixel, reach);
    },
    /**
     * The plain score at every angle i · 360°/steps (steps even). The reference is turned instead of the target
     * (A rotated by −θ against B scores the angle θ of B onto A), so its rotated spectra depend on one scan only
     * and are kept for the next pair with the same reference (a search's query, a row of all-pairs scoring);
     * θ and θ + 180° come from one rotated spectrum and one packed inverse (Correlator.correlateBoth).
     */
    sweep(steps: number, signal?: AbortSignal): number[] {
      const half = steps / 2;
      const scores = new Array<number>(steps).fill(0);
      const targetTemplate = templateOf(target, factor, n, correlator);
      const referenceLevel = levelOf(reference, factor);
      const rotations = referenceRotations(reference, factor, n, steps, correlator);
      for (let i = 0; i < half; i++) {
        if (i % 8 === 0) throwIfAborted(signal);
        const { spectrum, norm } = rotations.at(i);
        if (norm === 0 || targetTemplate.norm === 0) continue;
        const packed = correlator.correlateBoth(targetTemplate.spectrum, { spectrum }, referenceLevel);
        const [straight, turned] = packedPeaks(packed, n, reach);
        const denom = norm * targetTemplate.norm;
        scores[i] = straight / denom;
        scores[i + half] = turned / denom;
      }
      return scores;
    },
  };
}

/** The coarse level's template (mean-subtracted, zero-padded to n) spectrum and norm, cached per scan. */
function templateOf(scan: PreparedScan, factor: number, n: number, correlator: Correlator): Template {
  return cached<Template>(scan, `coarse:${factor}:${n}`, () => {
    const buffer = new Float32Array(n * n);
    const norm = fillBuffer(levelOf(scan, factor), n, buffer);
    return { n, spectrum: correlator.spectrum(buffer), norm };
  });
}

/** The largest maxima of the straight (even) and turned (odd) correlations interleaved in `packed`, within reach. */
function packedPeaks(packed: Float32Array, n: number, reach: number): [number, number] {
  let straight = -Infinity;
  let turned = -Infinity;
  for (let y = 0; y < n; y++) {
    if (y > reach && y < n - reach) continue;
    const row = 2 * y * n;
    for (let x = 0; x < n; x++) {
      if (x > reach && x < n - reach) continue;
      const i = row + 2 * x;
      if (packed[i] > straight) straight = packed[i];
      if (packed[i + 1] > turned) turned = packed[i + 1];
    }
  }
  return [straight, turned];
}

interface Rotations {
  scan: PreparedScan;
  key: string;
  spectra: Float32Array;
  norms: Float64Array;
}

/**
 * The last few references' rotated spectra (8.4 MB a Fadul scan at ×8): kept outside the scan's cache, which the
 * worker bounds by bytes for 40 or more scans; reused while pairs share their reference, recomputed otherwise.
 */
const rotationsKept: Rotations[] = [];
const rotationsKeptMax = 2;
/** Above this size a reference's rotated spectra are computed angle by angle and not kept. */
const rotationsKeptBytes = 32 * 1024 * 1024;

function referenceRotations(
  reference: PreparedScan,
  factor: number,
  n: number,
  steps: number,
  correlator: Correlator,
): { at(i: number): { spectrum: Float32Array; norm: number } } {
  const half = steps / 2;
  const level = levelOf(reference, factor);
  const rotated = new Float64Array(level.width * level.height);
  const buffer = new Float32Array(n * n);
  const compute = (i: number, into: Float32Array) => {
    rotateRaster(level, (-i * 360) / steps, rotated);
    const norm = fillBuffer({ width: level.width, height: level.height, data: rotated }, n, buffer);
    correlator.spectrum(buffer, into);
    return norm;
  };
  const size = 2 * n * n;
  if (half * size * 4 > rotationsKeptBytes) {
    const spectrum = new Float32Array(size);
    return { at: (i) => ({ norm: compute(i, spectrum), spectrum }) };
  }
  const key = `${factor}:${n}:${steps}`;
  let kept = rotationsKept.find((r) => r.scan === reference && r.key === key);
  if (kept) rotationsKept.splice(rotationsKept.indexOf(kept), 1);
  else {
    const spectra = new Float32Array(half * size);
    const norms = new Float64Array(half).fill(NaN);
    kept = { scan: reference, key, spectra, norms };
  }
  rotationsKept.push(kept);
  if (rotationsKept.length > rotationsKeptMax) rotationsKept.shift();
  const entry = kept;
  return {
    at(i) {
      const spectrum = entry.spectra.subarray(i * size, (i + 1) * size);
      // Filled on first use, so a canceled sweep leaves the angles it reached and the rest unfilled (NaN).
      if (Number.isNaN(entry.norms[i])) entry.norms[i] = compute(i, spectrum);
      return { spectrum, norm: entry.norms[i] };
    },
  };
}

interface MaskedTemplate {
  values: Float32Array;
  mask: Float32Array;
  squares: Float32Array;
  count: number;
}

/**
 * Normalised cross-correlation over the overlap only (masked NCC, Padfield 2012): at every shift, the mean and
 * energy of each scan are taken where both are measured. Scans of different measured areas, or masked by
 * different pipelines, then score by how well their common part agrees, not by how much they share. Six
 * correlations per angle instead of one, so it only decides among the best candidates of the plain sweep.
 * Shifts whose overlap is under a quarter of the smaller scan are not considered.
 */
export function maskedAngleScorer(
  reference: PreparedScan,
  target: PreparedScan,
  factor: number,
  correlatorFor: (n: number) => Correlator,
) {
  const n = coarseSize(reference, target, factor);
  const correlator = correlatorFor(n);
  const split = (
    src: { width: number; height: number; data: Float64Array },
    into?: { values: Float32Array; mask: Float32Array; squares: Float32Array },
  ) => {
    const values = into ? into.values.fill(0) : new Float32Array(n * n);
    const mask = into ? into.mask.fill(0) : new Float32Array(n * n);
    const squares = into ? into.squares.fill(0) : new Float32Array(n * n);
    let count = 0;
    for (let y = 0; y < Math.min(src.height, n); y++)
      for (let x = 0; x < Math.min(src.width, n); x++) {
        const v = src.data[y * src.width + x];
        if (v !== v) continue;
        const i = y * n + x;
        values[i] = v;
        mask[i] = 1;
        squares[i] = v * v;
        count++;
      }
    return { values, mask, squares, count };
  };
  const template = cached<MaskedTemplate>(reference, `masked:${factor}:${n}`, () => {
    const parts = split(levelOf(reference, factor));
    return {
      values: correlator.spectrum(parts.values),
      mask: correlator.spectrum(parts.mask),
      squares: correlator.spectrum(parts.squares),
      count: parts.count,
    };
  });
  const level = levelOf(target, factor);
  const reach = shiftReach(reference, target, factor, n);
  const rotated = new Float64Array(level.width * level.height);
  const out = Array.from({ length: 6 }, () => new Float32Array(n * n));
  const spectra = Array.from({ length: 3 }, () => new Float32Array(2 * n * n));
  const buffers = { values: new Float32Array(n * n), mask: new Float32Array(n * n), squares: new Float32Array(n * n) };
  const score = new Float32Array(n * n);
  return {
    level,
    evaluate(thetaDeg: number, subpixel = false): Peak & { significance: number } {
      rotateRaster(level, thetaDeg, rotated);
      const parts = split({ width: level.width, height: level.height, data: rotated }, buffers);
      if (parts.count === 0 || template.count === 0) return { score: 0, sx: 0, sy: 0, significance: 0 };
      // The target's spectra go into buffers kept across angles (three fresh copies per angle kept the GC busy).
      const b = { spectrum: correlator.spectrum(parts.values, spectra[0]) };
      const mb = { spectrum: correlator.spectrum(parts.mask, spectra[1]) };
      const bb = { spectrum: correlator.spectrum(parts.squares, spectra[2]) };
      const [ab, overlap, aInB, bInA, aaInB, bbInA] = out;
      correlator.correlate(template.values, b, ab);
      correlator.correlate(template.mask, mb, overlap);
      correlator.correlate(template.values, mb, aInB);
      correlator.correlate(template.mask, b, bInA);
      correlator.correlate(template.squares, mb, aaInB);
      correlator.correlate(template.mask, bb, bbInA);
      const smaller = Math.min(template.count, parts.count);
      for (let i = 0; i < score.length; i++) {
        const m = Math.round(overlap[i]);
        if (m < 0.25 * smaller) {
          score[i] = -1;
          continue;
        }
        const cov = ab[i] - (aInB[i] * bInA[i]) / m;
        const va = aaInB[i] - (aInB[i] * aInB[i]) / m;
        const vb = bbInA[i] - (bInA[i] * bInA[i]) / m;
        // Ranked by significance, not by r alone: a correlation over few points is weaker evidence (Fisher:
        // z ∝ r·√m), so a small overlap cannot win on a chance agreement.
        score[i] = va > 0 && vb > 0 ? (cov / Math.sqrt(va * vb)) * Math.sqrt(m / smaller) : -1;
      }
      const peak = bestShift(score, n, 1, 1, subpixel, reach);
      // Reported: the correlation over the overlap at the chosen shift; `significance` (r·√(m / smaller)) is what
      // ranks shifts here and angles in registerCoarse.
      const at = (((Math.round(peak.sy) % n) + n) % n) * n + (((Math.round(peak.sx) % n) + n) % n);
      const m = Math.round(overlap[at]);
      return { ...peak, score: m > 0 ? peak.score / Math.sqrt(m / smaller) : 0, significance: peak.score };
    },
  };
}

/**
 * Every angle of a coarseStep grid over 360° (2°) at the coarse factor (×8 → 50 µm/px, where a 16–250 µm band
 * still has content), then the best few local maxima of that curve refined: whole degrees within ±half a step,
 * then ±¼°, then a sub-pixel shift at the winner. A coarser sweep factor (params.sweepFactor) only ranks the
 * angles and the best share of them is scored at the coarse factor.
 */
export function registerCoarse(
  reference: PreparedScan,
  target: PreparedScan,
  params: CmcParams,
  correlatorFor: (n: number) => Correlator,
  signal?: AbortSignal,
  hints: number[] = [],
  overlapAware = false,
): Registration {
  const f = params.coarseFactor;
  const masked = maskedAngleScorer(reference, target, f, correlatorFor);
  // The plain score is normalised by each scan's whole energy: where one scan holds a fraction of the other, the
  // true angle's peak shrinks with that fraction while chance peaks do not, and the sweep itself must look at the
  // overlap only (about four times the cost per angle, so only when asked).
  const coarse = overlapAware
    ? {
        level: masked.level,
        evaluate(thetaDeg: number, subpixel = false): Peak {
          const peak = masked.evaluate(thetaDeg, subpixel);
          return { ...peak, score: peak.significance };
        },
      }
    : angleScorer(reference, target, f, correlatorFor);
  const sweep =
    params.sweepFactor > f && canSweepAt(reference, target, params.sweepFactor)
      ? angleScorer(reference, target, params.sweepFactor, correlatorFor)
      : coarse;
  const steps = Math.max(1, Math.round(360 / params.coarseStepDeg));
  const step = 360 / steps;
  const sweepScores = new Array<number>(steps);
  const plain = 'sweep' in sweep ? (sweep as ReturnType<typeof angleScorer>) : undefined;
  if (plain && steps % 2 === 0) sweepScores.splice(0, steps, ...plain.sweep(steps, signal));
  else
    for (let i = 0; i < steps; i++) {
      if (i % 16 === 0) throwIfAborted(signal);
      sweepScores[i] = sweep.evaluate(i * step).score;
    }
  // The best share of the sweep's angles scored at the refinement level; the others keep −∞ there.
  const keep = sweep === coarse ? steps : Math.max(1, Math.ceil(params.sweepKeep * steps));
  const angleScores = new Array<number>(steps).fill(-Infinity);
  const ranked = sweepScores.map((_, i) => i).sort((p, q) => sweepScores[q] - sweepScores[p]);
  for (const [n, i] of ranked.slice(0, keep).entries()) {
    if (n % 16 === 0) throwIfAborted(signal);
    angleScores[i] = sweep === coarse ? sweepScores[i] : coarse.evaluate(i * step).score;
  }
  // Each candidate refined in whole degrees by the plain score; the candidates' best angles then compared, and
  // the winner refined to a quarter degree, by the overlap-normalised score (different measured areas).
  const half = Math.floor(step / 2);
  // The sweep's own maxima first: scoring the hints' neighbourhoods below adds points to the curve, which must
  // not push a maximum of the sweep out of the candidates.
  const maxima = localMaxima(angleScores, params.coarseCandidates);
  // Hinted angles (the screening signatures' rotation, which does not depend on how much the scans overlap): the
  // grid angles within ±16° of each scored at the refinement level, and the best of them becomes a candidate
  // beside the sweep's maxima.
  const hintReach = Math.max(1, Math.round(16 / step));
  const hinted = hints.map((hint) => {
    throwIfAborted(signal);
    let best = -1;
    for (let k = -hintReach; k <= hintReach; k++) {
      const index = (((Math.round(hint / step) + k) % steps) + steps) % steps;
      if (angleScores[index] === -Infinity) angleScores[index] = coarse.evaluate(index * step).score;
      if (best < 0 || angleScores[index] > angleScores[best]) best = index;
    }
    return best;
  });
  const candidates = [...new Set([...maxima, ...hinted])];
  const finalists = candidates.map((index) => {
    throwIfAborted(signal);
    let angle = index * step;
    let score = angleScores[index];
    for (let k = -half; k <= half; k++) {
      if (k === 0) continue;
      const s = coarse.evaluate(index * step + k).score;
      if (s > score) [angle, score] = [index * step + k, s];
    }
    return angle;
  });
  let bestAngle = 0;
  let peak: Peak | undefined;
  // Angles are ranked like shifts, by significance: a correlation over a small overlap at a wrong angle must not
  // beat a slightly lower one over the whole common area (two raw scans, each with area the other lacks). The
  // sub-pixel shift changes neither score, so the winner's is kept rather than computed again.
  let bestScore = -Infinity;
  const consider = (theta: number) => {
    const at = masked.evaluate(theta, true);
    if (at.significance > bestScore) [bestAngle, bestScore, peak] = [theta, at.significance, at];
  };
  for (const angle of finalists) consider(angle);
  const whole = bestAngle;
  for (const k of [-0.5, -0.25, 0.25, 0.5]) consider(whole + k);
  peak ??= masked.evaluate(bestAngle, true);
  return {
    thetaDeg: normaliseAngle(bestAngle),
    ...coarseToFull(peak, f, masked.level, target.raster, bestAngle),
    score: peak.score,
    angleScores: sweepScores,
  };
}

/** A sweep level needs a few pixels of scan: below 8 px a side the coarse level is used for the sweep too. */
function canSweepAt(a: PreparedScan, b: PreparedScan, factor: number): boolean {
  return Math.min(a.raster.width, a.raster.height, b.raster.width, b.raster.height) / factor >= 8;
}

/** Indices of the k highest circular local maxima. */
function localMaxima(values: number[], k: number): number[] {
  const n = values.length;
  const peaks: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v >= values[(i + n - 1) % n] && v >= values[(i + 1) % n]) peaks.push(i);
  }
  if (peaks.length === 0) peaks.push(0);
  return peaks.sort((a, b) => values[b] - values[a]).slice(0, k);
}

/**
 * Converts a coarse shift to the working resolution. Both levels map pixel p to f·p + (f−1)/2, so shifts scale by
 * f; but the coarse rotation centre sits at (f·w_coarse − 1)/2, not at the full raster's (w − 1)/2, and rotating
 * about a different centre adds (I − R(θ))(c_full − c_coarse).
 */
function coarseToFull(
  peak: Peak,
  f: number,
  level: Raster,
  full: Raster,
  thetaDeg: number,
): { tx: number; ty: number } {
  const theta = (thetaDeg * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const ex = (full.width - 1) / 2 - (f * level.width - 1) / 2;
  const ey = (full.height - 1) / 2 - (f * level.height - 1) / 2;
  return {
    tx: f * peak.sx + ex - (cos * ex - sin * ey),
    ty: f * peak.sy + ey - (sin * ex + cos * ey),
  };
}

export function normaliseAngle(deg: number): number {
  let a = deg % 360;
  if (a > 180) a -= 360;
  if (a <= -180) a += 360;
  return a;
}

/**
 * The registration of B onto A expressed the other way round (A onto B): θ' = −θ and
 * t' = R(−θ)(c_B − c_A − t) + c_A − c_B, with c the raster centres (derivation in docs/analysis.md).
 */
export function invertRegistration(
  reg: Pick<Registration, 'thetaDeg' | 'tx' | 'ty'>,
  a: Raster,
  b: Raster,
): { thetaDeg: number; tx: number; ty: number } {
  const theta = (reg.thetaDeg * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const vx = (b.width - a.width) / 2 - reg.tx;
  const vy = (b.height - a.height) / 2 - reg.ty;
  // R(−θ) = [[cos, sin], [−sin, cos]]
  return {
    thetaDeg: normaliseAngle(-reg.thetaDeg),
    tx: cos * vx + sin * vy - (b.width - a.width) / 2,
    ty: -sin * vx + cos * vy - (b.height - a.height) / 2,
  };
}
