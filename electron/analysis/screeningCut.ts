// What a screening cut costs: the chance that a casing's mate is ranked below the cut, so full CMC never sees it.
// From a reference population of screening scores (known matches and known non-matches): a mate that scores s
// is outranked by each of the other N − 1 candidates with probability q(s) = the share of non-matches scoring at
// least s, so it falls below a cut of K when at least K of them do — a binomial tail, averaged over the
// reference's match scores. With n non-matches, q below 1/n cannot be seen: it is taken as 1/(2n), so at network
// sizes the estimate is an order of magnitude, not a measurement (the docs say so).
import { z } from 'zod';
import { binomialUpperBound } from './calibratedScore.ts';

export const screeningReferenceSchema = z.object({
  name: z.string(),
  description: z.string(),
  /** analysisEngineVersion and screening parameters the scores were computed with. */
  engine: z.number().int(),
  harmonics: z.number().int(),
  km: z.array(z.number()).min(1),
  knm: z.array(z.number()).min(1),
});
export type ScreeningReference = z.infer<typeof screeningReferenceSchema>;

export interface ScreeningCut {
  /** Candidates kept for full CMC, of how many screened. */
  kept: number;
  screened: number;
  /** Expected share of searches whose mate is screened out (0…1), under the reference population. */
  expectedMissRate: number;
  /**
   * What the reference can and cannot tell: the rate with each mate's outranking share q taken as observed (0 where
   * no reference non-match reached the mate) and as its one-sided 95 % upper bound (Clopper–Pearson). Where the two
   * are far apart the figure depends on the non-matches' tail beyond anything the reference holds.
   */
  range: { low: number; high: number };
  /**
   * False when the range is wider than `estimableSpread`: at this many candidates the rate depends on how often
   * non-matches score above every one the reference holds, which it cannot say; the user is told so in words.
   */
  estimable: boolean;
  reference: string;
}

/** Above this width of the range the rate is "cannot be estimated at this size" (a tenth of all searches). */
export const estimableSpread = 0.1;

export function screeningCut(kept: number, screened: number, reference: ScreeningReference): ScreeningCut {
  if (!Number.isInteger(kept) || !Number.isInteger(screened) || kept < 0 || screened < 0)
    throw new RangeError(`a cut keeps a whole number of candidates (${kept} of ${screened})`);
  const base = { kept, screened, reference: reference.name };
  const certain = (rate: number) => ({
    ...base,
    expectedMissRate: rate,
    range: { low: rate, high: rate },
    estimable: true,
  });
  if (kept >= screened) return certain(0);
  if (kept === 0) return certain(1);
  const knm = [...reference.knm].sort((a, b) => a - b);
  const n = knm.length;
  const others = screened - 1;
  let miss = 0;
  let low = 0;
  let high = 0;
  for (const s of reference.km) {
    const atLeast = n - lowerBound(knm, s);
    miss += binomialTailAtLeast(others, Math.max(atLeast, 0.5) / n, kept);
    low += binomialTailAtLeast(others, atLeast / n, kept);
    high += binomialTailAtLeast(others, binomialUpperBound(atLeast, n, 0.05), kept);
  }
  const m = reference.km.length;
  const range = { low: low / m, high: high / m };
  return { ...base, expectedMissRate: miss / m, range, estimable: range.high - range.low <= estimableSpread };
}

/**
 * The cut of a search whose signature's best `checked` of `screened` are re-ranked by their registration score
 * before `kept` go on to full CMC: the mate is lost when the signature ranks it below `checked`, or the
 * registration ranks it below `kept` among those. The two are taken as independent (a non-match's registration
 * score does not depend on its signature score), each from its own reference population.
 */
export function checkedScreeningCut(
  kept: number,
  checked: number,
  screened: number,
  signatureReference: ScreeningReference,
  registrationReference: ScreeningReference,
): ScreeningCut & { checked: number } {
  const checkedCount = Math.min(checked, screened);
  const first = screeningCut(Math.max(kept, checkedCount), screened, signatureReference);
  const second = screeningCut(
    Math.min(kept, screened),
    Math.max(checkedCount, Math.min(kept, screened)),
    registrationReference,
  );
  const checkedFirst = checkedCount > kept;
  const both = (a: number, b: number) => (checkedFirst ? 1 - (1 - a) * (1 - b) : a);
  const range = {
    low: both(first.range.low, second.range.low),
    high: both(first.range.high, second.range.high),
  };
  return {
    kept: Math.min(kept, screened),
    screened,
    checked: checkedCount,
    expectedMissRate: both(first.expectedMissRate, second.expectedMissRate),
    range,
    estimable: range.high - range.low <= estimableSpread,
    reference:
      checkedCount > kept ? `${signatureReference.name}; ${registrationReference.name}` : signatureReference.name,
  };
}

function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** P(X ≥ k) for X ~ Binomial(n, p), as 1 − P(X < k) summed in log space (k is small: a cut). */
export function binomialTailAtLeast(n: number, p: number, k: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  let logPmf = n * logQ; // P(X = 0)
  let below = 0;
  for (let i = 0; i < k; i++) {
    below += Math.exp(logPmf);
    logPmf += Math.log(n - i) - Math.log(i + 1) + logP - logQ;
  }
  return Math.min(1, Math.max(0, 1 - below));
}
