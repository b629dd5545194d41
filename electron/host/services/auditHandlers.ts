import type { auditCalls, AuditEntry } from '../../contract/audit.ts';
import type { Session } from '../../contract/auth.ts';
import type { CallHandlers } from '../rpc/handlers.ts';
import type { Db } from '../storage/database.ts';
import type { AuditRepo } from '../storage/repos/auditRepo.ts';
import { verifyAuditTrail } from './auditVerification.ts';
import type { EvidenceStore } from './evidenceStore.ts';
import { auditLabels, caseIdByNumber } from '../storage/repos/auditLabelsRepo.ts';
import { shownValue } from '../storage/problemList.ts';

/**
 * The entries a reader is shown of those read: e.g. a blind verifier is not shown the first examination, and
 * anyone shown it is no longer blind to it (examination/records.ts).
 */
export type AuditVisibility = (reader: { userId: number; username: string }, entries: AuditEntry[]) => AuditEntry[];

export function auditHandlers(
  db: Db,
  audit: AuditRepo,
  evidence: EvidenceStore,
  visibility?: AuditVisibility,
): CallHandlers<typeof auditCalls> {
  // What a reader is shown, each entry with the lab's references for its case and the thing it concerns.
  const shown = (session: Session | null, entries: AuditEntry[]) => {
    const kept =
      visibility && session
        ? visibility({ userId: session.user.id, username: session.user.username }, entries)
        : entries;
    const labels = auditLabels(db, kept);
    return kept.map((e) => ({
      ...e,
      caseNumber: labels.caseNumber(e.caseId),
      entityLabel: labels.entity(e.entityType, e.entityId),
      entityRegion: labels.region(e.entityType, e.entityId) as AuditEntry['entityRegion'],
      references: labels.references(e) as AuditEntry['references'],
    }));
  };
  return {
    'audit.list': (input, ctx) => {
      const { caseNumber, ...filter } = input;
      const caseId = caseNumber === undefined ? filter.caseId : caseIdByNumber(db, caseNumber);
      // A lab case number the station does not have matches nothing (rather than every case).
      if (caseId === null) return { entries: [], hasMore: false, actions: audit.actions() };
      const page = audit.list({ ...filter, caseId });
      return { ...page, entries: shown(ctx.session, page.entries), actions: audit.actions() };
    },
    'audit.forCase': (input, ctx) =>
      shown(ctx.session, audit.list({ caseId: input.caseId, limit: input.limit }).entries),
    'audit.verify': () => {
      const result = verifyAuditTrail(db, audit);
      // Each record a problem concerns, by the lab's reference, for the screen (the CLI prints the English).
      const records = result.problems.flatMap((p) => (p.finding?.record ? [p.finding.record] : []));
      const labels = auditLabels(
        db,
        records.map((r) => ({ caseId: null, entityType: r.type, entityId: r.id })),
      );
      return {
        ...result,
        problems: result.problems.map((p) => {
          if (!p.finding?.record) return p;
          const current = labels.entity(p.finding.record.type, p.finding.record.id);
          // Named as audited (the database may have been rewritten); the current name beside it if it differs.
          const audited = p.finding.record.label;
          const now = current === null ? null : shownValue(current);
          return audited === undefined
            ? { ...p, recordLabel: now }
            : { ...p, recordLabel: audited, currentLabel: now !== null && now !== audited ? now : null };
        }),
      };
    },
    'evidence.verify': (_input, ctx) =>
      evidence.verify((done, total) => ctx.progress(done / Math.max(1, total), { done, total })),
  };
}
