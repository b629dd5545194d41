import { z } from 'zod';
import { defineCall } from './rpc.ts';

export const auditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  userId: z.number().int().nullable(),
  username: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  caseId: z.number().int().nullable(),
  /** For amendments: the values before and after, field by field. */
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  reason: z.string().nullable(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditVerifyResultSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBroken: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
  tookMs: z.number(),
});
export type AuditVerifyResult = z.infer<typeof auditVerifyResultSchema>;

export const evidenceVerifyResultSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  missing: z.array(z.string()),
  altered: z.array(z.string()),
});

export const auditCalls = {
  'audit.list': defineCall({
    permission: 'audit.read',
    input: z.object({
      caseId: z.number().int().optional(),
      username: z.string().max(40).optional(),
      action: z.string().max(60).optional(),
      from: z.string().max(30).optional(),
      to: z.string().max(30).optional(),
      /** Entries older than this sequence number (paging backwards from the newest). */
      beforeSeq: z.number().int().optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    output: z.object({ entries: z.array(auditEntrySchema), hasMore: z.boolean(), actions: z.array(z.string()) }),
  }),
  /** The audit history of one case is visible to anyone who may read the case. */
  'audit.forCase': defineCall({
    permission: 'case.read',
    input: z.object({ caseId: z.number().int(), limit: z.number().int().min(1).max(500).default(200) }),
    output: z.array(auditEntrySchema),
  }),
  'audit.verify': defineCall({ permission: 'audit.verify', input: z.object({}), output: auditVerifyResultSchema }),
  'evidence.verify': defineCall({
    permission: 'audit.verify',
    input: z.object({}),
    output: evidenceVerifyResultSchema,
    /** Files checked so far, of all. */
    progress: z.object({ done: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
  }),
};
