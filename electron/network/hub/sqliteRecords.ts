// The embedded hub's records: SQLite (WAL, synchronous=FULL) on a thread of its own (records.worker.ts), so a
// durable commit's fsync never stops the event loop that takes bytes off the connections. The nonces, written on
// every request, stay on the caller's thread in a file of their own (a thread round trip would cost more).
import Database from 'better-sqlite3';
import { startThread } from '../../base/threadCall.ts';
import { workerUrl } from '../../base/workerUrl.ts';
import type { CorrelationNote, FeedEvent } from '../protocol.ts';
import { notesFromStore, notesToStore } from './notes.ts';
import {
  forwardReplacesReverse,
  leadSelect,
  networkHitSelect,
  toHit,
  toLead,
  toNetworkHit,
  reverseLeadDetail,
  toRecord,
  type HitRow,
  type LeadRow,
  type NetworkHitRow,
  type SubmissionRow,
} from './recordRows.ts';
import { recordMethods, type HubRecords, type HubRecordsStore, type NewLead, type NonceStore } from './storage.ts';

const schema = `
CREATE TABLE IF NOT EXISTS submissions (
  id TEXT PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  lab_id TEXT NOT NULL,
  station_id TEXT NOT NULL,
  case_ref TEXT NOT NULL,
  item_ref TEXT NOT NULL,
  calibre TEXT NOT NULL,
  manifest TEXT NOT NULL,
  manifest_sha256 TEXT NOT NULL,
  signature TEXT NOT NULL,
  origin_certificate TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open','committed','correlated')),
  receipt TEXT,
  receipt_signature TEXT,
  created_at TEXT NOT NULL,
  correlated_at TEXT,
  correlation_notes TEXT
);
CREATE INDEX IF NOT EXISTS submissions_calibre ON submissions (calibre, state);
CREATE TABLE IF NOT EXISTS leads (
  id INTEGER PRIMARY KEY,
  submission_id TEXT NOT NULL REFERENCES submissions(id),
  other_submission_id TEXT NOT NULL REFERENCES submissions(id),
  score REAL NOT NULL,
  scorer TEXT NOT NULL,
  detail TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (submission_id, other_submission_id)
);
CREATE TABLE IF NOT EXISTS hits (
  id TEXT PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  lab_id TEXT NOT NULL,
  station_id TEXT NOT NULL,
  submission_id TEXT NOT NULL REFERENCES submissions(id),
  lead_id INTEGER NOT NULL REFERENCES leads(id),
  other_submission_id TEXT NOT NULL REFERENCES submissions(id),
  report TEXT NOT NULL,
  report_sha256 TEXT NOT NULL,
  signature TEXT NOT NULL,
  origin_certificate TEXT NOT NULL,
  receipt TEXT NOT NULL,
  receipt_signature TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS feed (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  lab_id TEXT NOT NULL,
  submission_id TEXT NOT NULL REFERENCES submissions(id),
  kind TEXT NOT NULL CHECK (kind IN ('lead','hit')),
  lead_id INTEGER REFERENCES leads(id),
  hit_id TEXT REFERENCES hits(id),
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS feed_lab ON feed (lab_id, seq);
`;

const nonceSchema = `
CREATE TABLE IF NOT EXISTS nonces (nonce TEXT PRIMARY KEY, seen_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS nonces_seen ON nonces (seen_at);
`;

function openSqlite(path: string, synchronous: 'FULL' | 'NORMAL'): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

