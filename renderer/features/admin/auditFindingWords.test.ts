import { describe, expect, it } from 'vitest';
import { auditFindings, type AuditProblem } from '../../../electron/contract/index.ts';
import { translator } from '../../../tests/fixtures/translator.ts';
import { auditProblemText } from './auditFindingWords.ts';

const problem = (over: Partial<AuditProblem>): AuditProblem => ({
  kind: 'differs',
  seq: 12,
  subject: 'item 7',
  message: 'exhibitNumber is "Q9" but its audit entries say "Q1" (changed around the station)',
  ...over,
});

describe('what audit verify found, in words', () => {
  it('names the record by the lab’s reference and words the finding in French, not the host’s English', async () => {
    const fr = await translator('fr');
    const text = auditProblemText(
      fr,
      problem({
        finding: { code: 'field_changed', values: { field: 'exhibitNumber' }, record: { type: 'item', id: '7' } },
        recordLabel: 'LAB-2026-0042 / Q1',
      }),
    );
    expect(text).toBe(
      'Scellé LAB-2026-0042 / Q1 : Son champ « Numéro de scellé » diffère de ce que disent ses entrées d’audit (modifié en contournant le poste).',
    );
    expect(text).not.toMatch(/audit entries say|changed around/);
  });

  it('words every finding in every language with the figures it names, and shortens a file’s hash', async () => {
    for (const language of ['en', 'fr', 'es', 'ar']) {
      const t = await translator(language);
      for (const code of auditFindings) {
        const text = auditProblemText(
          t,
          problem({
            finding: {
              code,
              values: {
                expected: 4,
                from: 5,
                to: 9,
                count: 3,
                made: 2,
                present: 1,
                name: 'x',
                field: 'f',
                revision: 2,
                audited: 3,
              },
            },
          }),
        );
        expect(text, `${language} ${code}`).not.toMatch(/auditFinding|\{\{|^$/);
      }
    }
    const en = await translator('en');
    const sha = 'a'.repeat(64);
    expect(
      auditProblemText(
        en,
        problem({ finding: { code: 'no_entry', record: { type: 'evidence', id: sha } }, recordLabel: null }),
      ),
    ).toBe('Evidence file #aaaaaaaaaaaa…: No audit entry made this record.');
    expect(auditProblemText(en, problem({ finding: { code: 'entries_removed', values: { from: 5, to: 9 } } }))).toBe(
      'Entries #5 to #9 were removed.',
    );
  });

  it('keeps the English of a station that sends no finding, rather than showing nothing', async () => {
    expect(auditProblemText(await translator('fr'), problem({}))).toMatch(/audit entries say/);
  });
});
