// All SQL of hit reports and the network feed: the station's HitReportStore (network/outbox/hitReportStore.ts) over
// its database. Each method is one statement or one transaction, so a SIGKILL leaves every report resumable.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../database.ts';
import {
  knownLeadFields,
  type CreateHitRequest,
  type FeedEvent,
  type HitResponse,
  type Lead,
  type NetworkHit,
} from '../../../network/protocol.ts';
import type {
  HitReportJob,
  HitReportState,
  HitReportStore,
  NewHitReport,
} from '../../../network/outbox/hitReportStore.ts';
import type { HitReportFields } from '../../../network/outbox/hitReport.ts';
import type { JobFailure } from '../../../network/outbox/store.ts';

interface Row {
  id: number;
  idempotency_key: string;
  job_id: number;
  lead_id: number;
  fields: string;
  request: string | null;
  state: HitReportState;
  attempts: number;
  next_attempt_at: number;
  running: number;
  last_error_code: string | null;
  last_error: string | null;
  hit: string | null;
  created_at: string;
  updated_at: string;
  recorded_at: string | null;
}

function toReport(row: Row): HitReportJob {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    jobId: row.job_id,
    leadId: row.lead_id,
    fields: JSON.parse(row.fields) as HitReportFields,
    request: row.request ? (JSON.parse(row.request) as CreateHitRequest) : null,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    running: row.running === 1,
    lastErrorCode: row.last_error_code,
    lastError: row.last_error,
    hit: row.hit ? (JSON.parse(row.hit) as HitResponse) : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    recordedAt: row.recorded_at,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

export class HitReportsRepo implements HitReportStore {
  private readonly db: Db;
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

  insertHitReport(report: NewHitReport): HitReportJob {
    this.sql(
      `INSERT INTO outbox_hit_reports (idempotency_key, job_id, lead_id, fields, state, next_attempt_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'queued', ?, ?, ?) ON CONFLICT (job_id, lead_id) DO NOTHING`,
    ).run(
      report.fields.idempotencyKey,
      report.jobId,
      report.leadId,
      JSON.stringify(report.fields),
      report.now,
      iso(report.now),
      iso(report.now),
    );
    return this.hitReportFor(report.jobId, report.leadId)!;
  }

  getHitReport(id: number): HitReportJob | undefined {
    const row = this.sql<[number], Row>('SELECT * FROM outbox_hit_reports WHERE id = ?').get(id);
    return row && toReport(row);
  }

  hitReportFor(jobId: number, leadId: number): HitReportJob | undefined {
    const row = this.sql<[number, number], Row>(
      'SELECT * FROM outbox_hit_reports WHERE job_id = ? AND lead_id = ?',
    ).get(jobId, leadId);
    return row && toReport(row);
  }

  listHitReports(limit = 1000): HitReportJob[] {
    return this.sql<[number], Row>('SELECT * FROM outbox_hit_reports ORDER BY id DESC LIMIT ?')
      .all(limit)
      .map(toReport);
  }

  releaseHitReports(): void {
    this.sql('UPDATE outbox_hit_reports SET running = 0 WHERE running = 1').run();
  }

  /** Due reports whose submission the hub has (a report on a submission still on its way waits for it). */
  claimDueHitReports(now: number, limit: number): HitReportJob[] {
    if (limit <= 0) return [];
    return this.db.transaction(() => {
      const rows = this.sql<[number, number], Row>(
        `SELECT r.* FROM outbox_hit_reports r JOIN outbox_jobs j ON j.id = r.job_id
         WHERE r.running = 0 AND r.state = 'queued' AND r.next_attempt_at <= ? AND j.submission_id IS NOT NULL
         ORDER BY r.next_attempt_at, r.id LIMIT ?`,
      ).all(now, limit);
      const claim = this.sql('UPDATE outbox_hit_reports SET running = 1 WHERE id = ?');
      for (const row of rows) claim.run(row.id);
      return rows.map((r) => toReport({ ...r, running: 1 }));
    })();
  }

  nextHitReportDueAt(): number | undefined {
    return (
      (this.sql(
        `SELECT min(r.next_attempt_at) FROM outbox_hit_reports r JOIN outbox_jobs j ON j.id = r.job_id
         WHERE r.running = 0 AND r.state = 'queued' AND j.submission_id IS NOT NULL`,
      )
        .pluck()
        .get() as number | null) ?? undefined
    );
  }

  pendingHitReports(): number {
    return this.sql(`SELECT count(*) FROM outbox_hit_reports WHERE state = 'queued'`).pluck().get() as number;
  }

  setHitRequest(id: number, request: CreateHitRequest): void {
    this.sql('UPDATE outbox_hit_reports SET request = ? WHERE id = ? AND request IS NULL').run(
      JSON.stringify(request),
      id,
    );
  }

  markHitRecorded(id: number, hit: HitResponse, hubCertificate: string, now: number): void {
    this.sql(
      `UPDATE outbox_hit_reports SET state = 'recorded', hit = ?, hub_certificate = ?, running = 0, recorded_at = ?,
       updated_at = ?, last_error_code = NULL, last_error = NULL WHERE id = ?`,
    ).run(JSON.stringify(hit), hubCertificate, iso(now), iso(now), id);
  }

  rescheduleHitReport(id: number, at: number, error: JobFailure | null, countAttempt: boolean, now: number): void {
    this.sql(
      `UPDATE outbox_hit_reports SET running = 0, next_attempt_at = ?, attempts = attempts + ?, last_error_code = ?,
       last_error = ?, updated_at = ? WHERE id = ?`,
    ).run(at, countAttempt ? 1 : 0, error?.code ?? null, error?.message ?? null, iso(now), id);
  }

  markHitReportFailed(id: number, state: 'rejected' | 'dead', error: JobFailure, now: number): void {
    this.sql(
      `UPDATE outbox_hit_reports SET state = ?, running = 0, last_error_code = ?, last_error = ?, updated_at = ?
       WHERE id = ? AND state = 'queued'`,
    ).run(state, error.code, error.message, iso(now), id);
  }

  retryHitReport(id: number, now: number): boolean {
    return (
      this.sql(
        `UPDATE outbox_hit_reports SET state = 'queued', attempts = 0, next_attempt_at = ?, updated_at = ?
         WHERE id = ? AND state IN ('rejected','dead')`,
      ).run(now, iso(now), id).changes === 1
    );
  }

  feedPosition(hub: string): number {
    return (this.sql('SELECT position FROM outbox_feed WHERE hub = ?').pluck().get(hub) as number | undefined) ?? 0;
  }

  applyFeed(hub: string, events: FeedEvent[], next: number, now: number): number[] {
    return this.db.transaction(() => {
      const changed = new Set<number>();
      for (const event of events) {
        const job = this.sql<[string], { id: number; leads: string | null; network_hits: string | null }>(
          'SELECT id, leads, network_hits FROM outbox_jobs WHERE submission_id = ?',
        ).get(event.submissionId);
        // Events about submissions another station of the lab sent are not this station's to keep.
        if (!job) continue;
        if (event.kind === 'lead') {
          const leads = job.leads ? (JSON.parse(job.leads) as Lead[]) : [];
          if (leads.some((l) => l.leadId === event.lead.leadId)) continue;
          leads.push(knownLeadFields(event.lead)); // fields of later revisions: not shown, not kept
          leads.sort((a, b) => b.score - a.score || a.leadId - b.leadId);
          this.sql('UPDATE outbox_jobs SET leads = ?, updated_at = ? WHERE id = ?').run(
            JSON.stringify(leads),
            iso(now),
            job.id,
          );
        } else {
          const hits = job.network_hits ? (JSON.parse(job.network_hits) as NetworkHit[]) : [];
          if (hits.some((h) => h.hitId === event.hit.hitId)) continue;
          hits.push(event.hit);
          this.sql('UPDATE outbox_jobs SET network_hits = ?, updated_at = ? WHERE id = ?').run(
            JSON.stringify(hits),
            iso(now),
            job.id,
          );
        }
        changed.add(job.id);
      }
      this.sql(
        `INSERT INTO outbox_feed (hub, position, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (hub) DO UPDATE SET position = max(position, excluded.position), updated_at = excluded.updated_at`,
      ).run(hub, next, iso(now));
      return [...changed];
    })();
  }
}
