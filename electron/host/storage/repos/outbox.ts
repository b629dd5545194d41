// All SQL of the network outbox. Every method is one statement or one transaction, so a SIGKILL at any point
// leaves each job in a state the worker can resume from.
import type { Db } from '../database.ts';
import type { Statement } from 'better-sqlite3';
import type { Lead, Manifest, Receipt } from '../../../network/protocol.ts';

import { outboxStates } from '../../../contract/network.ts';

export { outboxStates };
export type OutboxState = (typeof outboxStates)[number];

export interface ArtifactFile {
  sha256: string;
  size: number;
  /** Where the station keeps the bytes (the evidence store's file); never modified. */
  path: string;
}

export interface OutboxJob {
  id: number;
  idempotencyKey: string;
  caseRef: string;
  itemRef: string;
  caseId: number | null;
  itemId: number | null;
  /** The acquisition this job sends, when it came from one (at most one live job per acquisition). */
  acquisitionId: number | null;
  state: OutboxState;
  manifest: Manifest;
  signature: string;
  originCertificate: string;
  artifactFiles: ArtifactFile[];
  bytesTotal: number;
  bytesSent: number;
  submissionId: string | null;
  attempts: number;
  nextAttemptAt: number;
  running: boolean;
  lastErrorCode: string | null;
  lastError: string | null;
  receipt: Receipt | null;
  receiptSignature: string | null;
  hubCertificate: string | null;
  leads: Lead[] | null;
  /** What the hub said about the correlation besides its leads (no topography, candidates it could not compare); empty when nothing. */
  correlationNotes: string[];
  source: string;
  exportedAt: string | null;
  createdAt: string;
  updatedAt: string;
  committedAt: string | null;
}

export interface NewOutboxJob {
  manifest: Manifest;
  signature: string;
  originCertificate: string;
  artifactFiles: ArtifactFile[];
  caseId?: number | null;
  itemId?: number | null;
  acquisitionId?: number | null;
  source?: string;
  now: number;
}

interface Row {
  id: number;
  idempotency_key: string;
  case_ref: string;
  item_ref: string;
  case_id: number | null;
  item_id: number | null;
  state: OutboxState;
  manifest: string;
  signature: string;
  origin_certificate: string;
  artifact_paths: string;
  bytes_total: number;
  bytes_sent: number;
  submission_id: string | null;
  attempts: number;
  next_attempt_at: number;
  running: number;
  last_error_code: string | null;
  last_error: string | null;
  receipt: string | null;
  receipt_signature: string | null;
  hub_certificate: string | null;
  leads: string | null;
  source: string;
  exported_at: string | null;
  created_at: string;
  updated_at: string;
  committed_at: string | null;
  acquisition_id: number | null;
  correlation_notes: string | null;
}

