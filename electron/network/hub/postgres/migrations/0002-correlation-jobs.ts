import type { HubMigration } from '../migrate.ts';

// Correlation as durable jobs. A committed submission's 'correlate' job is inserted in the commit's transaction;
// workers lease jobs (FOR UPDATE SKIP LOCKED, lease_until on the database's clock) and renew the lease while they
// work; a job whose lease ran out (its worker died) is taken by another worker; a job that failed `attempts` times
// is 'dead' with its last error, for the operator. A large population is screened by 'screen' jobs, one per
// partition (`part`, `spec` = what it covers), children of the correlate job (`parent_id`), which waits for them
// ('waiting') and then finishes with their `result`s.
export const migration: HubMigration = {
  version: 2,
  name: 'correlation-jobs',
  async up(client) {
    await client.query(`
      CREATE TABLE correlation_jobs (
        id bigserial PRIMARY KEY,
        submission_id text NOT NULL REFERENCES submissions(id),
        kind text NOT NULL CHECK (kind IN ('correlate','screen')),
        part integer NOT NULL DEFAULT 0,
        parent_id bigint REFERENCES correlation_jobs(id),
        spec json,
        result json,
        state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued','running','waiting','done','dead')),
        attempts integer NOT NULL DEFAULT 0,
        run_after timestamptz NOT NULL DEFAULT now(),
        lease_owner text,
        lease_until timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        UNIQUE (submission_id, kind, part)
      );
      CREATE INDEX correlation_jobs_due ON correlation_jobs (run_after, id) WHERE state IN ('queued','running');
      CREATE INDEX correlation_jobs_children ON correlation_jobs (parent_id) WHERE parent_id IS NOT NULL;
    `);
  },
};
