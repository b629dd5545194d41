import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import i18next from 'i18next';
import {
  AppError,
  calibrationFailures,
  deviceErrorCodes,
  fileKinds,
  fileProblems,
  fileRefused,
  missingThings,
  notFound,
  refusalReasons,
} from '../../electron/contract/index.ts';
import { translator } from '../../tests/fixtures/translator.ts';
import { resources } from '../i18n/index.ts';
import { applyHostIssues, errorText, validationText } from './errors.ts';

// A stand-in translator that shows which key and values were asked for.
const t = ((key: string, values?: Record<string, unknown>) =>
  values ? `${key}${JSON.stringify(values)}` : key) as unknown as TFunction;

describe('validationText', () => {
  it('maps the contract messages to translated ones, with their numbers', () => {
    expect(validationText(t, 'required')).toBe('validation.required');
    expect(validationText(t, 'at most 40 characters')).toBe('validation.atMost{"count":40}');
    expect(validationText(t, 'at least 10 characters')).toBe('validation.atLeast{"count":10}');
    expect(validationText(t, 'a date as YYYY-MM-DD')).toBe('validation.date');
  });
  it('falls back to the original words rather than hiding them', () => {
    expect(validationText(t, 'something new')).toBe('validation.invalid{"message":"something new"}');
    expect(validationText(t, undefined)).toBeUndefined();
  });
});

describe('errorText', () => {
  it('puts the general words for the code before the host sentence', () => {
    expect(errorText(t, new AppError('forbidden', 'needs audit.read'))).toBe(
      'errors.forbidden errors.detail{"message":"needs audit.read"}',
    );
    expect(errorText(t, new Error('boom'))).toBe('errors.internal');
  });

  it('words a sign-in slowed down after wrong passwords with its wait, not as a role refusal', () => {
    expect(errorText(t, new AppError('forbidden', 'too many', { retryAfterSeconds: 30 }))).toBe(
      'errors.tooManyAttempts{"seconds":30}',
    );
  });
});

