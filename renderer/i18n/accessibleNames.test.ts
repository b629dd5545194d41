// A button that shows a short word but is named by a longer label ("Search" named "Search the database for Q1")
// must hold the word it shows, whole, in its name (WCAG 2.5.3, axe's label-content-name-mismatch): people who
// drive the station by voice say what they see. Checked for every language, since a translation can lose it
// ("بحث" shown, "البحث عن …" named).
import { describe, expect, it } from 'vitest';
import { languages, resources } from './index.ts';
import { flatten } from './keys.ts';

/** [key of the visible text, key of the accessible name] for the controls named by a longer label. */
const shownAndNamed: Array<[string, string]> = [
  ['acquisition.open', 'acquisition.openTitle'],
  ['exam.pick.compare', 'exam.pick.compareTitle'],
  ['search.fromItem', 'search.fromItemTitle'],
  ['search.fromItem', 'search.fromAcquisitionTitle'],
  ['search.openPair', 'search.openPairTitle'],
];

const words = (text: string) =>
  text
    .toLocaleLowerCase()
    .replace(/[.…,:;!?“”«»"()]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);

function holdsWhole(name: string, shown: string): boolean {
  const have = words(name);
  const want = words(shown);
  return have.some((_, at) => want.every((word, i) => have[at + i] === word));
}

describe('visible words are part of the accessible name', () => {
  for (const language of Object.keys(languages) as Array<keyof typeof languages>) {
    it(language, () => {
      const text = flatten(resources[language]);
      const problems = shownAndNamed
        .filter(([shown, named]) => !holdsWhole(text.get(named)!, text.get(shown)!))
        .map(([shown, named]) => `${named} "${text.get(named)}" does not hold ${shown} "${text.get(shown)}"`);
      expect(problems).toEqual([]);
    });
  }
});
