import type { Migration } from './migration.ts';

// The network outbox: one row per submission to the exchange network, inserted in the same transaction as the
// acquisition it sends. States: queued → uploading → committed → correlated, or rejected / dead (kept, with the
// reason, retryable by hand) or canceled. `running` marks a job a worker holds; it is cleared at start-up.
export const migration: Migration = {
  version: 50,
  name: 'outbox',
  up(db) {
    db.exec(`
      CREATE TABLE outbox_jobs (
        id INTEGER PRIMARY KEY,
        idempotency_key TEXT NOT NULL UNIQUE,
        case_ref TEXT NOT NULL,
        item_ref TEXT NOT NULL,
        case_id INTEGER,
        item_id INTEGER,
        state TEXT NOT NULL CHECK (state IN ('queued','uploading','committed','correlated','rejected','dead','canceled')),
        manifest TEXT NOT NULL,
        signature TEXT NOT NULL,
        origin_certificate TEXT NOT NULL,
        artifact_paths TEXT NOT NULL,
        bytes_total INTEGER NOT NULL,
        bytes_sent INTEGER NOT NULL DEFAULT 0,
        submission_id TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        running INTEGER NOT NULL DEFAULT 0,
        last_error_code TEXT,
        last_error TEXT,
        receipt TEXT,
        receipt_signature TEXT,
        hub_certificate TEXT,
        leads TEXT,
        source TEXT NOT NULL DEFAULT 'local',
        exported_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        committed_at TEXT
      );
      CREATE INDEX outbox_jobs_due ON outbox_jobs (state, next_attempt_at);
      CREATE INDEX outbox_jobs_case ON outbox_jobs (case_ref, id);
    `);
  },
};
