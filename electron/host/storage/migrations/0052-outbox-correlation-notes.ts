import type { Migration } from './migration.ts';

// What the hub says about a correlation besides its leads (the submission has no topography, candidates it could
// not compare): a JSON array of strings, NULL when there is none. Without it "0 leads" could mean "no match in the
// network" as well as "the hub could not compare", and a technician could not tell which.
export const migration: Migration = {
  version: 52,
  name: 'outbox-correlation-notes',
  up(db) {
    db.exec(
      `ALTER TABLE outbox_jobs ADD COLUMN correlation_notes TEXT CHECK (correlation_notes IS NULL OR json_type(correlation_notes) = 'array');`,
    );
  },
};
