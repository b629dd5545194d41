import { describe, expect, it } from 'vitest';
import { likelihoodRatioSchema } from '../../../contract/analysis.ts';
import type { LikelihoodRatio } from '../../../analysis/lr/model.ts';
import { lrView } from './views.ts';

describe('lrView', () => {
  // The view is what every screen and the search table read: a field the engine gives and the view drops is a
  // warning no examiner sees (the "inconclusive" flag was once lost here).
  it('keeps every field the contract defines, the inconclusive flag included', () => {
    const lr: LikelihoodRatio = {
      log10Lr: -0.4,
      interval: [-0.9, 0.1],
      unclipped: -0.4,
      clipped: null,
      model: 'model',
      population: 'population',
      comparable: true,
      betweenClasses: true,
      statement: 'INCONCLUSIVE: …',
    };
    const view = lrView(lr);
    expect(likelihoodRatioSchema.strict().parse(view)).toEqual(view);
    expect(Object.keys(view).sort()).toEqual(Object.keys(likelihoodRatioSchema.shape).sort());
    expect(view.betweenClasses).toBe(true);
    expect(lrView({ ...lr, betweenClasses: false }).betweenClasses).toBe(false);
  });
});
