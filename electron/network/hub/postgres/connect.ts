// Connections to the hub's PostgreSQL database (node-postgres), shared by the hub's front ends and its correlation
// workers; and what a database failure means for a station: PostgreSQL down, restarting, read-only or full is the
// hub being unavailable for a while (503, retried by the station with its jobs kept), never a refusal.
import pg from 'pg';

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;

export interface PoolOptions {
  /** Connections at most (each front end and worker has its own pool). */
  max?: number;
  /** Shown in pg_stat_activity, so an operator sees which process holds what. */
  applicationName?: string;
}

export function openPostgresPool(url: string, options: PoolOptions = {}): PgPool {
  // Not parsed with URL: a socket-folder URL (postgres://user@/db?host=/run/postgresql) has no host part.
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`--db must be a postgres:// URL, got ${url}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 20,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: options.applicationName ?? 'casebench-hub',
  });
  // An idle connection whose server went away (a restart, a failover) is dropped by the pool and reported here;
  // the next query opens a new one. Without a listener the error would end the process.
  pool.on('error', () => {});
  return pool;
}

/**
 * Runs `work` in one transaction on one connection: committed if it returns, rolled back if it throws. `begin`
 * chooses the transaction's mode (e.g. one snapshot for several reads: 'BEGIN ISOLATION LEVEL REPEATABLE READ').
 */
export async function inTransaction<T>(
  pool: PgPool,
  work: (client: PgClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  // Between its queries the connection can still fail (the server restarting while a chunk is written under this
  // transaction's lock): the pool listens only to idle connections, so this one needs a listener of its own, or
  // the error would end the process. The failure then reaches the next query, and the connection is dropped.
  const lost = () => (broken = true);
  client.on('error', lost);
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true; // the connection itself failed: it must not go back to the pool
    }
    throw error;
  } finally {
    client.off('error', lost);
    client.release(broken);
  }
}

const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOENT',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
]);

/**
 * Why the database cannot do its work right now, in words for an operator and a station, or undefined when the
 * error is not the database's state (a bug, a constraint the code relies on).
 */
export function databaseUnavailable(error: unknown): string | undefined {
  const e = error as { code?: string; message?: string } | undefined;
  const code = e?.code ?? '';
  const message = e?.message ?? '';
  if (code === '25006') return "the hub's database is read-only; submissions wait until it accepts writes again";
  if (code === '53100') return "the hub's database is full (no space left on its disk); submissions wait";
  if (code === '53200' || code === '53300') return "the hub's database is out of memory or connections; retry later";
  if (connectionCodes.has(code) || code.startsWith('08'))
    return `the hub cannot reach its database (${code}); retry later`;
  if (
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      message,
    )
  )
    return `the hub cannot reach its database (${message}); retry later`;
  return undefined;
}
