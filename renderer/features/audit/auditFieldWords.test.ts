// Every field the host writes into an audit entry's values has words on the screen (auditField.* in
// electron/contract/words, or the form's fields.*), so no key reaches a reader as a code. The host's audit values
// are read from its sources: each `before: { … }` / `after: { … }` literal, keys at any depth (nested values are
// shown in words too, auditDetails.ts).
import { describe, expect, it } from 'vitest';
import { translator } from '../../../tests/fixtures/translator.ts';

const hostSources = import.meta.glob<string>(
  ['../../../electron/**/*.ts', '!../../../electron/**/*.test.ts', '!../../../electron/contract/**'],
  { query: '?raw', import: 'default', eager: true },
);

/** The keys of every audit values literal in `code`, at any depth (explicit `key:` and shorthand `key,`). */
export function auditValueKeys(code: string): string[] {
  const keys = new Set<string>();
  for (const match of code.matchAll(/\b(?:before|after): \{/g)) {
    let end = match.index + match[0].length;
    for (let depth = 1; end < code.length && depth > 0; end++)
      depth += code[end] === '{' ? 1 : code[end] === '}' ? -1 : 0;
    const body = code.slice(match.index + match[0].length - 1, end);
    for (const key of body.matchAll(/(?<=[{,]\s*)([A-Za-z_]\w*)(?=\s*[:,}]|\s*$)/g)) keys.add(key[1]!);
  }
  return [...keys];
}

describe('words for every field of an audit entry', () => {
  it('finds the keys of audit values literals, nested ones too', () => {
    expect(auditValueKeys('x({ action: "a.b", after: { itemId, region: r, registration: { thetaDeg: 1 } } })')).toEqual(
      ['itemId', 'region', 'registration', 'thetaDeg'],
    );
  });

  it('has words for each key the host writes', async () => {
    const t = await translator('en');
    const keys = [...new Set(Object.values(hostSources).flatMap(auditValueKeys))];
    expect(keys.length).toBeGreaterThan(60);
    expect(keys).toEqual(expect.arrayContaining(['calibrationId', 'analysisId', 'annotationId', 'snapshotIds']));
    const worded = (key: string) =>
      [`auditField.${key}`, `fields.${key}`].some((k) => t(k, { defaultValue: '' }) !== '');
    expect(keys.filter((key) => !worded(key))).toEqual([]);
  });
});
