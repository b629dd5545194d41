// What `audit verify` found, in the reader's words: the host sends each problem's finding as a code with the names
// and figures it needs, and the record it concerns by the lab's reference; its English sentence is for the CLI and
// the logs. A result from a station that sends no finding keeps its English (there is nothing else to show).
import type { TFunction } from 'i18next';
import type { AuditProblem } from '../../../electron/contract/index.ts';
import { entityWords } from '../audit/auditWords.ts';

/** An internal id too long to read (an evidence file's SHA-256) is shortened; the lab's reference replaces ids anyway. */
const readableId = (id: string) => (id.length > 16 ? `${id.slice(0, 12)}…` : id);

export function auditProblemText(t: TFunction, problem: AuditProblem): string {
  const finding = problem.finding;
  if (!finding) return problem.message;
  const values: Record<string, string | number> = { ...finding.values };
  // A field of a case or item by the name its form gives it ("Calibre"), not its code.
  if (typeof values.field === 'string') values.field = t(`fields.${values.field}`, { defaultValue: values.field });
  const words = t(`admin.auditFinding.${finding.code}`, values);
  if (!finding.record) return words;
  const record = entityWords(t, {
    entityType: finding.record.type,
    entityId: readableId(finding.record.id),
    entityLabel: problem.recordLabel ?? null,
  });
  return t('admin.auditFindingOf', { record, words });
}
