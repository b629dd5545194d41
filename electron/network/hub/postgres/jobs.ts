// The correlation job queue in PostgreSQL: jobs are leased with FOR UPDATE SKIP LOCKED (workers never wait for each
// other), leases run on the database's clock and are renewed while a worker works, a job whose lease ran out is
// taken again (its worker died), and a job is finished in the same transaction as its results, only by the worker
// that still holds it — so results are written exactly once. A job that failed `maxAttempts` times is dead.
// A job may be meant for one worker (its `affinity`: a comparison for the worker holding its query scan prepared);
// others take it only once that worker is gone (its heartbeat in correlation_workers ran out) or lags.
import { inTransaction, type PgClient, type PgPool } from './connect.ts';

/** Every kind of job this version's workers run. A job of a kind a worker does not know (queued by a newer hub in a
 *  rolling upgrade) is never claimed by it: it stays queued, shown by `casebench hub jobs`, until a worker that
 *  knows it runs. */
export const jobKinds = ['correlate', 'screen', 'register', 'compare'] as const;
export type JobKind = (typeof jobKinds)[number];
export type JobState = 'queued' | 'running' | 'waiting' | 'done' | 'dead';

export interface CorrelationJob {
  id: number;
  submissionId: string;
  kind: JobKind;
  part: number;
  parentId: number | null;
  spec: unknown;
  result: unknown;
  state: JobState;
  attempts: number;
  leaseOwner: string | null;
  /** The worker this job is meant for, and until when only it takes the job while it is alive. */
  affinity: string | null;
  affinityUntil: string | null;
  lastError: string | null;
  runAfter: string;
  createdAt: string;
  finishedAt: string | null;
}

interface JobRow {
  id: string;
  submission_id: string;
  kind: JobKind;
  part: number;
  parent_id: string | null;
  spec: unknown;
  result: unknown;
  state: JobState;
  attempts: number;
  lease_owner: string | null;
  affinity: string | null;
  affinity_until: Date | null;
  last_error: string | null;
  run_after: Date;
  created_at: Date;
  finished_at: Date | null;
}

