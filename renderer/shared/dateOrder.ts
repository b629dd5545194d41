// What a date field says under itself (DateField.tsx): the order of day, month and year the browser's own date field
// takes, in the reader's language, or the chosen date written out in that language.
import type { TFunction } from 'i18next';
import { formatDate } from '../app/format.ts';

/** The order of day, month and year in the browser's own date fields, as the browser's language writes dates. */
export function browserDateOrder(browserLanguage: string): Array<'day' | 'month' | 'year'> {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat(browserLanguage, {
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
    }).formatToParts(new Date(Date.UTC(2026, 2, 4)));
  } catch {
    return ['month', 'day', 'year'];
  }
  return parts.flatMap((p) => (p.type === 'day' || p.type === 'month' || p.type === 'year' ? [p.type] : []));
}

/**
 * What the field says with its label: the chosen date in the reader's language, else the order the browser's field
 * takes, in the reader's words ("mois / jour / année" for a French reader on an English browser).
 */
export function dateFieldHint(t: TFunction, chosen: unknown, browserLanguage: string): string {
  if (typeof chosen === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(chosen)) return formatDate(chosen);
  return browserDateOrder(browserLanguage)
    .map((part) => t(`dateField.${part}`))
    .join(' / ');
}
