// `casebench hub worker`: a correlation worker of a hub on PostgreSQL; `casebench hub jobs`: the operator's view of
// the correlation jobs (dead ones above all) and a retry.
import { join } from 'node:path';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { parseCommandArgs } from '../args.ts';
import { openFolderArtifacts } from '../../network/hub/artifactFolder.ts';
import { engineAnalysis } from '../../network/hub/screening/analysis.ts';
import { openPostgresPool } from '../../network/hub/postgres/connect.ts';
import { migrateHub } from '../../network/hub/postgres/migrate.ts';
import { openPostgresRecords } from '../../network/hub/postgres/records.ts';
import {
  aliveWorkers,
  claimWorkerName,
  defaultLeaseMs,
  jobCounts,
  jobsNoWorkerTakes,
  listJobs,
  retryJob,
  type JobState,
} from '../../network/hub/postgres/jobs.ts';
import { startCorrelationWorker } from '../../network/hub/postgres/worker.ts';
import { checkScreeningSettings, defaultScreeningSettings } from '../../network/hub/screening/pipeline.ts';

function positive(value: string | undefined, name: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${name} must be 1..${max}`);
  return n;
}

export const hubWorkerCommand: Command = {
  name: ['hub', 'worker'],
  stopsCleanly: true,
  summary: 'run a correlation worker of a hub on PostgreSQL',
  help: `Usage: casebench hub worker --db <url> --data <folder> [options]

Takes correlation jobs from the hub's PostgreSQL database and correlates each committed casing with the analysis
engine, reading artifacts from <data>/artifacts (the folder the hubs write: a shared volume when they run on other
machines): its screening signature is stored once; every casing of its calibre and region from other labs is
screened (a large population in partitions, as jobs any worker takes); the signature's best are registered onto
it (the registration check) and the best by registration get full CMC with a likelihood ratio. Run as many as you like, on any machines: jobs are leased, a worker that dies loses its lease and its job
runs elsewhere, results are written once.

Options:
  --db <url>                PostgreSQL database of the hub (required)
  --data <folder>           the hubs' shared data folder (required)
  --analysis-workers <n>    analysis threads (default: one per core, at most 8)
  --concurrency <n>         jobs run at once (default: as many as analysis threads)
  --screening-cache-mib <n> memory for screened partitions kept decoded between jobs (default 256: about
                            330,000 casings; the least recently used go first)
  --scan-cache-mib <n>      memory per analysis thread for prepared scans kept between comparisons (default 256:
                            about 40 scans of 6 MiB; a correlation's query stays while its pairs are compared)
  --lease-seconds <n>       how long a job stays this worker's without renewal (default 60)
  --max-attempts <n>        attempts before a job is dead (default 5)
  --partition-size <n>      casings screened per job; larger populations are split across workers (default 25000)
  --top-k <n>               candidates that get full CMC per correlation (default 10)
  --registration-check <n>  how many of the signature's best are registered before the top K is taken (default
                            max(2 × top K, 40); 0: off, the signature's order alone)
  --correlation-years <n>   screen only casings recovered within n years of the submission's date, and undated
                            ones (default: every date)
  --parallel-gc             keep V8's parallel garbage-collector threads (default: single-threaded GC, so the
                            analysis threads have the cores to themselves: less CPU per correlation)
  --id <name>               this worker's name in the jobs it holds, unique among live workers: refused while a live
                            worker has it (default host:pid:random)`,
  async run({ argv, stdout, stderr, signal }) {
    const { values } = parseCommandArgs(argv, {
      db: { type: 'string' },
      data: { type: 'string' },
      'analysis-workers': { type: 'string' },
      concurrency: { type: 'string' },
      'screening-cache-mib': { type: 'string' },
      'scan-cache-mib': { type: 'string' },
      'lease-seconds': { type: 'string' },
      'max-attempts': { type: 'string' },
      'partition-size': { type: 'string' },
      'correlation-years': { type: 'string' },
      'top-k': { type: 'string' },
      'registration-check': { type: 'string' },
      'parallel-gc': { type: 'boolean' }, // read by bin/casebench.mjs, which starts the worker with or without it
      id: { type: 'string' },
    });
    if (!values.db || !values.data) throw new UsageError('--db and --data are required');
    const analysisWorkers = positive(values['analysis-workers'], '--analysis-workers', 64);
    const concurrency = positive(values.concurrency, '--concurrency', 64);
    const cacheMib = positive(values['screening-cache-mib'], '--screening-cache-mib', 1_048_576);
    const scanCacheMib = positive(values['scan-cache-mib'], '--scan-cache-mib', 1_048_576);
    const leaseSeconds = positive(values['lease-seconds'], '--lease-seconds', 3600);
    const maxAttempts = positive(values['max-attempts'], '--max-attempts', 100);
    const partitionSize = positive(values['partition-size'], '--partition-size', 10_000_000);
    const correlationYears = positive(values['correlation-years'], '--correlation-years', 200);
    const topK = positive(values['top-k'], '--top-k', 1000);
    const registrationCheck =
      values['registration-check'] === '0' ? 0 : positive(values['registration-check'], '--registration-check', 10_000);
    const settings = {
      ...(partitionSize ? { partitionSize } : {}),
      ...(correlationYears ? { correlationYears } : {}),
      ...(topK ? { topK } : {}),
      ...(registrationCheck !== undefined ? { registrationCheck } : {}),
    };
    try {
      // Checked before anything is opened: the worker would refuse them later, with threads and connections open.
      checkScreeningSettings({ ...defaultScreeningSettings, ...settings });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const pool = openPostgresPool(values.db, { max: 4, applicationName: 'casebench-hub worker' });
    await migrateHub(pool);
    const leaseMs = leaseSeconds ? leaseSeconds * 1000 : defaultLeaseMs;
    if (values.id !== undefined) {
      // A worker's name owns its jobs' leases: a second worker of the same name would renew and finish the first's.
      const claimed = await claimWorkerName(pool, values.id, leaseMs);
      if (!claimed.taken) {
        stderr.write(
          `hub worker: a live worker already runs as "${values.id}" (its heartbeat lasts until ${claimed.aliveUntil}): ` +
            `each worker needs a name of its own (--id), or none (host:pid:random). If that worker was killed, start ` +
            `again once its heartbeat has run out\n`,
        );
        await pool.end();
        return ExitCode.failed;
      }
    }
    const artifacts = openFolderArtifacts(join(values.data, 'artifacts'));
    const analysis = engineAnalysis({ workers: analysisWorkers, cacheBytes: scanCacheMib && scanCacheMib * 2 ** 20 });
    // The engine's threads start (OpenCV loaded in each) before the first job is taken: no job pays for them.
    await analysis.warm?.();
    const worker = startCorrelationWorker({
      pool,
      url: values.db,
      records: openPostgresRecords(pool, { closePool: false }),
      artifacts,
      analysis,
      settings,
      id: values.id,
      concurrency,
      screeningCacheBytes: cacheMib && cacheMib * 2 ** 20,
      leaseMs,
      maxAttempts,
      log: (message) => stderr.write(`hub worker: ${message}\n`),
    });
    stdout.write(`hub worker ${worker.id} started\n`);
    // Until asked to stop, or until it stops by itself (another live worker took its name; it said so in its log).
    let nameLost = false;
    await Promise.race([
      new Promise<void>((resolve) =>
        signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true }),
      ),
      worker.lostName.then(() => (nameLost = true)),
    ]);
    await worker.stop();
    const cache = worker.cache.stats();
    stderr.write(
      `hub worker: stopped; jobs done ${worker.stats.done}, failed ${worker.stats.failed}, lost ${worker.stats.lost}, ` +
        `${worker.stats.helped} of them meant for another worker; ` +
        `feed lock waited ${Math.round(worker.stats.feedLockWaitMs)} ms; screening cache ${cache.casings} casings in ` +
        `${cache.partitions} partitions, ${(cache.bytes / 2 ** 20).toFixed(1)} of ${cache.maxBytes / 2 ** 20} MiB, ` +
        `${cache.hits} hits, ${cache.misses} misses\n`,
    );
    await analysis.close();
    await artifacts.close();
    await pool.end();
    return nameLost ? ExitCode.failed : ExitCode.ok;
  },
};

const jobStates = ['queued', 'running', 'waiting', 'done', 'dead'] as const;

export const hubJobsCommand: Command = {
  name: ['hub', 'jobs'],
  summary: "list a PostgreSQL hub's correlation jobs (dead ones with their error); retry one",
  help: `Usage: casebench hub jobs --db <url> [--state dead|queued|running|waiting|done] [--limit n] [--json]
       casebench hub jobs --db <url> --retry <job id>

Lists correlation jobs, newest first, with their counts by state and the workers alive; a dead job shows the
error of its last attempt, a queued comparison the worker it waits for (the one holding its query scan prepared), and the queued jobs of a
kind no live worker runs (in a rolling upgrade, until the workers run the new version). --retry queues a dead job
again with a fresh attempt count. Exit code 1 when any job is dead.`,
  async run({ argv, stdout }) {
    const { values } = parseCommandArgs(argv, {
      db: { type: 'string' },
      state: { type: 'string' },
      limit: { type: 'string' },
      retry: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (!values.db) throw new UsageError('--db is required');
    if (values.state && !jobStates.includes(values.state as JobState))
      throw new UsageError(`--state must be one of ${jobStates.join(', ')}`);
    const limit = positive(values.limit, '--limit', 10_000) ?? 50;
    const pool = openPostgresPool(values.db, { max: 1, applicationName: 'casebench hub jobs' });
    try {
      await migrateHub(pool);
      if (values.retry !== undefined) {
        const id = positive(values.retry, '--retry', Number.MAX_SAFE_INTEGER)!;
        if (!(await retryJob(pool, id))) {
          stdout.write(`job ${id} is not dead (or does not exist): nothing to retry\n`);
          return ExitCode.failed;
        }
        stdout.write(`job ${id} queued again\n`);
        return ExitCode.ok;
      }
      const counts = await jobCounts(pool);
      const jobs = await listJobs(pool, { states: values.state ? [values.state as JobState] : undefined, limit });
      const workers = await aliveWorkers(pool);
      const untaken = await jobsNoWorkerTakes(pool);
      if (values.json) stdout.write(`${JSON.stringify({ counts, workers, untaken, jobs })}\n`);
      else {
        stdout.write(`${jobStates.map((s) => `${s} ${counts[s]}`).join(' · ')}\n`);
        stdout.write(
          `workers alive: ${workers.length}${workers.length > 0 ? ` (${workers.map((w) => w.id).join(', ')})` : ''}\n`,
        );
        // In a rolling upgrade: jobs of a kind only the new version runs wait, untouched, for a worker of it.
        for (const { kind, queued, olderWorkers } of untaken)
          stdout.write(
            olderWorkers.length > 0
              ? `${queued} queued ${kind} job(s): no live worker of this version runs ${kind} jobs; the live ` +
                  `worker(s) ${olderWorkers.join(', ')} of a Casebench from before job kinds were announced take ` +
                  `jobs of every kind, and fail those they do not know: restart them on this version\n`
              : `${queued} queued ${kind} job(s) wait: no live worker says it runs ${kind} jobs (workers of an older ` +
                  `Casebench do not take kinds they do not know): restart the workers on this version\n`,
          );
        for (const job of jobs)
          stdout.write(
            `${String(job.id).padStart(6)}  ${job.state.padEnd(7)}  ${job.kind}${job.kind === 'correlate' ? '' : ` #${job.part}`}  ` +
              `submission ${job.submissionId}  attempts ${job.attempts}` +
              `${job.state === 'queued' && job.affinity ? `  for ${job.affinity}` : ''}${job.lastError ? `\n        last error: ${job.lastError}` : ''}\n`,
          );
      }
      return counts.dead > 0 ? ExitCode.failed : ExitCode.ok;
    } finally {
      await pool.end();
    }
  },
};
