import type { auditCalls, AuditEntry } from '../../contract/audit.ts';
import type { Session } from '../../contract/auth.ts';
import type { CallHandlers } from '../rpc/handlers.ts';
import type { AuditRepo } from '../storage/repos/auditRepo.ts';
import type { EvidenceStore } from './evidenceStore.ts';

/** Which entries a reader may see: e.g. a blind verifier is not shown the first examination (examination/records.ts). */
export type AuditVisibility = (reader: { userId: number; username: string }) => (entry: AuditEntry) => boolean;

export function auditHandlers(
  audit: AuditRepo,
  evidence: EvidenceStore,
  visibility?: AuditVisibility,
): CallHandlers<typeof auditCalls> {
  const visible = (session: Session | null, entries: AuditEntry[]) => {
    if (!visibility || !session) return entries;
    return entries.filter(visibility({ userId: session.user.id, username: session.user.username }));
  };
  return {
    'audit.list': (input, ctx) => {
      const page = audit.list(input);
      return { ...page, entries: visible(ctx.session, page.entries), actions: audit.actions() };
    },
    'audit.forCase': (input, ctx) =>
      visible(ctx.session, audit.list({ caseId: input.caseId, limit: input.limit }).entries),
    'audit.verify': () => audit.verify(),
    'evidence.verify': (_input, ctx) =>
      evidence.verify((done, total) => ctx.progress(done / Math.max(1, total), { done, total })),
  };
}
