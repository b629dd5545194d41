// Rows of the hub's records as both stores (SQLite, PostgreSQL) read them, turned into the protocol's shapes. Both
// stores use the same column names, so one mapping serves both.
import {
  manifestRegion,
  type HitReceipt,
  type HitReport,
  type Lead,
  type Manifest,
  type NetworkHit,
  type Receipt,
} from '../protocol.ts';
import type { HitRecord, SubmissionRecord } from './storage.ts';

/** JSON columns arrive as text from SQLite and already parsed from PostgreSQL (jsonb). */
export function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export interface SubmissionRow {
  id: string;
  idempotency_key: string;
  lab_id: string;
  station_id: string;
  case_ref: string;
  item_ref: string;
  calibre: string;
  manifest: string | Manifest;
  manifest_sha256: string;
  signature: string;
  state: SubmissionRecord['state'];
  receipt: string | Receipt | null;
  receipt_signature: string | null;
  created_at: string | Date;
}

const iso = (value: string | Date) => (value instanceof Date ? value.toISOString() : value);

export function toRecord(row: SubmissionRow): SubmissionRecord {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    labId: row.lab_id,
    stationId: row.station_id,
    caseRef: row.case_ref,
    itemRef: row.item_ref,
    calibre: row.calibre,
    manifest: json<Manifest>(row.manifest),
    manifestSha256: row.manifest_sha256,
    signature: row.signature,
    state: row.state,
    receipt: row.receipt ? json<Receipt>(row.receipt) : null,
    receiptSignature: row.receipt_signature,
    createdAt: iso(row.created_at),
  };
}

/** The SELECT that turns lead rows into leads (the other submission's lab, refs and manifest). */
export const leadSelect = `SELECT l.id, l.score, l.scorer, l.detail, l.created_at, l.other_submission_id, s.calibre, s.lab_id,
  s.case_ref, s.item_ref, s.manifest FROM leads l JOIN submissions s ON s.id = l.other_submission_id`;

/** The SELECT that turns hit rows into the receiving lab's view (the reporter's refs, the lead back to them). */
export const networkHitSelect = `SELECT h.id, h.other_submission_id, h.submission_id, h.report, h.recorded_at,
  s.lab_id AS reporter_lab_id, s.case_ref AS reporter_case_ref, s.item_ref AS reporter_item_ref,
  (SELECT r.id FROM leads r WHERE r.submission_id = h.other_submission_id AND r.other_submission_id = h.submission_id) AS reverse_lead_id
  FROM hits h JOIN submissions s ON s.id = h.submission_id`;

/** A lead row joined with the other submission's lab, refs and manifest. */
export interface LeadRow {
  id: number | string;
  score: number;
  scorer: string;
  detail: string | NonNullable<Lead['detail']> | null;
  created_at: string | Date;
  other_submission_id: string;
  calibre: string;
  lab_id: string;
  case_ref: string;
  item_ref: string;
  manifest: string | Manifest;
}

export function toLead(row: LeadRow): Lead {
  const manifest = json<Manifest>(row.manifest);
  return {
    leadId: Number(row.id),
    score: row.score,
    scorer: row.scorer,
    calibre: row.calibre,
    region: manifestRegion(manifest),
    otherLabId: row.lab_id,
    otherCaseRef: row.case_ref,
    otherItemRef: row.item_ref,
    otherSubmissionId: row.other_submission_id,
    createdAt: iso(row.created_at),
    ...(row.detail ? { detail: json<NonNullable<Lead['detail']>>(row.detail) } : {}),
    otherArtifacts: manifest.artifacts,
  };
}

export interface HitRow {
  id: string;
  idempotency_key: string;
  lab_id: string;
  station_id: string;
  submission_id: string;
  lead_id: number | string;
  other_submission_id: string;
  report: string | HitReport;
  report_sha256: string;
  signature: string;
  receipt: string | HitReceipt;
  receipt_signature: string;
  recorded_at: string | Date;
}

