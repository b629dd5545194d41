// A correlation worker: leases correlation jobs from the hub's PostgreSQL database, does the work with the analysis
// engine on the shared artifact store (screening/pipeline.ts: plan, screen partitions, register the signature's best,
// compare pairs, finish), and
// finishes each job in the transaction that stores its results. It runs as many jobs at once as it has analysis
// threads, so one correlation's comparisons keep every thread of every worker busy. Any number run on any machines
// that share the database and the artifact folder (`casebench hub worker`).
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { ScreeningAnalysis } from '../screening/analysis.ts';
import { PartitionCache } from '../screening/partitionCache.ts';
import {
  afterRegistration,
  afterScreening,
  checkScreeningSettings,
  comparePair,
  defaultScreeningSettings,
  finishCorrelation,
  planCorrelation,
  registerCandidates,
  screenPartition,
  type CompareResult,
  type CompareSpec,
  type PipelineContext,
  type PlanState,
  type RegisterResult,
  type RegisterSpec,
  type ScreenResult,
  type ScreenSpec,
  type ScreeningSettings,
  type Step,
} from '../screening/pipeline.ts';
import type { ArtifactStore, HubRecords } from '../storage.ts';
import { databaseUnavailable, type PgClient, type PgPool } from './connect.ts';
import {
  claimJob,
  defaultLeaseMs,
  failJob,
  finishJob,
  claimWorkerName,
  forgetGoneWorkers,
  heartbeat,
  jobKinds,
  LostLease,
  releaseJob,
  renewLease,
  renewHeartbeat,
  retireWorker,
  type CorrelationJob,
} from './jobs.ts';
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
  /** Jobs run at once (default: the analysis engine's threads). */
  concurrency?: number;
  /** Memory for decoded partitions kept between jobs (default 256 MiB). */
  screeningCacheBytes?: number;
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
  /** How long a comparison meant for another live worker (which holds its query scan prepared) waits for that
   *  worker before this one, when it has nothing else to do, takes it anyway (default 2 s). */
  helpAfterMs?: number;
  now?: () => number;
  log?: (message: string) => void;
}

export interface CorrelationWorker {
  readonly id: string;
  /** Jobs finished, failed and lost by this worker since it started; of the jobs it took, how many were meant for
   *  another worker (gone, or lagging while this one was idle: their query scan prepared again here); and the time
   *  its correlations waited for the feed lock (other writers of feed events). */
  readonly stats: { done: number; failed: number; lost: number; helped: number; feedLockWaitMs: number };
  /** The decoded partitions this worker keeps. */
  readonly cache: PartitionCache;
  /** Resolves when the worker stopped taking jobs by itself: its heartbeat row was gone and another live worker had
   *  taken its name meanwhile (call stop() to close the rest). */
  readonly lostName: Promise<void>;
  /** Stops taking jobs; the jobs in progress are stopped and given back (queued for any worker at once), and the
   *  worker retires (jobs meant for it go to any worker). */
  stop(): Promise<void>;
}

