// Calibrated meaning of a CMC count: how often a count at least this high occurs among known non-matching
// pairs of a named reference population, with a one-sided 95 % upper bound (Clopper–Pearson) so that
// "0 of 717" is reported as "below 0.42 %", not as "impossible".
import { z } from 'zod';

/**
 * Version of the comparison engine (preprocessing, registration, cells, features). Raised whenever results change
 * for the same parameters; reference populations and LR models record it, and a score from another version is
 * flagged "indicative only". 2: masked-NCC registration with a ×16 sweep, one fine angle, local outlier removal,
 * breech face found in raw scans. 3: the screening signatures' rotation as registration hints, and registration
 * both ways round for scans of very different measured area. 4: the 360° sweep at ×8 on a 2° grid (was ×16 ranking
 * a 4° grid), and a raw scan's firing-pin crater cut out to its rim (was its deep core). 5: a scan whose measured
 * area is cut by a straight edge (a crop, a field of view) registers by the overlap-only sweep, both ways round, as
 * scans of very different area did (no pair of NIST's Fadul scans changes; the references were regenerated).
 * 6: the 360° sweep turns the reference instead of the target (its rotated spectra are kept while pairs share it)
 * and scores θ and θ + 180° through one packed inverse: sweep scores move slightly, some registrations by a step.
 */
export const analysisEngineVersion = 6;

export const referencePopulationSchema = z.object({
  /** Short name shown with every calibrated score, e.g. "Fadul 2011 known non-matches". */
  name: z.string().min(1),
  description: z.string(),
  /** Where the pairs came from and when the counts were computed. */
  source: z.string(),
  computedAt: z.string(),
  /** Version of the analysis engine the counts were made with (algorithms change without parameters changing). */
  engine: z.number().int().default(1),
  /** The comparison and preprocessing parameters the counts were made with; a score is only comparable under the same ones. */
  cmcParams: z.record(z.string(), z.unknown()),
  preprocess: z.record(z.string(), z.unknown()).nullable(),
  /** Combined CMC count of every known non-matching pair. */
  counts: z.array(z.number().min(0)).min(1),
});
export type ReferencePopulation = z.infer<typeof referencePopulationSchema>;

export interface CalibratedScore {
  count: number;
  population: string;
  populationSize: number;
  /** Known non-matches of the population with a count ≥ this one. */
  atLeast: number;
  frequency: number;
  /** One-sided 95 % upper confidence bound of that frequency. */
  upper95: number;
  /** False when the score was computed with other parameters than the population; the frequency is then indicative only. */
  comparable: boolean;
  statement: string;
}

export function calibrateCount(count: number, population: ReferencePopulation, comparable = true): CalibratedScore {
  const n = population.counts.length;
  const atLeast = population.counts.filter((c) => c >= count).length;
  const frequency = atLeast / n;
  const upper95 = binomialUpperBound(atLeast, n, 0.05);
  const pct = (v: number) => `${(100 * v).toPrecision(2)} %`;
  const statement =
    `a count of ${count} or more occurred in ${atLeast} of ${n} known non-matching pairs of "${population.name}"` +
    (atLeast === 0
      ? ` (frequency below ${pct(upper95)} at 95 % confidence)`
      : ` (${pct(frequency)}; at most ${pct(upper95)} at 95 % confidence)`) +
    (comparable ? '' : '; WARNING: computed with different parameters than the population, indicative only');
  return { count, population: population.name, populationSize: n, atLeast, frequency, upper95, comparable, statement };
}

/** Compares the engine and parameters a score was made with to those of the population (all keys of its record). */
export function sameParameters(
  population: Pick<ReferencePopulation, 'cmcParams' | 'preprocess' | 'engine'>,
  cmcParams: object,
  preprocess: object | null,
  engine = analysisEngineVersion,
): boolean {
  const eq = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (population.engine !== engine) return false;
  if ((population.preprocess === null) !== (preprocess === null)) return false;
  const cmc = cmcParams as Record<string, unknown>;
  for (const [key, value] of Object.entries(population.cmcParams)) if (!eq(cmc[key], value)) return false;
  if (population.preprocess && preprocess) {
    const pre = preprocess as Record<string, unknown>;
    for (const [key, value] of Object.entries(population.preprocess)) if (!eq(pre[key], value)) return false;
  }
  return true;
}

/** Clopper–Pearson one-sided upper bound: the p at which P(X ≤ k | n, p) = alpha. */
export function binomialUpperBound(k: number, n: number, alpha: number): number {
  if (k >= n) return 1;
  if (k === 0) return 1 - Math.pow(alpha, 1 / n);
  let lo = k / n;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (binomialCdf(k, n, mid) > alpha) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function binomialCdf(k: number, n: number, p: number): number {
  // Sum of terms in log space; n is at most a few thousand pairs.
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let logTerm = n * lq; // i = 0
  let sum = Math.exp(logTerm);
  for (let i = 1; i <= k; i++) {
    logTerm += Math.log((n - i + 1) / i) + lp - lq;
    sum += Math.exp(logTerm);
  }
  return Math.min(1, sum);
}
