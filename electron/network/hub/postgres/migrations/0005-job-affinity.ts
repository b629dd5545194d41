import type { HubMigration } from '../migrate.ts';

// Comparisons stay on the worker that prepared their query scan, and workers say they are alive.
//  - `affinity`: the worker a job is meant for (a correlation's compare jobs: the worker that computed the query's
//    signature, whose analysis threads hold the query scan loaded, levelled and masked). Another worker takes such a
//    job only when that worker is gone (not alive, below) — at once, like any job — or when it lags: the job has
//    waited past `affinity_until` and the other worker has nothing else to do.
//  - `correlation_workers`: each running worker's heartbeat; one whose `alive_until` has passed is gone (killed or
//    hung); one that stops deletes its row.
export const migration: HubMigration = {
  version: 5,
  name: 'job-affinity',
  async up(client) {
    await client.query(`
      ALTER TABLE correlation_jobs ADD COLUMN affinity text, ADD COLUMN affinity_until timestamptz,
        ADD CONSTRAINT correlation_jobs_affinity_check CHECK ((affinity IS NULL) = (affinity_until IS NULL));
      CREATE TABLE correlation_workers (
        id text PRIMARY KEY,
        started_at timestamptz NOT NULL DEFAULT now(),
        alive_until timestamptz NOT NULL
      );
    `);
  },
};
