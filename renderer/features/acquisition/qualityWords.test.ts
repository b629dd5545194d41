import { describe, expect, it } from 'vitest';
import { translator } from '../../../tests/fixtures/translator.ts';
import { qualityCheckText } from './qualityWords.ts';

const checks = [
  { id: 'focus', passed: false, value: 0.62, threshold: 0.8, message: 'out of focus: 62 % …' },
  { id: 'focus', passed: true, value: 0.97, threshold: 0.8, message: 'in focus …' },
  { id: 'saturation', passed: false, value: 0.0123, threshold: 0.001, message: '1.23 % of pixels …' },
  { id: 'saturation', passed: true, value: 0, threshold: 0.001, message: 'no significant …' },
  { id: 'coverage', passed: false, value: 0.734, threshold: 0.9, message: 'only 73.4 % …' },
  { id: 'coverage', passed: true, value: 0.981, threshold: 0.9, message: '98.1 % …' },
  { id: 'calibration', passed: false, value: 0, threshold: 1, message: 'calibration 3 expired on …' },
  { id: 'calibration', passed: true, value: 1, threshold: 1, message: 'calibration 3 valid …' },
] as const;

describe('quality checks in words', () => {
  it('say what was measured against its limit, and what to do, from the figures', async () => {
    const t = await translator('en');
    expect(checks.map((c) => qualityCheckText(t, c))).toEqual([
      'Out of focus: 62 % of the best sharpness (needs 80 %); refocus',
      'In focus (97 % of the best sharpness)',
      '1.23 % of pixels saturated in the worst frame (limit 0.10 %); lower the exposure',
      'No significant saturation (worst frame 0.00 %)',
      'Only 73.4 % of the region measured (needs 90 %); re-centre the casing or check the lights',
      '98.1 % of the region measured',
      'The rig’s calibration was not valid at capture (expired, another rig or changed devices); recalibrate',
      'The rig’s calibration was valid at capture',
    ]);
  });

  it('are worded in French, Spanish and Arabic, never the host’s English sentence', async () => {
    for (const language of ['fr', 'es', 'ar']) {
      const t = await translator(language);
      for (const check of checks) {
        const words = qualityCheckText(t, check);
        expect(words).not.toBe(qualityCheckText(await translator('en'), check));
        expect(words).not.toMatch(/\{\{|acquisition\.checkText/);
      }
    }
  });
});
