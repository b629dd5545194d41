import i18next from 'i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../../tests/fixtures/translator.ts';
import { cutText, meaningText } from './meaning.ts';

// Numbers follow the station's current language (app/format.ts), as on screen.
beforeAll(async () => void (await i18next.init({ lng: 'en', resources: {} })));
afterEach(() => void i18next.changeLanguage('en'));

const unseen = {
  count: 17,
  atLeast: 0,
  populationSize: 717,
  population: 'Fadul 2011 known non-matches (717 pairs)',
  frequency: 0,
  upper95: 0.0041695,
  comparable: true,
} as Parameters<typeof meaningText>[1];
const common = { ...unseen, count: 0, atLeast: 717, frequency: 1, upper95: 1 };

describe('the meaning of a CMC count', () => {
  it('gives two significant figures below 1 % and the population once', async () => {
    const text = meaningText(await translator('en'), unseen);
    expect(text).toMatch(/0 of 717 known non-match pairs of “Fadul 2011 known non-matches”/);
    expect(text).toMatch(/below 0\.42 %/);
    expect(text).not.toMatch(/717 pairs\)/);
  });

  it('writes the percentages with the reader’s decimal sign', async () => {
    await i18next.changeLanguage('fr');
    expect(meaningText(await translator('fr'), unseen)).toMatch(/0,42 %/);
    expect(meaningText(await translator('fr'), common)).toMatch(/100 %/);
  });
});

describe('the screening cut in words', () => {
  const cut = {
    kept: 20,
    screened: 100_000,
    checked: 40,
    expectedMissRate: 1,
    range: { low: 0.857, high: 1 },
    estimable: false,
    reference: 'Fadul screening',
  };

  it('says the reference cannot estimate the miss rate at network sizes, with the range, not one figure', async () => {
    const text = cutText(await translator('en'), cut);
    expect(text).toMatch(/cannot estimate how often a known match falls below this cut/);
    expect(text).toMatch(/between 85\.7 % and 100\.0 %/);
    expect(text).not.toMatch(/in about/);
  });

  it('gives the figure where the reference can, and no cut when everything went on', async () => {
    const t = await translator('en');
    const small = { ...cut, screened: 1000, expectedMissRate: 0.32, range: { low: 0.32, high: 0.37 }, estimable: true };
    expect(cutText(t, small)).toMatch(/in about 32\.0 % of searches/);
    expect(cutText(t, { ...cut, kept: 39, screened: 39 })).toMatch(/No screening cut: all 39 candidates/);
  });

  it('words the range in every language', async () => {
    for (const lng of ['fr', 'es', 'ar']) {
      await i18next.changeLanguage(lng);
      const text = cutText(await translator(lng), cut);
      expect(text, lng).not.toMatch(/cutBeyondReference/);
      expect(text, lng).toMatch(/100/);
    }
  });
});
