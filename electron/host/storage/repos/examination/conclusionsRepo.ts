// SQL of conclusions (write-once; an amendment is a new row naming the one it amends) and verifications.
import type { Db } from '../../database.ts';
import type {
  AfteConclusion,
  ConclusionRole,
  TechnicalRecord,
  VerificationState,
} from '../../../../contract/examination.ts';
import type { PersonRecord } from './annotationsRepo.ts';

export interface ConclusionRecord {
  id: number;
  comparisonId: number;
  role: ConclusionRole;
  verificationId: number | null;
  conclusion: AfteConclusion;
  basis: string;
  examiner: PersonRecord;
  recordedAt: string;
  snapshotIds: number[];
  annotations: { id: number; revision: number }[];
  record: TechnicalRecord;
  amends: number | null;
  reason: string | null;
  /** Not amended by any later record. */
  current: boolean;
}

export interface VerificationRecord {
  id: number;
  comparisonId: number;
  state: VerificationState;
  blind: boolean;
  requestedBy: 'policy' | 'request';
  requestReason: string | null;
  requesterId: number;
  verifier: PersonRecord | null;
  arbiter: PersonRecord | null;
  arbiterNote: string | null;
  createdAt: string;
  closedAt: string | null;
  version: number;
}

type Row = Record<string, unknown>;

const conclusionSelect = `SELECT k.*, u.username AS examiner_username, u.display_name AS examiner_display_name,
    NOT EXISTS (SELECT 1 FROM conclusions later WHERE later.amends = k.id) AS is_current
  FROM conclusions k JOIN users u ON u.id = k.examiner_id`;

function toConclusion(row: Row): ConclusionRecord {
  return {
    id: row.id as number,
    comparisonId: row.comparison_id as number,
    role: row.role as ConclusionRole,
    verificationId: row.verification_id as number | null,
    conclusion: row.conclusion as AfteConclusion,
    basis: row.basis as string,
    examiner: {
      userId: row.examiner_id as number,
      username: row.examiner_username as string,
      displayName: row.examiner_display_name as string,
    },
    recordedAt: row.recorded_at as string,
    snapshotIds: JSON.parse(row.snapshot_ids as string) as number[],
    annotations: JSON.parse(row.annotation_refs as string) as { id: number; revision: number }[],
    record: JSON.parse(row.record as string) as TechnicalRecord,
    amends: row.amends as number | null,
    reason: row.reason as string | null,
    current: row.is_current === 1,
  };
}

const verificationSelect = `SELECT v.*, vu.username AS verifier_username, vu.display_name AS verifier_display_name,
    au.username AS arbiter_username, au.display_name AS arbiter_display_name
  FROM verifications v LEFT JOIN users vu ON vu.id = v.verifier_id LEFT JOIN users au ON au.id = v.arbiter_id`;

function toVerification(row: Row): VerificationRecord {
  const who = (prefix: 'verifier' | 'arbiter'): PersonRecord | null =>
    row[`${prefix}_id`] === null
      ? null
      : {
          userId: row[`${prefix}_id`] as number,
          username: row[`${prefix}_username`] as string,
          displayName: row[`${prefix}_display_name`] as string,
        };
  return {
    id: row.id as number,
    comparisonId: row.comparison_id as number,
    state: row.state as VerificationState,
    blind: row.blind === 1,
    requestedBy: row.requested_by as 'policy' | 'request',
    requestReason: row.request_reason as string | null,
    requesterId: row.requester_id as number,
    verifier: who('verifier'),
    arbiter: who('arbiter'),
    arbiterNote: row.arbiter_note as string | null,
    createdAt: row.created_at as string,
    closedAt: row.closed_at as string | null,
    version: row.version as number,
  };
}

const liveStates = `('unassigned','assigned','disputed','arbitrating')`;

