// The queries behind `audit verify` and `evidence verify` that look across tables: the database's triggers,
// the audit entries of one kind of record, the rows that must each have been made by an audited action, and
// the references to evidence files whose record is gone.
import type { Db } from '../database.ts';

export interface TriggerRow {
  name: string;
  table: string;
  sql: string;
}

export interface AuditedChange {
  seq: number;
  /** Who made the change (null: the station itself). */
  username: string | null;
  action: string;
  entityId: string | null;
  /** The case the entry concerns, when there is one. */
  caseId: number | null;
  reason: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface ConclusionRow {
  id: number;
  comparisonId: number;
  role: string;
  conclusion: string;
  basis: string;
  /** The username of the examiner the record names. */
  examiner: string | null;
  snapshotIds: unknown;
  annotations: unknown;
  amends: number | null;
  reason: string | null;
  /** The technical record as stored (parsed JSON). */
  record: unknown;
}

export interface SnapshotRow {
  id: number;
  comparisonId: number;
  sha256: string;
  width: number;
  height: number;
  caption: string;
  role: string;
}

/** `shape` as stored (JSON text); `withdrawn` 0 or 1. */
export interface AnnotationRow {
  id: number;
  comparisonId: number;
  side: string;
  acquisitionId: number;
  frame: string;
  role: string;
  layer: string;
  shape: string;
  note: string;
  withdrawn: number;
  revision: number;
}

export interface AnnotationRevisionRow {
  annotationId: number;
  revision: number;
  layer: string;
  shape: string;
  note: string;
  withdrawn: number;
}

export interface VerificationRow {
  id: number;
  comparisonId: number;
  state: string;
  blind: number;
  requestedBy: string;
  verifier: string | null;
  arbiter: string | null;
}

/** `networkRefs` as stored (JSON text or NULL). */
export interface HitRow {
  id: number;
  comparisonId: number;
  conclusionId: number;
  caseA: number;
  caseB: number | null;
  networkJobId: number | null;
  networkLeadId: number | null;
  networkRefs: string | null;
  reportJobId: number | null;
}

/** `deviceSerials` and `results` as stored (JSON text). */
export interface CalibrationRow {
  id: number;
  kind: string;
  rigProfile: string;
  deviceSerials: string;
  expiresAt: string;
  results: string;
  reportSha256: string | null;
  reference: string | null;
}

export class IntegrityRepo {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  triggers(): TriggerRow[] {
    return this.db
      .prepare('SELECT name, tbl_name AS "table", sql FROM sqlite_master WHERE type = \'trigger\' ORDER BY name')
      .all() as TriggerRow[];
  }

  /** Every audit entry about one kind of record, oldest first. */
  changesOf(entityType: string): AuditedChange[] {
    return (
      this.db
        .prepare(
          `SELECT seq, username, action, entity_id, case_id, reason, before_json, after_json FROM audit_log
            WHERE entity_type = ? ORDER BY seq`,
        )
        .all(entityType) as {
        seq: number;
        username: string | null;
        action: string;
        entity_id: string | null;
        case_id: number | null;
        reason: string | null;
        before_json: string | null;
        after_json: string | null;
      }[]
    ).map((r) => ({
      seq: r.seq,
      username: r.username,
      action: r.action,
      entityId: r.entity_id,
      caseId: r.case_id,
      reason: r.reason,
      before: parseObject(r.before_json),
      after: parseObject(r.after_json),
    }));
  }

  evidenceRows(): { sha256: string; size: number; mediaType: string }[] {
    return this.db
      .prepare('SELECT sha256, size, media_type AS mediaType FROM evidence_files ORDER BY sha256')
      .all() as { sha256: string; size: number; mediaType: string }[];
  }

  acquisitionRows(): { id: number; itemId: number; region: string; source: string }[] {
    return this.db.prepare('SELECT id, item_id AS itemId, region, source FROM acquisitions ORDER BY id').all() as {
      id: number;
      itemId: number;
      region: string;
      source: string;
    }[];
  }

  acquisitionFileRows(): { acquisitionId: number; role: string; sha256: string }[] {
    return this.db
      .prepare(
        'SELECT acquisition_id AS acquisitionId, role, sha256 FROM acquisition_files ORDER BY acquisition_id, role',
      )
      .all() as { acquisitionId: number; role: string; sha256: string }[];
  }

  /** Every conclusion record (originals and amendments), for databases that have examinations. */
  conclusionRows(): ConclusionRow[] {
    const exists = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'conclusions'").get();
    if (!exists) return [];
    const rows = this.db
      .prepare(
        `SELECT c.id, c.comparison_id AS comparisonId, c.role, c.conclusion, c.basis, u.username AS examiner,
                c.snapshot_ids AS snapshotIds, c.annotation_refs AS annotations, c.amends, c.reason, c.record
           FROM conclusions c LEFT JOIN users u ON u.id = c.examiner_id ORDER BY c.id`,
      )
      .all() as (Omit<ConclusionRow, 'snapshotIds' | 'annotations' | 'record'> & {
      snapshotIds: string;
      annotations: string;
      record: string;
    })[];
    return rows.map((r) => ({
      ...r,
      snapshotIds: parseJson(r.snapshotIds),
      annotations: parseJson(r.annotations),
      record: parseJson(r.record),
    }));
  }

