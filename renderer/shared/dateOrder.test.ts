import { describe, expect, it } from 'vitest';
import { translator } from '../../tests/fixtures/translator.ts';
import { browserDateOrder, dateFieldHint } from './dateOrder.ts';

describe('browserDateOrder', () => {
  it('reads the order of day, month and year the browser’s language writes dates in', () => {
    expect(browserDateOrder('en-US')).toEqual(['month', 'day', 'year']);
    expect(browserDateOrder('fr-FR')).toEqual(['day', 'month', 'year']);
    expect(browserDateOrder('ja-JP')).toEqual(['year', 'month', 'day']);
  });
  it('falls back to month, day, year for a language tag it cannot read', () => {
    expect(browserDateOrder('not a language!')).toEqual(['month', 'day', 'year']);
  });
});

describe('dateFieldHint', () => {
  it('says, in the reader’s language, the order an empty field takes', async () => {
    const fr = await translator('fr');
    expect(dateFieldHint(fr, '', 'en-US')).toBe('mois / jour / année');
    expect(dateFieldHint(fr, null, 'de-DE')).toBe('jour / mois / année');
    const ar = await translator('ar');
    expect(dateFieldHint(ar, undefined, 'en-US')).toBe('شهر / يوم / سنة');
  });
});
