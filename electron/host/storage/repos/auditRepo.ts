import { createHash } from 'node:crypto';
import type { Db } from '../database.ts';
import { canonicalJson } from '../../../base/canonicalJson.ts';
import { SqlClauses } from './sqlClauses.ts';
import type { AuditEntry, AuditVerifyResult } from '../../../contract/audit.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface Actor {
  userId: number | null;
  username: string | null;
}

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  caseId?: number | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
}

export interface AuditRow {
  seq: number;
  at: string;
  user_id: number | null;
  username: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  case_id: number | null;
  before_json: string | null;
  after_json: string | null;
  reason: string | null;
  prev_hash: string;
  hash: string;
}

/** The hashed content of an entry: everything but the hashes themselves. */
export function entryHash(prevHash: string, row: Omit<AuditRow, 'hash' | 'prev_hash'>): string {
  const content = canonicalJson({
    seq: row.seq,
    at: row.at,
    userId: row.user_id,
    username: row.username,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    caseId: row.case_id,
    before: row.before_json,
    after: row.after_json,
    reason: row.reason,
  });
  return createHash('sha256').update(prevHash).update(content).digest('hex');
}

export interface AuditFilter {
  caseId?: number;
  username?: string;
  action?: string;
  from?: string;
  to?: string;
  beforeSeq?: number;
  limit: number;
}

export class AuditRepo {
  private readonly db: Db;
  private readonly lastStmt;
  private readonly insertStmt;

  constructor(db: Db) {
    this.db = db;
    this.lastStmt = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.insertStmt = db.prepare(`INSERT INTO audit_log
      (seq, at, user_id, username, action, entity_type, entity_id, case_id, before_json, after_json, reason, prev_hash, hash)
      VALUES (@seq, @at, @user_id, @username, @action, @entity_type, @entity_id, @case_id, @before_json, @after_json, @reason, @prev_hash, @hash)`);
  }

  /** Appends one entry. Call inside the transaction that makes the change it records. */
  append(actor: Actor, record: AuditRecord, at = new Date().toISOString()): number {
    if (!this.db.inTransaction)
      throw new Error('audit entries are written inside the transaction of the change they record');
    const last = this.lastStmt.get() as { seq: number; hash: string } | undefined;
    const row = {
      seq: (last?.seq ?? 0) + 1,
      at,
      user_id: actor.userId,
      username: actor.username,
      action: record.action,
      entity_type: record.entityType,
      entity_id: record.entityId == null ? null : String(record.entityId),
      case_id: record.caseId ?? null,
      before_json: record.before ? canonicalJson(record.before) : null,
      after_json: record.after ? canonicalJson(record.after) : null,
      reason: record.reason ?? null,
    };
    const prev_hash = last?.hash ?? GENESIS_HASH;
    this.insertStmt.run({ ...row, prev_hash, hash: entryHash(prev_hash, row) });
    return row.seq;
  }

  list(filter: AuditFilter): { entries: AuditEntry[]; hasMore: boolean } {
    const q = new SqlClauses()
      .when(filter.caseId, 'case_id = @caseId', { caseId: filter.caseId })
      .when(filter.username, 'username = @username', { username: filter.username })
      .when(filter.action, 'action = @action', { action: filter.action })
      .when(filter.from, 'at >= @from', { from: filter.from })
      .when(filter.to, 'at <= @to', { to: filter.to })
      .when(filter.beforeSeq, 'seq < @beforeSeq', { beforeSeq: filter.beforeSeq });
    const sql = `SELECT * FROM audit_log ${q.where()} ORDER BY seq DESC LIMIT @limit`;
    const params = { ...q.params, limit: filter.limit + 1 };
    const rows = this.db.prepare(sql).all(params) as AuditRow[];
    const hasMore = rows.length > filter.limit;
    return { entries: rows.slice(0, filter.limit).map(toEntry), hasMore };
  }

  actions(): string[] {
    return this.db.prepare('SELECT DISTINCT action FROM audit_log ORDER BY action').pluck().all() as string[];
  }

  count(): number {
    return this.db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number;
  }

  /** Re-computes the chain from the first entry; names the first entry whose content, link or sequence is wrong. */
  verify(): AuditVerifyResult {
    const started = performance.now();
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    for (const row of this.db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
      const broken = (reason: string) => ({
        ok: false,
        checked,
        firstBroken: { seq: row.seq, reason },
        tookMs: performance.now() - started,
      });
      if (row.seq !== expectedSeq) return broken(`entry ${expectedSeq} is missing (found ${row.seq} next)`);
      if (row.prev_hash !== prevHash) return broken('its link to the previous entry does not match');
      if (entryHash(prevHash, row) !== row.hash) return broken('its content does not match its hash (altered)');
      prevHash = row.hash;
      expectedSeq++;
      checked++;
    }
    // SQLite remembers the highest sequence number ever written: entries cut off the end show up here.
    const highest =
      (this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").pluck().get() as
        number | undefined) ?? 0;
    if (highest > checked) {
      return {
        ok: false,
        checked,
        firstBroken: { seq: checked + 1, reason: `entries ${checked + 1}–${highest} were removed from the end` },
        tookMs: performance.now() - started,
      };
    }
    return { ok: true, checked, firstBroken: null, tookMs: performance.now() - started };
  }
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    userId: row.user_id,
    username: row.username,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    caseId: row.case_id,
    before: row.before_json ? (JSON.parse(row.before_json) as Record<string, unknown>) : null,
    after: row.after_json ? (JSON.parse(row.after_json) as Record<string, unknown>) : null,
    reason: row.reason,
    hash: row.hash,
  };
}
