import type { TFunction } from 'i18next';
import type { CalibratedScoreView, SearchResultView } from '../../../electron/contract/index.ts';
import { formatMissRate, formatNumber } from '../../app/format.ts';

/** The calibrated meaning of a CMC count in words, e.g. "a count of 14 or more occurred in 0 of 717 known non-match pairs (…)". */
export function meaningText(t: TFunction, c: CalibratedScoreView): string {
  // Two significant figures below 1 % (0.42 %, 0.042 %), in the reader's decimal sign (0,42 % in French).
  const pct = (v: number) => {
    const p = 100 * v;
    const decimals = p >= 10 ? 0 : p >= 1 ? 1 : p > 0 ? 1 - Math.floor(Math.log10(p)) : 1;
    return `${formatNumber(p, decimals)} %`;
  };
  const base = t('search.meaning', {
    count: c.count,
    atLeast: c.atLeast,
    size: c.populationSize,
    population: populationName(c.population, c.populationSize),
  });
  const bound =
    c.atLeast === 0
      ? t('search.meaningBelow', { upper: pct(c.upper95) })
      : t('search.meaningAtMost', { frequency: pct(c.frequency), upper: pct(c.upper95) });
  return `${base}${bound}${c.comparable ? '' : t('search.indicative')}`;
}

/**
 * A reference population's name without a trailing "(717 pairs)" that repeats its size: the sentences around it
 * say the size already.
 */
export function populationName(name: string, size: number): string {
  return name.replace(new RegExp(`\\s*\\(${size} pairs\\)\\s*$`), '');
}

/**
 * The screening cut in words: how many went on to full comparison, and how often a known match is expected to fall
 * below the cut — or, when the reference population cannot say at this many candidates (screeningCut.ts
 * `estimable`), that it cannot, with the range it does allow, instead of one misleading figure.
 */
export function cutText(t: TFunction, cut: SearchResultView['cut']): string {
  if (cut.kept >= cut.screened) return t('search.cutNone', { screened: cut.screened });
  const base = { kept: cut.kept, screened: cut.screened, reference: cut.reference };
  return cut.estimable
    ? t('search.cut', { ...base, missRate: formatMissRate(cut.expectedMissRate) })
    : t('search.cutBeyondReference', {
        ...base,
        low: formatMissRate(cut.range.low),
        high: formatMissRate(cut.range.high),
      });
}