export function startCorrelationWorker(options: CorrelationWorkerOptions): CorrelationWorker {
  // Refused before anything starts: a bad count (a batch of 0) would otherwise loop or lose every lead later.
  const settings = checkScreeningSettings({ ...defaultScreeningSettings, ...options.settings });
  const id = options.id ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const leaseMs = options.leaseMs ?? defaultLeaseMs;
  const maxAttempts = options.maxAttempts ?? 5;
  const retryBaseMs = options.retryBaseMs ?? 5_000;
  const pollMs = options.pollMs ?? 1_000;
  const helpAfterMs = options.helpAfterMs ?? 2_000;
  const now = options.now ?? Date.now;
  const log = options.log ?? ((message: string) => console.error(`hub worker ${id}: ${message}`));
  const stats = { done: 0, failed: 0, lost: 0, helped: 0, feedLockWaitMs: 0 };
  const concurrency = Math.max(1, options.concurrency ?? options.analysis.threads);
  const cache = new PartitionCache({ maxBytes: options.screeningCacheBytes });
  const stopping = new AbortController();
  /** The idle job slots' wake-ups: a notification of a new job wakes them all. */
  const wakers = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of [...wakers]) wake();
  };
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
    client.on('notification', wakeAll);
    listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${jobsChannel}`);
    } catch {
      if (listener === client) listener = undefined;
      await client.end().catch(() => {});
    }
  }

  // Alive for a lease's length, renewed every third of it: jobs meant for this worker wait for it meanwhile; once it
  // is killed they go to any worker after at most a lease (like its leased jobs), once it stops at once.
  // The first beat makes the row; later ones renew it (renewHeartbeat, an UPDATE only). A row that is not there (the
  // first beat failed, or forgetGoneWorkers dropped it after a long outage) is made again by claiming the name, so the
  // operator and the queue see every worker that takes jobs — never once stop() has begun (it waits for a beat in
  // flight before retiring): a late beat never revives a retired name. If another live worker took the name meanwhile,
  // this one stops taking jobs rather than share its leases (`lostName`).
  let nameLost: (() => void) | undefined;
  const lostName = new Promise<void>((resolve) => (nameLost = resolve));
  let lostNameTo: string | undefined;
  /** When this worker's row was made: a row of its name made later is another worker's (renewHeartbeat). */
  let startedAt: string | undefined;
  const beating = heartbeat(options.pool, id, leaseMs)
    .then((started) => (startedAt = started))
    .catch(() => {}) // the database is away: the next beat makes the row
    .then(() => forgetGoneWorkers(options.pool).catch(() => {}));
  let lastBeat: Promise<unknown> = beating;
  let beatInFlight = false;
  async function beat(): Promise<void> {
    if (lostNameTo !== undefined) return; // the row is the other worker's now
    if (await renewHeartbeat(options.pool, id, leaseMs, jobKinds, startedAt)) return;
    if (stopping.signal.aborted) return;
    const claimed = await claimWorkerName(options.pool, id, leaseMs);
    if (claimed.taken) {
      startedAt = claimed.startedAt;
      log('registered again (its heartbeat row was missing: the first beat failed or the row was forgotten)');
      return;
    }
    lostNameTo = claimed.aliveUntil;
    log(
      `STOPPED taking jobs: another live worker now runs as "${id}" (its heartbeat lasts until ${claimed.aliveUntil}); ` +
        `two workers of one name would share their jobs' leases`,
    );
    stopping.abort(new Error("another worker took this worker's name"));
    wakeAll();
    nameLost?.();
  }
  const heartbeats = setInterval(() => {
    if (beatInFlight) return; // a slow beat is not stacked on (stop() waits for the one in flight)
    beatInFlight = true;
    lastBeat = beat()
      .catch(() => {}) // the database is away for a moment: the next beat
      .finally(() => (beatInFlight = false));
  }, leaseMs / 3);

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      }
      wakers.add(done);
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
      if (stopping.signal.aborted && lostNameTo !== undefined) {
        // Another worker runs under this name now: its leases and this one's cannot be told apart, so nothing is
        // given back; the lease runs out and the job runs again.
        log(`job ${job.id}: stopped (another worker took this worker's name); it runs again once its lease runs out`);
        return;
      }
      if (stopping.signal.aborted) {
        // Given back at once (else it would wait for its lease to run out); if the database is away, the lease
        // runs out and the job runs elsewhere all the same.
        if (await releaseJob(options.pool, job, id).catch(() => false))
          log(`job ${job.id}: given back (the worker is stopping)`);
        return;
      }
      stats.failed++;
      const message = (error as Error)?.message ?? String(error);
      const retryAfter = Math.min(300_000, retryBaseMs * 2 ** Math.max(0, job.attempts - 1));
      const outcome = await failJob(options.pool, job, id, message, maxAttempts, retryAfter).catch(() => 'unknown');
      // A partition or comparison that died leaves its correlation unable to finish: that job is dead too, with the
      // reason.
      if (outcome === 'dead' && job.parentId !== null)
        await options.pool
          .query(
            `UPDATE correlation_jobs SET state = 'dead', last_error = $2, updated_at = now() WHERE id = $1 AND state = 'waiting'`,
            [
              job.parentId,
              `${{ screen: 'partition', register: 'registration batch', compare: 'comparison' }[job.kind as string] ?? job.kind} ${job.part} failed: ${message}`,
            ],
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
    settings,
    cache,
    log,
  };
  const at = () => new Date(now()).toISOString();

  /** One job's work, finished in the transaction that stores its results. */
  async function perform(job: CorrelationJob, signal: AbortSignal): Promise<void> {
    if (job.kind !== 'correlate') {
      const result =
        job.kind === 'screen'
          ? await screenPartition(ctx, job.spec as ScreenSpec)
          : job.kind === 'register'
            ? await registerCandidates(ctx, job.spec as RegisterSpec, signal)
            : await comparePair(ctx, job.spec as CompareSpec, signal);
      if (signal.aborted) throw signal.reason;
      await finishJob(options.pool, job, id, (client) => queueParentWhenChildrenDone(client, job), {
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
    const children = (
      await options.pool.query<{ kind: string; state: string; result: unknown }>(
        'SELECT kind, state, result FROM correlation_jobs WHERE parent_id = $1 ORDER BY part',
        [job.id],
      )
    ).rows;
    let step: Step;
    if (children.length === 0) step = await planCorrelation(ctx, record, signal);
    else {
      // Every child is done (the last one queued this job again).
      if (children.some((c) => c.state !== 'done')) throw new Error('a child job is not done yet');
      // The last stage's children say what comes next: comparisons in → leads; registrations → comparisons;
      // partitions → registrations (or comparisons when the check is off).
      const state = job.result as PlanState;
      const of = <T>(kind: string) => children.filter((c) => c.kind === kind).map((c) => c.result as T);
      const compared = of<CompareResult>('compare');
      const registered = of<RegisterResult>('register');
      step =
        compared.length > 0
          ? { kind: 'done', ...finishCorrelation(ctx, state, compared) }
          : registered.length > 0
            ? afterRegistration(ctx, record, state, registered)
            : await afterScreening(ctx, record, state, of<ScreenResult>('screen'));
    }
    if (signal.aborted) throw signal.reason;
    if (step.kind === 'done') {
      await finishJob(options.pool, job, id, async (client) => {
        const written = await writeCorrelation(client, record.id, step.leads, step.notes, at());
        stats.feedLockWaitMs += written.feedLockWaitMs;
      });
      return;
    }
    // Child jobs (partitions to screen, or pairs to register or compare); this job waits for them. Partitions are for
    // any worker; pairs are meant for the worker that computed the query's signature (its analysis threads hold the
    // query scan prepared), so no other worker loads, levels and masks it again unless that one is gone or lags.
    const { children: next } = step;
    const state: PlanState = { ...step.state, preparedBy: children.length === 0 ? id : step.state.preparedBy };
    const affinity = next[0]!.kind !== 'screen' ? (state.preparedBy ?? null) : null;
    await finishJob(
      options.pool,
      job,
      id,
      async (client) => {
        // Due as of their correlation's creation: workers finish the correlations they started before they start
        // new ones, so a burst of submissions does not hold up every lead until all are screened.
        await client.query(
          `INSERT INTO correlation_jobs (submission_id, kind, part, parent_id, spec, run_after, affinity, affinity_until)
           SELECT $1, $2, part, $3, spec, $5, $6::text,
             CASE WHEN $6::text IS NOT NULL THEN now() + make_interval(secs => $7) END
           FROM unnest($4::json[]) WITH ORDINALITY AS c(spec, part)`,
          [
            job.submissionId,
            next[0]!.kind,
            job.id,
            next.map((c) => JSON.stringify(c.spec)),
            job.createdAt,
            affinity,
            helpAfterMs / 1000,
          ],
        );
        await client.query('SELECT pg_notify($1, $2)', [jobsChannel, job.submissionId]);
      },
      { state: 'waiting', result: state },
    );
  }

  /** The last child job done (partition screened or pair compared) puts its correlation back in the queue. */
  async function queueParentWhenChildrenDone(client: PgClient, job: CorrelationJob): Promise<void> {
    // The parent's row is locked first, so two partitions finishing together see each other's outcome.
    await client.query('SELECT id FROM correlation_jobs WHERE id = $1 FOR UPDATE', [job.parentId]);
    const queued = await client.query(
      `UPDATE correlation_jobs p SET state = 'queued', attempts = 0, run_after = p.created_at, updated_at = now()
       WHERE p.id = $1 AND p.state = 'waiting'
         AND NOT EXISTS (SELECT 1 FROM correlation_jobs c WHERE c.parent_id = $1 AND c.state <> 'done')`,
      [job.parentId],
    );
    if (queued.rowCount === 1) await client.query('SELECT pg_notify($1, $2)', [jobsChannel, job.submissionId]);
  }

  const slot = async () => {
    while (!stopping.signal.aborted) {
      let job: CorrelationJob | undefined;
      try {
        await listen();
        // Only the kinds this version runs: in a rolling upgrade, a job of a newer kind waits for a newer worker.
        job = await claimJob(options.pool, id, leaseMs, maxAttempts, jobKinds, cache.keys());
        if (unavailableSince !== undefined) log('the database is back');
        unavailableSince = undefined;
      } catch (error) {
        const why = databaseUnavailable(error) ?? (error as Error).message;
        if (unavailableSince === undefined) log(`cannot take jobs: ${why}; trying again`);
        unavailableSince ??= now();
        await pause(pollMs);
        continue;
      }
      if (job) {
        if (job.affinity !== null && job.affinity !== id) stats.helped++;
        await run(job);
      } else await pause(pollMs);
    }
  };
  const slots = Promise.all(Array.from({ length: concurrency }, slot));

  return {
    id,
    stats,
    cache,
    lostName,
    async stop() {
      stopping.abort(new Error('the worker is stopping'));
      wakeAll();
      await slots;
      clearInterval(heartbeats);
      await beating;
      await lastBeat;
      // Else jobs meant for it wait for its heartbeat to run out; not when the name is another live worker's now.
      if (lostNameTo === undefined) await retireWorker(options.pool, id).catch(() => {});
      const client = listener;
      listener = undefined;
      await client?.end().catch(() => {});
    },
  };
}