export function toHit(row: HitRow): HitRecord {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    labId: row.lab_id,
    stationId: row.station_id,
    submissionId: row.submission_id,
    leadId: Number(row.lead_id),
    otherSubmissionId: row.other_submission_id,
    report: json<HitReport>(row.report),
    reportSha256: row.report_sha256,
    signature: row.signature,
    receipt: json<HitReceipt>(row.receipt),
    receiptSignature: row.receipt_signature,
    recordedAt: iso(row.recorded_at),
  };
}

/** A hit as the receiving lab sees it: the hit joined with the reporter's submission and the receiver's lead back. */
export interface NetworkHitRow {
  id: string;
  other_submission_id: string;
  submission_id: string;
  report: string | HitReport;
  recorded_at: string | Date;
  reporter_lab_id: string;
  reporter_case_ref: string;
  reporter_item_ref: string;
  reverse_lead_id: number | string | null;
}

export function toNetworkHit(row: NetworkHitRow): NetworkHit {
  const report = json<HitReport>(row.report);
  return {
    hitId: row.id,
    submissionId: row.other_submission_id,
    ...(row.reverse_lead_id === null ? {} : { leadId: Number(row.reverse_lead_id) }),
    reportedByLabId: row.reporter_lab_id,
    reportedCaseRef: row.reporter_case_ref,
    reportedItemRef: row.reporter_item_ref,
    reportedSubmissionId: row.submission_id,
    conclusion: report.conclusion,
    confirmedAt: report.confirmedAt,
    recordedAt: iso(row.recorded_at),
  };
}

type LeadDetail = NonNullable<Lead['detail']>;

/**
 * A lead's detail as the OTHER casing's side stores it (each lead is stored both ways): the pair's own figures stay
 * (CMC counts, directions swapped; screening similarity, calibrated frequency, registration score, LR), while the
 * figures of the search that found the pair — how many it screened, registered and fully scored, its cut and miss
 * rate, the other casing's place in its order — move under `foundBy`: they describe the search of this lead's other
 * casing, never a search of the casing the lead is stored on. Both hubs (SQLite and PostgreSQL) store this.
 */
export function reverseLeadDetail(detail: LeadDetail): LeadDetail {
  const {
    cmcAb,
    cmcBa,
    screened,
    registered,
    fullyScored,
    cut,
    expectedMissRate,
    cutReference,
    missRateRange,
    missRateEstimable,
    signatureRank,
    foundBy: _ignored,
    ...pair
  } = detail;
  const search = Object.fromEntries(
    Object.entries({
      screened,
      registered,
      fullyScored,
      cut,
      expectedMissRate,
      cutReference,
      missRateRange,
      missRateEstimable,
      signatureRank,
    }).filter(([, v]) => v !== undefined),
  );
  return { ...pair, cmcAb: cmcBa, cmcBa: cmcAb, ...(Object.keys(search).length > 0 ? { foundBy: search } : {}) };
}

/**
 * The condition (SQL, both stores) under which a lead row being written replaces the stored row of the same pair: the
 * stored one is a reverse row (its search figures under foundBy: another casing's search found the pair) and the new
 * one is a forward row (this casing's own search, with its own figures). Two matching casings of two labs committed
 * close together are each in the other's population; the correlation that finishes second finds its pair already
 * stored by the first's reverse row, and would otherwise lose its own screened count, cut and rank. Never the other
 * way: a reverse row never replaces a forward one. `stored` and `incoming` are the two details as JSON expressions.
 */
export function forwardReplacesReverse(
  stored: string,
  incoming: string,
  dialect: 'postgres' | 'sqlite' = 'postgres',
): string {
  return dialect === 'postgres'
    ? `${stored} ? 'foundBy' AND ${incoming} IS NOT NULL AND NOT (${incoming} ? 'foundBy')`
    : `json_type(${stored}, '$.foundBy') IS NOT NULL AND ${incoming} IS NOT NULL AND json_type(${incoming}, '$.foundBy') IS NULL`;
}
