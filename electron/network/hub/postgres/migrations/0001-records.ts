import type { HubMigration } from '../migrate.ts';

// The hub's records as the embedded SQLite hub has them: submissions, leads (both directions), hit reports, each
// lab's feed, and request nonces (shared by every front end, so a request replayed to another one is refused too).
// JSON columns are `json`, not `jsonb`: they keep the text as written (key order, number spelling).
export const migration: HubMigration = {
  version: 1,
  name: 'records',
  async up(client) {
    await client.query(`
      CREATE TABLE submissions (
        id text PRIMARY KEY,
        idempotency_key text NOT NULL UNIQUE,
        lab_id text NOT NULL,
        station_id text NOT NULL,
        case_ref text NOT NULL,
        item_ref text NOT NULL,
        calibre text NOT NULL,
        manifest json NOT NULL,
        manifest_sha256 text NOT NULL,
        signature text NOT NULL,
        origin_certificate text NOT NULL,
        state text NOT NULL CHECK (state IN ('open','committed','correlated')),
        receipt json,
        receipt_signature text,
        created_at text NOT NULL,
        correlated_at text,
        correlation_notes json
      );
      CREATE INDEX submissions_calibre ON submissions (calibre, state);
      CREATE TABLE leads (
        id bigserial PRIMARY KEY,
        submission_id text NOT NULL REFERENCES submissions(id),
        other_submission_id text NOT NULL REFERENCES submissions(id),
        score double precision NOT NULL,
        scorer text NOT NULL,
        detail json,
        created_at text NOT NULL,
        UNIQUE (submission_id, other_submission_id)
      );
      CREATE TABLE hits (
        id text PRIMARY KEY,
        idempotency_key text NOT NULL UNIQUE,
        lab_id text NOT NULL,
        station_id text NOT NULL,
        submission_id text NOT NULL REFERENCES submissions(id),
        lead_id bigint NOT NULL REFERENCES leads(id),
        other_submission_id text NOT NULL REFERENCES submissions(id),
        report json NOT NULL,
        report_sha256 text NOT NULL,
        signature text NOT NULL,
        origin_certificate text NOT NULL,
        receipt json NOT NULL,
        receipt_signature text NOT NULL,
        recorded_at text NOT NULL
      );
      CREATE TABLE feed (
        seq bigserial PRIMARY KEY,
        lab_id text NOT NULL,
        submission_id text NOT NULL REFERENCES submissions(id),
        kind text NOT NULL CHECK (kind IN ('lead','hit')),
        lead_id bigint REFERENCES leads(id),
        hit_id text REFERENCES hits(id),
        created_at text NOT NULL
      );
      CREATE INDEX feed_lab ON feed (lab_id, seq);
      CREATE TABLE nonces (nonce text PRIMARY KEY, seen_at bigint NOT NULL);
      CREATE INDEX nonces_seen ON nonces (seen_at);
    `);
  },
};
