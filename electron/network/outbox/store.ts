// What the outbox keeps about its jobs, and the store it keeps them in. The outbox (worker, enqueue, bundles) owns
// this interface; the station implements it over its database (host/storage/repos/outbox.ts), so the outbox never
// sees the station's tables and another store (a test's, a networked one) can take its place. Every method is one
// atomic step, so a process killed at any point leaves each job in a state the worker can resume from.
import { outboxStates } from '../../contract/network.ts';
import type { Lead, Manifest, NetworkHit, Receipt, SignedResults } from '../protocol.ts';

export { outboxStates };
export type OutboxState = (typeof outboxStates)[number];

export interface ArtifactFile {
  sha256: string;
  size: number;
  /** Where the station keeps the bytes (the evidence store's file); never modified. */
  path: string;
}

/** The hub's signed results as the station keeps and relays them, with the hub certificate whose key signed them. */
export interface StoredResults extends SignedResults {
  certificate: string;
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
  /**
   * The hub's signed statement of the leads and notes (what a results bundle relays); `leads` may hold more, from
   * the feed, until the statement is fetched again. Null before correlation, and for jobs correlated before
   * stations kept it.
   */
  results: StoredResults | null;
  /** Hits other labs reported on this casing (from the hub's feed); empty when none. */
  networkHits: NetworkHit[];
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

export type JobFailure = { code: string; message: string };

export interface OutboxStore {
  /** Inserts a job; with `ignoreDuplicate` an existing idempotency key is left alone (bundle re-import) and null returned. */
  insert(job: NewOutboxJob, ignoreDuplicate?: boolean): OutboxJob | null;
  get(id: number): OutboxJob | undefined;
  getByKey(idempotencyKey: string): OutboxJob | undefined;
  /** Newest first. */
  list(filter?: { states?: OutboxState[]; limit?: number }): OutboxJob[];
  counts(): Record<OutboxState, number>;
  /**
   * Ids of the correlated jobs showing leads (from the feed) that their kept signed statement does not hold. Ids
   * only: a long-lived station has many correlated jobs, and their rows (manifests, certificates, leads) are read one
   * at a time when the worker asks the hub again.
   */
  correlatedWithUnsignedLeads(): number[];
  /** Runs `work` (calls of this store) as one atomic step: all of it is kept or none. */
  transaction<T>(work: () => T): T;

  /** A crashed worker held these; nobody holds them now. */
  releaseAll(): number;
  /**
   * Claims up to `limit` due jobs: sendable ones (queued/uploading, not exported, and no earlier unsent job of the
   * same case, so each case's submissions arrive in order) and committed ones whose leads are due for a poll.
   */
  claimDue(now: number, limit: number, includeSend?: boolean): OutboxJob[];
  /** The earliest time a job becomes due, for the worker's sleep. */
  nextDueAt(): number | undefined;
  pendingCount(includeCommitted: boolean): number;
  release(id: number): void;

  markUploading(id: number, submissionId: string, bytesSent: number, now: number): void;
  setProgress(id: number, bytesSent: number): void;
  /**
   * `results` non-null when the hub had already correlated the submission: the job is then correlated, with the
   * statement's leads and notes. Only results whose signature the caller checked against the receipt.
   */
  markCommitted(
    id: number,
    receipt: Receipt,
    receiptSignature: string,
    hubCertificate: string,
    results: StoredResults | null,
    now: number,
    pollAt: number,
  ): void;
  /** A committed job's (checked) results; on a correlated job, newer results take the place of the last. */
  markCorrelated(id: number, results: StoredResults, now: number): void;
  /** Puts a job back to wait; `countAttempt` is false when the hub was simply unreachable. */
  reschedule(id: number, nextAttemptAt: number, error: JobFailure | null, countAttempt: boolean, now: number): void;
  /** rejected (the hub refused: permanent) or dead (too many attempts). The job and its reason stay. */
  markFailed(id: number, state: 'rejected' | 'dead', error: JobFailure, now: number): void;
  /** A person's retry of a rejected or dead job: back in the queue with a fresh attempt count. */
  retry(id: number, now: number): boolean;
  /** Cancels a job that has not reached the hub's commit; committed work cannot be taken back. */
  cancel(id: number, now: number): boolean;
  markExported(ids: number[], now: number): void;
}
