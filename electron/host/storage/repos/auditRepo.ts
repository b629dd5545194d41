import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterCommit, type Db } from '../database.ts';
import { canonicalJson } from '../../../base/canonicalJson.ts';
import { FileExistsError } from '../../../base/durableFile.ts';
import { AppError } from '../../../contract/errors.ts';
import { SqlClauses } from './sqlClauses.ts';
import type { AuditEntry, AuditFindingData } from '../../../contract/audit.ts';
import {
  appendCheckpoint,
  AuditKeyError,
  createAuditKey,
  ephemeralAuditKey,
  readAuditKey,
  readCheckpoints,
  type AuditCheckpoint,
  type AuditKey,
} from '../auditKey.ts';
import { finding, type ProblemList } from '../problemList.ts';

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
  mac?: string | null;
}

/** The hashed content of an entry: everything but the hashes themselves. */
export function entryHash(prevHash: string, row: Omit<AuditRow, 'hash' | 'prev_hash' | 'mac'>): string {
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

/** Where a station's audit key and checkpoints live, for the database at `dbPath`. */
export function auditFilesFor(dbPath: string, keyFile?: string): { keyFile: string; checkpointFile: string } {
  return {
    // A lab keeps the key away from the data folder (docs/security.md) by pointing this elsewhere.
    keyFile: keyFile ?? process.env.CASEBENCH_AUDIT_KEY_FILE ?? `${dbPath}.audit-key`,
    checkpointFile: `${dbPath}.checkpoints`,
  };
}

export interface AuditRepoOptions {
  /** The station audit key file (default: auditFilesFor). */
  keyFile?: string;
}

export class AuditRepo {
  private readonly db: Db;
  private readonly lastStmt;
  private readonly seqStmt;
  private insertStmt: ReturnType<Db['prepare']> | undefined;
  /** Undefined for an in-memory database (tests): nothing is written beside it. */
  readonly files: { keyFile: string; checkpointFile: string } | undefined;
  private key: AuditKey | undefined;
  /** Why the key is unusable: missing although the log was keyed, or damaged. (A log never keyed has none.) */
  private keyProblem: string | undefined;
  private lastCheckpointSeq = 0;
  /** The last failure to write the checkpoints file (reported by verify; a commit never fails for it). */
  checkpointError: string | undefined;

  constructor(db: Db, options: AuditRepoOptions = {}) {
    this.db = db;
    this.lastStmt = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.seqStmt = db.prepare('SELECT * FROM audit_log WHERE seq = ?');
    this.files = db.memory ? undefined : auditFilesFor(db.name, options.keyFile);
    this.loadKey();
  }

  private hasMacColumn(): boolean {
    return (this.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('audit_log') as string[]).includes(
      'mac',
    );
  }

  /**
   * Reads the station audit key, or makes one for a log that has never been keyed (a new station, or one from
   * before keyed audit: its entries so far become the key's legacy part). A log that was keyed but whose key is
   * gone is not re-keyed behind anyone's back: writing stops until the key is restored.
   */
  private loadKey(): void {
    if (!this.files) {
      this.key = ephemeralAuditKey(this.legacyState());
      return;
    }
    try {
      this.key = readAuditKey(this.files.keyFile);
    } catch (error) {
      if (!(error instanceof AuditKeyError)) throw error;
      this.keyProblem = error.message;
      return;
    }
    if (this.key) return;
    const keyed =
      this.hasMacColumn() &&
      this.db.prepare('SELECT 1 FROM audit_log WHERE mac IS NOT NULL LIMIT 1').get() !== undefined;
    if (keyed || existsSync(this.files.checkpointFile)) {
      this.keyProblem = `the station audit key ${this.files.keyFile} is missing although the audit trail was kept with one; restore it from the lab's copy`;
      return;
    }
    // Never keyed and only read here (a verification): the hash chain is all there is to check.
    if (this.db.readonly || !this.hasMacColumn()) return;
    try {
      this.key = createAuditKey(this.files.keyFile, this.legacyState());
    } catch (error) {
      if (!(error instanceof FileExistsError)) throw error;
      this.key = readAuditKey(this.files.keyFile); // another process of this station made it first
    }
  }

  private legacyState(): AuditKey['legacy'] {
    const last = this.lastStmt.get() as { seq: number; hash: string } | undefined;
    return { count: last?.seq ?? 0, lastHash: last?.hash ?? GENESIS_HASH };
  }

  /** A MAC under the station audit key of something kept outside the log; null without a key. */
  seal(purpose: string, text: string): string | null {
    return this.key?.seal(purpose, text) ?? null;
  }

  /** The key the log is checked with, if this station has one. */
  get keyId(): string | null {
    return this.key?.keyId ?? null;
  }

  /** Appends one entry. Call inside the transaction that makes the change it records. */
  append(actor: Actor, record: AuditRecord, at = new Date().toISOString()): number {
    if (!this.db.inTransaction)
      throw new Error('audit entries are written inside the transaction of the change they record');
    if (!this.key)
      throw new AppError('integrity', `nothing can be recorded: ${this.keyProblem ?? 'this station has no audit key'}`);
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
    const hash = entryHash(prev_hash, row);
    this.insertStmt ??= this.db.prepare(`INSERT INTO audit_log
      (seq, at, user_id, username, action, entity_type, entity_id, case_id, before_json, after_json, reason, prev_hash, hash, mac)
      VALUES (@seq, @at, @user_id, @username, @action, @entity_type, @entity_id, @case_id, @before_json, @after_json, @reason, @prev_hash, @hash, @mac)`);
    this.insertStmt.run({ ...row, prev_hash, hash, mac: this.key.mac(row.seq, hash) });
    afterCommit(this.db, this.writeCheckpoint);
    return row.seq;
  }

  /** Appends the latest checkpoint to the checkpoints file, once the entries it vouches for are committed. */
  private readonly writeCheckpoint = (): void => {
    if (!this.files) return;
    try {
      const checkpoint = this.latestCheckpoint();
      if (!checkpoint || checkpoint.seq <= this.lastCheckpointSeq) return;
      appendCheckpoint(this.files.checkpointFile, checkpoint);
      this.lastCheckpointSeq = checkpoint.seq;
      this.checkpointError = undefined;
    } catch (error) {
      this.checkpointError = (error as Error).message;
    }
  };

  /**
   * The log's latest state as vouched for by the station key: for case packages and network submissions to
   * carry, so a copy outside the station can later show that entries were cut off. Copies the stored MAC
   * rather than making a new one, so a log edited behind the station's back never gets a valid checkpoint.
   * Undefined when the station has no key or its last entry has no valid MAC.
   */
  latestCheckpoint(at = new Date()): AuditCheckpoint | undefined {
    const key = this.key;
    if (!key) return undefined;
    const last = this.db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1').get() as AuditRow | undefined;
    if (!last) return undefined;
    let mac = last.mac ?? undefined;
    // A log still at its legacy state: the key file itself vouches for that state.
    if (!mac && last.seq === key.legacy.count && last.hash === key.legacy.lastHash) mac = key.mac(last.seq, last.hash);
    if (!mac || !key.vouches(last.seq, last.hash, mac)) return undefined;
    return { seq: last.seq, hash: last.hash, mac, keyId: key.keyId, at: at.toISOString() };
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

  /**
   * Re-computes the chain from the first entry and checks each entry's MAC under the station key. Names the first
   * entry whose content, link, sequence or MAC is wrong; every entry without a valid MAC is a problem.
   */
  verifyChain(problems: ProblemList): { checked: number; firstBroken: { seq: number; reason: string } | null } {
    const key = this.key;
    if (this.keyProblem)
      problems.add('key', null, this.files?.keyFile ?? null, this.keyProblem, finding('key_problem'));
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    let firstBroken: { seq: number; reason: string } | null = null;
    const broken = (seq: number, reason: string, found: AuditFindingData) => {
      firstBroken ??= { seq, reason };
      problems.add('chain', seq, null, reason, found);
    };
    for (const row of this.db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
      if (row.seq !== expectedSeq) {
        broken(
          row.seq,
          `entry ${expectedSeq} is missing (found ${row.seq} next)`,
          finding('entry_missing', null, { expected: expectedSeq }),
        );
        break;
      }
      if (row.prev_hash !== prevHash) {
        broken(row.seq, 'its link to the previous entry does not match', finding('link_broken'));
        break;
      }
      if (entryHash(prevHash, row) !== row.hash) {
        broken(row.seq, 'its content does not match its hash (altered)', finding('content_altered'));
        break;
      }
      if (key) {
        if (row.seq === key.legacy.count && row.hash !== key.legacy.lastHash)
          broken(
            row.seq,
            'it differs from the log as it was when the station audit key was made (altered)',
            finding('legacy_altered'),
          );
        if (row.seq > key.legacy.count && !(row.mac && key.vouches(row.seq, row.hash, row.mac))) {
          problems.add(
            'unauthenticated',
            row.seq,
            null,
            row.mac
              ? 'its MAC was not made with the station audit key (the entry or the chain was rewritten)'
              : 'it has no MAC of the station audit key (written around the station)',
            finding(row.mac ? 'mac_wrong' : 'mac_missing'),
          );
          firstBroken ??= { seq: row.seq, reason: 'not authenticated by the station audit key' };
        }
      }
      prevHash = row.hash;
      expectedSeq++;
      checked++;
    }
    if (firstBroken) return { checked, firstBroken };
    // SQLite remembers the highest sequence number ever written: entries cut off the end show up here.
    const highest =
      (this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").pluck().get() as
        number | undefined) ?? 0;
    if (highest > checked)
      broken(
        checked + 1,
        `entries ${checked + 1}–${highest} were removed from the end`,
        finding('entries_removed', null, { from: checked + 1, to: highest }),
      );
    if (key && checked < key.legacy.count)
      broken(
        checked + 1,
        `the log had ${key.legacy.count} entries when the station audit key was made; entries ${checked + 1}–${key.legacy.count} were removed`,
        finding('entries_removed', null, { from: checked + 1, to: key.legacy.count }),
      );
    return { checked, firstBroken };
  }

  /**
   * Checks one checkpoint held outside the log: made with this station's key, and the log still holds the entry
   * it vouches for, unchanged. Returns false (and adds the problem) when it does not hold.
   */
  checkCheckpoint(checkpoint: AuditCheckpoint, source: string, problems: ProblemList): boolean {
    const key = this.key;
    if (!key) return false;
    if (checkpoint.keyId !== key.keyId || !key.vouches(checkpoint.seq, checkpoint.hash, checkpoint.mac)) {
      problems.add(
        'checkpoint',
        checkpoint.seq,
        source,
        'the checkpoint was not made with the station audit key',
        finding('checkpoint_foreign'),
      );
      return false;
    }
    const row = this.seqStmt.get(checkpoint.seq) as AuditRow | undefined;
    if (!row) {
      problems.add(
        'checkpoint',
        checkpoint.seq,
        source,
        `a checkpoint of ${checkpoint.at} vouches for ${checkpoint.seq} entries; the log has only ${this.count()}: entries were removed`,
        finding('checkpoint_beyond_log', null, { count: this.count() }),
      );
      return false;
    }
    if (row.hash !== checkpoint.hash) {
      problems.add(
        'checkpoint',
        checkpoint.seq,
        source,
        `entry ${checkpoint.seq} differs from the checkpoint of ${checkpoint.at}: the log was rewritten`,
        finding('checkpoint_rewritten'),
      );
      return false;
    }
    return true;
  }

  /** Checks every line of the checkpoints file; returns the newest checkpoint that holds. */
  checkCheckpointFile(problems: ProblemList): AuditCheckpoint | undefined {
    if (!this.files) return undefined;
    if (this.checkpointError)
      problems.add(
        'checkpoint',
        null,
        'checkpoints file',
        `checkpoints could not be written: ${this.checkpointError}`,
        finding('checkpoint_unwritable'),
      );
    if (!this.key) return undefined;
    let latest: AuditCheckpoint | undefined;
    for (const { line, checkpoint } of readCheckpoints(this.files.checkpointFile)) {
      const source = `checkpoints file line ${line}`;
      if (!checkpoint) {
        problems.add('checkpoint', null, source, 'the line is not a checkpoint', finding('checkpoint_unreadable'));
        continue;
      }
      if (this.checkCheckpoint(checkpoint, source, problems) && checkpoint.seq > (latest?.seq ?? 0))
        latest = checkpoint;
    }
    return latest;
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
