import { describe, expect, it } from 'vitest';
import { calibrationProblemCodes, type CalibrationProblem } from '../../../electron/contract/index.ts';
import { translator } from '../../../tests/fixtures/translator.ts';
import { calibrationProblemsText, calibrationProblemText } from './problemWords.ts';

const light = (key: string) => `<${key}>`;

describe('calibration problems in words', () => {
  it.each(['en', 'fr', 'es', 'ar'])('words every code in %s with its figures and its light', async (lng) => {
    const t = await translator(lng);
    for (const code of calibrationProblemCodes) {
      const text = calibrationProblemText(t, light, { code, channel: 'ring/2', value: 0.123, limit: 0.05 });
      expect(text, code).toContain('<ring/2>');
      expect(text, code).not.toMatch(/calibration\.|\{\{|undefined|NaN|Lambertian/);
    }
  });

  it('shows percent for fractions and pixels for pixel figures', async () => {
    const fr = await translator('fr');
    expect(
      calibrationProblemText(fr, light, { code: 'non_uniformity', channel: 'ring/0', value: 0.0734, limit: 0.05 }),
    ).toMatch(/^<ring\/0> : la réponse varie de 7[,.]3 % sur le champ \(limite 5[,.]0 %\)$/);
    const en = await translator('en');
    expect(calibrationProblemText(en, light, { code: 'lens_distortion', value: 2.345, limit: 2 })).toBe(
      'lens distortion moves the image corner by 2.35 px (limit 2.00 px)',
    );
  });

  it('keeps the English messages of records made before problems were recorded', async () => {
    const en = await translator('en');
    const problems: CalibrationProblem[] = [{ code: 'repeats_missing', channel: 'ring/1' }];
    expect(calibrationProblemsText(en, light, { problems, messages: ['old words'] })).toEqual([
      '<ring/1>: repeatability needs at least two repeated frames',
    ]);
    expect(calibrationProblemsText(en, light, { problems: [], messages: ['old words'] })).toEqual(['old words']);
  });
});
