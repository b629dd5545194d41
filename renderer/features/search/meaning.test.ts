import i18next from 'i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../../tests/fixtures/translator.ts';
import { meaningText } from './meaning.ts';

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