export class ConclusionsRepo {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  insert(c: {
    comparisonId: number;
    role: ConclusionRole;
    verificationId: number | null;
    conclusion: AfteConclusion;
    basis: string;
    examinerId: number;
    recordedAt: string;
    snapshotIds: number[];
    annotations: { id: number; revision: number }[];
    record: TechnicalRecord;
    amends?: number;
    reason?: string;
  }): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO conclusions (comparison_id, role, verification_id, conclusion, basis, examiner_id, recorded_at,
             snapshot_ids, annotation_refs, record, amends, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          c.comparisonId,
          c.role,
          c.verificationId,
          c.conclusion,
          c.basis,
          c.examinerId,
          c.recordedAt,
          JSON.stringify(c.snapshotIds),
          JSON.stringify(c.annotations),
          JSON.stringify(c.record),
          c.amends ?? null,
          c.reason ?? null,
        ).lastInsertRowid,
    );
  }

  get(id: number): ConclusionRecord | undefined {
    const row = this.db.prepare(`${conclusionSelect} WHERE k.id = ?`).get(id) as Row | undefined;
    return row && toConclusion(row);
  }

  /** Every conclusion record of a comparison, originals and amendments, in the order written. */
  ofComparison(comparisonId: number): ConclusionRecord[] {
    return (
      this.db.prepare(`${conclusionSelect} WHERE k.comparison_id = ? ORDER BY k.id`).all(comparisonId) as Row[]
    ).map(toConclusion);
  }

  /** The record in force for a role (and verification), or undefined. */
  current(comparisonId: number, role: ConclusionRole, verificationId?: number): ConclusionRecord | undefined {
    return this.ofComparison(comparisonId).find(
      (c) => c.current && c.role === role && (verificationId === undefined || c.verificationId === verificationId),
    );
  }

  /** The first record of the chain a record belongs to (its original). */
  original(id: number): ConclusionRecord | undefined {
    let record = this.get(id);
    while (record?.amends != null) record = this.get(record.amends);
    return record;
  }

  insertVerification(v: {
    comparisonId: number;
    blind: boolean;
    requestedBy: 'policy' | 'request';
    requestReason: string | null;
    requesterId: number;
    at: string;
  }): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO verifications (comparison_id, state, blind, requested_by, request_reason, requester_id, created_at)
           VALUES (?, 'unassigned', ?, ?, ?, ?, ?)`,
        )
        .run(v.comparisonId, v.blind ? 1 : 0, v.requestedBy, v.requestReason, v.requesterId, v.at).lastInsertRowid,
    );
  }

  verification(id: number): VerificationRecord | undefined {
    const row = this.db.prepare(`${verificationSelect} WHERE v.id = ?`).get(id) as Row | undefined;
    return row && toVerification(row);
  }

  /** The comparison's verification in progress, else its latest one. */
  verificationOf(comparisonId: number): VerificationRecord | undefined {
    const row = this.db
      .prepare(
        `${verificationSelect} WHERE v.comparison_id = ? ORDER BY (v.state IN ${liveStates}) DESC, v.id DESC LIMIT 1`,
      )
      .get(comparisonId) as Row | undefined;
    return row && toVerification(row);
  }

  verificationsOf(comparisonId: number): VerificationRecord[] {
    return (
      this.db.prepare(`${verificationSelect} WHERE v.comparison_id = ? ORDER BY v.id`).all(comparisonId) as Row[]
    ).map(toVerification);
  }

  /** Verifications in one of these states (worklists). */
  verificationsIn(states: VerificationState[]): VerificationRecord[] {
    return (
      this.db
        .prepare(`${verificationSelect} WHERE v.state IN (SELECT value FROM json_each(?)) ORDER BY v.id`)
        .all(JSON.stringify(states)) as Row[]
    ).map(toVerification);
  }

  /** Comparisons where this user is a blind verifier who has not recorded a conclusion yet. */
  blindFor(userId: number): number[] {
    return this.db
      .prepare("SELECT comparison_id FROM verifications WHERE verifier_id = ? AND blind = 1 AND state = 'assigned'")
      .pluck()
      .all(userId) as number[];
  }

  /** Moves a verification if it is still at `version`; false when someone changed it meanwhile. */
  updateVerification(
    id: number,
    version: number,
    change: {
      state: VerificationState;
      verifierId?: number;
      arbiterId?: number;
      arbiterNote?: string | null;
      closedAt?: string;
    },
  ): boolean {
    return (
      this.db
        .prepare(
          `UPDATE verifications SET state = @state, verifier_id = coalesce(@verifierId, verifier_id),
             arbiter_id = coalesce(@arbiterId, arbiter_id), arbiter_note = coalesce(@arbiterNote, arbiter_note),
             closed_at = coalesce(@closedAt, closed_at), version = version + 1
           WHERE id = @id AND version = @version`,
        )
        .run({
          id,
          version,
          state: change.state,
          verifierId: change.verifierId ?? null,
          arbiterId: change.arbiterId ?? null,
          arbiterNote: change.arbiterNote ?? null,
          closedAt: change.closedAt ?? null,
        }).changes === 1
    );
  }
}
