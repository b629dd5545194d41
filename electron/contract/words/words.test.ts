/// <reference types="vite/client" />
// Every action the host writes to the audit trail, and every kind of record it concerns, has words in each of the
// station's four languages (the screens and the PDF case report both print them from this one table).
import { describe, expect, it } from 'vitest';
import { languageCodes } from '../preferences.ts';
import { caseStatuses } from '../cases.ts';
import { acquisitionRegions } from '../acquisitions.ts';
import { auditActionWords, auditEntityWords, stationWords } from './index.ts';

// The host's sources as text (the contract lint forbids Node built-ins even in tests).
const hostSources = import.meta.glob<string>(['../../**/*.ts', '!../../**/*.test.ts', '!../../contract/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
});
const code = Object.values(hostSources).join('\n');
const actionCode = `'([a-z_]+\\.[a-zA-Z_]+)'`;

/** Action codes the host writes: `action: 'a.b'`, `action: cond ? 'a.b' : 'a.c'`, `audit('a.b', …)`, `audit(x, 'a.b', …)`. */
function writtenActions(): string[] {
  return [
    ...code.matchAll(new RegExp(`\\baction: (?:[\\w.!]+ \\? )?${actionCode}(?: : ${actionCode})?`, 'g')),
    ...code.matchAll(new RegExp(`\\baudit\\w*\\((?:[\\w.]+, )?${actionCode}`, 'g')),
  ].flatMap(([, first, second]) => [first!, ...(second ? [second] : [])]);
}

/** Record types: an audit record literal names its action, then within the same object its entity type. */
function writtenEntities(): string[] {
  return [...code.matchAll(/action: '[\w.]+',[^}]{0,300}?entityType: '(\w+)'/gs)].map((m) => m[1]!);
}

describe('the station’s shared words', () => {
  it('word every audit action the host writes, in English, French, Spanish and Arabic', () => {
    expect(code.length).toBeGreaterThan(10_000);
    const actions = [...new Set(writtenActions())];
    expect(actions).toEqual(expect.arrayContaining(['rig.profile', 'acquisition.regions_cleared', 'evidence.store']));
    expect(actions.length).toBeGreaterThan(40);
    const missing = languageCodes.flatMap((language) =>
      actions.filter((action) => !auditActionWords(language, action)).map((action) => `${language}: ${action}`),
    );
    expect(missing).toEqual([]);
  });

  it('word every kind of record an audit entry concerns, and every case status, in the four languages', () => {
    const entities = [...new Set(writtenEntities())];
    expect(entities.length).toBeGreaterThan(10);
    const missing = languageCodes.flatMap((language) => [
      ...entities.filter((type) => !auditEntityWords(language, type)).map((type) => `${language}: ${type}`),
      ...caseStatuses.filter((s) => !stationWords[language].caseStatus[s]).map((s) => `${language}: status ${s}`),
    ]);
    expect(missing).toEqual([]);
  });

  it('word every region of a casing once, in the four languages, for the screens and the report alike', () => {
    for (const language of languageCodes)
      expect(Object.keys(stationWords[language].regionName).sort(), language).toEqual([...acquisitionRegions].sort());
    const missing = languageCodes.flatMap((language) =>
      acquisitionRegions.filter((r) => !stationWords[language].regionName[r]?.trim()).map((r) => `${language}: ${r}`),
    );
    expect(missing).toEqual([]);
    // No second copy: neither the renderer's catalogues nor the report's strings keep region words of their own.
    const renderer = import.meta.glob<string>(['../../../renderer/i18n/*.ts', '!../../../renderer/i18n/*.test.ts'], {
      query: '?raw',
      import: 'default',
      eager: true,
    });
    const copies = Object.entries({ ...renderer, ...hostSources })
      .filter(([, text]) => /\b(regionName|regions): \{\s*breech_face:/.test(text))
      .map(([path]) => path);
    expect(copies).toEqual([]);
    expect(Object.keys(renderer).length).toBeGreaterThan(8);
  });

  it('finds no words for what is not an action, and no two languages share a sentence by mistake', () => {
    expect(auditActionWords('fr', 'evidence.store')).toBe('Fichier de preuve stocké');
    expect(auditActionWords('en', 'evidence.nothing')).toBeNull();
    expect(auditActionWords('en', 'evidence')).toBeNull();
    expect(auditActionWords('en', 'evidence.store.more')).toBeNull();
    expect(auditActionWords('en', 'constructor.name')).toBeNull();
    expect(auditActionWords('en', 'evidence.hasOwnProperty')).toBeNull();
    expect(auditEntityWords('en', 'toString')).toBeNull();
    for (const language of ['fr', 'es', 'ar'] as const)
      expect(auditActionWords(language, 'case.create')).not.toBe(auditActionWords('en', 'case.create'));
  });
});
