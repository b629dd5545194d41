import { afterEach, describe, expect, it } from 'vitest';
import i18next from 'i18next';
import {
  formatBytes,
  formatDate,
  formatDateTime,
  formatNumber,
  formatPercent,
  formatQuantity,
  formatSignificant,
} from './format.ts';

afterEach(() => void i18next.changeLanguage('en'));

describe('formats follow the language', () => {
  it('English: year-month-day and a decimal point', async () => {
    await i18next.init({ lng: 'en', resources: {} });
    expect(formatDate('2026-03-04')).toBe('2026-03-04');
    expect(formatDateTime('2026-03-04T10:05:00')).toBe('2026-03-04 10:05');
    expect(formatNumber(1234.5, 2)).toBe('1234.50');
    expect(formatNumber(12345.5, 2)).toBe('12,345.50');
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
  it('amounts with a unit: degrees as a sign (never "deg"), millimetres in each language', async () => {
    await i18next.init({ lng: 'en', resources: {} });
    expect(formatQuantity(15, 'deg')).toBe('15°');
    expect(formatQuantity(-4.5, 'mm', 3)).toBe('-4.500 mm');
    await i18next.changeLanguage('fr');
    expect(formatQuantity(0.05, 'mm', 2)).toMatch(/^0,05\s?mm$/u); // a narrow no-break space in French
    expect(formatQuantity(-360, 'deg')).toBe('-360°');
    await i18next.changeLanguage('ar');
    expect(formatQuantity(15, 'deg')).toMatch(/^15\s?درجة$/u);
    expect(formatQuantity(0.5, 'mm', 1)).toMatch(/^0[.٫]5\s?مم$/u);
  });
});

describe('figures for reading', () => {
  it('fixed decimals, significant figures and percentages with the language decimal sign; a dash for none', async () => {
    await i18next.init({ lng: 'en', resources: {} });
    expect(formatNumber(-0.0004, 2)).toBe('0.00');
    expect(formatNumber(null, 2)).toBe('—');
    expect(formatSignificant(0.004123, 3)).toBe('0.00412');
    expect(formatPercent(0.125)).toBe('12.5 %');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    await i18next.changeLanguage('fr');
    expect(formatNumber(3.14159, 3)).toBe('3,142');
    expect(formatSignificant(1.5, 3)).toBe('1,50');
    expect(formatPercent(0.0042, 2)).toBe('0,42 %');
    expect(formatBytes(1536)).toBe('1,5 KiB');
    await i18next.changeLanguage('es');
    expect(formatNumber(0.5, 1)).toBe('0,5');
  });
});
