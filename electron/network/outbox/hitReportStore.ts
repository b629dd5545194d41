// Hit reports and the lab's feed as the outbox keeps them (the station implements this over its database:
// host/storage/repos/hitReportsRepo.ts). A hit report is a small job of its own beside the submissions: queued
// inside the transaction that confirms the hit, sent (signed at its first attempt, the same bytes on every retry),
// recorded once the hub's signed receipt checks out; rejected or dead with the reason otherwise. The feed brings
// leads that later submissions gave our earlier ones and hits other labs reported on our casings.
import type { CreateHitRequest, FeedEvent, HitResponse } from '../protocol.ts';
import type { HitReportFields } from './hitReport.ts';
import type { JobFailure } from './store.ts';

export const hitReportStates = ['queued', 'recorded', 'rejected', 'dead'] as const;
export type HitReportState = (typeof hitReportStates)[number];

export interface HitReportJob {
  id: number;
  idempotencyKey: string;
  /** The outbox job (our submission) whose lead was confirmed. */
  jobId: number;
  leadId: number;
  /** What was fixed when it was queued (the submission ids, the conclusion, when, the lab's reference). */
  fields: HitReportFields;
  /** The signed request, made at the first attempt and sent unchanged on every retry. */
  request: CreateHitRequest | null;
  state: HitReportState;
  attempts: number;
  nextAttemptAt: number;
  running: boolean;
  lastErrorCode: string | null;
  lastError: string | null;
  hit: HitResponse | null;
  createdAt: string;
  updatedAt: string;
  recordedAt: string | null;
}

export interface NewHitReport {
  jobId: number;
  leadId: number;
  fields: HitReportFields;
  now: number;
}

export interface HitReportStore {
  /** Queues a report unless one exists for this job and lead; returns the stored one either way. */
  insertHitReport(report: NewHitReport): HitReportJob;
  getHitReport(id: number): HitReportJob | undefined;
  hitReportFor(jobId: number, leadId: number): HitReportJob | undefined;
  /** Newest first. */
  listHitReports(limit?: number): HitReportJob[];
  /** A crashed worker held these; nobody holds them now. */
  releaseHitReports(): void;
  claimDueHitReports(now: number, limit: number): HitReportJob[];
  nextHitReportDueAt(): number | undefined;
  pendingHitReports(): number;
  /** Keeps the signed request of the first attempt. */
  setHitRequest(id: number, request: CreateHitRequest): void;
  markHitRecorded(id: number, hit: HitResponse, hubCertificate: string, now: number): void;
  rescheduleHitReport(id: number, at: number, error: JobFailure | null, countAttempt: boolean, now: number): void;
  markHitReportFailed(id: number, state: 'rejected' | 'dead', error: JobFailure, now: number): void;
  /** A person's retry of a rejected or dead report. */
  retryHitReport(id: number, now: number): boolean;

  /** Where this station's reading of the hub's feed stands (0: from the start). */
  feedPosition(hub: string): number;
  /**
   * Applies a page of the feed in one step: leads are added to the job of their submission (by lead id, once), hits
   * to its network hits (by hit id, once), and the position moves to `next`. Returns the jobs that changed.
   */
  applyFeed(hub: string, events: FeedEvent[], next: number, now: number): number[];
}
