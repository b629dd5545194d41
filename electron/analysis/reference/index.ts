// Reference populations for calibrated scores. fadul-knm.json is written by `npx node bench/analysis.bench.ts`
// from the 717 known non-matching Fadul pairs, with the parameters it was computed with.
import fadulKnm from './fadul-knm.json' with { type: 'json' };
import {
  calibrateCount,
  referencePopulationSchema,
  sameParameters,
  type CalibratedScore,
  type ReferencePopulation,
} from '../calibratedScore.ts';
import { resolvePreprocessParams, type PreprocessParamsInput } from '../preprocess.ts';
import type { CmcResult } from '../cmc/compare.ts';

export const fadulKnmPopulation: ReferencePopulation = referencePopulationSchema.parse(fadulKnm);

/** Calibrates a comparison's combined count against the default population, saying whether parameters match. */
export function calibrateFor(
  result: Pick<CmcResult, 'cmc' | 'params'>,
  preprocess: PreprocessParamsInput | null,
  population: ReferencePopulation = fadulKnmPopulation,
): CalibratedScore {
  const pre = preprocess === null ? null : resolvePreprocessParams(preprocess);
  return calibrateCount(result.cmc.combined, population, sameParameters(population, result.params, pre));
}
