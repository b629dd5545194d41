import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import i18next from 'i18next';
import { AppError, refusalReasons } from '../../electron/contract/index.ts';
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
