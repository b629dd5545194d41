// Words for what the hub says about a lead and a correlation, in the station's language (the hub's English stays for
// logs and older stations).
import type { TFunction } from 'i18next';
import { formatMissRate } from '../../app/format.ts';
import type { LeadView } from '../../../electron/contract/index.ts';

/** The figures of the search that found a lead (ours, or under foundBy the other casing's). */
export type SearchFiguresOf = Pick<
  NonNullable<NonNullable<LeadView['detail']>['foundBy']>,
  | 'screened'
  | 'registered'
  | 'fullyScored'
  | 'cut'
  | 'expectedMissRate'
  | 'cutReference'
  | 'missRateRange'
  | 'missRateEstimable'
  | 'signatureRank'
>;

/**
 * How often a known match falls below the search's cut: the one figure, or, when the hub says its reference cannot
 * estimate it at this many casings (revision 4), that it cannot and the range it allows, as the search page says.
 */
export function missRateText(t: TFunction, figures: SearchFiguresOf & { expectedMissRate: number }): string {
  const reference = figures.cutReference ?? '';
  return figures.missRateEstimable === false && figures.missRateRange
    ? t('network.lead.missRateBeyondReference', {
        reference,
        low: formatMissRate(figures.missRateRange.low),
        high: formatMissRate(figures.missRateRange.high),
      })
    : t('network.lead.missRate', { missRate: formatMissRate(figures.expectedMissRate), reference });
}
