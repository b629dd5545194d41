// Reference populations and the likelihood-ratio model. fadul-knm.json and fadul-lr.json are written by
// `npx node bench/analysis.bench.ts --write-reference` from all 780 Fadul pairs, with the engine version and the
// parameters they were computed with; fadul-screening.json and fadul-registration.json by `npx node bench/screening.bench.ts --write-reference`.
import fadulKnm from './fadul-knm.json' with { type: 'json' };
import fadulLr from './fadul-lr.json' with { type: 'json' };
import fadulScreening from './fadul-screening.json' with { type: 'json' };
import fadulRegistration from './fadul-registration.json' with { type: 'json' };
import {
  calibrateCount,
  referencePopulationSchema,
  sameParameters,
  type CalibratedScore,
  type ReferencePopulation,
} from '../calibratedScore.ts';
import { resolvePreprocessParams, type PreprocessParamsInput } from '../preprocess.ts';
import type { CmcResult } from '../cmc/compare.ts';
import { likelihoodRatio, lrModelSchema, type LikelihoodRatio, type LrModel } from '../lr/model.ts';
import { screeningReferenceSchema, type ScreeningReference } from '../screeningCut.ts';

export const fadulKnmPopulation: ReferencePopulation = referencePopulationSchema.parse(fadulKnm);
export const fadulLrModel: LrModel = lrModelSchema.parse(fadulLr);
/** Screening scores of the Fadul pairs: the reference of a search's expected miss rate (bench/screening.bench.ts). */
export const fadulScreeningReference: ScreeningReference = screeningReferenceSchema.parse(fadulScreening);
/** Coarse registration scores of the Fadul pairs: the reference of the registration check's share of that rate. */
export const fadulRegistrationReference: ScreeningReference = screeningReferenceSchema.parse(fadulRegistration);

/** Calibrates a comparison's combined count against the default population, saying whether parameters match. */
export function calibrateFor(
  result: Pick<CmcResult, 'cmc' | 'params'>,
  preprocess: PreprocessParamsInput | null,
  population: ReferencePopulation = fadulKnmPopulation,
): CalibratedScore {
  const pre = preprocess === null ? null : resolvePreprocessParams(preprocess);
  return calibrateCount(result.cmc.combined, population, sameParameters(population, result.params, pre));
}

/** The comparison's likelihood ratio under the default model, saying whether the parameters match its training. */
export function likelihoodRatioFor(
  result: Pick<CmcResult, 'features' | 'params'>,
  preprocess: PreprocessParamsInput | null,
  model: LrModel = fadulLrModel,
): LikelihoodRatio {
  const pre = preprocess === null ? null : resolvePreprocessParams(preprocess);
  return likelihoodRatio(model, result.features, sameParameters(model, result.params, pre));
}
