// Autofocus as a pure search over a focus function: coarse sweep of the whole range, then finer sweeps
// around the best position, then a parabola through the best three samples. The caller supplies
// focusAt(z) (move the focus stage, wait until it stops, snap a frame); the search never touches hardware.
import type { RawFrame } from '../calibration/frames.ts';
import { sharpness, type SharpnessOptions } from './sharpness.ts';

export interface AutofocusOptions {
  /** Focus positions to search, metres (stage coordinates). */
  minZ: number;
  maxZ: number;
  /** Samples in the coarse sweep (≥ 3); default 11. */
  coarseSteps?: number;
  /** Stop refining when the step is below this (metres); default the lens's depth of field, 5 µm. */
  toleranceM?: number;
  /** Samples per refinement sweep (odd, ≥ 3); default 5. */
  fineSteps?: number;
  signal?: AbortSignal;
  onProgress?: (evaluated: number, bestZ: number) => void;
  sharpness?: SharpnessOptions;
}

export interface FocusSample {
  z: number;
  score: number;
}

export interface AutofocusResult {
  bestZ: number;
  bestScore: number;
  samples: FocusSample[];
  /** Peak score over the median score of the coarse sweep: below ~1.2 the image has no usable texture. */
  peakRatio: number;
}

export async function autofocus(
  focusAt: (z: number) => Promise<Pick<RawFrame, 'width' | 'height' | 'data'>>,
  options: AutofocusOptions,
): Promise<AutofocusResult> {
  const { minZ, maxZ, signal } = options;
  if (!(maxZ > minZ)) throw new RangeError(`focus range must have maxZ > minZ, got ${minZ} … ${maxZ}`);
  const coarseSteps = Math.max(3, Math.round(options.coarseSteps ?? 11));
  const fineSteps = Math.max(3, Math.round(options.fineSteps ?? 5)) | 1;
  const tolerance = options.toleranceM ?? 5e-6;
  const samples: FocusSample[] = [];
  const measured = new Map<number, number>();

  const measure = async (z: number): Promise<number> => {
    const key = Math.round(z * 1e9);
    const known = measured.get(key);
    if (known !== undefined) return known;
    signal?.throwIfAborted();
    const score = sharpness(await focusAt(z), options.sharpness);
    measured.set(key, score);
    samples.push({ z, score });
    options.onProgress?.(samples.length, best().z);
    return score;
  };
  const best = () => samples.reduce((a, b) => (b.score > a.score ? b : a), samples[0] ?? { z: minZ, score: -Infinity });

  let step = (maxZ - minZ) / (coarseSteps - 1);
  for (let k = 0; k < coarseSteps; k++) await measure(minZ + k * step);
  const coarseScores = samples.map((s) => s.score).sort((a, b) => a - b);
  const median = coarseScores[coarseScores.length >> 1];

  while (step > tolerance) {
    const centre = best().z;
    const half = (fineSteps - 1) / 2;
    const newStep = Math.max(step / half, tolerance / 2);
    for (let k = -half; k <= half; k++) {
      const z = centre + k * newStep;
      if (z >= minZ && z <= maxZ) await measure(z);
    }
    if (newStep >= step) break;
    step = newStep;
  }

  // Parabola through the best sample and its nearest neighbours on either side.
  const top = best();
  const sorted = [...samples].sort((a, b) => a.z - b.z);
  const i = sorted.indexOf(top);
  let bestZ = top.z;
  if (i > 0 && i < sorted.length - 1) {
    const [a, b, c] = [sorted[i - 1], sorted[i], sorted[i + 1]];
    const denominator = (a.z - b.z) * (a.z - c.z) * (b.z - c.z);
    const A = (c.z * (b.score - a.score) + b.z * (a.score - c.score) + a.z * (c.score - b.score)) / denominator;
    const B =
      (c.z * c.z * (a.score - b.score) + b.z * b.z * (c.score - a.score) + a.z * a.z * (b.score - c.score)) /
      denominator;
    if (A < 0) {
      const vertex = -B / (2 * A);
      if (vertex > a.z && vertex < c.z) bestZ = vertex;
    }
  }
  return { bestZ, bestScore: top.score, samples, peakRatio: median > 0 ? top.score / median : Infinity };
}
