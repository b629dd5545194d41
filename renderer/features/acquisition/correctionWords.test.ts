import { describe, expect, it } from 'vitest';
import { x3pCorrectionCodes } from '../../../electron/contract/index.ts';
import { translator } from '../../../tests/fixtures/translator.ts';
import { importCorrections } from './correctionWords.ts';

const english = ['5296 points stored as infinity read as invalid (NaN)', 'CY is stored as absolute coordinates'];

describe('the X3P reader’s corrections, in words', () => {
  it('words the stored codes in French with their figures, not the reader’s English', async () => {
    const fr = await translator('fr');
    const words = importCorrections(fr, {
      settings: {
        corrections: english,
        correctionNotes: [
          { code: 'infinite_points', values: { count: 5296 } },
          { code: 'absolute_axis', values: { axis: 'CY' } },
        ],
      },
    });
    expect(words).toEqual([
      expect.stringMatching(/^5[\s,.\u202f]?296 points enregistrés comme infinis ont été lus comme non mesurés\.$/),
      'L’axe CY est enregistré en coordonnées absolues ; le pas des points en a été déduit.',
    ]);
  });

  it('words every code in every language', async () => {
    for (const language of ['en', 'fr', 'es', 'ar']) {
      const t = await translator(language);
      const notes = x3pCorrectionCodes.map((code) => ({ code, values: { axis: 'CX', count: 2, degrees: 1.5 } }));
      for (const [i, text] of importCorrections(t, { settings: { correctionNotes: notes } }).entries())
        expect(text, `${language} ${x3pCorrectionCodes[i]}`).not.toMatch(/^acquisition\.|^$/);
    }
  });

  it('keeps the English of an import made before codes were stored, and of notes it cannot read', async () => {
    const fr = await translator('fr');
    expect(importCorrections(fr, { settings: { corrections: english } })).toEqual(english);
    expect(importCorrections(fr, { settings: { corrections: english, correctionNotes: [{ code: 'nope' }] } })).toEqual(
      english,
    );
    expect(importCorrections(fr, { settings: {} })).toEqual([]);
  });
});
