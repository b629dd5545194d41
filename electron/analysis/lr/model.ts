// The likelihood-ratio model: comparison features → log10 LR for "same firearm" (Hp) against "different
// firearms" (Hd), with a 90 % interval from a firearm-level bootstrap, clipped to the range the validation data
// supports (ELUB). The model is data (reference/*.json, schema below): which features, how transformed and
// standardised, the coefficients, the bootstrap replicates, the bounds, the parameters the features were computed
// with, and the validation figures and curves shown wherever the LR is explained.
import { z } from 'zod';
import type { ComparisonFeatures } from '../cmc/features.ts';
import { logOdds } from './logistic.ts';

export const modelFeatureSchema = z.object({
  name: z.string(),
  /** 'log': ln(value + offset) — for gaps and distances whose scale spans decades. */
  transform: z.enum(['identity', 'log']),
  offset: z.number().default(0),
  mean: z.number(),
  sd: z.number().positive(),
});

const log10LrList = z.array(z.number());

export const lrModelSchema = z.object({
  name: z.string().min(1),
  description: z.string(),
  /** The reference population the model was trained and calibrated on, named with every LR. */
  population: z.object({
    name: z.string(),
    description: z.string(),
    source: z.string(),
    km: z.number(),
    knm: z.number(),
  }),
  computedAt: z.string(),
  /** Analysis engine version the training features were computed with (see calibratedScore.ts). */
  engine: z.number().int(),
  features: z.array(modelFeatureSchema).min(1),
  /** Natural-log odds with the two classes weighted equally, i.e. ln LR: intercept, then one per feature. */
  coefficients: z.array(z.number()),
  l2: z.number(),
  /** Coefficients refitted on firearm-level bootstrap resamples of the population. */
  bootstrap: z.array(z.array(z.number())),
  /** log10 LRs outside [lower, upper] are not supported by the validation data (ELUB) and are clipped. */
  bounds: z.object({ lower: z.number(), upper: z.number() }),
  /** Parameters the features were computed with; an LR computed with others is indicative only. */
  cmcParams: z.record(z.string(), z.unknown()),
  preprocess: z.record(z.string(), z.unknown()).nullable(),
  validation: z.object({
    method: z.string(),
    cllr: z.number(),
    cllrMin: z.number(),
    /** Share of KM with LR < 1 and of KNM with LR > 1. */
    misleading: z.object({ km: z.number(), knm: z.number() }),
    /** The cross-validated log10 LRs of every validation pair, for Tippett and ECE plots. */
    km: log10LrList,
    knm: log10LrList,
  }),
});
export type LrModel = z.infer<typeof lrModelSchema>;

export interface LikelihoodRatio {
  /** log10 LR after clipping to the model's bounds. */
  log10Lr: number;
  /** 90 % interval of log10 LR over the bootstrap models (clipped too). */
  interval: [number, number];
  /** The model's value before clipping. */
  unclipped: number;
  /** Set when the value was clipped: the data support no stronger statement. */
  clipped: 'upper' | 'lower' | null;
  model: string;
  population: string;
  /** False when the comparison used other parameters than the model was trained with: indicative only. */
  comparable: boolean;
  /**
   * True when the value lies strictly between the model's strongest validation non-match and its weakest validation
   * match (a population whose classes separate leaves such a gap): no validation pair supports its size or its
   * direction — it is set by the model's functional form alone — so it is read as inconclusive.
   */
  betweenClasses: boolean;
  statement: string;
}

/** The open interval of log10 LR between the model's strongest validation KNM and weakest validation KM, if any. */
export function validationGap(model: Pick<LrModel, 'validation'>): { above: number; below: number } | null {
  const { km, knm } = model.validation;
  if (km.length === 0 || knm.length === 0) return null;
  const above = Math.max(...knm);
  const below = Math.min(...km);
  return above < below ? { above, below } : null;
}

/** The model's input vector (transformed and standardised) for one comparison. */
export function modelInput(model: Pick<LrModel, 'features'>, features: ComparisonFeatures): number[] {
  return model.features.map((f) => {
    const raw = (features as unknown as Record<string, number>)[f.name];
    if (raw === undefined || !Number.isFinite(raw)) throw new RangeError(`feature ${f.name} is missing or not finite`);
    const value = f.transform === 'log' ? Math.log(Math.max(raw, 0) + f.offset) : raw;
    return (value - f.mean) / f.sd;
  });
}

export function log10LrOf(coefficients: number[], input: number[]): number {
  return logOdds(coefficients, input) / Math.LN10;
}

function quantile(sorted: number[], p: number): number {
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

const clip = (v: number, b: LrModel['bounds']) => Math.min(b.upper, Math.max(b.lower, v));

export function likelihoodRatio(model: LrModel, features: ComparisonFeatures, comparable = true): LikelihoodRatio {
  const input = modelInput(model, features);
  const unclipped = log10LrOf(model.coefficients, input);
  const log10Lr = clip(unclipped, model.bounds);
  const replicates = model.bootstrap.map((c) => clip(log10LrOf(c, input), model.bounds)).sort((a, b) => a - b);
  const interval: [number, number] = replicates.length
    ? [Math.min(log10Lr, quantile(replicates, 0.05)), Math.max(log10Lr, quantile(replicates, 0.95))]
    : [log10Lr, log10Lr];
  const clipped = unclipped > model.bounds.upper ? 'upper' : unclipped < model.bounds.lower ? 'lower' : null;
  const gap = validationGap(model);
  const betweenClasses = gap !== null && log10Lr > gap.above && log10Lr < gap.below;
  return {
    log10Lr,
    interval,
    unclipped,
    clipped,
    model: model.name,
    population: model.population.name,
    comparable,
    betweenClasses,
    statement: lrStatement(log10Lr, interval, clipped, model, comparable, betweenClasses ? gap : null),
  };
}

/** "10^2.9" as a plain number a reader can picture: 1 significant figure above 10, 2 below. */
export function formatLr(log10: number): string {
  const value = Math.pow(10, log10);
  if (value >= 10) return Number(value.toPrecision(2)).toLocaleString('en');
  if (value >= 1) return value.toFixed(1);
  return `1/${formatLr(-log10)}`;
}

function lrStatement(
  log10: number,
  interval: [number, number],
  clipped: LikelihoodRatio['clipped'],
  model: LrModel,
  comparable: boolean,
  gap: { above: number; below: number } | null,
): string {
  const direction =
    log10 >= 0
      ? `about ${formatLr(log10)} times more probable if both casings were fired by the same firearm than by different firearms`
      : `about ${formatLr(-log10)} times more probable if they were fired by different firearms than by the same firearm`;
  const limit =
    clipped === 'upper'
      ? `; the model gives more, but its validation data support no more than ${formatLr(model.bounds.upper)}`
      : clipped === 'lower'
        ? `; the model gives less, but its validation data support no less than ${formatLr(model.bounds.lower)}`
        : '';
  return (
    `These observations are ${direction} (log10 LR ${log10.toFixed(2)}, 90 % interval ${interval[0].toFixed(2)} to ${interval[1].toFixed(2)}; ` +
    `model "${model.name}" calibrated on "${model.population.name}"${limit})` +
    (gap
      ? `; INCONCLUSIVE: the value lies between the validation population's strongest known non-match ` +
        `(log10 LR ${gap.above.toFixed(2)}) and weakest known match (${gap.below.toFixed(2)}), where no validation ` +
        'pair supports its size or its direction'
      : '') +
    (comparable ? '' : '; WARNING: computed with other parameters than the model, indicative only')
  );
}
