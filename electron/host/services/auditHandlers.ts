import type { auditCalls, AuditEntry } from '../../contract/audit.ts';
import type { Session } from '../../contract/auth.ts';
import type { CallHandlers } from '../rpc/handlers.ts';
import type { Db } from '../storage/database.ts';
import type { AuditRepo } from '../storage/repos/auditRepo.ts';
import { verifyAuditTrail } from './auditVerification.ts';
import type { EvidenceStore } from './evidenceStore.ts';

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
  const visible = (session: Session | null, entries: AuditEntry[]) => {
    if (!visibility || !session) return entries;
    return visibility({ userId: session.user.id, username: session.user.username }, entries);
  };
  return {
    'audit.list': (input, ctx) => {
      const page = audit.list(input);
      return { ...page, entries: visible(ctx.session, page.entries), actions: audit.actions() };
    },
    'audit.forCase': (input, ctx) =>
      visible(ctx.session, audit.list({ caseId: input.caseId, limit: input.limit }).entries),
    'audit.verify': () => verifyAuditTrail(db, audit),
    'evidence.verify': (_input, ctx) =>
      evidence.verify((done, total) => ctx.progress(done / Math.max(1, total), { done, total })),
  };
}
