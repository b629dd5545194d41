// The shape of a translation, as the completeness test and the language switch see it: nested objects of strings,
// flattened to dotted keys. i18next's plural keys end in _zero, _one, _two, _few, _many or _other; each language has
// its own set of plural forms (Arabic six, English two), so plurals are compared by their base key.
export interface Messages {
  [key: string]: string | Messages;
}

export const pluralSuffixes = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;
const pluralPattern = new RegExp(`_(${pluralSuffixes.join('|')})$`);

/** Every leaf of a translation as 'a.b.c' → text. */
export function flatten(messages: Messages, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(messages)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/** 'queue.leads.cmc_one' → 'queue.leads.cmc'; other keys unchanged. */
export function pluralBase(key: string): string {
  return key.replace(pluralPattern, '');
}

export function pluralSuffix(key: string): string | null {
  return key.match(pluralPattern)?.[1] ?? null;
}

/** The {{placeholders}} a text fills in (formats after a comma ignored), sorted. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]!))].sort();
}
