// Coarse registration over the full 360°: both scans block-averaged (default ×8 → 50 µm/px), the target rotated
// at every coarse step and cross-correlated with the reference by FFT, then refined around the best angle.
// This is what makes a full rotation search cheap: ~120 small correlations instead of 120 full CMC passes.
import { nextPowerOfTwo } from '../fft.ts';
import { rotateRaster, type Raster } from '../raster.ts';
import { throwIfAborted } from '../errors.ts';
import type { Correlator } from './correlator.ts';
import type { CmcParams } from './params.ts';
import { cached, levelOf, type PreparedScan } from './prepared.ts';

/** A(p) ≈ B_θ(p + t): B rotated by θ about its centre, then shifted by t (pixels at the working resolution). */
export interface Registration {
  thetaDeg: number;
  tx: number;
  ty: number;
  /** Normalised cross-correlation of the coarse levels at the registration (−1…1). */
  score: number;
  /** Coarse score at every angle of the coarse grid (index i ↔ i × coarseStepDeg), for display and diagnostics. */
  angleScores: number[];
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
  return nextPowerOfTwo(Math.ceil(1.5 * Math.max(la.width, la.height, lb.width, lb.height)));
}

interface Peak {
  score: number;
  sx: number;
  sy: number;
}

function bestShift(corr: Float32Array, n: number, normA: number, normB: number, subpixel: boolean): Peak {
  let best = -Infinity;
  let bi = 0;
  for (let i = 0; i < corr.length; i++) {
    if (corr[i] > best) {
      best = corr[i];
      bi = i;
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
function angleScorer(
  reference: PreparedScan,
  target: PreparedScan,
  factor: number,
  correlatorFor: (n: number) => Correlator,
) {
  const n = coarseSize(reference, target, factor);
  const correlator = correlatorFor(n);
  const template = cached<Template>(reference, `coarse:${factor}:${n}`, () => {
    const buffer = new Float32Array(n * n);
    const norm = fillBuffer(levelOf(reference, factor), n, buffer);
    return { n, spectrum: correlator.spectrum(buffer), norm };
  });
  const level = levelOf(target, factor);
  const rotated = new Float64Array(level.width * level.height);
  const buffer = new Float32Array(n * n);
  const corr = new Float32Array(n * n);
  return {
    level,
    evaluate(thetaDeg: number, subpixel = false): Peak {
      rotateRaster(level, thetaDeg, rotated);
      const norm = fillBuffer({ width: level.width, height: level.height, data: rotated }, n, buffer);
      if (norm === 0 || template.norm === 0) return { score: 0, sx: 0, sy: 0 };
      correlator.correlate(template.spectrum, buffer, corr);
      return bestShift(corr, n, template.norm, norm, subpixel);
    },
  };
}

/**
 * Every angle of a coarseStep grid over 360° at the coarse factor (50 µm/px by default: coarser levels keep too
 * little of a 16–250 µm band-passed surface to find the angle), then the best few local maxima of that curve
 * searched in coarseStep/6 steps within half a step, then a sub-pixel shift at the winner.
 */
export function registerCoarse(
  reference: PreparedScan,
  target: PreparedScan,
  params: CmcParams,
  correlatorFor: (n: number) => Correlator,
  signal?: AbortSignal,
): Registration {
  const f = params.coarseFactor;
  const coarse = angleScorer(reference, target, f, correlatorFor);
  const steps = Math.max(1, Math.round(360 / params.coarseStepDeg));
  const step = 360 / steps;
  const angleScores: number[] = [];
  for (let i = 0; i < steps; i++) {
    if (i % 16 === 0) throwIfAborted(signal);
    angleScores.push(coarse.evaluate(i * step).score);
  }
  let bestAngle = 0;
  let bestScore = -Infinity;
  for (const index of localMaxima(angleScores, params.coarseCandidates)) {
    throwIfAborted(signal);
    for (let k = -3; k <= 3; k++) {
      const theta = index * step + (k * step) / 6;
      const score = k === 0 ? angleScores[index] : coarse.evaluate(theta).score;
      if (score > bestScore) {
        bestScore = score;
        bestAngle = theta;
      }
    }
  }
  const peak = coarse.evaluate(bestAngle, true);
  return {
    thetaDeg: normaliseAngle(bestAngle),
    ...coarseToFull(peak, f, coarse.level, target.raster, bestAngle),
    score: peak.score,
    angleScores,
  };
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
