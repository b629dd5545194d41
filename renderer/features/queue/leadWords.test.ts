import i18next from 'i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../../tests/fixtures/translator.ts';
import { hubNoteCodes } from '../../../electron/contract/index.ts';
import { hubNoteText, missRateText } from './leadWords.ts';

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

describe("a hub's correlation note in words", () => {
  const values = {
    count: 1234,
    candidate: 'c-42',
    error: 'inflate: invalid block type',
    sha256: 'a'.repeat(64),
    from: '2020-01-05',
    to: '2026-03-04',
    calibre: '9mm Luger',
    region: 'firing_pin',
  };

  it('words every code the contract names, with its values, in each language (never the key, never the English)', async () => {
    for (const lng of ['en', 'fr', 'es', 'ar']) {
      await i18next.changeLanguage(lng);
      const t = await translator(lng);
      for (const code of hubNoteCodes) {
        const text = hubNoteText(t, { text: 'THE HUB ENGLISH', code, values });
        expect(text, `${lng} ${code}`).not.toMatch(/hubNote|THE HUB ENGLISH|{{|inflate/);
        if (code === 'candidate_missing_x3p') expect(text, lng).toMatch(/c-42/);
      }
    }
  });

  it('puts numbers, dates and the region in the reader’s words', async () => {
    await i18next.changeLanguage('fr');
    const t = await translator('fr');
    expect(hubNoteText(t, { text: '', code: 'candidates_without_topography', values: { count: 1234 } })).toMatch(
      /1\s?234/,
    );
    expect(hubNoteText(t, { text: '', code: 'date_range', values: { from: '2020-01-05', to: '2026-03-04' } })).toMatch(
      /5 janv\. 2020.*4 mars 2026/,
    );
    expect(hubNoteText(t, { text: '', code: 'unusable_signatures', values })).toMatch(/9mm Luger \(percuteur\)/);
  });

  it('reads only the values its words use: a value named like a translation option (lng, ns, context) changes nothing', async () => {
    await i18next.changeLanguage('fr');
    const t = await translator('fr');
    const dates = { from: '2020-01-05', to: '2026-03-04' };
    const plain = hubNoteText(t, { text: 'THE HUB ENGLISH', code: 'date_range', values: dates });
    const odd = { ...dates, lng: 'ar', ns: 'elsewhere', context: 'x', defaultValue: 'THE HUB ENGLISH' };
    expect(hubNoteText(t, { text: 'THE HUB ENGLISH', code: 'date_range', values: odd })).toBe(plain);
  });

  it('shows the English text for a note without a code (an older hub) or with a code it does not know (a newer hub)', async () => {
    const t = await translator('fr');
    expect(hubNoteText(t, { text: 'candidate x was left out' })).toBe('candidate x was left out');
    expect(hubNoteText(t, { text: 'a newer note', code: 'heatmap_missing', values: { n: 1 } })).toBe('a newer note');
  });
});
