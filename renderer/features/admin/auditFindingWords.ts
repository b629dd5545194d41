// What `audit verify` found, in the reader's words: the host sends each problem's finding as a code with the names
// and figures it needs, and the record it concerns by the lab's reference as the audit trail last recorded it (and
// the database's current one when they differ); its English sentence is for the CLI and the logs. A result from a
// station that sends no finding keeps its English (there is nothing else to show).
import type { TFunction } from 'i18next';
import type { AuditProblem } from '../../../electron/contract/index.ts';
import { entityWords } from '../audit/auditWords.ts';

/** An internal id too long to read (an evidence file's SHA-256) is shortened; the lab's reference replaces ids anyway. */
const readableId = (id: string) => (id.length > 16 ? `${id.slice(0, 12)}…` : id);

/** Which checkpoint a checkpoint problem concerns: a line of the checkpoints file, a network submission, one given. */
function checkpointWords(t: TFunction, values: Record<string, string | number>): string | null {
  if (typeof values.checkpointLine === 'number')
    return values.checkpointLine > 0
      ? t('admin.checkpointSource.line', { line: values.checkpointLine })
      : t('admin.checkpointSource.file');
  if (values.checkpointJob !== undefined) return t('admin.checkpointSource.job', { job: values.checkpointJob });
  if (values.checkpointSource !== undefined)
    return t('admin.checkpointSource.given', { source: values.checkpointSource });
  return null;
}

export function auditProblemText(t: TFunction, problem: AuditProblem): string {
  const finding = problem.finding;
  // An older station: its English, with what it concerns (a record, a checkpoints file line).
  if (!finding) return problem.subject ? `${problem.subject}: ${problem.message}` : problem.message;
  const values: Record<string, string | number> = { ...finding.values };
  // A field of a case or item by the name its form gives it ("Calibre"), not its code.
  if (typeof values.field === 'string') values.field = t(`fields.${values.field}`, { defaultValue: values.field });
  const words = t(`admin.auditFinding.${finding.code}`, values);
  if (!finding.record) {
    const checkpoint = checkpointWords(t, values);
    return checkpoint ? t('admin.auditFindingOf', { record: checkpoint, words }) : words;
  }
  const audited = entityWords(t, {
    entityType: finding.record.type,
    entityId: readableId(finding.record.id),
    entityLabel: problem.recordLabel ?? null,
  });
  // Renamed around the station: the audited name first (what the lab recorded), the database's current one beside.
  const record = problem.currentLabel
    ? `${audited} ${t('admin.auditRecordNow', { label: problem.currentLabel })}`
    : audited;
  return t('admin.auditFindingOf', { record, words });
}
