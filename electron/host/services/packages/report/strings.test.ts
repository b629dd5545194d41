import { describe, expect, it } from 'vitest';
import { reportLanguages, reportStrings } from './strings.ts';

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('report strings', () => {
  it('every language has every key, with the same placeholders as English', () => {
    const walk = (en: Record<string, unknown>, other: Record<string, unknown>, path: string) => {
      for (const [key, value] of Object.entries(en)) {
        const translated = other[key];
        expect(translated, `${path}${key}`).toBeDefined();
        if (typeof value === 'string') {
          expect(typeof translated, `${path}${key}`).toBe('string');
          expect(placeholders(translated as string), `${path}${key}`).toEqual(placeholders(value));
        } else walk(value as Record<string, unknown>, translated as Record<string, unknown>, `${path}${key}.`);
      }
    };
    for (const language of reportLanguages) walk(reportStrings.en, reportStrings[language], `${language}: `);
  });
});
