import type { Migration } from './migration.ts';

// Hit reports and the lab's network feed. A hit report is queued in the transaction that confirms a hit on a
// network lead (one per job and lead) and sent to the hub once, like a submission (its idempotency key made here,
// its signed request kept from the first attempt). A job gains the hits other labs reported on its casing
// (network_hits, a JSON array), and the station keeps its position in each hub's feed so every event applies once.
export const migration: Migration = {
  version: 90,
  name: 'outbox-hit-reports',
  up(db) {
    db.exec(`
      CREATE TABLE outbox_hit_reports (
        id INTEGER PRIMARY KEY,
        idempotency_key TEXT NOT NULL UNIQUE,
        job_id INTEGER NOT NULL REFERENCES outbox_jobs(id),
        lead_id INTEGER NOT NULL,
        fields TEXT NOT NULL CHECK (json_type(fields) = 'object'),
        request TEXT CHECK (request IS NULL OR json_type(request) = 'object'),
        state TEXT NOT NULL CHECK (state IN ('queued','recorded','rejected','dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        running INTEGER NOT NULL DEFAULT 0,
        last_error_code TEXT,
        last_error TEXT,
        hit TEXT CHECK (hit IS NULL OR json_type(hit) = 'object'),
        hub_certificate TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        recorded_at TEXT,
        UNIQUE (job_id, lead_id)
      );
      CREATE INDEX outbox_hit_reports_due ON outbox_hit_reports (state, next_attempt_at);
      ALTER TABLE outbox_jobs ADD COLUMN network_hits TEXT CHECK (network_hits IS NULL OR json_type(network_hits) = 'array');
      CREATE TABLE outbox_feed (
        hub TEXT PRIMARY KEY,
        position INTEGER NOT NULL CHECK (position >= 0),
        updated_at TEXT NOT NULL
      );
    `);
  },
};
