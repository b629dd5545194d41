// A correlation worker: leases correlation jobs from the hub's PostgreSQL database, does the work with the analysis
// engine on the shared artifact store (screening/pipeline.ts: plan, screen partitions, finish), and finishes each
// job in the transaction that stores its results. Any number run on any machines that share the database and the
// artifact folder (`casebench hub worker`).
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { ScreeningAnalysis } from '../screening/analysis.ts';
import {
  defaultScreeningSettings,
  finishCorrelation,
  planCorrelation,
  screenPartition,
  type PipelineContext,
  type PlanState,
  type ScreenResult,
  type ScreenSpec,
  type ScreeningSettings,
} from '../screening/pipeline.ts';
import type { ArtifactStore, HubRecords } from '../storage.ts';
import { databaseUnavailable, type PgClient, type PgPool } from './connect.ts';
import { claimJob, failJob, finishJob, LostLease, renewLease, type CorrelationJob } from './jobs.ts';
import { jobsChannel, writeCorrelation } from './records.ts';

export interface CorrelationWorkerOptions {
  pool: PgPool;
  /** The database URL, for the connection that listens for new jobs. */
  url: string;
  records: Pick<HubRecords, 'get'>;
  artifacts: Pick<ArtifactStore, 'localPath'>;
  /** Signatures and full comparison (the analysis engine; tests stand in with something quicker). */
  analysis: ScreeningAnalysis;
  settings?: Partial<ScreeningSettings>;
  /** Names this worker in the jobs it holds (default: host, process id and a random suffix). */
  id?: string;
  /** How long a lease lasts without renewal; renewed every third of it. A dead worker's job waits this long. */
  leaseMs?: number;
  /** Attempts before a job is dead. */
  maxAttempts?: number;
  /** Wait before a failed job is tried again (doubled per attempt, at most 5 min). */
  retryBaseMs?: number;
  /** How often to look for jobs when no notification came. */
  pollMs?: number;
  now?: () => number;
  log?: (message: string) => void;
}

export interface CorrelationWorker {
  readonly id: string;
  /** Jobs finished, failed and lost by this worker since it started. */
  readonly stats: { done: number; failed: number; lost: number };
  /** Stops taking jobs; the job in progress is abandoned (its lease runs out and another worker takes it). */
  stop(): Promise<void>;
}

