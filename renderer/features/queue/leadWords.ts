// Words for what the hub says about a lead and a correlation, in the station's language (the hub's English stays for
// logs and older stations).
import type { TFunction } from 'i18next';
import { formatDate, formatMissRate, formatNumber } from '../../app/format.ts';
import { hubNoteCodes, type HubNoteView, type LeadView } from '../../../electron/contract/index.ts';

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

const regions = new Set(['breech_face', 'firing_pin', 'ejector_mark', 'whole']);

/**
 * A hub's correlation note in the reader's language: its code worded with its values (protocol revision 4). A note
 * without a code (an older hub) or with a code this station does not know (a newer hub) is the hub's English text.
 * The underlying English error of a failed analysis is not repeated in the words (the screen shows the hub's text
 * on hover).
 */
export function hubNoteText(t: TFunction, note: HubNoteView): string {
  if (!note.code || !(hubNoteCodes as readonly string[]).includes(note.code)) return note.text;
  const values = note.values ?? {};
  const text = (value: string | number | undefined) => (value === undefined ? '' : String(value));
  const date = (value: string | number | undefined) =>
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? formatDate(value) : text(value);
  const region = text(values.region);
  // Only the values the words use: the hub's values are not translation options (a value named lng, ns or context
  // would change the language or show the key).
  return t(`network.hubNote.${note.code}`, {
    calibre: text(values.calibre),
    count: typeof values.count === 'number' ? formatNumber(values.count, 0) : text(values.count),
    candidate: text(values.candidate),
    from: date(values.from),
    to: date(values.to),
    region: regions.has(region) ? t(`search.region.${region}`) : region,
  });
}