function toJob(row: Row): OutboxJob {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    caseRef: row.case_ref,
    itemRef: row.item_ref,
    caseId: row.case_id,
    itemId: row.item_id,
    acquisitionId: row.acquisition_id ?? null,
    state: row.state,
    manifest: JSON.parse(row.manifest) as Manifest,
    signature: row.signature,
    originCertificate: row.origin_certificate,
    artifactFiles: JSON.parse(row.artifact_paths) as ArtifactFile[],
    bytesTotal: row.bytes_total,
    bytesSent: row.bytes_sent,
    submissionId: row.submission_id,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    running: row.running === 1,
    lastErrorCode: row.last_error_code,
    lastError: row.last_error,
    receipt: row.receipt ? (JSON.parse(row.receipt) as Receipt) : null,
    receiptSignature: row.receipt_signature,
    hubCertificate: row.hub_certificate,
    leads: row.leads ? (JSON.parse(row.leads) as Lead[]) : null,
    correlationNotes: row.correlation_notes ? (JSON.parse(row.correlation_notes) as string[]) : [],
    source: row.source,
    exportedAt: row.exported_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    committedAt: row.committed_at,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
/** Notes are stored only when there are some (NULL otherwise, as for a job that is not correlated yet). */
const notesJson = (notes: string[]) => (notes.length > 0 ? JSON.stringify(notes) : null);

export class OutboxRepo {
  private readonly db: Db;
  /** Statements prepared once per SQL text: the outbox worker runs the same few between every job. */
  private readonly statements = new Map<string, Statement>();
  constructor(db: Db) {
    this.db = db;
  }

  private sql<P extends unknown[] = unknown[], R = unknown>(text: string): Statement<P, R> {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement as unknown as Statement<P, R>;
  }

  /** Inserts a job; with `ignoreDuplicate` an existing idempotency key is left alone (bundle re-import) and null returned. */
  insert(job: NewOutboxJob, ignoreDuplicate = false): OutboxJob | null {
    const result = this.sql(
      `INSERT ${ignoreDuplicate ? 'OR IGNORE ' : ''}INTO outbox_jobs (idempotency_key, case_ref, item_ref, case_id, item_id,
      acquisition_id, state, manifest, signature, origin_certificate, artifact_paths, bytes_total, next_attempt_at, source, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      job.manifest.idempotencyKey,
      job.manifest.caseRef,
      job.manifest.itemRef,
      job.caseId ?? null,
      job.itemId ?? null,
      job.acquisitionId ?? null,
      JSON.stringify(job.manifest),
      job.signature,
      job.originCertificate,
      JSON.stringify(job.artifactFiles),
      job.artifactFiles.reduce((n, a) => n + a.size, 0),
      job.now,
      job.source ?? 'local',
      iso(job.now),
      iso(job.now),
    );
    return result.changes === 1 ? this.get(Number(result.lastInsertRowid))! : null;
  }

  get(id: number): OutboxJob | undefined {
    const row = this.sql<[number], Row>('SELECT * FROM outbox_jobs WHERE id = ?').get(id);
    return row && toJob(row);
  }

  /** The live (not canceled) job of an acquisition, if it was submitted. */
  getByAcquisition(acquisitionId: number): OutboxJob | undefined {
    const row = this.sql<[number], Row>(
      `SELECT * FROM outbox_jobs WHERE acquisition_id = ? AND state <> 'canceled'`,
    ).get(acquisitionId);
    return row && toJob(row);
  }

  /** A local acquisition whose topography is these bytes (a fetched lead casing, or the same scan imported here). */
  acquisitionWithTopography(sha256: string): number | undefined {
    return (
      (this.sql('SELECT min(id) FROM acquisitions WHERE topography_sha256 = ?').pluck().get(sha256) as number | null) ??
      undefined
    );
  }

  getByKey(idempotencyKey: string): OutboxJob | undefined {
    const row = this.sql<[string], Row>('SELECT * FROM outbox_jobs WHERE idempotency_key = ?').get(idempotencyKey);
    return row && toJob(row);
  }

  list(filter: { states?: OutboxState[]; limit?: number } = {}): OutboxJob[] {
    const states = filter.states ?? [...outboxStates];
    const rows = this.sql<unknown[], Row>(
      `SELECT * FROM outbox_jobs WHERE state IN (${states.map(() => '?').join(',')}) ORDER BY id DESC LIMIT ?`,
    ).all(...states, filter.limit ?? 1000);
    return rows.map(toJob);
  }

  counts(): Record<OutboxState, number> {
    const counts = Object.fromEntries(outboxStates.map((s) => [s, 0])) as Record<OutboxState, number>;
    for (const r of this.sql<[], { state: OutboxState; n: number }>(
      'SELECT state, count(*) AS n FROM outbox_jobs GROUP BY state',
    ).all())
      counts[r.state] = r.n;
    return counts;
  }

  /** A crashed worker held these; nobody holds them now. */
  releaseAll(): number {
    return this.sql('UPDATE outbox_jobs SET running = 0 WHERE running = 1').run().changes;
  }

  /**
   * Claims up to `limit` due jobs: sendable ones (queued/uploading, not exported, and no earlier unsent job of the
   * same case, so each case's submissions arrive in order) and committed ones whose leads are due for a poll.
   */
  claimDue(now: number, limit: number, includeSend = true): OutboxJob[] {
    if (limit <= 0) return [];
    return this.db.transaction(() => {
      const rows = this.sql<[number, number, number], Row>(
        `
        SELECT j.* FROM outbox_jobs j
        WHERE j.running = 0 AND j.next_attempt_at <= ? AND (
          (? = 1 AND j.state IN ('queued','uploading') AND j.exported_at IS NULL AND NOT EXISTS (
             SELECT 1 FROM outbox_jobs e WHERE e.case_ref = j.case_ref AND e.id < j.id AND e.state IN ('queued','uploading') AND e.exported_at IS NULL))
          OR j.state = 'committed')
        ORDER BY j.next_attempt_at, j.id LIMIT ?`,
      ).all(now, includeSend ? 1 : 0, limit);
      const claim = this.sql('UPDATE outbox_jobs SET running = 1 WHERE id = ?');
      for (const row of rows) claim.run(row.id);
      return rows.map((r) => toJob({ ...r, running: 1 }));
    })();
  }

  /** The earliest time a job becomes due, for the worker's sleep. */
  nextDueAt(): number | undefined {
    const row = this.sql<[], { t: number | null }>(
      `SELECT min(next_attempt_at) AS t FROM outbox_jobs
      WHERE running = 0 AND ((state IN ('queued','uploading') AND exported_at IS NULL) OR state = 'committed')`,
    ).get();
    return row?.t ?? undefined;
  }

  pendingCount(includeCommitted: boolean): number {
    return this.sql<[], { n: number }>(
      `SELECT count(*) AS n FROM outbox_jobs WHERE exported_at IS NULL AND state IN ('queued','uploading'${includeCommitted ? ",'committed'" : ''})`,
    ).get()!.n;
  }

  markUploading(id: number, submissionId: string, bytesSent: number, now: number): void {
    this.sql(
      `UPDATE outbox_jobs SET state = 'uploading', submission_id = ?, bytes_sent = ?, updated_at = ? WHERE id = ? AND state IN ('queued','uploading')`,
    ).run(submissionId, bytesSent, iso(now), id);
  }

  setProgress(id: number, bytesSent: number): void {
    this.sql('UPDATE outbox_jobs SET bytes_sent = ? WHERE id = ?').run(bytesSent, id);
  }

  /** `leads` non-null when the hub had already correlated the submission: the job is then correlated, with the hub's notes. */
  markCommitted(
    id: number,
    receipt: Receipt,
    receiptSignature: string,
    hubCertificate: string,
    leads: Lead[] | null,
    correlationNotes: string[],
    now: number,
    pollAt: number,
  ): void {
    this.sql(
      `UPDATE outbox_jobs SET state = ?, submission_id = ?, receipt = ?, receipt_signature = ?, hub_certificate = ?, leads = ?, correlation_notes = ?, bytes_sent = bytes_total,
      committed_at = coalesce(committed_at, ?), updated_at = ?, running = 0, next_attempt_at = ?, last_error_code = NULL, last_error = NULL
      WHERE id = ? AND state IN ('queued','uploading','committed','rejected','dead','canceled')`,
    ).run(
      leads ? 'correlated' : 'committed',
      receipt.submissionId,
      JSON.stringify(receipt),
      receiptSignature,
      hubCertificate,
      leads ? JSON.stringify(leads) : null,
      leads ? notesJson(correlationNotes) : null,
      receipt.committedAt,
      iso(now),
      pollAt,
      id,
    );
  }

  markCorrelated(id: number, leads: Lead[], correlationNotes: string[], now: number): void {
    this.sql(
      `UPDATE outbox_jobs SET state = 'correlated', leads = ?, correlation_notes = ?, updated_at = ?, running = 0 WHERE id = ? AND state = 'committed'`,
    ).run(JSON.stringify(leads), notesJson(correlationNotes), iso(now), id);
  }

  /** Puts a job back to wait; `countAttempt` is false when the hub was simply unreachable. */
  reschedule(
    id: number,
    nextAttemptAt: number,
    error: { code: string; message: string } | null,
    countAttempt: boolean,
    now: number,
  ): void {
    this.sql(
      `UPDATE outbox_jobs SET running = 0, next_attempt_at = ?, attempts = attempts + ?, last_error_code = ?, last_error = ?, updated_at = ?
      WHERE id = ?`,
    ).run(nextAttemptAt, countAttempt ? 1 : 0, error?.code ?? null, error?.message ?? null, iso(now), id);
  }

  /** rejected (the hub refused: permanent) or dead (too many attempts). The job and its reason stay. */
  markFailed(id: number, state: 'rejected' | 'dead', error: { code: string; message: string }, now: number): void {
    this.sql(
      `UPDATE outbox_jobs SET state = ?, running = 0, last_error_code = ?, last_error = ?, updated_at = ? WHERE id = ? AND state IN ('queued','uploading')`,
    ).run(state, error.code, error.message, iso(now), id);
  }

  release(id: number): void {
    this.sql('UPDATE outbox_jobs SET running = 0 WHERE id = ?').run(id);
  }

  /** A person's retry of a rejected or dead job: back in the queue with a fresh attempt count. */
  retry(id: number, now: number): boolean {
    return (
      this.sql(
        `UPDATE outbox_jobs SET state = CASE WHEN submission_id IS NULL THEN 'queued' ELSE 'uploading' END, attempts = 0,
      next_attempt_at = ?, updated_at = ?, exported_at = NULL WHERE id = ? AND state IN ('rejected','dead')`,
      ).run(now, iso(now), id).changes === 1
    );
  }

  /** Cancels a job that has not reached the hub's commit; committed work cannot be taken back. */
  cancel(id: number, now: number): boolean {
    return (
      this.sql(
        `UPDATE outbox_jobs SET state = 'canceled', running = 0, updated_at = ? WHERE id = ? AND state IN ('queued','uploading','rejected','dead')`,
      ).run(iso(now), id).changes === 1
    );
  }

  markExported(ids: number[], now: number): void {
    const stmt = this.sql(`UPDATE outbox_jobs SET exported_at = ?, updated_at = ? WHERE id = ?`);
    this.db.transaction(() => ids.forEach((id) => stmt.run(iso(now), iso(now), id)))();
  }
}
