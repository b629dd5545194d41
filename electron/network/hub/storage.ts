// The hub's storage, behind two interfaces so a deployment can swap them: records (submissions, leads, hit reports,
// the labs' feeds, nonces) in SQLite (sqliteRecords.ts, the embedded default) or PostgreSQL (postgres/, several hub
// processes and workers on one database); artifacts in a content-addressed folder (artifactFolder.ts; a shared
// volume when there are several machines). See docs/network-protocol.md, "Storage behind the hub".
import type { CorrelationNote, FeedEvent, HitReceipt, HitReport, Lead, Manifest, Receipt } from '../protocol.ts';

/** A lead as the correlation stores it (the reverse lead, for the other submission, is derived from it). */
export interface NewLead {
  otherSubmissionId: string;
  score: number;
  scorer: string;
  detail?: NonNullable<Lead['detail']>;
}

export interface SubmissionRecord {
  id: string;
  idempotencyKey: string;
  labId: string;
  stationId: string;
  caseRef: string;
  itemRef: string;
  calibre: string;
  manifest: Manifest;
  manifestSha256: string;
  signature: string;
  state: 'open' | 'committed' | 'correlated';
  receipt: Receipt | null;
  receiptSignature: string | null;
  createdAt: string;
}

/** A hit report as the hub keeps it, with the receipt it signed when it recorded it. */
export interface HitRecord {
  id: string;
  idempotencyKey: string;
  labId: string;
  stationId: string;
  submissionId: string;
  leadId: number;
  otherSubmissionId: string;
  report: HitReport;
  reportSha256: string;
  signature: string;
  receipt: HitReceipt;
  receiptSignature: string;
  recordedAt: string;
}

/** The records as the SQLite store offers them: synchronous, to be run on a thread of their own (records.worker.ts). */
export interface HubRecordsStore {
  findByIdempotencyKey(key: string): SubmissionRecord | undefined;
  get(id: string): SubmissionRecord | undefined;
  /** Inserts unless the idempotency key exists; returns the stored record either way. */
  insert(
    record: Omit<SubmissionRecord, 'state' | 'receipt' | 'receiptSignature'>,
    originCertificate: string,
  ): SubmissionRecord;
  /**
   * Commits an open submission; `committedNow` is false when it was already committed (by another request). A store
   * with a durable correlation queue enqueues the submission's correlation job in the same transaction.
   */
  commit(id: string, receipt: Receipt, receiptSignature: string): { record: SubmissionRecord; committedNow: boolean };
  /**
   * Stores the leads for a submission (both directions, each one a feed event for the lab it is for) and marks it
   * correlated, in one transaction.
   */
  saveCorrelation(id: string, leads: NewLead[], notes: CorrelationNote[], at: string): void;
  /** A submission's leads, best first (score, then lead id); at most `limit` of them when given. */
  leadsFor(id: string, limit?: number): Lead[];
  /** How many leads a submission has. */
  leadCount(id: string): number;
  /** One lead of a submission. */
  lead(id: string, leadId: number): Lead | undefined;
  /** Notes as stored: coded ones with their code and values, those of before codes as English text only. */
  correlationNotes(id: string): CorrelationNote[];
  /** Committed submissions of the same calibre from other labs (candidates for correlation). */
  candidates(calibre: string, exceptLabId: string): SubmissionRecord[];
  committedUncorrelated(): SubmissionRecord[];
  countByIdempotencyKey(): { total: number; distinct: number };
  /** Records a hit report unless its idempotency key exists (and then a feed event for the other lab); the stored one either way. */
  insertHit(record: HitRecord, originCertificate: string): HitRecord;
  findHitByIdempotencyKey(key: string): HitRecord | undefined;
  /** A lab's feed after `after` (its sequence number), oldest first, at most `limit` events. */
  feed(labId: string, after: number, limit: number): FeedEvent[];
  close(): void;
}

/** Request nonces, against replays. */
export interface NonceStore {
  /** Records a nonce; false when it was already seen (a replay). Forgets nonces older than `forgetBefore`. */
  useNonce(nonce: string, at: number, forgetBefore: number): boolean;
  close(): void;
}

type Promised<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/**
 * The records as the hub uses them: every call asynchronous, so the store can live on another thread (SQLite, whose
 * fsyncs would otherwise stop the event loop that takes bytes off the connections) or another server (PostgreSQL).
 */
export type HubRecords = Promised<HubRecordsStore> & Pick<Promised<NonceStore>, 'useNonce'>;

export const recordMethods = [
  'findByIdempotencyKey',
  'get',
  'insert',
  'commit',
  'saveCorrelation',
  'leadsFor',
  'leadCount',
  'lead',
  'correlationNotes',
  'candidates',
  'committedUncorrelated',
  'countByIdempotencyKey',
  'insertHit',
  'findHitByIdempotencyKey',
  'feed',
] as const satisfies readonly Exclude<keyof HubRecordsStore, 'close'>[];

export interface ArtifactStore {
  has(sha256: string): boolean;
  /** Bytes received so far for an upload in progress. */
  partialSize(uploadId: string): number;
  /**
   * Writes the bytes of `source` from `offset` of an upload in progress, as they arrive (a request body streams
   * straight to disk); resolves to the new size. If the source fails half-way, what arrived is
   * kept (the upload resumes from there) and the error is passed on. Asynchronous so that the disk work of one
   * upload does not stall the hub's event loop (and with it every other station's upload). The caller keeps calls
   * for one upload in sequence.
   */
  appendPartial(
    uploadId: string,
    offset: number,
    source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  ): Promise<number>;
  /** Checks hash and size of a complete upload and moves it into the store; false (and the partial is gone) on mismatch. */
  finalize(uploadId: string, sha256: string, size: number): Promise<boolean>;
  read(sha256: string): Buffer;
  /**
   * A local file with the artifact's bytes, for the analysis engine (which reads X3P files by path). The folder
   * store has one; an object store would download to a local cache first.
   */
  localPath(sha256: string): string | undefined;
  close(): Promise<void>;
}
