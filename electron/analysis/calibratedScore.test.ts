import { describe, expect, it } from 'vitest';
import {
  analysisEngineVersion,
  binomialUpperBound,
  calibrateCount,
  sameParameters,
  type ReferencePopulation,
} from './calibratedScore.ts';
import { fadulKnmPopulation } from './reference/index.ts';

const population: ReferencePopulation = {
  name: 'test KNM',
  description: '',
  source: 'unit test',
  computedAt: '2026-01-01',
  engine: analysisEngineVersion,
  cmcParams: { cellsX: 8 },
  preprocess: null,
  counts: [0, 0, 0, 1, 1, 2, 3, 0, 0, 0],
};

describe('calibrated score', () => {
  it('counts how often a count this high occurs among known non-matches', () => {
    const c = calibrateCount(2, population);
    expect(c.atLeast).toBe(2);
    expect(c.frequency).toBeCloseTo(0.2, 12);
    expect(c.upper95).toBeGreaterThan(0.2);
    expect(c.statement).toMatch(/2 of 10 known non-matching pairs of "test KNM"/);
  });

  it('gives an upper bound, not zero, when no non-match reached the count', () => {
    const c = calibrateCount(10, population);
    expect(c.frequency).toBe(0);
    expect(c.upper95).toBeCloseTo(1 - Math.pow(0.05, 1 / 10), 12);
    expect(c.statement).toMatch(/below 26 %/);
  });

  it('matches the Clopper–Pearson bound for 1 of 20 (0.2161)', () => {
    expect(binomialUpperBound(1, 20, 0.05)).toBeCloseTo(0.2161, 3);
  });

  it('flags scores made with other parameters', () => {
    expect(sameParameters(population, { cellsX: 8, cellsY: 4 }, null)).toBe(true);
    expect(sameParameters(population, { cellsX: 6 }, null)).toBe(false);
    expect(sameParameters(population, { cellsX: 8 }, { longCutoff: 1 })).toBe(false);
    expect(calibrateCount(1, population, false).statement).toMatch(/indicative only/);
  });

  it('ships the Fadul population of 717 known non-matches', () => {
    expect(fadulKnmPopulation.counts).toHaveLength(717);
    expect(fadulKnmPopulation.name).toMatch(/Fadul/);
  });
});
