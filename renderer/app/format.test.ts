import { afterEach, describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { formatDate, formatDateTime, formatNumber } from './format.ts';

afterEach(() => void i18next.changeLanguage('en'));

describe('formats follow the language', () => {
  it('English: year-month-day and a decimal point', async () => {
    await i18next.init({ lng: 'en', resources: {} });
    expect(formatDate('2026-03-04')).toBe('2026-03-04');
    expect(formatDateTime('2026-03-04T10:05:00')).toBe('2026-03-04 10:05');
    expect(formatNumber(1234.5, 2)).toBe('1,234.50');
  });
  it('French, Spanish and Arabic: their own date order, month names and decimal sign; Latin digits in Arabic', async () => {
    await i18next.init({ lng: 'fr', resources: {} });
    expect(formatDate('2026-03-04')).toBe('4 mars 2026');
    expect(formatNumber(0.42, 2)).toBe('0,42');
    await i18next.changeLanguage('es');
    expect(formatDate('2026-03-04')).toMatch(/^4 mar 2026$/);
    await i18next.changeLanguage('ar');
    expect(formatDate('2026-03-04')).toMatch(/4 مارس 2026/);
    expect(formatDateTime('2026-03-04T10:05:00')).toMatch(/10:05/);
    expect(formatNumber(2.5, 1)).toMatch(/^2[.٫]5$/);
  });
});
