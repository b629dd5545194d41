// The lab's own references for what the report names, taken from the case record itself (so the report and the
// package cannot disagree): an item by its exhibit number, an acquisition by exhibit and region (with its time when
// two share both), an evidence file by the acquisition it belongs to, an examination record by the two sides of its
// comparison, a user by user name. Internal row ids never reach the page; a record the package does not carry is
// named by its kind only.
import type { AuditExtractEntry, CaseRecord } from '../format.ts';
import { auditActionWords, auditEntityWords, stationWords } from '../../../../contract/words/index.ts';
import { reportStrings, type ReportLanguage } from './strings.ts';

export const shortTime = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

export interface ReportReferences {
  /** An acquisition of this record ("Q1 · breech face"), or null when the record does not hold it. */
  acquisition(originId: number): string | null;
  /** The "what" of a chain-of-custody line: the action in words, then what it concerns by the lab's reference. */
  custody(entry: AuditExtractEntry): string;
  /** A case status in words. */
  status(status: string): string;
}

export function reportReferences(
  record: CaseRecord,
  audit: AuditExtractEntry[],
  language: ReportLanguage,
): ReportReferences {
  const s = reportStrings[language];
  const fill = (template: string, values: Record<string, string>) =>
    template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? '');

  const items = new Map(record.items.map((i) => [i.originId, i.exhibitNumber]));
  const sameSpot = new Map<string, number>();
  const spot = (a: CaseRecord['acquisitions'][number]) => `${a.exhibitNumber}\u0000${a.region}`;
  for (const a of record.acquisitions) sameSpot.set(spot(a), (sameSpot.get(spot(a)) ?? 0) + 1);
  const acquisitions = new Map(
    record.acquisitions.map((a) => {
      const base = `${a.exhibitNumber} · ${stationWords[language].regionName[a.region]}`;
      return [a.originId, sameSpot.get(spot(a))! > 1 ? `${base} (${shortTime(a.completedAt)})` : base];
    }),
  );
  // An acquisition of another case, compared with one of this case's, is named as the examination recorded it.
  for (const c of record.examination?.comparisons ?? [])
    for (const side of [c.a, c.b])
      if (!acquisitions.has(side.acquisitionId)) acquisitions.set(side.acquisitionId, side.label);
  const files = new Map<string, string>();
  for (const a of record.acquisitions)
    for (const f of a.files) files.set(f.sha256, fill(s.fileOf, { acquisition: acquisitions.get(a.originId)! }));
  // A calibration by the lab reference its station gave it; a package from before references, by its date.
  for (const c of record.calibrations)
    if (c.report)
      files.set(
        c.report.sha256,
        c.reference
          ? fill(s.calibrationReportOfReference, { reference: c.reference })
          : fill(s.calibrationReportOf, { at: shortTime(c.performedAt) }),
      );
  const calibrations = new Map(
    record.calibrations.map((c) => [
      c.originId,
      c.reference ?? fill(s.calibrationOf, { at: shortTime(c.performedAt) }),
    ]),
  );

  const ex = record.examination;
  const comparisons = new Map((ex?.comparisons ?? []).map((c) => [c.id, `${c.a.label} ↔ ${c.b.label}`]));
  const ofComparison = (rows: Array<{ id: number; comparisonId: number }> | undefined) =>
    new Map((rows ?? []).map((r) => [r.id, comparisons.get(r.comparisonId)]));
  const examination: Record<string, Map<number, string | undefined>> = {
    comparison: comparisons,
    comparison_analysis: ofComparison(ex?.analyses),
    annotation: ofComparison(ex?.annotations),
    snapshot: ofComparison(ex?.snapshots),
    conclusion: ofComparison(ex?.conclusions),
    verification: ofComparison(ex?.verifications),
    hit: ofComparison(ex?.hits),
  };
  const users = new Map<number, string>();
  for (const e of audit) if (e.userId !== null && e.username) users.set(e.userId, e.username);

  const numeric = (id: string | null) => (id !== null && /^\d+$/.test(id) ? Number(id) : null);
  const reference = (entityType: string, entityId: string | null): string | null => {
    const id = numeric(entityId);
    switch (entityType) {
      case 'case':
        return id === record.case.originId ? record.case.labCaseNumber : null;
      case 'item':
        return id === null ? null : (items.get(id) ?? null);
      case 'acquisition':
        return id === null ? null : (acquisitions.get(id) ?? null);
      case 'evidence':
        return entityId === null ? null : (files.get(entityId) ?? null);
      case 'calibration':
        return id === null ? null : (calibrations.get(id) ?? null);
      case 'user':
        return id === null ? null : (users.get(id) ?? null);
      default:
        return id === null ? null : (examination[entityType]?.get(id) ?? null);
    }
  };

  return {
    acquisition: (originId) => acquisitions.get(originId) ?? null,
    status: (status) => {
      const words = stationWords[language].caseStatus as Record<string, string>;
      return Object.hasOwn(words, status) ? words[status]! : fill(s.unknownCode, { code: status });
    },
    custody(entry) {
      const action = auditActionWords(language, entry.action) ?? fill(s.unknownCode, { code: entry.action });
      const kind = auditEntityWords(language, entry.entityType) ?? fill(s.unknownCode, { code: entry.entityType });
      const subject = reference(entry.entityType, entry.entityId);
      const line = fill(s.custodyLine, { action, subject: subject ? `${kind} ${subject}` : kind });
      if (entry.withheld) return `${line} ${s.withheld}`;
      return entry.reason ? `${line} ${fill(s.custodyReason, { reason: entry.reason })}` : line;
    },
  };
}
