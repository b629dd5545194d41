import { describe, expect, it } from 'vitest';
import { auditFindings, type AuditProblem } from '../../../electron/contract/index.ts';
import { translator } from '../../../tests/fixtures/translator.ts';
import { auditProblemText } from './auditFindingWords.ts';

const FSI = '\u2068';
const PDI = '\u2069';

// Problems shaped as the host sends them (tests/integration/foundation/keyedAudit.test.ts checks the host side):
// Q1 renamed Q9 in the database file behind the station's back.
const renamed: AuditProblem = {
  kind: 'differs',
  seq: 12,
  subject: 'item 7',
  message: 'exhibitNumber is "Q9" but its audit entries say "Q1" (changed around the station)',
  finding: {
    code: 'field_changed',
    values: { field: 'exhibitNumber', stored: 'Q9', audited: 'Q1' },
    record: { type: 'item', id: '7', label: 'LAB-2026-0042 / Q1' },
  },
  recordLabel: 'LAB-2026-0042 / Q1',
  currentLabel: 'LAB-2026-0042 / Q9',
};
const problem = (over: Partial<AuditProblem>): AuditProblem => ({ ...renamed, ...over });
const visible = (text: string) => text.replaceAll(FSI, '').replaceAll(PDI, '');

describe('what audit verify found, in words', () => {
  it('names a renamed record as audited, its name now beside it, and both values, in French', async () => {
    const fr = await translator('fr', { asTheApp: true });
    const text = auditProblemText(fr, renamed);
    expect(visible(text)).toBe(
      'Scellé LAB-2026-0042 / Q1 (désormais «LAB-2026-0042 / Q9» dans la base de données) : Son champ « Numéro de scellé » diffère : audité «Q1», enregistré maintenant «Q9» (modifié en contournant le poste).',
    );
    // Typed values isolated, so a right-to-left value cannot reorder the sentence around it.
    expect(text).toContain(`«${FSI}Q1${PDI}»`);
    expect(text).not.toMatch(/audit entries say|changed around/);
  });

  it('spells out direction controls hidden in a tampered value instead of obeying them', async () => {
    const en = await translator('en', { asTheApp: true });
    const text = auditProblemText(
      en,
      problem({
        finding: { ...renamed.finding!, values: { field: 'exhibitNumber', stored: 'Q\u202egnp.exe', audited: 'Q1' } },
        currentLabel: null,
      }),
    );
    expect(text).toContain(`stored now «${FSI}Q[RLO]gnp.exe${PDI}»`);
    expect(text).not.toContain('\u202e');
    expect(text.startsWith('Item LAB-2026-0042 / Q1: ')).toBe(true);
  });

  it('says which checkpoint is bad: a line of the checkpoints file, a network submission, one given', async () => {
    const en = await translator('en');
    const checkpoint = (values: Record<string, string | number>) =>
      auditProblemText(
        en,
        problem({ kind: 'checkpoint', seq: null, finding: { code: 'checkpoint_unreadable', values } }),
      );
    expect(checkpoint({ checkpointLine: 4 })).toBe(
      'Checkpoints file, line 4: A checkpoint kept or given is not an audit checkpoint.',
    );
    expect(checkpoint({ checkpointLine: 0 })).toMatch(/^Checkpoints file: /);
    expect(checkpoint({ checkpointJob: '17' })).toMatch(/^Checkpoint sent with network submission 17: /);
    expect(visible(checkpoint({ checkpointSource: 'case LAB-1.cbpkg' }))).toMatch(
      /^Checkpoint from «case LAB-1\.cbpkg»: /,
    );
  });

  it('words every finding in every language with the figures it names, and shortens a file’s hash', async () => {
    for (const language of ['en', 'fr', 'es', 'ar']) {
      const t = await translator(language);
      for (const code of auditFindings) {
        const text = auditProblemText(
          t,
          problem({
            currentLabel: null,
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
                stored: 'b',
                checkpointLine: 2,
              },
            },
          }),
        );
        expect(text, `${language} ${code}`).not.toMatch(/auditFinding|checkpointSource|\{\{|^$/);
      }
    }
    const en = await translator('en');
    const sha = 'a'.repeat(64);
    expect(
      auditProblemText(
        en,
        problem({
          finding: { code: 'no_entry', record: { type: 'evidence', id: sha } },
          recordLabel: null,
          currentLabel: null,
        }),
      ),
    ).toBe('Evidence file #aaaaaaaaaaaa…: No audit entry made this record.');
    expect(auditProblemText(en, problem({ finding: { code: 'entries_removed', values: { from: 5, to: 9 } } }))).toBe(
      'Entries #5 to #9 were removed.',
    );
  });

  it('keeps the English of a station that sends no finding, with what it concerns, rather than showing nothing', async () => {
    const text = auditProblemText(await translator('fr'), problem({ finding: undefined }));
    expect(text).toMatch(/^item 7: .*audit entries say/);
  });
});
