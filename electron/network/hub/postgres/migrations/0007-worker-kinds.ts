import type { HubMigration } from '../migrate.ts';

// Workers say which kinds of job they run (their version's), so that in a rolling upgrade the operator sees the
// queued jobs of a kind no live worker takes (`casebench hub jobs`) instead of wondering why they wait. Rows of
// workers from before this column (older versions) keep it NULL: they say nothing.
export const migration: HubMigration = {
  version: 7,
  name: 'worker-kinds',
  async up(client) {
    await client.query(`ALTER TABLE correlation_workers ADD COLUMN kinds text[]`);
  },
};
