import type { Migration } from './migration.ts';

// The hub's signed statement of a correlation (every lead and note, about one receipt) with the hub certificate
// that signed it: what a results bundle relays to an air-gapped station, which checks it before taking any lead.
// NULL until correlated; jobs correlated before this migration have none (their results cannot be relayed).
export const migration: Migration = {
  version: 61,
  name: 'outbox-signed-results',
  up(db) {
    db.exec(
      `ALTER TABLE outbox_jobs ADD COLUMN signed_results TEXT CHECK (signed_results IS NULL OR json_type(signed_results) = 'object');`,
    );
  },
};