export function openSqliteRecords(path: string): HubRecordsStore {
  const db = openSqlite(path, 'FULL');
  db.exec(schema);
  // Hub folders made before leads carried their CMC detail gain the two columns in place.
  const columns = (table: string) =>
    new Set(
      db
        .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
        .all()
        .map((c) => c.name),
    );
  if (!columns('leads').has('detail')) db.exec('ALTER TABLE leads ADD COLUMN detail TEXT');
  if (!columns('submissions').has('correlation_notes'))
    db.exec('ALTER TABLE submissions ADD COLUMN correlation_notes TEXT');
  // Coded notes beside the English ones (notes.ts notesToStore): older hubs read correlation_notes only.
  if (!columns('submissions').has('correlation_note_codes'))
    db.exec('ALTER TABLE submissions ADD COLUMN correlation_note_codes TEXT');
  const byKey = db.prepare<[string], SubmissionRow>('SELECT * FROM submissions WHERE idempotency_key = ?');
  const byId = db.prepare<[string], SubmissionRow>('SELECT * FROM submissions WHERE id = ?');
  const insert =
    db.prepare(`INSERT INTO submissions (id, idempotency_key, lab_id, station_id, case_ref, item_ref, calibre, manifest,
    manifest_sha256, signature, origin_certificate, state, created_at)
    VALUES (@id, @idempotencyKey, @labId, @stationId, @caseRef, @itemRef, @calibre, @manifest, @manifestSha256, @signature, @originCertificate, 'open', @createdAt)
    ON CONFLICT (idempotency_key) DO NOTHING`);
  const commit = db.prepare(
    `UPDATE submissions SET state = 'committed', receipt = ?, receipt_signature = ? WHERE id = ? AND state = 'open'`,
  );
  const insertLead = db.prepare(
    'INSERT OR IGNORE INTO leads (submission_id, other_submission_id, score, scorer, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  // A forward row replaces a reverse row of the same pair (recordRows.ts forwardReplacesReverse); its id (and feed
  // event) stay.
  const replaceReverseLead = db.prepare(
    `UPDATE leads SET score = @score, scorer = @scorer, detail = @detail
     WHERE submission_id = @from AND other_submission_id = @to AND ${forwardReplacesReverse('detail', '@detail', 'sqlite')}`,
  );
  const feedEvent = db.prepare(
    `INSERT INTO feed (lab_id, submission_id, kind, lead_id, hit_id, created_at)
     SELECT lab_id, id, ?, ?, ?, ? FROM submissions WHERE id = ?`,
  );
  const markCorrelated = db.prepare(
    `UPDATE submissions SET state = 'correlated', correlated_at = ?, correlation_notes = ?, correlation_note_codes = ?
     WHERE id = ?`,
  );
  const notesOf = db.prepare<[string], { correlation_notes: string | null; correlation_note_codes: string | null }>(
    'SELECT correlation_notes, correlation_note_codes FROM submissions WHERE id = ?',
  );
  // LIMIT -1: every lead (SQLite's "no limit").
  const leadsFor = db.prepare<[string, number], LeadRow>(
    `${leadSelect} WHERE l.submission_id = ? ORDER BY l.score DESC, l.id LIMIT ?`,
  );
  const leadCount = db.prepare<[string], number>('SELECT count(*) FROM leads WHERE submission_id = ?').pluck();
  const leadOf = db.prepare<[string, number], LeadRow>(`${leadSelect} WHERE l.submission_id = ? AND l.id = ?`);
  const leadById = db.prepare<[number], LeadRow>(`${leadSelect} WHERE l.id = ?`);
  const candidates = db.prepare<[string, string], SubmissionRow>(
    `SELECT * FROM submissions WHERE calibre = ? AND lab_id <> ? AND state <> 'open'`,
  );
  const uncorrelated = db.prepare<[], SubmissionRow>(
    `SELECT * FROM submissions WHERE state = 'committed' ORDER BY created_at`,
  );
  const insertHit = db.prepare(`INSERT INTO hits (id, idempotency_key, lab_id, station_id, submission_id, lead_id,
    other_submission_id, report, report_sha256, signature, origin_certificate, receipt, receipt_signature, recorded_at)
    VALUES (@id, @idempotencyKey, @labId, @stationId, @submissionId, @leadId, @otherSubmissionId, @report, @reportSha256,
    @signature, @originCertificate, @receipt, @receiptSignature, @recordedAt) ON CONFLICT (idempotency_key) DO NOTHING`);
  const hitByKey = db.prepare<[string], HitRow>('SELECT * FROM hits WHERE idempotency_key = ?');
  const networkHitById = db.prepare<[string], NetworkHitRow>(`${networkHitSelect} WHERE h.id = ?`);
  const feedRows = db.prepare<
    [string, number, number],
    { seq: number; kind: 'lead' | 'hit'; submission_id: string; lead_id: number | null; hit_id: string | null }
  >('SELECT seq, kind, submission_id, lead_id, hit_id FROM feed WHERE lab_id = ? AND seq > ? ORDER BY seq LIMIT ?');

  return {
    findByIdempotencyKey: (key) => {
      const row = byKey.get(key);
      return row && toRecord(row);
    },
    get: (id) => {
      const row = byId.get(id);
      return row && toRecord(row);
    },
    insert: (record, originCertificate) => {
      insert.run({ ...record, manifest: JSON.stringify(record.manifest), originCertificate });
      return toRecord(byKey.get(record.idempotencyKey)!);
    },
    commit: (id, receipt, receiptSignature) => {
      const committedNow = commit.run(JSON.stringify(receipt), receiptSignature, id).changes === 1;
      return { record: toRecord(byId.get(id)!), committedNow };
    },
    saveCorrelation: db.transaction((id: string, leads: NewLead[], notes: CorrelationNote[], at: string) => {
      const store = (from: string, to: string, lead: NewLead, detail: NewLead['detail']) => {
        const json = detail ? JSON.stringify(detail) : null;
        const inserted = insertLead.run(from, to, lead.score, lead.scorer, json, at);
        if (inserted.changes === 1) feedEvent.run('lead', Number(inserted.lastInsertRowid), null, at, from);
        else replaceReverseLead.run({ score: lead.score, scorer: lead.scorer, detail: json, from, to });
      };
      for (const lead of leads) {
        store(id, lead.otherSubmissionId, lead, lead.detail);
        // The other casing's lead seen from its side: the same pair, the count's directions swapped, and the figures
        // of this search labelled as the search that found it.
        store(lead.otherSubmissionId, id, lead, lead.detail && reverseLeadDetail(lead.detail));
      }
      const stored = notesToStore(notes);
      markCorrelated.run(at, stored.texts, stored.codes, id);
    }),
    leadsFor: (id, limit) => leadsFor.all(id, limit ?? -1).map(toLead),
    leadCount: (id) => leadCount.get(id)!,
    lead: (id, leadId) => {
      const row = leadOf.get(id, leadId);
      return row && toLead(row);
    },
    correlationNotes: (id) => {
      const row = notesOf.get(id);
      const parse = (json: string | null | undefined) => (json ? (JSON.parse(json) as unknown[]) : null);
      return notesFromStore(parse(row?.correlation_notes), parse(row?.correlation_note_codes));
    },
    candidates: (calibre, exceptLabId) => candidates.all(calibre, exceptLabId).map(toRecord),
    committedUncorrelated: () => uncorrelated.all().map(toRecord),
    countByIdempotencyKey: () =>
      db
        .prepare<[], { total: number; distinct: number }>(
          'SELECT count(*) AS total, count(DISTINCT idempotency_key) AS "distinct" FROM submissions',
        )
        .get()!,
    insertHit: db.transaction((record, originCertificate: string) => {
      const inserted = insertHit.run({
        ...record,
        report: JSON.stringify(record.report),
        receipt: JSON.stringify(record.receipt),
        originCertificate,
      });
      if (inserted.changes === 1) feedEvent.run('hit', null, record.id, record.recordedAt, record.otherSubmissionId);
      return toHit(hitByKey.get(record.idempotencyKey)!);
    }) as HubRecordsStore['insertHit'],
    findHitByIdempotencyKey: (key) => {
      const row = hitByKey.get(key);
      return row && toHit(row);
    },
    feed: (labId, after, limit) =>
      feedRows.all(labId, after, limit).map((row): FeedEvent =>
        row.kind === 'lead'
          ? { seq: row.seq, kind: 'lead', submissionId: row.submission_id, lead: toLead(leadById.get(row.lead_id!)!) }
          : {
              seq: row.seq,
              kind: 'hit',
              submissionId: row.submission_id,
              hit: toNetworkHit(networkHitById.get(row.hit_id!)!),
            },
      ),
    close: () => {
      db.close();
    },
  };
}

/**
 * Nonces of the records file at `path`, in a file of their own with synchronous=NORMAL: written on every request,
 * WAL keeps them across a crash of the hub process; only a power cut could forget the last few, inside the skew
 * window.
 */
export function openNonceStore(recordsPath: string): NonceStore {
  const db = openSqlite(recordsPath.replace(/(\.sqlite)?$/, '-nonces.sqlite'), 'NORMAL');
  db.exec(nonceSchema);
  const use = db.prepare('INSERT OR IGNORE INTO nonces (nonce, seen_at) VALUES (?, ?)');
  const forget = db.prepare('DELETE FROM nonces WHERE seen_at < ?');
  let sinceCleanup = 0;
  return {
    useNonce: (nonce, at, forgetBefore) => {
      if (++sinceCleanup >= 1000) {
        sinceCleanup = 0;
        forget.run(forgetBefore);
      }
      return use.run(nonce, at).changes === 1;
    },
    close: () => db.close(),
  };
}

/**
 * The SQLite records at `path`, served from a thread of their own; the nonces stay on the caller's thread: written
 * on every request without an fsync of their own, a thread round trip would cost more than the write.
 */
export function openRecordsThread(path: string): HubRecords {
  const nonces = openNonceStore(path);
  const thread = startThread(workerUrl('records.worker', import.meta.url), 'the hub records thread', { path });
  const records = Object.fromEntries(
    recordMethods.map((method) => [method, (...args: unknown[]) => thread.call(method, args)]),
  );
  return {
    ...records,
    useNonce: async (nonce: string, at: number, forgetBefore: number) => nonces.useNonce(nonce, at, forgetBefore),
    close: async () => {
      nonces.close();
      await thread.close('close');
    },
  } as HubRecords;
}
