import { describe, expect, it } from 'vitest';
import type { ComparisonFeatures } from '../cmc/features.ts';
import { fitLogistic } from './logistic.ts';
import { formatLr, likelihoodRatio, validationGap, type LrModel } from './model.ts';
import { crossValidate, trainLrModel, type TrainingPair } from './train.ts';
import { seededRandom } from '../random.ts';
import { fadulLrModel } from '../reference/index.ts';
import { analysisEngineVersion } from '../calibratedScore.ts';

const features = (v: number): ComparisonFeatures => ({
  cmcFraction: v,
  fullCorrelation: v,
  cellCorrelationMean: v,
  clusterFraction: v,
  directionTranslationGap: 1 - v,
  registrationCorrelation: v,
});

/** Ten firearms, three casings each; matches score around 0.7, non-matches around 0.2, with noise. */
function population(seed = 3): TrainingPair[] {
  const random = seededRandom(seed);
  const pairs: TrainingPair[] = [];
  const casings = Array.from({ length: 30 }, (_, i) => `f${Math.floor(i / 3)}`);
  for (let i = 0; i < casings.length; i++)
    for (let j = i + 1; j < casings.length; j++) {
      const km = casings[i] === casings[j];
      pairs.push({
        firearmA: casings[i],
        firearmB: casings[j],
        features: features((km ? 0.7 : 0.2) + 0.15 * (random() - 0.5)),
      });
    }
  return pairs;
}

describe('likelihood-ratio model', () => {
  it('logistic regression finds the direction of the evidence and stays finite when classes separate', () => {
    const x = [[-2], [-1], [1], [2]];
    const fit = fitLogistic(x, [0, 0, 1, 1], { l2: 0.01 });
    expect(fit.coefficients[1]).toBeGreaterThan(0);
    expect(Number.isFinite(fit.coefficients[1])).toBe(true);
    expect(fitLogistic(x, [0, 0, 1, 1], { l2: 1 }).coefficients[1]).toBeLessThan(fit.coefficients[1]);
  });

  it('trains, validates by firearm, bounds and bootstraps; matches get LR > 1, non-matches LR < 1', () => {
    const pairs = population();
    const trained = trainLrModel(pairs, { replicates: 20, seed: 2 });
    expect(trained.validation.cllr).toBeLessThan(0.3);
    expect(trained.validation.cllrMin).toBeLessThanOrEqual(trained.validation.cllr);
    expect(trained.bounds.upper).toBeGreaterThan(0);
    expect(trained.bounds.lower).toBeLessThan(0);
    expect(trained.bootstrap).toHaveLength(20);
    // Held-out firearms: every validation LR came from a model that never saw that pair's firearms.
    const cv = crossValidate(pairs);
    expect(cv.all).toHaveLength(pairs.length);
    const model: LrModel = {
      ...fadulLrModel,
      features: trained.core.features,
      coefficients: trained.core.coefficients,
      bootstrap: trained.bootstrap,
      bounds: trained.bounds,
      validation: trained.validation,
    };
    const high = likelihoodRatio(model, features(0.75));
    const low = likelihoodRatio(model, features(0.15));
    expect(high.log10Lr).toBeGreaterThan(0);
    expect(low.log10Lr).toBeLessThan(0);
    expect(high.interval[0]).toBeLessThanOrEqual(high.log10Lr);
    expect(high.interval[1]).toBeGreaterThanOrEqual(high.log10Lr);
    // Far beyond the training data the model's value is clipped, and the statement says so.
    const extreme = likelihoodRatio(model, features(3));
    expect(extreme.clipped).toBe('upper');
    expect(extreme.log10Lr).toBe(trained.bounds.upper);
    expect(extreme.statement).toMatch(/validation data support no more than/);
    expect(likelihoodRatio(model, features(0.75), false).statement).toMatch(/indicative only/);
  });

  it('a value between the validation classes (where no validation pair lies) is inconclusive, and says so', () => {
    // log10 LR = cmcFraction (one standardised feature, slope ln 10); validation KNM up to −1, KM from 1.
    const model: LrModel = {
      ...fadulLrModel,
      features: [{ name: 'cmcFraction', transform: 'identity', offset: 0, mean: 0, sd: 1 }],
      coefficients: [0, Math.LN10],
      bootstrap: [],
      bounds: { lower: -3, upper: 3 },
      validation: { ...fadulLrModel.validation, km: [1, 2.5], knm: [-2.5, -1] },
    };
    const at = (v: number) => likelihoodRatio(model, { ...features(0), cmcFraction: v });
    for (const v of [-0.5, 0, 0.9]) {
      expect(at(v).betweenClasses, `${v}`).toBe(true);
      expect(at(v).statement).toMatch(/INCONCLUSIVE: .* \(log10 LR -1\.00\) and weakest known match \(1\.00\)/);
    }
    for (const v of [-2, -1, 1, 2]) {
      expect(at(v).betweenClasses, `${v}`).toBe(false);
      expect(at(v).statement).not.toMatch(/INCONCLUSIVE/);
    }
    // Classes that overlap in validation leave no gap: nothing is flagged.
    const overlapping = { ...model, validation: { ...model.validation, km: [-0.5, 2], knm: [-2, 0.5] } };
    expect(likelihoodRatio(overlapping, { ...features(0), cmcFraction: 0 }).betweenClasses).toBe(false);
    // The shipped model's validation separates (Cllr-min 0): its gap is where cross-condition matches fall.
    expect(validationGap(fadulLrModel)).not.toBeNull();
  });

  it('refuses a comparison whose features are missing, and writes LRs as plain numbers', () => {
    expect(() => likelihoodRatio(fadulLrModel, { ...features(0.5), fullCorrelation: NaN })).toThrow(/fullCorrelation/);
    expect(formatLr(2.3)).toBe('200');
    expect(formatLr(0.2)).toBe('1.6');
    expect(formatLr(-1)).toBe('1/10');
  });

  it('the shipped model is the current engine, trained on 63 + 717 Fadul pairs, with its validation', () => {
    expect(fadulLrModel.engine).toBe(analysisEngineVersion);
    expect(fadulLrModel.validation.km).toHaveLength(63);
    expect(fadulLrModel.validation.knm).toHaveLength(717);
    expect(fadulLrModel.validation.cllr).toBeLessThan(0.2);
    expect(fadulLrModel.bootstrap.length).toBeGreaterThanOrEqual(100);
  });
});
