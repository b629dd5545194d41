// A correlation worker: leases correlation jobs from the hub's PostgreSQL database, does the work with the analysis
// engine on the shared artifact store, and finishes each job in the transaction that stores its results. Any
// number run on any machines that share the database and the artifact folder (`casebench hub worker`).
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { computeCorrelation } from '../correlation.ts';
import type { CasingScorer } from '../scorer.ts';
import type { ArtifactStore, HubRecords } from '../storage.ts';
import { databaseUnavailable, type PgPool } from './connect.ts';
import { claimJob, failJob, finishJob, LostLease, renewLease, type CorrelationJob } from './jobs.ts';
import { jobsChannel, writeCorrelation } from './records.ts';

export interface CorrelationWorkerOptions {
  pool: PgPool;
  /** The database URL, for the connection that listens for new jobs. */
  url: string;
  records: HubRecords;
  artifacts: Pick<ArtifactStore, 'localPath'>;
  scorer: CasingScorer;
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
  maxLeads?: number;
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
      const record = await options.records.get(job.submissionId);
      if (!record) throw new Error(`submission ${job.submissionId} does not exist`);
      if (record.state === 'correlated') {
        // Correlated by an earlier run whose finish was lost on the way back: nothing to redo.
        await finishJob(options.pool, job, id, async () => {});
      } else {
        const { leads, notes } = await computeCorrelation(
          { ...options, maxLeads: options.maxLeads ?? 5, now },
          record,
          work,
        );
        if (work.aborted) throw work.reason;
        await finishJob(options.pool, job, id, (client) =>
          writeCorrelation(client, record.id, leads, notes, new Date(now()).toISOString()),
        );
      }
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
      log(
        outcome === 'dead'
          ? `job ${job.id} (submission ${job.submissionId}) is DEAD after ${job.attempts} attempts: ${message}`
          : `job ${job.id} failed (attempt ${job.attempts} of ${maxAttempts}), tried again later: ${message}`,
      );
    } finally {
      clearInterval(renewal);
    }
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
