// The hub's storage, behind two interfaces so a national deployment can swap them: records (submissions, nonces,
// leads) in SQLite here (PostgreSQL there), artifacts in a content-addressed folder here (an S3-compatible object
// store with object lock there). See docs/network-protocol.md, "Storage behind the hub".
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { manifestRegion, type Lead, type Manifest, type Receipt } from '../protocol.ts';
import { startFileHasher } from './fileHasher.ts';
import { startThread } from '../../base/threadCall.ts';
import { workerUrl } from '../../base/workerUrl.ts';

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

/** The records as the SQLite store offers them: synchronous, to be run on a thread of their own (records.worker.ts). */
export interface HubRecordsStore {
  findByIdempotencyKey(key: string): SubmissionRecord | undefined;
  get(id: string): SubmissionRecord | undefined;
  /** Inserts unless the idempotency key exists; returns the stored record either way. */
  insert(
    record: Omit<SubmissionRecord, 'state' | 'receipt' | 'receiptSignature'>,
    originCertificate: string,
  ): SubmissionRecord;
  /** Commits an open submission; `committedNow` is false when it was already committed (by another request). */
  commit(id: string, receipt: Receipt, receiptSignature: string): { record: SubmissionRecord; committedNow: boolean };
  /** Stores the leads for a submission (both directions) and marks it correlated, in one transaction. */
  saveCorrelation(id: string, leads: NewLead[], notes: string[], at: string): void;
  leadsFor(id: string): Lead[];
  correlationNotes(id: string): string[];
  /** Committed submissions of the same calibre from other labs (candidates for correlation). */
  candidates(calibre: string, exceptLabId: string): SubmissionRecord[];
  committedUncorrelated(): SubmissionRecord[];
  countByIdempotencyKey(): { total: number; distinct: number };
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
 * The records as the hub uses them: every call asynchronous, so the store can live on another thread (here: SQLite,
 * whose fsyncs would otherwise stop the event loop that takes bytes off the connections) or another server
 * (PostgreSQL in a national deployment).
 */
export type HubRecords = Promised<HubRecordsStore> & Pick<Promised<NonceStore>, 'useNonce'>;

const recordMethods = [
  'findByIdempotencyKey',
  'get',
  'insert',
  'commit',
  'saveCorrelation',
  'leadsFor',
  'correlationNotes',
  'candidates',
  'committedUncorrelated',
  'countByIdempotencyKey',
] as const satisfies readonly Exclude<keyof HubRecordsStore, 'close'>[];

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
`;

const nonceSchema = `
CREATE TABLE IF NOT EXISTS nonces (nonce TEXT PRIMARY KEY, seen_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS nonces_seen ON nonces (seen_at);
`;

interface SubmissionRow {
  id: string;
  idempotency_key: string;
  lab_id: string;
  station_id: string;
  case_ref: string;
  item_ref: string;
  calibre: string;
  manifest: string;
  manifest_sha256: string;
  signature: string;
  state: SubmissionRecord['state'];
  receipt: string | null;
  receipt_signature: string | null;
  created_at: string;
}

function toRecord(row: SubmissionRow): SubmissionRecord {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    labId: row.lab_id,
    stationId: row.station_id,
    caseRef: row.case_ref,
    itemRef: row.item_ref,
    calibre: row.calibre,
    manifest: JSON.parse(row.manifest) as Manifest,
    manifestSha256: row.manifest_sha256,
    signature: row.signature,
    state: row.state,
    receipt: row.receipt ? (JSON.parse(row.receipt) as Receipt) : null,
    receiptSignature: row.receipt_signature,
    createdAt: row.created_at,
  };
}

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
  const markCorrelated = db.prepare(
    `UPDATE submissions SET state = 'correlated', correlated_at = ?, correlation_notes = ? WHERE id = ?`,
  );
  const notesOf = db.prepare<[string], { correlation_notes: string | null }>(
    'SELECT correlation_notes FROM submissions WHERE id = ?',
  );
  const leadsFor = db.prepare<
    [string],
    {
      id: number;
      score: number;
      scorer: string;
      detail: string | null;
      created_at: string;
      other_submission_id: string;
      calibre: string;
      lab_id: string;
      case_ref: string;
      item_ref: string;
      manifest: string;
    }
  >(
    `SELECT l.id, l.score, l.scorer, l.detail, l.created_at, l.other_submission_id, s.calibre, s.lab_id, s.case_ref, s.item_ref, s.manifest
     FROM leads l JOIN submissions s ON s.id = l.other_submission_id WHERE l.submission_id = ? ORDER BY l.score DESC, l.id`,
  );
  const candidates = db.prepare<[string, string], SubmissionRow>(
    `SELECT * FROM submissions WHERE calibre = ? AND lab_id <> ? AND state <> 'open'`,
  );
  const uncorrelated = db.prepare<[], SubmissionRow>(
    `SELECT * FROM submissions WHERE state = 'committed' ORDER BY created_at`,
  );

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
    saveCorrelation: db.transaction((id: string, leads: NewLead[], notes: string[], at: string) => {
      for (const lead of leads) {
        insertLead.run(
          id,
          lead.otherSubmissionId,
          lead.score,
          lead.scorer,
          lead.detail ? JSON.stringify(lead.detail) : null,
          at,
        );
        // The other casing's lead seen from its side: the same pair, with the two directions of the count swapped.
        const reverse = lead.detail && { ...lead.detail, cmcAb: lead.detail.cmcBa, cmcBa: lead.detail.cmcAb };
        insertLead.run(
          lead.otherSubmissionId,
          id,
          lead.score,
          lead.scorer,
          reverse ? JSON.stringify(reverse) : null,
          at,
        );
      }
      markCorrelated.run(at, notes.length > 0 ? JSON.stringify(notes) : null, id);
    }),
    leadsFor: (id) =>
      leadsFor.all(id).map((r) => {
        const manifest = JSON.parse(r.manifest) as Manifest;
        return {
          leadId: r.id,
          score: r.score,
          scorer: r.scorer,
          calibre: r.calibre,
          region: manifestRegion(manifest),
          otherLabId: r.lab_id,
          otherCaseRef: r.case_ref,
          otherItemRef: r.item_ref,
          otherSubmissionId: r.other_submission_id,
          createdAt: r.created_at,
          ...(r.detail ? { detail: JSON.parse(r.detail) as NonNullable<Lead['detail']> } : {}),
          otherArtifacts: manifest.artifacts,
        };
      }),
    correlationNotes: (id) => {
      const notes = notesOf.get(id)?.correlation_notes;
      return notes ? (JSON.parse(notes) as string[]) : [];
    },
    candidates: (calibre, exceptLabId) => candidates.all(calibre, exceptLabId).map(toRecord),
    committedUncorrelated: () => uncorrelated.all().map(toRecord),
    countByIdempotencyKey: () =>
      db
        .prepare<[], { total: number; distinct: number }>(
          'SELECT count(*) AS total, count(DISTINCT idempotency_key) AS "distinct" FROM submissions',
        )
        .get()!,
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

/** Artifacts as files named by their SHA-256 (written once: temp file, fsync, rename); uploads in progress under partial/. */
export function openFolderArtifacts(dir: string): ArtifactStore {
  const partialDir = join(dir, 'partial');
  mkdirSync(partialDir, { recursive: true });
  const finalPath = (sha: string) => join(dir, sha.slice(0, 2), sha);
  const partialPath = (uploadId: string) => join(partialDir, uploadId);
  // Each complete upload is hashed from its file, in a thread of its own (see fileHasher.ts).
  const hasher = startFileHasher();
  // Artifacts renamed into place whose folder is not yet fsynced: not stored yet (a power cut could still lose the
  // name), so no create answer or commit may count them. One whose folder fsync failed stays here until it is
  // uploaded and stored again.
  const unsynced = new Set<string>();
  return {
    has: (sha) => !unsynced.has(sha) && existsSync(finalPath(sha)),
    partialSize: (uploadId) => (existsSync(partialPath(uploadId)) ? statSync(partialPath(uploadId)).size : 0),
    appendPartial: async (uploadId, offset, source) => {
      // No fsync per chunk: the upload is resumable anyway (a crash loses at most its tail, and the station asks
      // the hub's offset again), and finalize fsyncs the whole file once before it counts as stored.
      const file = await open(partialPath(uploadId), existsSync(partialPath(uploadId)) ? 'r+' : 'w');
      let position = offset;
      try {
        // Pieces are gathered to about 1 MiB per write; one write is in flight while the next batch arrives.
        let batch: Uint8Array[] = [];
        let batchBytes = 0;
        let writing: Promise<unknown> = Promise.resolve();
        const flush = async () => {
          await writing;
          const buffers = batch;
          const at = position;
          writing = file.writev(buffers, at);
          writing.catch(() => {});
          position += batchBytes;
          batch = [];
          batchBytes = 0;
        };
        try {
          for await (const piece of source) {
            batch.push(piece);
            batchBytes += piece.byteLength;
            if (batchBytes >= 1024 * 1024) await flush();
          }
        } finally {
          // What arrived before a failure is written too: the upload resumes after it.
          if (batchBytes > 0) await flush();
          await writing;
        }
      } finally {
        await file.close();
      }
      return position;
    },
    finalize: async (uploadId, sha, size) => {
      const path = partialPath(uploadId);
      const onDisk = await hasher.hash(path);
      if (onDisk.sha256 !== sha || onDisk.size !== size) {
        rmSync(path, { force: true });
        return false;
      }
      // The one fsync of the artifact, in the thread pool: the event loop goes on serving other uploads meanwhile.
      const file = await open(path, 'r+');
      try {
        await file.sync();
      } finally {
        await file.close();
      }
      const folder = join(dir, sha.slice(0, 2));
      await mkdir(folder, { recursive: true });
      unsynced.add(sha);
      await rename(path, finalPath(sha));
      // The rename is durable only once its folder is: without this a power cut after the receipt could lose the
      // file while the hub's record says it is stored.
      const handle = await open(folder, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      unsynced.delete(sha);
      return true;
    },
    read: (sha) => readFileSync(finalPath(sha)),
    localPath: (sha) => (existsSync(finalPath(sha)) ? finalPath(sha) : undefined),
    close: () => hasher.close(),
  };
}
