import i18next from 'i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../../tests/fixtures/translator.ts';
import { missRateText } from './leadWords.ts';

// Numbers follow the station's current language (app/format.ts), as on screen.
beforeAll(async () => void (await i18next.init({ lng: 'en', resources: {} })));
afterEach(() => void i18next.changeLanguage('en'));

const figures = { screened: 100_000, fullyScored: 10, expectedMissRate: 0.9, cutReference: 'Fadul 2011' };

describe("a lead's miss rate in words", () => {
  it('gives the one figure when the hub says the reference can estimate it (or says nothing: an older hub)', async () => {
    const t = await translator('en');
    expect(missRateText(t, figures)).toMatch(/in about 90\.0 % of correlations \(Fadul 2011\)/);
    const estimable = { ...figures, missRateRange: { low: 0.85, high: 0.92 }, missRateEstimable: true };
    expect(missRateText(t, estimable)).toMatch(/in about 90\.0 %/);
  });

  it('says the reference cannot estimate it, with the range, when the hub says so, in every language', async () => {
    const beyond = { ...figures, missRateRange: { low: 0.32, high: 0.97 }, missRateEstimable: false };
    expect(missRateText(await translator('en'), beyond)).toMatch(
      /reference \(Fadul 2011\) cannot estimate how often a known match falls below this cut: somewhere between 32\.0 % and 97\.0 % of correlations/,
    );
    for (const lng of ['fr', 'es', 'ar']) {
      await i18next.changeLanguage(lng);
      const text = missRateText(await translator(lng), beyond);
      expect(text, lng).not.toMatch(/missRate|cannot estimate/);
      expect(text, lng).toMatch(/32[,.٫]0/);
      expect(text, lng).toMatch(/Fadul 2011/);
    }
  });
});