export function toJob(row: JobRow): CorrelationJob {
  return {
    id: Number(row.id),
    submissionId: row.submission_id,
    kind: row.kind,
    part: row.part,
    parentId: row.parent_id === null ? null : Number(row.parent_id),
    spec: row.spec,
    result: row.result,
    state: row.state,
    attempts: row.attempts,
    leaseOwner: row.lease_owner,
    affinity: row.affinity,
    affinityUntil: row.affinity_until?.toISOString() ?? null,
    lastError: row.last_error,
    runAfter: row.run_after.toISOString(),
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

/** The job is no longer this worker's (its lease ran out and another took it): its results must not be written. */
export class LostLease extends Error {}

const seconds = (ms: number) => ms / 1000;

/** A worker's lease (and heartbeat) length unless told otherwise. */
export const defaultLeaseMs = 60_000;

/**
 * Leases the next due job: a queued one, or a running one whose lease ran out. A job whose lease ran out after its
 * last allowed attempt is not run again: it is dead (its worker died every time; the error says so).
 * In this order: jobs meant for this worker (its affinity: comparisons of a query scan it holds prepared); then any
 * other due job, including those meant for a worker that is gone; last, jobs meant for a live worker that has not
 * taken them by their `affinity_until` (it lags: this worker helps when it has nothing else to do).
 * `cachedPartitions` (JSON arrays [calibre, region, paramsKey, lo, hi]) are the partitions this worker holds
 * decoded: among the other jobs it takes a screen job of one of them first, so each worker keeps screening the same
 * partitions and the workers' caches divide the population between them instead of each holding all of it.
 */
export async function claimJob(
  pool: PgPool,
  owner: string,
  leaseMs: number,
  maxAttempts: number,
  kinds: readonly string[],
  cachedPartitions: string[] = [],
): Promise<CorrelationJob | undefined> {
  for (;;) {
    const outcome = await inTransaction(pool, async (client) => {
      const next = (
        await client.query<JobRow>(
          `SELECT j.* FROM correlation_jobs j
           CROSS JOIN LATERAL (SELECT j.state = 'queued' AND j.affinity IS NOT NULL AND j.affinity <> $2 AND EXISTS (
             SELECT 1 FROM correlation_workers w WHERE w.id = j.affinity AND w.alive_until >= now())) AS h(helping)
           WHERE ((j.state = 'queued' AND j.run_after <= now()) OR (j.state = 'running' AND j.lease_until < now()))
             AND j.kind = ANY($3::text[]) AND NOT (h.helping AND j.affinity_until > now())
           ORDER BY j.affinity IS NOT DISTINCT FROM $2 DESC, h.helping,
             j.kind = 'screen' AND jsonb_build_array(j.spec::jsonb #> '{population,calibre}',
               j.spec::jsonb #> '{population,region}', j.spec::jsonb #> '{population,paramsKey}',
               j.spec::jsonb #> '{range,lo}', j.spec::jsonb #> '{range,hi}') = ANY($1::jsonb[]) DESC,
             j.run_after, j.id
           LIMIT 1 FOR UPDATE OF j SKIP LOCKED`,
          [cachedPartitions, owner, kinds],
        )
      ).rows[0];
      if (!next) return { none: true as const };
      if (next.state === 'running' && next.attempts >= maxAttempts) {
        await client.query(
          `UPDATE correlation_jobs SET state = 'dead', lease_owner = NULL, lease_until = NULL, updated_at = now(),
           last_error = $2 WHERE id = $1`,
          [
            next.id,
            `gave up after ${next.attempts} attempts: the lease of ${next.lease_owner} ran out (the worker stopped or ` +
              `hung)${next.last_error ? `; earlier: ${next.last_error}` : ''}`,
          ],
        );
        return { dead: true as const };
      }
      const claimed = await client.query<JobRow>(
        `UPDATE correlation_jobs SET state = 'running', lease_owner = $2, lease_until = now() + make_interval(secs => $3),
         attempts = attempts + 1, updated_at = now() WHERE id = $1 RETURNING *`,
        [next.id, owner, seconds(leaseMs)],
      );
      return { job: toJob(claimed.rows[0]!) };
    });
    if ('job' in outcome) return outcome.job;
    if ('none' in outcome) return undefined;
  }
}

/** This worker is alive for `aliveMs` more (its heartbeat): until then, jobs meant for it wait for it. It says which
 *  kinds of job it runs (`casebench hub jobs` names the queued jobs no live worker takes). Returns the row's start
 *  (exact, as text): it tells this worker's row from that of a later worker of the same name (renewHeartbeat). */
export async function heartbeat(
  pool: PgPool,
  worker: string,
  aliveMs: number,
  kinds: readonly string[] = jobKinds,
): Promise<string> {
  const row = await pool.query<{ started: string }>(
    `INSERT INTO correlation_workers (id, alive_until, kinds) VALUES ($1, now() + make_interval(secs => $2), $3)
     ON CONFLICT (id) DO UPDATE SET alive_until = EXCLUDED.alive_until, kinds = EXCLUDED.kinds
     RETURNING started_at::text AS started`,
    [worker, seconds(aliveMs), kinds],
  );
  return row.rows[0]!.started;
}

/**
 * Renews the heartbeat of a worker whose row exists (every beat after its first): an UPDATE only, so a beat still in
 * flight when the worker retires (or the row was forgotten) never brings a retired name back to life — jobs meant for
 * it would wait for a worker that is gone. With `startedAt` (what heartbeat or claimWorkerName returned), only the row
 * this worker made: not one a later worker of the same name made once this one's was gone. Returns false when the
 * row was gone (or is another worker's).
 */
export async function renewHeartbeat(
  pool: PgPool,
  worker: string,
  aliveMs: number,
  kinds: readonly string[] = jobKinds,
  startedAt?: string,
): Promise<boolean> {
  const renewed = await pool.query(
    `UPDATE correlation_workers SET alive_until = now() + make_interval(secs => $2), kinds = $3
     WHERE id = $1 AND ($4::timestamptz IS NULL OR started_at = $4::timestamptz)`,
    [worker, seconds(aliveMs), kinds, startedAt ?? null],
  );
  return renewed.rowCount === 1;
}

/**
 * Takes `worker` as this worker's name, unless a live worker already holds it: worker names are lease owners, so two
 * workers with one name would renew, give back and finish each other's jobs. Atomic (two workers starting at once
 * with one name: one of them gets it). Returns the row's start when taken (see renewHeartbeat), the holder's
 * heartbeat end when refused.
 */
export async function claimWorkerName(
  pool: PgPool,
  worker: string,
  aliveMs: number,
  kinds: readonly string[] = jobKinds,
): Promise<{ taken: true; startedAt: string } | { taken: false; aliveUntil: string }> {
  const claimed = await pool.query<{ started: string }>(
    `INSERT INTO correlation_workers (id, alive_until, kinds) VALUES ($1, now() + make_interval(secs => $2), $3)
     ON CONFLICT (id) DO UPDATE SET alive_until = EXCLUDED.alive_until, kinds = EXCLUDED.kinds, started_at = now()
     WHERE correlation_workers.alive_until < now() RETURNING started_at::text AS started`,
    [worker, seconds(aliveMs), kinds],
  );
  if (claimed.rowCount === 1) return { taken: true, startedAt: claimed.rows[0]!.started };
  const holder = await pool.query<{ alive_until: Date }>('SELECT alive_until FROM correlation_workers WHERE id = $1', [
    worker,
  ]);
  return { taken: false, aliveUntil: holder.rows[0]?.alive_until.toISOString() ?? new Date().toISOString() };
}

/** Forgets workers gone for a day (killed ones leave their row; each new worker has a new name): the table stays
 *  as small as the number of workers. */
export async function forgetGoneWorkers(pool: PgPool): Promise<void> {
  await pool.query(`DELETE FROM correlation_workers WHERE alive_until < now() - interval '1 day'`);
}

/** The workers alive now (their heartbeat not run out), for the operator. */
export async function aliveWorkers(pool: PgPool): Promise<{ id: string; startedAt: string; kinds: string[] | null }[]> {
  const rows = await pool.query<{ id: string; started_at: Date; kinds: string[] | null }>(
    'SELECT id, started_at, kinds FROM correlation_workers WHERE alive_until >= now() ORDER BY started_at, id',
  );
  return rows.rows.map((r) => ({ id: r.id, startedAt: r.started_at.toISOString(), kinds: r.kinds }));
}

/**
 * Queued jobs, by kind, that no live worker says it runs: in a rolling upgrade, jobs of a kind only the new version
 * knows wait (untouched) until workers of that version run. Workers from before kinds were announced (hub migration
 * 0007: their kinds are NULL) claim jobs of every kind, those they do not know included: `olderWorkers` names the live
 * ones, so the operator is told such a job will be taken (and may fail there), not that it waits.
 */
export async function jobsNoWorkerTakes(
  pool: PgPool,
): Promise<{ kind: string; queued: number; olderWorkers: string[] }[]> {
  const rows = await pool.query<{ kind: string; n: string }>(
    `SELECT kind, count(*) AS n FROM correlation_jobs j WHERE state = 'queued' AND NOT EXISTS (
       SELECT 1 FROM correlation_workers w WHERE w.alive_until >= now() AND j.kind = ANY(w.kinds))
     GROUP BY kind ORDER BY kind`,
  );
  if (rows.rows.length === 0) return [];
  const older = await pool.query<{ id: string }>(
    'SELECT id FROM correlation_workers WHERE alive_until >= now() AND kinds IS NULL ORDER BY started_at, id',
  );
  const olderWorkers = older.rows.map((r) => r.id);
  return rows.rows.map((r) => ({ kind: r.kind, queued: Number(r.n), olderWorkers }));
}

/**
 * A job a stopping worker gives back: queued again at once for any worker, the attempt it interrupted not counted
 * (it did not fail; the worker was asked to stop). Nothing when it is no longer this worker's.
 */
export async function releaseJob(pool: PgPool, job: CorrelationJob, owner: string): Promise<boolean> {
  const released = await pool.query(
    `UPDATE correlation_jobs SET state = 'queued', lease_owner = NULL, lease_until = NULL, run_after = now(),
     attempts = greatest(attempts - 1, 0), updated_at = now() WHERE id = $1 AND lease_owner = $2 AND state = 'running'`,
    [job.id, owner],
  );
  return released.rowCount === 1;
}

/** A worker that stops: jobs meant for it go to any worker at once. */
export async function retireWorker(pool: PgPool, worker: string): Promise<void> {
  await pool.query('DELETE FROM correlation_workers WHERE id = $1', [worker]);
}

/** Extends the lease; false when the job is no longer this worker's. */
export async function renewLease(pool: PgPool, job: CorrelationJob, owner: string, leaseMs: number): Promise<boolean> {
  const renewed = await pool.query(
    `UPDATE correlation_jobs SET lease_until = now() + make_interval(secs => $3), updated_at = now()
     WHERE id = $1 AND lease_owner = $2 AND state = 'running'`,
    [job.id, owner, seconds(leaseMs)],
  );
  return renewed.rowCount === 1;
}

/**
 * Finishes a job and writes its results in one transaction, only if this worker still holds it (else LostLease
 * and nothing is written). `next` is the state it ends in: done, or waiting for its children.
 */
export async function finishJob(
  pool: PgPool,
  job: CorrelationJob,
  owner: string,
  write: (client: PgClient) => Promise<void>,
  next: { state: 'done' | 'waiting'; result?: unknown } = { state: 'done' },
): Promise<void> {
  await inTransaction(pool, async (client) => {
    const held = await client.query(
      `UPDATE correlation_jobs SET state = $3, result = $4, lease_owner = NULL, lease_until = NULL, updated_at = now(),
       finished_at = CASE WHEN $3 = 'done' THEN now() END
       WHERE id = $1 AND lease_owner = $2 AND state = 'running'`,
      [job.id, owner, next.state, next.result === undefined ? null : JSON.stringify(next.result)],
    );
    if (held.rowCount !== 1) throw new LostLease(`job ${job.id} is no longer held by ${owner}`);
    await write(client);
  });
}

/**
 * A failed attempt: queued again after `retryAfterMs`, or dead once it has failed `maxAttempts` times. Returns what
 * became of it ('lost' when it was no longer this worker's).
 */
export async function failJob(
  pool: PgPool,
  job: CorrelationJob,
  owner: string,
  error: string,
  maxAttempts: number,
  retryAfterMs: number,
): Promise<'retry' | 'dead' | 'lost'> {
  const updated = await pool.query<{ state: JobState }>(
    `UPDATE correlation_jobs SET state = CASE WHEN attempts >= $4 THEN 'dead' ELSE 'queued' END,
     run_after = now() + make_interval(secs => $5), last_error = $3, lease_owner = NULL, lease_until = NULL,
     updated_at = now() WHERE id = $1 AND lease_owner = $2 AND state = 'running' RETURNING state`,
    [job.id, owner, error.slice(0, 2000), maxAttempts, seconds(retryAfterMs)],
  );
  if (updated.rowCount !== 1) return 'lost';
  return updated.rows[0]!.state === 'dead' ? 'dead' : 'retry';
}

/** The operator's view: jobs by state (dead ones first of all), newest first. */
export async function listJobs(
  pool: PgPool,
  filter: { states?: JobState[]; limit?: number } = {},
): Promise<CorrelationJob[]> {
  const states = filter.states ?? ['queued', 'running', 'waiting', 'done', 'dead'];
  const rows = await pool.query<JobRow>(
    `SELECT * FROM correlation_jobs WHERE state = ANY($1) ORDER BY id DESC LIMIT $2`,
    [states, filter.limit ?? 100],
  );
  return rows.rows.map(toJob);
}

export async function jobCounts(pool: PgPool): Promise<Record<JobState, number>> {
  const counts: Record<JobState, number> = { queued: 0, running: 0, waiting: 0, done: 0, dead: 0 };
  for (const row of (
    await pool.query<{ state: JobState; n: string }>('SELECT state, count(*) AS n FROM correlation_jobs GROUP BY state')
  ).rows)
    counts[row.state] = Number(row.n);
  return counts;
}

/** An operator's retry of a dead job: queued again with a fresh attempt count. */
export async function retryJob(pool: PgPool, id: number): Promise<boolean> {
  const updated = await pool.query(
    `UPDATE correlation_jobs SET state = 'queued', attempts = 0, run_after = now(), updated_at = now()
     WHERE id = $1 AND state = 'dead'`,
    [id],
  );
  return updated.rowCount === 1;
}
