import type { auditCalls } from '../../contract/audit.ts';
import type { CallHandlers } from '../rpc/handlers.ts';
import type { AuditRepo } from '../storage/repos/auditRepo.ts';
import type { EvidenceStore } from './evidenceStore.ts';

export function auditHandlers(audit: AuditRepo, evidence: EvidenceStore): CallHandlers<typeof auditCalls> {
  return {
    'audit.list': (input) => ({ ...audit.list(input), actions: audit.actions() }),
    'audit.forCase': (input) => audit.list({ caseId: input.caseId, limit: input.limit }).entries,
    'audit.verify': () => audit.verify(),
    'evidence.verify': (_input, ctx) =>
      evidence.verify((done, total) => ctx.progress(done / Math.max(1, total), { done, total })),
  };
}
