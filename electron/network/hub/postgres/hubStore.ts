// The front end's side of a PostgreSQL hub: its records (migrated at start), a correlation queue that is the jobs
// table (the commit wrote the job; separate workers run it), and chunk uploads serialised across front ends.
import type { CorrelationQueue } from '../correlation.ts';
import type { HubRecords } from '../storage.ts';
import { inProcessSerialiser, type Serialiser } from '../uploads.ts';
import { inTransaction, openPostgresPool, type PgPool } from './connect.ts';
import { migrateHub } from './migrate.ts';
import { openPostgresRecords } from './records.ts';

export interface PostgresHubStore {
  pool: PgPool;
  records: HubRecords;
  correlation: CorrelationQueue;
  serialise: Serialiser;
  /** Throws when the database cannot take writes now (unreachable, or read-only): the hub is not ready. */
  ready(): Promise<void>;
}

export async function openPostgresHubStore(url: string, options: { poolMax?: number } = {}): Promise<PostgresHubStore> {
  const pool = openPostgresPool(url, { max: options.poolMax, applicationName: 'casebench-hub front end' });
  try {
    await migrateHub(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const local = inProcessSerialiser();
  return {
    pool,
    records: openPostgresRecords(pool),
    correlation: {
      committed: () => {}, // the commit's own transaction queued the job; a worker runs it
      async idle() {
        for (;;) {
          const { rows } = await pool.query<{ n: string }>(
            `SELECT count(*) AS n FROM correlation_jobs WHERE state IN ('queued','running','waiting')`,
          );
          if (Number(rows[0]!.n) === 0) return;
          await new Promise((r) => setTimeout(r, 50));
        }
      },
      close: async () => {},
    },
    async ready() {
      const { rows } = await pool.query<{ ro: string }>(`SELECT current_setting('transaction_read_only') AS ro`);
      if (rows[0]!.ro === 'on') throw Object.assign(new Error('the database is read-only'), { code: '25006' });
    },
    // Chunks of one upload one at a time in this process, and across front ends by an advisory lock held for the
    // chunk's transaction (a retried chunk may reach another front end while the first is still being written).
    serialise: (key, work) =>
      local(key, () =>
        inTransaction(pool, async (client) => {
          await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
          return work();
        }),
      ),
  };
}