describe('errorText of a refusal that is not about the role', () => {
  it('words its reason code with the values the host named, not the host sentence', () => {
    const refusal = new AppError('forbidden', 'this casing is part of a proficiency test you are taking', {
      reason: 'under_test',
    });
    expect(errorText(t, refusal)).toBe('errors.reason.under_test{"reason":"under_test"}');
    expect(errorText(t, new AppError('forbidden', 'blind', { reason: 'blind_verifier', comparisonId: 7 }))).toBe(
      'errors.reason.blind_verifier{"reason":"blind_verifier","comparisonId":7}',
    );
    // a reason code the UI has no words for keeps the general words and the host's sentence
    expect(errorText(t, new AppError('conflict', 'not verified', { reason: 'not_verified' }))).toBe(
      'errors.conflict errors.detail{"message":"not verified"}',
    );
  });

  it.each(['en', 'fr', 'es', 'ar'])('reads every reason in %s, with the comparison it names', async (lng) => {
    const i18n = i18next.createInstance();
    const translations = Object.fromEntries(
      Object.entries(resources).map(([code, translation]) => [code, { translation }]),
    );
    await i18n.init({ lng, resources: translations, interpolation: { escapeValue: false } });
    for (const reason of refusalReasons) {
      const text = errorText(i18n.t, new AppError('forbidden', 'English sentence', { reason, comparisonId: 41 }));
      expect(text).not.toMatch(/English sentence|errors\.|\{\{/);
      if (reason === 'blind_verifier') expect(text).toContain('41');
    }
    const english = errorText(i18n.t, new AppError('forbidden', 'x', { reason: 'under_test' }));
    if (lng !== 'en') expect(english).not.toMatch(/proficiency test you are taking/);
  });
});

describe('errorText of a record not found or a file refused', () => {
  it('words the typed details, not the host sentence', () => {
    expect(errorText(t, notFound('item', 'no item 999', { id: 999 }))).toBe('errors.missing.item{"id":999}');
    expect(
      errorText(
        t,
        fileRefused('kind_mismatch', 'named x3p, content png', { file: 'a.x3p', found: 'png', named: 'x3p' }),
      ),
    ).toBe('errors.file.kind_mismatch{"file":"a.x3p","found":"errors.fileKind.png","named":"errors.fileKind.x3p"}');
    // a thing or problem the UI has no words for keeps the general words and the host's sentence
    expect(errorText(t, new AppError('not_found', 'no widget 3', { reason: 'missing', thing: 'widget', id: 3 }))).toBe(
      'errors.not_found errors.detail{"message":"no widget 3"}',
    );
  });

  it.each(['en', 'fr', 'es', 'ar'])(
    'words every missing thing, file problem, file kind, calibration failure and device failure in %s',
    async (lng) => {
      const words = await translator(lng);
      const english = /English sentence|errors\.|\{\{|undefined/;
      for (const thing of missingThings) {
        const text = errorText(words, notFound(thing, 'English sentence', { id: 999, name: 'scan.x3p' }));
        expect(text, thing).not.toMatch(english);
        if (!['user', 'upload', 'folder_file', 'export'].includes(thing)) expect(text, thing).toContain('999');
      }
      for (const problem of fileProblems) {
        const text = errorText(
          words,
          fileRefused(problem, 'English sentence', { file: 'scan.x3p', found: 'png', named: 'x3p', maxMiB: 60 }),
        );
        expect(text, problem).toContain('scan.x3p');
        expect(text, problem).not.toMatch(english);
      }
      for (const failure of calibrationFailures) {
        const figures = { pixels: 1234, levelDn: 3.5, area: 2, dots: 7 };
        const refusal = new AppError('invalid_input', 'English sentence', {
          reason: 'calibration_failed',
          failure,
          ...figures,
        });
        expect(errorText(words, refusal), failure).not.toMatch(english);
      }
      for (const deviceCode of deviceErrorCodes) {
        const failure = new AppError('device', 'stage: English sentence', { device: 'stage', deviceCode });
        const text = errorText(words, failure);
        expect(text, deviceCode).toContain('stage');
        expect(text, deviceCode).not.toMatch(english);
      }
      const kinds = fileKinds.map((kind) => words(`errors.fileKind.${kind}`));
      expect(new Set(kinds).size).toBe(fileKinds.length);
    },
  );

  it("says what a misnamed file really is, in the reader's language", async () => {
    const misnamed = fileRefused('kind_mismatch', 'x', { file: 'bf.x3p', found: 'png', named: 'x3p' });
    expect(errorText(await translator('fr'), misnamed)).toMatch(/^bf\.x3p est une image PNG, pas un relevé X3P/);
    expect(errorText(await translator('en'), misnamed)).toMatch(/^bf\.x3p is a PNG picture, not an X3P scan/);
    expect(errorText(await translator('ar'), misnamed)).toContain('صورة PNG');
  });
});

describe('errorText: host sentences that never reach the screen', () => {
  it('words an answer this version cannot read without the raw method name, in French', async () => {
    const fr = await translator('fr');
    const error = new AppError(
      'internal',
      'the station answered acquisitions.get with data this version does not understand',
      {
        reason: 'contract_mismatch',
        method: 'acquisitions.get',
        issues: [],
      },
    );
    const text = errorText(fr, error);
    expect(text).toBe(fr('errors.contractMismatch'));
    expect(text).toContain('Rechargez la page');
    expect(text).not.toMatch(/acquisitions\.get|does not understand/);
  });

  it('words why capture is blocked from the host’s blocks, in every language, not its English', async () => {
    const error = new AppError('conflict', 'capture is blocked: no scale calibration on record for rig "demo"', {
      reason: 'capture_blocked',
      blocks: [
        { kind: 'no_calibration', calibrationKind: 'scale' },
        { kind: 'calibration_expired', calibrationId: 4, expiresAt: '2026-01-01T00:00:00Z' },
        { kind: 'not-a-block' },
      ],
    });
    for (const language of ['en', 'fr', 'es', 'ar']) {
      const text = errorText(await translator(language), error);
      expect(text, language).not.toMatch(/capture is blocked|for rig|not-a-block/);
    }
    const fr = await translator('fr');
    const text = errorText(fr, error);
    expect(text).toContain('La capture ne peut pas commencer');
    expect(text).toContain(fr('calibrationKind.scale'));
    // Blocks the page cannot read leave the general words, never an empty sentence.
    expect(
      errorText(fr, new AppError('conflict', 'capture is blocked: x', { reason: 'capture_blocked', blocks: [7] })),
    ).toContain(fr('errors.conflict'));
  });
});

describe('applyHostIssues', () => {
  const fields = ['labCaseNumber', 'agency'];
  it('puts a field-named conflict on that field', () => {
    const set: Array<[string, string | undefined]> = [];
    const landed = applyHostIssues(
      new AppError('conflict', 'lab case number L-1 already exists', { field: 'labCaseNumber' }),
      fields,
      (name, error) => set.push([name, error.message]),
    );
    expect(landed).toBe(true);
    expect(set).toEqual([['labCaseNumber', 'lab case number L-1 already exists']]);
  });
  it('follows issue paths through nested inputs (fields.agency)', () => {
    const set: string[] = [];
    applyHostIssues(
      new AppError('invalid_input', 'bad', {
        issues: [{ path: ['fields', 'agency'], message: 'at most 120 characters' }],
      }),
      fields,
      (name) => set.push(name),
    );
    expect(set).toEqual(['agency']);
  });
  it('leaves other errors to the caller', () => {
    expect(applyHostIssues(new AppError('forbidden', 'no'), fields, () => {})).toBe(false);
    expect(applyHostIssues(new AppError('conflict', 'stale version'), fields, () => {})).toBe(false);
  });
});
