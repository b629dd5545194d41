import { z } from 'zod';
import { defineCall } from './rpc.ts';
import { acquisitionRegions } from './acquisitions.ts';

/**
 * A point of the audit log vouched for by the station audit key: entry `seq` has hash `hash`, and `mac` is the
 * station key's HMAC of both. Carried away from the station (checkpoints file, network submissions, case
 * packages) so that entries later cut off the log are noticed. Only the station with the key can check `mac`.
 */
export const auditCheckpointSchema = z.strictObject({
  seq: z.number().int().nonnegative(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  mac: z.string().regex(/^[0-9a-f]{64}$/),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  /** When the checkpoint was taken; informational, not covered by the MAC (the entry's own time is hashed). */
  at: z.iso.datetime(),
});
export type AuditCheckpoint = z.infer<typeof auditCheckpointSchema>;

/** The keys of audit values (top level of before/after) that hold the id of a record, and what record it is. */
export const auditReferenceKeys = {
  itemId: 'item',
  firearmItemId: 'item',
  acquisitionId: 'acquisition',
  a: 'acquisition',
  b: 'acquisition',
  caseId: 'case',
  bCaseId: 'case',
  userId: 'user',
  calibrationId: 'calibration',
  comparisonId: 'comparison',
  conclusionId: 'conclusion',
  annotationId: 'annotation',
  analysisId: 'comparison_analysis',
  snapshotId: 'snapshot',
  verificationId: 'verification',
  hitId: 'hit',
  // A hit on a network lead (hit.confirm's network {jobId, leadId}, reportJobId): the station's submission job, the
  // hub's lead, and the station's queued report of the hit to the hub.
  jobId: 'network_job',
  leadId: 'lead',
  reportJobId: 'hit_report',
} as const satisfies Record<string, AuditReferenceType>;

/** The keys of audit values that hold a list of record ids, and what records they are. */
export const auditReferenceListKeys = {
  snapshotIds: 'snapshot',
  analysisIds: 'comparison_analysis',
} as const satisfies Record<string, AuditReferenceType>;

/**
 * What the lab knows a record by: a case, item or acquisition by its references, a user by name, a calibration by its
 * reference; an examination record (comparison, conclusion, analysis, snapshot, verification, hit) by its
 * comparison's two sides; an annotation by the acquisition it is drawn on.
 */
export type AuditReferenceType =
  | 'item'
  | 'acquisition'
  | 'case'
  | 'user'
  | 'calibration'
  | 'comparison'
  | 'conclusion'
  | 'annotation'
  | 'comparison_analysis'
  | 'snapshot'
  | 'verification'
  | 'hit'
  | 'network_job'
  | 'lead'
  | 'hit_report';

/** One side of a comparison as the lab names it: the acquisition's reference and its region (a code to word). */
const referencedSide = z.object({ label: z.string(), region: z.enum(acquisitionRegions).nullable().optional() });
export const auditReferenceSchema = referencedSide.extend({
  /** An examination record: the comparison's two sides (label is then 'A ↔ B' without regions, for plain text). */
  sides: z.tuple([referencedSide, referencedSide]).optional(),
  /**
   * Network records, named by the station's submission they belong to (label and region: its case and exhibit):
   * 'network_job' the submission itself, 'lead' one of its hub leads, 'hit_report' the report of a hit on one.
   */
  network: z.enum(['network_job', 'lead', 'hit_report']).optional(),
  /** For a lead or a hit report: the hub's number for the lead, as the queue screen shows it. */
  leadNumber: z.number().int().optional(),
});
export type AuditReference = z.infer<typeof auditReferenceSchema>;

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
  /** The lab's own references, looked up when entries are listed (not part of the hashed entry). */
  caseNumber: z.string().nullable().optional(),
  /** The entity as the lab names it: 'LAB-2026-0042 / Q1' for an item, a user name for a user; null if none. */
  entityLabel: z.string().nullable().optional(),
  /** For an acquisition: its region, which the screen words in the reader's language (not part of the label). */
  entityRegion: z.enum(acquisitionRegions).nullable().optional(),
  /**
   * The lab's references for the ids an entry's values name (auditReferenceKeys), keyed 'item:12', 'acquisition:5',
   * 'case:3', 'user:2', 'calibration:4' (its lab reference 'CAL-2026-0003'); looked up when entries are listed, like entityLabel.
   */
  references: z.record(z.string(), auditReferenceSchema).optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/**
 * What `audit verify` can find (docs/security.md says what each covers):
 * chain: an entry altered, missing or out of order in the hash chain;
 * unauthenticated: an entry without a valid MAC of the station audit key (rewritten and re-chained);
 * key: the station audit key is missing or damaged;
 * trigger: a protective trigger of the database is missing, altered or unexpected;
 * checkpoint: the log disagrees with a checkpoint kept outside it (entries cut off, or a forged checkpoint);
 * unaudited: a case, item, evidence or acquisition row with no audit entry that made it;
 * differs: such a row differs from what its audit entries say it is.
 */
export const auditProblemKinds = [
  'chain',
  'unauthenticated',
  'key',
  'trigger',
  'checkpoint',
  'unaudited',
  'differs',
] as const;
export type AuditProblemKind = (typeof auditProblemKinds)[number];

/**
 * What exactly `audit verify` found, as the screen words it (i18n admin.auditFinding.<code>); the English `message`
 * beside it is for the CLI and the logs.
 */
export const auditFindings = [
  'key_problem', // the station audit key is missing or unreadable
  'entry_missing', // an entry of the chain is missing (values.expected)
  'link_broken', // an entry's link to the previous one does not match
  'content_altered', // an entry's content does not match its hash
  'legacy_altered', // the entry the station audit key vouched for at its creation differs
  'entries_removed', // entries values.from–values.to were removed
  'mac_wrong', // an entry's MAC was not made with the station audit key
  'mac_missing', // an entry has no MAC (written around the station)
  'trigger_missing', // a protective trigger (values.name) was dropped
  'trigger_altered',
  'trigger_added',
  'checkpoint_unreadable', // a checkpoint given or kept is not one
  'checkpoint_foreign', // a checkpoint not made with the station audit key
  'checkpoint_beyond_log', // a checkpoint vouches for more entries than the log holds (values.count)
  'checkpoint_rewritten', // the log's entry differs from what a checkpoint vouches for
  'checkpoint_unwritable', // checkpoints could not be written
  'no_entry', // a record no audit entry made
  'record_deleted', // a record an audit entry made is gone
  'field_changed', // a record's field (values.field) is values.stored, not values.audited as its entries say
  'size_changed', // an evidence record's size or media type differs
  'item_or_region_changed', // an acquisition's item or region differs
  'file_not_recorded', // an acquisition holds a file it was not made with
  'file_gone', // a file an acquisition was made with is gone
  'import_count', // a package import made values.made acquisitions; values.present are there
  'revision_behind', // an annotation is at values.revision; its entries reach values.audited
] as const;
export type AuditFinding = (typeof auditFindings)[number];

export const auditFindingSchema = z.object({
  code: z.enum(auditFindings),
  /** Names and figures the words need (field, name, from, to, count…). */
  values: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  /** The record concerned, as audit entries name it (entity type and id); the screen shows the lab's reference. */
  record: z
    .object({
      type: z.string(),
      id: z.string(),
      /**
       * A case's, item's or acquisition's lab reference as the audit trail last recorded it ('LAB-2026-0042 / Q1'),
       * not as the database, perhaps tampered with, now says.
       */
      label: z.string().optional(),
    })
    .optional(),
});
export type AuditFindingData = z.infer<typeof auditFindingSchema>;

export const auditProblemSchema = z.object({
  kind: z.enum(auditProblemKinds),
  /** The audit entry concerned, when there is one. */
  seq: z.number().int().nullable(),
  /** The record concerned ("case 12", "trigger audit_log_no_delete", "checkpoints file line 4"), when there is one. */
  subject: z.string().nullable(),
  /** English, for the CLI and the logs; the screen words `finding`. */
  message: z.string(),
  /** Absent only in results from a station before findings were sent. */
  finding: auditFindingSchema.optional(),
  /**
   * The lab's reference of finding.record ('LAB-2026-0042 / Q1') as the audit trail last recorded it, else as the
   * database has it when the result is sent; null if none.
   */
  recordLabel: z.string().nullable().optional(),
  /** The record's reference in the database now, when it is not the audited one (renamed around the station). */
  currentLabel: z.string().nullable().optional(),
});
export type AuditProblem = z.infer<typeof auditProblemSchema>;

export const auditVerifyResultSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  /** Where the chain first breaks; `reason` is English (the problems word it). */
  firstBroken: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
  tookMs: z.number(),
  /** The station audit key the entries were checked with (null: none, so only the hash chain was checked). */
  keyId: z.string().nullable(),
  /** The newest checkpoint found outside the log (checkpoints file, network receipts, given ones). */
  latestCheckpoint: z.object({ seq: z.number().int(), at: z.string(), source: z.string() }).nullable(),
  /** Every problem found (at most 100; `moreProblems` counts the rest). */
  problems: z.array(auditProblemSchema),
  moreProblems: z.number().int(),
});
export type AuditVerifyResult = z.infer<typeof auditVerifyResultSchema>;

export const evidenceVerifyResultSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  missing: z.array(z.string()),
  altered: z.array(z.string()),
  /** Files an acquisition or calibration still points to whose evidence record is gone (with who points to it). */
  missingRecords: z.array(z.object({ sha256: z.string(), referencedBy: z.string(), fileOnDisk: z.boolean() })),
});

export const auditCalls = {
  'audit.list': defineCall({
    permission: 'audit.read',
    input: z.object({
      caseId: z.number().int().optional(),
      /** The lab case number (exact, any letter case): how people name a case. */
      caseNumber: z.string().trim().min(1).max(60).optional(),
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