  /** Rows of a table a later migration made: none in a database older than it. */
  private rowsOf<T>(table: string, sql: string): T[] {
    const exists = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
    return exists ? (this.db.prepare(sql).all() as T[]) : [];
  }

  snapshotRows(): SnapshotRow[] {
    return this.rowsOf(
      'snapshots',
      'SELECT id, comparison_id AS comparisonId, sha256, width, height, caption, role FROM snapshots ORDER BY id',
    );
  }

  /** Annotations as they stand, with the content of their current revision. */
  annotationRows(): AnnotationRow[] {
    return this.rowsOf(
      'annotations',
      `SELECT id, comparison_id AS comparisonId, side, acquisition_id AS acquisitionId, frame, role, layer, shape, note,
         withdrawn_at IS NOT NULL AS withdrawn, revision FROM annotations ORDER BY id`,
    );
  }

  annotationRevisionRows(): AnnotationRevisionRow[] {
    return this.rowsOf(
      'annotation_revisions',
      `SELECT annotation_id AS annotationId, revision, layer, shape, note, withdrawn FROM annotation_revisions
       ORDER BY annotation_id, revision`,
    );
  }

  verificationRows(): VerificationRow[] {
    return this.rowsOf(
      'verifications',
      `SELECT v.id, v.comparison_id AS comparisonId, v.state, v.blind, v.requested_by AS requestedBy,
         vu.username AS verifier, au.username AS arbiter
       FROM verifications v LEFT JOIN users vu ON vu.id = v.verifier_id LEFT JOIN users au ON au.id = v.arbiter_id
       ORDER BY v.id`,
    );
  }

  hitRows(): HitRow[] {
    return this.rowsOf(
      'hits',
      `SELECT id, comparison_id AS comparisonId, conclusion_id AS conclusionId, case_a AS caseA, case_b AS caseB,
         network_job_id AS networkJobId, network_lead_id AS networkLeadId, network_refs AS networkRefs,
         report_job_id AS reportJobId FROM hits ORDER BY id`,
    );
  }

  calibrationRows(): CalibrationRow[] {
    return this.rowsOf(
      'calibrations',
      `SELECT id, kind, rig_profile AS rigProfile, device_serials AS deviceSerials, expires_at AS expiresAt, results,
         report_sha256 AS reportSha256, reference FROM calibrations ORDER BY id`,
    );
  }

  /** Audit checkpoints carried in this station's network submissions (the hub keeps the signed originals). */
  outboxCheckpoints(): { jobId: number; checkpoint: unknown }[] {
    const exists = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox_jobs'").get();
    if (!exists) return [];
    return (
      this.db
        .prepare(
          "SELECT id, json_extract(manifest, '$.auditCheckpoint') AS cp FROM outbox_jobs WHERE json_extract(manifest, '$.auditCheckpoint') IS NOT NULL ORDER BY id",
        )
        .all() as { id: number; cp: string }[]
    ).map((r) => ({ jobId: r.id, checkpoint: parseObject(r.cp) }));
  }

  /**
   * Rows of any table whose evidence reference (a foreign key to evidence_files) points to no evidence record:
   * found through the schema itself, so tables added later are covered too.
   */
  danglingEvidenceReferences(): { sha256: string; referencedBy: string }[] {
    const found: { sha256: string; referencedBy: string }[] = [];
    for (const { table, col } of this.evidenceForeignKeys()) {
      const labels = (this.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]).filter(
        (c) => c === 'id' || c.endsWith('_id') || c === 'role',
      );
      const rows = this.db
        .prepare(
          `SELECT t."${col}" AS sha256${labels.map((c) => `, t."${c}" AS "${c}"`).join('')} FROM "${table}" t
           LEFT JOIN evidence_files e ON e.sha256 = t."${col}" WHERE t."${col}" IS NOT NULL AND e.sha256 IS NULL`,
        )
        .all() as Record<string, unknown>[];
      for (const row of rows)
        found.push({
          sha256: String(row.sha256),
          referencedBy: `${table}.${col} (${labels.map((c) => `${c} ${String(row[c])}`).join(', ')})`,
        });
    }
    return found;
  }

  /** Which of these evidence files some row of any table refers to (through a foreign key to evidence_files). */
  referencedEvidence(sha256s: string[]): Set<string> {
    const referenced = new Set<string>();
    const keys = this.evidenceForeignKeys();
    for (const sha256 of sha256s)
      if (
        keys.some(({ table, col }) =>
          this.db.prepare(`SELECT 1 FROM "${table}" WHERE "${col}" = ? LIMIT 1`).get(sha256),
        )
      )
        referenced.add(sha256);
    return referenced;
  }

  /** Every column of the schema that refers to an evidence file: tables added later are covered too. */
  private evidenceForeignKeys(): { table: string; col: string }[] {
    const tables = this.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    return tables.flatMap((table) =>
      (
        this.db.prepare('SELECT "table" AS target, "from" AS col FROM pragma_foreign_key_list(?)').all(table) as {
          target: string;
          col: string;
        }[]
      )
        .filter((k) => k.target === 'evidence_files')
        .map(({ col }) => ({ table, col })),
    );
  }
}

function parseObject(json: string | null): Record<string, unknown> | null {
  if (json === null) return null;
  try {
    const value = JSON.parse(json) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A JSON column's value; its text as it is when it does not parse (a tampered column is reported, not thrown). */
function parseJson(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}
