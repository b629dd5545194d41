import { describe, expect, it } from 'vitest';
import { translator } from '../../../tests/fixtures/translator.ts';
import { roleLabel } from '../acquisition/roles.ts';
import { captureStepText } from '../acquisition/captureSteps.ts';
import { calibrationStepText } from '../calibration/calibrationSteps.ts';
import { lightKeyWords } from './lightKeyWords.ts';

describe('a light key the rig cannot name', () => {
  it('is worded from the key in each language, never shown raw', async () => {
    const expected: Record<string, string[]> = {
      en: ['Ring light, segment 9', 'Coaxial light, channel A', 'Light “uv”, channel B', 'Ring light'],
      fr: [
        'Éclairage annulaire, segment 9',
        'Éclairage coaxial, canal A',
        'Éclairage « uv », canal B',
        'Éclairage annulaire',
      ],
      es: ['Luz anular, segmento 9', 'Luz coaxial, canal A', 'Luz «uv», canal B', 'Luz anular'],
      ar: ['الإضاءة الحلقية، المقطع 9', 'إضاءة محورية، القناة A', 'الإضاءة «uv»، القناة B', 'الإضاءة الحلقية'],
    };
    for (const [language, words] of Object.entries(expected)) {
      const t = await translator(language);
      expect(['ring/9', 'coax/A', 'uv/B', 'ring'].map((key) => lightKeyWords(t, key))).toEqual(words);
    }
  });

  it('reads as words in file roles, capture steps and calibration steps', async () => {
    const t = await translator('en');
    expect(roleLabel(t, 'light:ring/9')).toBe('Ring light, segment 9');
    expect(captureStepText(t, { step: 'light', region: 'breech_face', light: 'ring/9' })).toBe(
      'Breech face: Ring light, segment 9',
    );
    const french = await translator('fr');
    expect(captureStepText(french, { step: 'light', region: 'breech_face', light: 'ring/9' })).toBe(
      'Tranche de culasse : Éclairage annulaire, segment 9',
    );
    expect(calibrationStepText(t, { step: 'sphere', light: 'ring/9' })).not.toMatch(/ring\/9/);
    expect(calibrationStepText(t, { step: 'sphere', light: 'ring/9' })).toMatch(/Ring light, segment 9/);
  });
});
