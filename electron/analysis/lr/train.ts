// Training and validating the likelihood-ratio model on a reference population of compared pairs of known
// truth, each pair naming the firearm of both casings. Validation is by firearm: a pair is scored by a model
// that saw no pair involving either of its firearms (leave-one-firearm-out for known matches; both firearms out
// for known non-matches), so no firearm's own marks ever inform its validation LR. The bootstrap resamples
// firearms, not pairs, for the same reason: pairs of one firearm are not independent.
import { featureNames, type ComparisonFeatures } from '../cmc/features.ts';
import { seededRandom } from '../random.ts';
import { fitLogistic } from './logistic.ts';
import { log10LrOf, modelInput, type LrModel } from './model.ts';
import { cllr, cllrMin, elub, misleading } from './performance.ts';

export interface TrainingPair {
  /** Firearms of the two casings (equal = known match). */
  firearmA: string;
  firearmB: string;
  features: ComparisonFeatures;
}

/** Which features the model uses and how: gaps span decades, so they enter as logarithms. */
export const modelFeatureSpec: { name: keyof ComparisonFeatures; transform: 'identity' | 'log'; offset: number }[] =
  featureNames.map((name) =>
    name === 'directionTranslationGap'
      ? { name, transform: 'log' as const, offset: 0.01 }
      : { name, transform: 'identity' as const, offset: 0 },
  );

/**
 * L2 penalty on the standardised coefficients, in units of the total sample weight. Chosen once, before
 * validation, as a moderate shrinkage (the model is a weighted sum of a handful of correlation-like features);
 * not tuned on the validation figures.
 */
export const defaultL2 = 0.05;

const isKm = (p: TrainingPair) => p.firearmA === p.firearmB;

type ModelCore = Pick<LrModel, 'features' | 'coefficients' | 'l2'>;

export function fitModel(pairs: TrainingPair[], l2 = defaultL2): ModelCore {
  const km = pairs.filter(isKm).length;
  const knm = pairs.length - km;
  if (km === 0 || knm === 0) throw new RangeError('training needs known matches and known non-matches');
  const raw = pairs.map((p) =>
    modelFeatureSpec.map((f) => {
      const v = p.features[f.name];
      return f.transform === 'log' ? Math.log(Math.max(v, 0) + f.offset) : v;
    }),
  );
  const features = modelFeatureSpec.map((f, j) => {
    const column = raw.map((r) => r[j]);
    const mean = column.reduce((s, v) => s + v, 0) / column.length;
    const sd = Math.sqrt(column.reduce((s, v) => s + (v - mean) ** 2, 0) / column.length) || 1;
    return { name: f.name, transform: f.transform, offset: f.offset, mean, sd };
  });
  const x = pairs.map((p) => modelInput({ features }, p.features));
  const y = pairs.map((p) => (isKm(p) ? 1 : 0));
  // Each class carries half the weight: the fitted log-odds is then the log LR, whatever the class sizes.
  const weights = pairs.map((p) => (isKm(p) ? 0.5 / km : 0.5 / knm));
  const { coefficients } = fitLogistic(x, y, { l2, weights });
  return { features, coefficients, l2 };
}

/** Cross-validated log10 LRs: each pair scored by a model trained without any pair of its firearms. */
export function crossValidate(pairs: TrainingPair[], l2 = defaultL2): { km: number[]; knm: number[]; all: number[] } {
  const models = new Map<string, ModelCore>();
  const all = pairs.map((p) => {
    const held = [p.firearmA, p.firearmB].sort().join('|');
    let core = models.get(held);
    if (!core) {
      const out = new Set([p.firearmA, p.firearmB]);
      core = fitModel(
        pairs.filter((q) => !out.has(q.firearmA) && !out.has(q.firearmB)),
        l2,
      );
      models.set(held, core);
    }
    return log10LrOf(core.coefficients, modelInput(core, p.features));
  });
  return {
    km: all.filter((_, i) => isKm(pairs[i])),
    knm: all.filter((_, i) => !isKm(pairs[i])),
    all,
  };
}

export interface TrainedModel {
  core: ModelCore;
  bootstrap: number[][];
  bounds: { lower: number; upper: number };
  validation: LrModel['validation'];
}

/**
 * Fits the model on every pair, validates it by firearm, sets the ELUB bounds from the validation LRs, and
 * draws bootstrap replicates for the per-comparison interval.
 */
export function trainLrModel(
  pairs: TrainingPair[],
  options: { replicates?: number; seed?: number; l2?: number } = {},
): TrainedModel {
  const l2 = options.l2 ?? defaultL2;
  const core = fitModel(pairs, l2);
  const bootstrap = bootstrapOnScale(pairs, core, options.replicates ?? 200, options.seed ?? 1, l2);
  const cv = crossValidate(pairs, l2);
  const bounds = elub(cv.km, cv.knm);
  const clip = (v: number) => Math.min(bounds.upper, Math.max(bounds.lower, v));
  const km = cv.km.map(clip);
  const knm = cv.knm.map(clip);
  return {
    core,
    bootstrap,
    bounds,
    validation: {
      method:
        'cross-validation by firearm: each pair scored by a model trained without either of its firearms; LRs clipped to the ELUB bounds',
      cllr: cllr(km, knm),
      cllrMin: cllrMin(km, knm),
      misleading: misleading(km, knm),
      km,
      knm,
    },
  };
}

/**
 * Refits on firearm-level bootstrap resamples, on the main model's feature scaling so a replicate's coefficients
 * apply to the same inputs. Firearms are drawn with replacement; copies are distinct sources, so pairs between
 * two copies of one firearm are left out.
 */
function bootstrapOnScale(pairs: TrainingPair[], core: ModelCore, replicates: number, seed: number, l2: number) {
  const random = seededRandom(seed);
  const firearms = [...new Set(pairs.flatMap((p) => [p.firearmA, p.firearmB]))].sort();
  const out: number[][] = [];
  for (let r = 0; out.length < replicates && r < replicates * 5; r++) {
    const drawn = firearms.map(() => firearms[Math.floor(random() * firearms.length)]);
    const sample: TrainingPair[] = [];
    for (let i = 0; i < drawn.length; i++)
      for (let j = i; j < drawn.length; j++) {
        if (i !== j && drawn[i] === drawn[j]) continue;
        for (const p of pairs)
          if (
            (p.firearmA === drawn[i] && p.firearmB === drawn[j]) ||
            (p.firearmA === drawn[j] && p.firearmB === drawn[i])
          )
            sample.push(p);
      }
    const km = sample.filter(isKm).length;
    if (km === 0 || km === sample.length) continue;
    const x = sample.map((p) => modelInput(core, p.features));
    const y = sample.map((p) => (isKm(p) ? 1 : 0));
    const weights = sample.map((p) => (isKm(p) ? 0.5 / km : 0.5 / (sample.length - km)));
    out.push(fitLogistic(x, y, { l2, weights }).coefficients);
  }
  return out;
}
