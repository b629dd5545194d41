// Hit reports on the station: queued by the examination service inside the transaction that confirms a hit on a
// network lead, sent once by the outbox worker, shown with their state; and the hits other labs reported on our
// casings, as the feed brought them.
import { randomUUID } from 'node:crypto';
import { AppError, notFound } from '../../../contract/errors.ts';
import type { HitReportView, NetworkHitView } from '../../../contract/network.ts';
import type { HitReportJob } from '../../../network/outbox/hitReportStore.ts';
import type { OutboxJob } from '../../../network/outbox/store.ts';
import type { HitReportsRepo } from '../../storage/repos/hitReportsRepo.ts';
import type { OutboxRepo } from '../../storage/repos/outbox.ts';

export interface HitReportInput {
  /** The outbox job (our submission) whose lead was confirmed. */
  submissionJobId: number;
  leadId: number;
  /** The examination's own reference of the hit (opaque to the network). */
  hitRef: string;
  conclusion: 'identification';
  /** ISO time of the confirmation. */
  confirmedAt: string;
}

export function toHitReportView(report: HitReportJob): HitReportView {
  return {
    id: report.id,
    jobId: report.jobId,
    leadId: report.leadId,
    hitRef: report.fields.hitRef,
    state: report.state === 'queued' && report.running ? 'sending' : report.state,
    attempts: report.attempts,
    lastErrorCode: report.lastErrorCode,
    lastError: report.lastError,
    hitId: report.hit?.hitId ?? null,
    createdAt: report.createdAt,
    recordedAt: report.recordedAt,
  };
}

/**
 * Queues the report of a hit confirmed on a lead of one of our submissions; synchronous, for the caller's own
 * transaction. One report per job and lead: a second call returns the first. Needs no credentials: the report is
 * signed when it is sent.
 */
export function enqueueHitReport(
  stores: { jobs: OutboxRepo; reports: HitReportsRepo },
  input: HitReportInput,
  now: number,
): HitReportJob {
  const existing = stores.reports.hitReportFor(input.submissionJobId, input.leadId);
  if (existing) return existing;
  const job = stores.jobs.get(input.submissionJobId);
  const lead = job?.leads?.find((l) => l.leadId === input.leadId);
  if (!job || !lead || !job.submissionId)
    throw notFound('lead', `no network lead ${input.leadId} on outbox job ${input.submissionJobId}`, {
      id: input.leadId,
    });
  if (Number.isNaN(Date.parse(input.confirmedAt)))
    throw new AppError('invalid_input', `confirmedAt must be an ISO time, got ${input.confirmedAt}`);
  return stores.reports.insertHitReport({
    jobId: job.id,
    leadId: lead.leadId,
    fields: {
      idempotencyKey: randomUUID(),
      createdAt: new Date(now).toISOString(),
      submissionId: job.submissionId,
      leadId: lead.leadId,
      otherSubmissionId: lead.otherSubmissionId,
      conclusion: input.conclusion,
      confirmedAt: new Date(input.confirmedAt).toISOString(),
      hitRef: input.hitRef,
    },
    now,
  });
}

/** The hit the other lab reported on this lead's pair, if any. */
export function theirHitOn(job: OutboxJob, leadId: number, otherSubmissionId: string): NetworkHitView | null {
  return job.networkHits.find((h) => h.leadId === leadId || h.reportedSubmissionId === otherSubmissionId) ?? null;
}
