import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { interpolation, resources } from './index.ts';

// The station's own interpolation settings, on a fresh instance: what every translated sentence does with values.
async function translator(lng: keyof typeof resources) {
  const i18n = i18next.createInstance();
  await i18n.init({
    lng,
    resources: Object.fromEntries(Object.entries(resources).map(([code, translation]) => [code, { translation }])),
    interpolation,
  });
  return i18n.t;
}

describe('values in translated sentences', () => {
  it('spell out a right-to-left override so it neither disguises a name nor reverses the rest of the sentence', async () => {
    const t = await translator('en');
    expect(t('exam.title', { a: 'LAB-1 / Q1-\u202egnp.exe', b: 'LAB-1 / K1' })).toBe(
      'Comparison: LAB-1 / Q1-[RLO]gnp.exe and LAB-1 / K1',
    );
    const ar = await translator('ar');
    const title = ar('exam.title', { a: 'LAB-1 / Q1-\u2067x', b: 'K1' });
    expect(title).toContain('Q1-[RLI]x');
    expect(title).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  });

  it('leave ordinary values alone: markup characters, other scripts, and the marks Arabic dates carry', async () => {
    const t = await translator('en');
    expect(t('exam.title', { a: 'A&B <1>', b: '枪击案 / شرطة' })).toBe('Comparison: A&B <1> and 枪击案 / شرطة');
    const withMark = '\u200f5/12/2026';
    expect(t('exam.title', { a: withMark, b: 'K1' })).toContain(withMark);
  });
});
