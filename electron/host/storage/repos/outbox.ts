// All SQL of the network outbox: the station's OutboxStore (network/outbox/store.ts) over its database. Every method
// is one statement or one transaction, so a SIGKILL at any point leaves each job in a state the worker can resume from.
import type { Db } from '../database.ts';
import type { Statement } from 'better-sqlite3';
import { knownLeadFields, type Lead, type NetworkHit, type Receipt } from '../../../network/protocol.ts';
import {
  outboxStates,
  type JobFailure,
  type NewOutboxJob,
  type OutboxJob,
  type OutboxState,
  type OutboxStore,
  type StoredResults,
} from '../../../network/outbox/store.ts';

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
  network_hits: string | null;
  signed_results: string | null;
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
    manifest: JSON.parse(row.manifest) as OutboxJob['manifest'],
    signature: row.signature,
    originCertificate: row.origin_certificate,
    artifactFiles: JSON.parse(row.artifact_paths) as OutboxJob['artifactFiles'],
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
    results: row.signed_results ? (JSON.parse(row.signed_results) as StoredResults) : null,
    networkHits: row.network_hits ? (JSON.parse(row.network_hits) as NetworkHit[]) : [],
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

/**
 * A job's leads once signed results arrive: the statement's, and those the feed brought that it does not hold (a
 * status answer carries only the best leads; the feed brings every one), best first.
 */
function leadsWithSigned(shownJson: string | null | undefined, signed: readonly Lead[]): string {
  const leads = new Map<number, Lead>();
  for (const lead of shownJson ? (JSON.parse(shownJson) as Lead[]) : []) leads.set(lead.leadId, lead);
  for (const lead of signed) leads.set(lead.leadId, knownLeadFields(lead));
  return JSON.stringify([...leads.values()].sort((a, b) => b.score - a.score || a.leadId - b.leadId));
}

export class OutboxRepo implements OutboxStore {
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

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
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

  correlatedWithUnsignedLeads(): number[] {
    // Compared inside SQLite: no row's JSON comes into the station's memory.
    const rows = this.sql<[], { id: number }>(
      `SELECT id FROM outbox_jobs AS job WHERE state = 'correlated' AND leads IS NOT NULL AND EXISTS (
         SELECT 1 FROM json_each(job.leads) AS lead WHERE json_extract(lead.value, '$.leadId') NOT IN (
           SELECT json_extract(signed.value, '$.leadId')
           FROM json_each(COALESCE(job.signed_results, '{}'), '$.statement.leads') AS signed))
       ORDER BY id`,
    ).all();
    return rows.map((row) => row.id);
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

  /** `results` non-null when the hub had already correlated the submission: the job is then correlated, with its leads and notes. */
  markCommitted(
    id: number,
    receipt: Receipt,
    receiptSignature: string,
    hubCertificate: string,
    results: StoredResults | null,
    now: number,
    pollAt: number,
  ): void {
    this.sql(
      `UPDATE outbox_jobs SET state = ?, submission_id = ?, receipt = ?, receipt_signature = ?, hub_certificate = ?, leads = ?, correlation_notes = ?,
      signed_results = ?, bytes_sent = bytes_total,
      committed_at = coalesce(committed_at, ?), updated_at = ?, running = 0, next_attempt_at = ?, last_error_code = NULL, last_error = NULL
      WHERE id = ? AND state IN ('queued','uploading','committed','rejected','dead','canceled')`,
    ).run(
      results ? 'correlated' : 'committed',
      receipt.submissionId,
      JSON.stringify(receipt),
      receiptSignature,
      hubCertificate,
      results ? leadsWithSigned(this.shownLeads(id), results.statement.leads) : null,
      results ? notesJson(results.statement.correlationNotes) : null,
      results ? JSON.stringify(results) : null,
      receipt.committedAt,
      iso(now),
      pollAt,
      id,
    );
  }

  private shownLeads(id: number): string | null | undefined {
    return this.sql('SELECT leads FROM outbox_jobs WHERE id = ?').pluck().get(id) as string | null | undefined;
  }

  markCorrelated(id: number, results: StoredResults, now: number): void {
    this.sql(
      `UPDATE outbox_jobs SET state = 'correlated', leads = ?, correlation_notes = ?, signed_results = ?, updated_at = ?, running = 0,
      last_error_code = NULL, last_error = NULL WHERE id = ? AND state IN ('committed','correlated')`,
    ).run(
      leadsWithSigned(this.shownLeads(id), results.statement.leads),
      notesJson(results.statement.correlationNotes),
      JSON.stringify(results),
      iso(now),
      id,
    );
  }

  /** Puts a job back to wait; `countAttempt` is false when the hub was simply unreachable. */
  reschedule(id: number, nextAttemptAt: number, error: JobFailure | null, countAttempt: boolean, now: number): void {
    this.sql(
      `UPDATE outbox_jobs SET running = 0, next_attempt_at = ?, attempts = attempts + ?, last_error_code = ?, last_error = ?, updated_at = ?
      WHERE id = ?`,
    ).run(nextAttemptAt, countAttempt ? 1 : 0, error?.code ?? null, error?.message ?? null, iso(now), id);
  }

  /** rejected (the hub refused: permanent) or dead (too many attempts). The job and its reason stay. */
  markFailed(id: number, state: 'rejected' | 'dead', error: JobFailure, now: number): void {
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
