import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageProblemCodes, type PackageVerification } from '../../../electron/contract/index.ts';
import { translator } from '../../../tests/fixtures/translator.ts';
import { packageProblemText } from './problemWords.ts';

type Problem = NonNullable<PackageVerification['problem']>;
const values = {
  signer: 'LAB-2 / ST-9',
  issuer: 'CN=Other CA',
  station: 'LAB-1 / ST-1',
  size: 12345,
  expected: 12000,
  exhibit: 'Q1',
  firearm: 'F1',
  region: 'breech_face',
  file: 'evidence/ab.x3p',
  calibration: 'CAL-2026-0003',
};
const problem = (code: (typeof packageProblemCodes)[number]): Problem => ({
  kind: 'manifest',
  member: null,
  message: 'the English for the CLI',
  detail: { code, values },
});

beforeAll(async () => void (await i18next.init({ lng: 'en', resources: {} })));

describe('package verify problems in the reader’s words', () => {
  it('says what exactly is wrong, with its names and figures, never the CLI’s English', async () => {
    const t = await translator('en');
    expect(packageProblemText(t, problem('size_differs'))).toBe('This file is 12,345 bytes; the manifest says 12,000.');
    expect(packageProblemText(t, problem('acquisition_file_missing'))).toBe(
      'File evidence/ab.x3p of the acquisition of Q1 · Breech face is not in the package.',
    );
    expect(packageProblemText(t, problem('station_mismatch'))).toBe(
      'The manifest names station LAB-1 / ST-1 but was signed by LAB-2 / ST-9.',
    );
    // A station from before codes were sent: nothing to word (the card shows the kind and the file).
    expect(packageProblemText(t, { ...problem('no_file'), detail: undefined })).toBeNull();
  });

  it('names a calibration without a reference by when it was made, not by a raw timestamp', async () => {
    const undated = (language: string) =>
      translator(language).then((t) =>
        packageProblemText(t, {
          ...problem('calibration_report_missing'),
          detail: { code: 'calibration_report_missing', values: { calibration: '2026-03-02T10:15:00.000Z' } },
        }),
      );
    for (const language of ['en', 'fr', 'es', 'ar']) {
      const words = await undated(language);
      expect(words, language).not.toContain('2026-03-02T');
      expect(words, language).toMatch(/2026/);
    }
    expect(await undated('en')).toMatch(/^The report of calibration made on .*2026.* is not in the package\.$/);
  });

  it('takes no translation options from the values (a value named lng, ns or defaultValue)', async () => {
    const t = await translator('fr');
    const hostile: Problem = {
      ...problem('exhibit_twice'),
      detail: { code: 'exhibit_twice', values: { exhibit: 'Q1', lng: 'en', ns: 'nowhere', defaultValue: 'HOSTILE' } },
    };
    const french = packageProblemText(t, problem('exhibit_twice'));
    expect(packageProblemText(t, hostile)).toBe(french);
    expect(french).toContain('Q1');
  });

  it('words every code in English, French, Spanish and Arabic', async () => {
    const english = await translator('en');
    for (const language of ['en', 'fr', 'es', 'ar']) {
      const t = await translator(language);
      for (const code of packageProblemCodes) {
        const words = packageProblemText(t, problem(code))!;
        expect(words, `${language} ${code}`).not.toMatch(/\{\{|problemDetail|the English/);
        if (language !== 'en')
          expect(words, `${language} ${code}`).not.toBe(packageProblemText(english, problem(code)));
      }
    }
  });
});
