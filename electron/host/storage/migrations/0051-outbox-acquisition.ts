import type { Migration } from './migration.ts';

// An outbox job knows the acquisition it sends, so that marking an acquisition for submission twice queues it
// once: at most one job per acquisition that is not canceled (a canceled one may be submitted again).
export const migration: Migration = {
  version: 51,
  name: 'outbox-acquisition',
  up(db) {
    db.exec(`
      ALTER TABLE outbox_jobs ADD COLUMN acquisition_id INTEGER REFERENCES acquisitions(id);
      CREATE UNIQUE INDEX outbox_jobs_acquisition ON outbox_jobs (acquisition_id) WHERE acquisition_id IS NOT NULL AND state <> 'canceled';
    `);
  },
};