export function startCorrelationWorker(options: CorrelationWorkerOptions): CorrelationWorker {
  const id = options.id ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const leaseMs = options.leaseMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const retryBaseMs = options.retryBaseMs ?? 5_000;
  const pollMs = options.pollMs ?? 1_000;
  const now = options.now ?? Date.now;
  const log = options.log ?? ((message: string) => console.error(`hub worker ${id}: ${message}`));
  const stats = { done: 0, failed: 0, lost: 0 };
  const stopping = new AbortController();
  let wake: (() => void) | undefined;
  let listener: pg.Client | undefined;
  let unavailableSince: number | undefined;

  /** LISTEN for new jobs on a connection of its own; on any failure it is dropped and made again later. */
  async function listen(): Promise<void> {
    if (listener || stopping.signal.aborted) return;
    const client = new pg.Client({ connectionString: options.url, application_name: `casebench-hub-worker ${id}` });
    client.on('error', () => {
      if (listener === client) listener = undefined;
    });
    client.on('end', () => {
      if (listener === client) listener = undefined;
    });
    client.on('notification', () => wake?.());
    listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${jobsChannel}`);
    } catch {
      if (listener === client) listener = undefined;
      await client.end().catch(() => {});
    }
  }

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
      stopping.signal.addEventListener('abort', done, { once: true });
    });

  async function run(job: CorrelationJob): Promise<void> {
    // The lease is renewed while the work goes on; losing it stops the work (another worker has the job now).
    const lost = new AbortController();
    const work = AbortSignal.any([lost.signal, stopping.signal]);
    const renewal = setInterval(() => {
      renewLease(options.pool, job, id, leaseMs).then(
        (held) => {
          if (!held) lost.abort(new LostLease(`job ${job.id} was taken by another worker`));
        },
        () => {}, // the database is away for a moment: the next renewal tries again
      );
    }, leaseMs / 3);
    try {
      await perform(job, work);
      stats.done++;
    } catch (error) {
      if (error instanceof LostLease || lost.signal.aborted) {
        stats.lost++;
        log(`job ${job.id}: lost its lease; another worker has it`);
        return;
      }
      if (stopping.signal.aborted) return; // abandoned: the lease runs out and the job runs elsewhere
      stats.failed++;
      const message = (error as Error)?.message ?? String(error);
      const retryAfter = Math.min(300_000, retryBaseMs * 2 ** Math.max(0, job.attempts - 1));
      const outcome = await failJob(options.pool, job, id, message, maxAttempts, retryAfter).catch(() => 'unknown');
      // A partition that died leaves its correlation unable to finish: that job is dead too, with the reason.
      if (outcome === 'dead' && job.parentId !== null)
        await options.pool
          .query(
            `UPDATE correlation_jobs SET state = 'dead', last_error = $2, updated_at = now() WHERE id = $1 AND state = 'waiting'`,
            [job.parentId, `partition ${job.part} failed: ${message}`],
          )
          .catch(() => {});
      log(
        outcome === 'dead'
          ? `job ${job.id} (submission ${job.submissionId}) is DEAD after ${job.attempts} attempts: ${message}`
          : `job ${job.id} failed (attempt ${job.attempts} of ${maxAttempts}), tried again later: ${message}`,
      );
    } finally {
      clearInterval(renewal);
    }
  }

  const ctx: PipelineContext = {
    pool: options.pool,
    records: options.records,
    artifacts: options.artifacts,
    analysis: options.analysis,
    settings: { ...defaultScreeningSettings, ...options.settings },
  };
  const at = () => new Date(now()).toISOString();

  /** One job's work, finished in the transaction that stores its results. */
  async function perform(job: CorrelationJob, signal: AbortSignal): Promise<void> {
    if (job.kind === 'screen') {
      const result = await screenPartition(ctx, job.spec as ScreenSpec, signal);
      if (signal.aborted) throw signal.reason;
      await finishJob(options.pool, job, id, (client) => queueParentWhenScreened(client, job), {
        state: 'done',
        result,
      });
      return;
    }
    const record = await options.records.get(job.submissionId);
    if (!record) throw new Error(`submission ${job.submissionId} does not exist`);
    if (record.state === 'correlated') {
      // Correlated by an earlier run whose finish was lost on the way back: nothing to redo.
      await finishJob(options.pool, job, id, async () => {});
      return;
    }
    const children = await options.pool.query<{ state: string; result: ScreenResult | null }>(
      'SELECT state, result FROM correlation_jobs WHERE parent_id = $1',
      [job.id],
    );
    if (children.rowCount! > 0) {
      // Every partition is screened (the last one queued this job again): the best of all get full comparison.
      if (children.rows.some((c) => c.state !== 'done')) throw new Error('a partition is not screened yet');
      const { leads, notes } = await finishCorrelation(
        ctx,
        record,
        job.result as PlanState,
        children.rows.map((c) => c.result!),
        signal,
      );
      if (signal.aborted) throw signal.reason;
      await finishJob(options.pool, job, id, (client) => writeCorrelation(client, record.id, leads, notes, at()));
      return;
    }
    const plan = await planCorrelation(ctx, record, signal);
    if (signal.aborted) throw signal.reason;
    if (plan.kind === 'done') {
      await finishJob(options.pool, job, id, (client) =>
        writeCorrelation(client, record.id, plan.leads, plan.notes, at()),
      );
      return;
    }
    // A large population: one screen job per partition, for any worker; this job waits for them.
    await finishJob(
      options.pool,
      job,
      id,
      async (client) => {
        for (const [part, spec] of plan.children.entries())
          await client.query(
            `INSERT INTO correlation_jobs (submission_id, kind, part, parent_id, spec) VALUES ($1, 'screen', $2, $3, $4)`,
            [job.submissionId, part + 1, job.id, JSON.stringify(spec)],
          );
        await client.query('SELECT pg_notify($1, $2)', [jobsChannel, job.submissionId]);
      },
      { state: 'waiting', result: plan.state },
    );
  }

  /** The last partition screened puts its correlation back in the queue, to finish. */
  async function queueParentWhenScreened(client: PgClient, job: CorrelationJob): Promise<void> {
    // The parent's row is locked first, so two partitions finishing together see each other's outcome.
    await client.query('SELECT id FROM correlation_jobs WHERE id = $1 FOR UPDATE', [job.parentId]);
    const queued = await client.query(
      `UPDATE correlation_jobs p SET state = 'queued', attempts = 0, run_after = now(), updated_at = now()
       WHERE p.id = $1 AND p.state = 'waiting'
         AND NOT EXISTS (SELECT 1 FROM correlation_jobs c WHERE c.parent_id = $1 AND c.state <> 'done')`,
      [job.parentId],
    );
    if (queued.rowCount === 1) await client.query('SELECT pg_notify($1, $2)', [jobsChannel, job.submissionId]);
  }

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      let job: CorrelationJob | undefined;
      try {
        await listen();
        job = await claimJob(options.pool, id, leaseMs, maxAttempts);
        if (unavailableSince !== undefined) log('the database is back');
        unavailableSince = undefined;
      } catch (error) {
        const why = databaseUnavailable(error) ?? (error as Error).message;
        if (unavailableSince === undefined) log(`cannot take jobs: ${why}; trying again`);
        unavailableSince ??= now();
        await pause(pollMs);
        continue;
      }
      if (job) await run(job);
      else await pause(pollMs);
    }
  })();

  return {
    id,
    stats,
    async stop() {
      stopping.abort(new Error('the worker is stopping'));
      wake?.();
      await loop;
      const client = listener;
      listener = undefined;
      await client?.end().catch(() => {});
    },
  };
}
