/// <reference types="vite/client" />
// Every language is complete: the same keys as English (plurals in the forms that language needs), the same
// {{placeholders}}, no key English does not have; and every English key is used by the code.
import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { languages, resources } from './index.ts';
import { flatten, placeholders, pluralBase, pluralSuffix, type Messages } from './keys.ts';

const english = flatten(en);
const englishBases = new Map<string, string[]>(); // base key → its English keys
for (const key of english.keys())
  englishBases.set(pluralBase(key), [...(englishBases.get(pluralBase(key)) ?? []), key]);
const isPlural = (base: string) => englishBases.get(base)!.some((k) => pluralSuffix(k) !== null);

function problemsOf(language: string, messages: Messages): string[] {
  const problems: string[] = [];
  const text = flatten(messages);
  const byBase = new Map<string, string[]>();
  for (const key of text.keys()) byBase.set(pluralBase(key), [...(byBase.get(pluralBase(key)) ?? []), key]);
  const pluralForms = new Intl.PluralRules(language).resolvedOptions().pluralCategories as string[];

  for (const [base, englishKeys] of englishBases) {
    const have = byBase.get(base) ?? [];
    if (have.length === 0) {
      problems.push(`missing: ${base}`);
      continue;
    }
    if (isPlural(base)) {
      // The forms this language needs, and "zero" where English words the zero case on its own.
      const want = new Set([...pluralForms, ...(englishKeys.some((k) => k.endsWith('_zero')) ? ['zero'] : [])]);
      const forms = have.map((k) => pluralSuffix(k) ?? '(none)');
      for (const form of want) if (!forms.includes(form)) problems.push(`missing plural form: ${base}_${form}`);
      for (const form of forms)
        if (!want.has(form)) problems.push(`plural form ${language} does not use: ${base}_${form}`);
      const englishNames = placeholders(english.get(`${base}_other`) ?? english.get(englishKeys[0]!)!).filter(
        (p) => p !== 'count',
      );
      for (const key of have) {
        const names = placeholders(text.get(key)!).filter((p) => p !== 'count');
        if (names.join() !== englishNames.join())
          problems.push(`placeholders of ${key}: {${names.join(', ')}} instead of {${englishNames.join(', ')}}`);
      }
    } else {
      if (have.length !== 1 || have[0] !== base) problems.push(`${base} is plural in ${language} only: ${have.join()}`);
      const names = placeholders(text.get(have[0]!) ?? '');
      const englishNames = placeholders(english.get(base)!);
      if (names.join() !== englishNames.join())
        problems.push(`placeholders of ${base}: {${names.join(', ')}} instead of {${englishNames.join(', ')}}`);
    }
    for (const key of have) if (!text.get(key)!.trim()) problems.push(`empty: ${key}`);
  }
  for (const base of byBase.keys()) if (!englishBases.has(base)) problems.push(`unused (not in English): ${base}`);
  return problems;
}

// The renderer's sources as text (the renderer lint forbids Node built-ins even in tests).
const sources = import.meta.glob<string>(['../**/*.ts', '../**/*.tsx', '!../**/*.test.ts', '!../i18n/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

describe('translations', () => {
  it('offer English, French, Spanish and Arabic', () => {
    expect(Object.keys(languages).sort()).toEqual(['ar', 'en', 'es', 'fr']);
  });

  for (const language of ['fr', 'es', 'ar'] as const) {
    it(`${languages[language]} has every English key, in every plural form it needs, with the same placeholders`, () => {
      expect(problemsOf(language, resources[language])).toEqual([]);
    });
  }

  it('catches what it is meant to catch', () => {
    const broken = structuredClone(resources.fr) as Messages;
    delete (broken.common as Messages).cancel;
    (broken.common as Messages).edit = 'Modifier {{what}}';
    (broken.common as Messages).surplus = 'en trop';
    delete (broken.connection as Messages).retryIn_many;
    expect(problemsOf('fr', broken).sort()).toEqual([
      'missing plural form: connection.retryIn_many',
      'missing: common.cancel',
      'placeholders of common.edit: {what} instead of {}',
      'unused (not in English): common.surplus',
    ]);
  });

  it('uses every English key somewhere in the code', () => {
    const code = Object.values(sources).join('\n');
    expect(code.length).toBeGreaterThan(10_000);
    // Literal keys ('cases.title') and the fixed start of keys built in template strings (`vocab.origin.${value}`).
    const literals = new Set([...code.matchAll(/['"`]([a-zA-Z][\w]*(?:\.[\w]+)+)['"`]/g)].map((m) => m[1]!));
    const prefixes = [...code.matchAll(/`([a-zA-Z][\w]*(?:\.[\w]+)*\.)\$\{/g)].map((m) => m[1]!);
    const unused = [...englishBases.keys()].filter(
      (base) => !literals.has(base) && !prefixes.some((prefix) => base.startsWith(prefix)),
    );
    expect(unused).toEqual([]);
  });
});
