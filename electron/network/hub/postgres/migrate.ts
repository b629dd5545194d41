// The hub's PostgreSQL schema, versioned like the station's: each migration a file with its version, name and
// `up`, listed in order, each with a test (migrations.test.ts). The database records every version it applied
// (hub_migrations); starting hubs and workers take an advisory lock, so one of them migrates and the others wait.
import { inTransaction, type PgClient, type PgPool } from './connect.ts';
import { migration as records } from './migrations/0001-records.ts';
import { migration as correlationJobs } from './migrations/0002-correlation-jobs.ts';
import { migration as screening } from './migrations/0003-screening.ts';
import { migration as compareJobs } from './migrations/0004-compare-jobs-screening-changes.ts';
import { migration as jobAffinity } from './migrations/0005-job-affinity.ts';
import { migration as registerJobs } from './migrations/0006-register-jobs.ts';
import { migration as workerKinds } from './migrations/0007-worker-kinds.ts';
import { migration as correlationNoteCodes } from './migrations/0008-correlation-note-codes.ts';

export interface HubMigration {
  version: number;
  name: string;
  up(client: PgClient): Promise<void>;
}

/** In version order, append-only. */
export const hubMigrations: HubMigration[] = [
  records,
  correlationJobs,
  screening,
  compareJobs,
  jobAffinity,
  registerJobs,
  workerKinds,
  correlationNoteCodes,
];

/** Any constant: the advisory lock that makes starting processes migrate one at a time. */
const migrationLock = 7_264_115_001;

/**
 * Applies every migration the database lacks (up to `until`) with its record, all in one transaction: a failure
 * leaves the database as it was.
 */
export async function migrateHub(pool: PgPool, until = Infinity): Promise<{ applied: string[]; version: number }> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLock]);
    await client.query(`CREATE TABLE IF NOT EXISTS hub_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set(
      (await client.query<{ version: number }>('SELECT version FROM hub_migrations')).rows.map((r) => r.version),
    );
    const newest = Math.max(0, ...done);
    const known = hubMigrations.at(-1)?.version ?? 0;
    if (newest > known)
      throw new Error(`the hub database is at schema version ${newest}, newer than this Casebench (${known}): upgrade`);
    const applied: string[] = [];
    for (const migration of hubMigrations) {
      if (done.has(migration.version) || migration.version > until) continue;
      await migration.up(client);
      await client.query('INSERT INTO hub_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      applied.push(`${String(migration.version).padStart(4, '0')}-${migration.name}`);
    }
    const version = Math.max(0, ...done, ...hubMigrations.filter((m) => m.version <= until).map((m) => m.version));
    return { applied, version };
  });
}
