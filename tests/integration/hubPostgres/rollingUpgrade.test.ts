// Workers of different versions on one hub database (a rolling upgrade: migrate, then restart the workers one by
// one): a worker claims only the kinds of job it runs, so a job of a newer kind waits, untouched, for a newer worker,
// and the operator's `casebench hub jobs` says why it waits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPostgresPool, type PgPool } from '../../../electron/network/hub/postgres/connect.ts';
import { migrateHub } from '../../../electron/network/hub/postgres/migrate.ts';
import {
  aliveWorkers,
  claimJob,
  claimWorkerName,
  heartbeat,
  jobKinds,
  jobsNoWorkerTakes,
  listJobs,
  renewHeartbeat,
  retireWorker,
} from '../../../electron/network/hub/postgres/jobs.ts';
import { startCorrelationWorker, type CorrelationWorker } from '../../../electron/network/hub/postgres/worker.ts';
import { hubJobsCommand, hubWorkerCommand } from '../../../electron/cli/commands/hubWorker.ts';
import { removeDir, tempDir, until } from '../network/harness.ts';
import { fakeAnalysis, freshDatabase, startTestPostgres, type TestPostgres } from './pgHarness.ts';
import { seedPopulation } from './population.ts';

let cluster: TestPostgres;
let dir: string;
const pools: PgPool[] = [];

beforeAll(() => {
  dir = tempDir('pg-upgrade');
  writeFileSync(join(dir, 'scan.bin'), 'x');
  cluster = startTestPostgres();
});
afterAll(async () => {
  for (const pool of pools) await pool.end();
  cluster?.destroy();
  removeDir(dir);
});

async function database(name: string): Promise<{ pool: PgPool; url: string }> {
  const { url } = freshDatabase(cluster, name);
  const pool = openPostgresPool(url, { max: 4 });
  pools.push(pool);
  await migrateHub(pool);
  return { pool, url };
}

async function jobsOutput(url: string): Promise<string> {
  return (await runCommand(hubJobsCommand, ['--db', url])).out;
}

async function runCommand(command: typeof hubJobsCommand, argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const stdout = { write: (text: string) => ((out += text), true) } as unknown as NodeJS.WriteStream;
  const code = await command.run({ argv, stdout, stderr: stdout, signal: new AbortController().signal });
  return { code, out };
}

describe('rolling upgrade of the correlation workers', { timeout: 60_000 }, () => {
  it('an older worker leaves a job of a kind it does not run queued, and the operator is told why it waits', async () => {
    const { pool, url } = await database('kinds');
    const [submission] = await seedPopulation(pool, {
      count: 1,
      calibre: '9mm Luger',
      labs: ['LAB-1'],
      artifactsDir: join(dir, 'artifacts'),
      fileFor: () => join(dir, 'scan.bin'),
      encodingFor: () => Buffer.alloc(0),
      paramsKey: 'none',
    });
    // A newer hub queued a registration batch (a kind the older worker's version did not have) and a comparison.
    await pool.query(
      `INSERT INTO correlation_jobs (submission_id, kind, part, spec) VALUES ($1, 'register', 1, '{}'), ($1, 'compare', 1, '{}')`,
      [submission],
    );
    const older = ['correlate', 'screen', 'compare'];
    await heartbeat(pool, 'older-worker', 60_000, older);
    const taken = await claimJob(pool, 'older-worker', 60_000, 5, older);
    expect(taken?.kind).toBe('compare');
    expect(await claimJob(pool, 'older-worker', 60_000, 5, older)).toBeUndefined();
    const [waiting] = await listJobs(pool, { states: ['queued'] });
    expect(waiting).toMatchObject({ kind: 'register', state: 'queued', attempts: 0, lastError: null });
    expect(await jobsNoWorkerTakes(pool)).toEqual([{ kind: 'register', queued: 1, olderWorkers: [] }]);
    expect(await jobsOutput(url)).toMatch(/1 queued register job\(s\) wait: no live worker says it runs register jobs/);

    // A worker of the new version starts: it says it runs every kind, and takes the job.
    await heartbeat(pool, 'newer-worker', 60_000);
    expect(await jobsNoWorkerTakes(pool)).toEqual([]);
    expect(await jobsOutput(url)).not.toMatch(/wait: no live worker/);
    expect((await claimJob(pool, 'newer-worker', 60_000, 5, jobKinds))?.kind).toBe('register');
  });

  it('says a job will be taken by workers from before kinds were announced (they take every kind), not that it waits', async () => {
    const { pool, url } = await database('olderkinds');
    const [submission] = await seedPopulation(pool, {
      count: 1,
      calibre: '9mm Luger',
      labs: ['LAB-1'],
      artifactsDir: join(dir, 'artifacts-older'),
      fileFor: () => join(dir, 'scan.bin'),
      encodingFor: () => Buffer.alloc(0),
      paramsKey: 'none',
    });
    await pool.query(
      `INSERT INTO correlation_jobs (submission_id, kind, part, spec) VALUES ($1, 'register', 1, '{}')`,
      [submission],
    );
    // A worker of a release before migration 0007 beats without kinds (the column stays NULL) and claims any kind.
    await pool.query(
      `INSERT INTO correlation_workers (id, alive_until) VALUES ('pre-kinds', now() + interval '1 minute')`,
    );
    expect(await jobsNoWorkerTakes(pool)).toEqual([{ kind: 'register', queued: 1, olderWorkers: ['pre-kinds'] }]);
    const out = await jobsOutput(url);
    expect(out).not.toMatch(/wait: no live worker/);
    expect(out).toMatch(
      /1 queued register job\(s\): no live worker of this version runs register jobs; the live worker\(s\) pre-kinds .* take jobs of every kind/,
    );
  });

  it('refuses to start a worker under the name of a live worker (names own leases); a name whose heartbeat ran out is free', async () => {
    const { pool, url } = await database('names');
    await heartbeat(pool, 'worker', 60_000);
    const refused = await runCommand(hubWorkerCommand, ['--db', url, '--data', dir, '--id', 'worker']);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/a live worker already runs as "worker" \(its heartbeat lasts until 20\d\d-.*--id/);
    expect(await claimWorkerName(pool, 'worker', 60_000)).toMatchObject({ taken: false });
    // Killed without retiring: once its heartbeat has run out, the name can be taken again (by one worker only).
    await pool.query(`UPDATE correlation_workers SET alive_until = now() - interval '1 second' WHERE id = 'worker'`);
    const both = await Promise.all([claimWorkerName(pool, 'worker', 60_000), claimWorkerName(pool, 'worker', 60_000)]);
    expect(both.map((c) => c.taken).sort()).toEqual([false, true]);
    expect(await claimWorkerName(pool, 'another', 60_000)).toMatchObject({ taken: true });
  });

  it('a heartbeat in flight when a worker retires does not bring its name back', async () => {
    const { pool } = await database('retired');
    await heartbeat(pool, 'retiring', 60_000);
    await pool.query(`UPDATE correlation_workers SET alive_until = now() + interval '1 second' WHERE id = 'retiring'`);
    expect(await renewHeartbeat(pool, 'retiring', 60_000)).toBe(true); // alive: renewed
    const renewed = await pool.query(
      `SELECT alive_until > now() + interval '30 seconds' AS long FROM correlation_workers`,
    );
    expect(renewed.rows).toEqual([{ long: true }]);
    // The worker retires; a beat sent before that arrives after it.
    await retireWorker(pool, 'retiring');
    expect(await renewHeartbeat(pool, 'retiring', 60_000)).toBe(false);
    expect((await pool.query(`SELECT id FROM correlation_workers`)).rows).toEqual([]);
  });
});

/** The pool a worker uses, watched: `hold(pattern)` makes the next matching query wait until released; every query's
 *  text is kept (in order) with whether the worker had begun to stop when it was sent. */
function watchedPool(pool: PgPool) {
  const sent: string[] = [];
  let fail: RegExp | undefined;
  let hold: { pattern: RegExp; reached: () => void; release: Promise<void> } | undefined;
  const query = async (text: string, values?: unknown[]) => {
    sent.push(text);
    if (fail?.test(text)) {
      fail = undefined;
      throw new Error('connection reset (test)');
    }
    if (hold?.pattern.test(text)) {
      const { reached, release } = hold;
      hold = undefined;
      reached();
      await release;
    }
    return pool.query(text, values);
  };
  const watched = new Proxy(pool, {
    get: (target, key) => (key === 'query' ? query : (Reflect.get(target, key, target) as unknown)),
  });
  return {
    pool: watched as PgPool,
    sent,
    failNext(pattern: RegExp) {
      fail = pattern;
    },
    holdNext(pattern: RegExp): { reached: Promise<void>; release: () => void } {
      let release!: () => void;
      let reached!: () => void;
      const held = { reached: new Promise<void>((r) => (reached = r)), release: () => release() };
      hold = { pattern, reached, release: new Promise<void>((r) => (release = r)) };
      return held;
    },
  };
}

const workerRowIds = async (pool: PgPool) => (await aliveWorkers(pool)).map((w) => w.id);

describe("a worker's heartbeat row", { timeout: 60_000 }, () => {
  const workers: CorrelationWorker[] = [];
  afterAll(async () => {
    for (const worker of workers) await worker.stop();
  });
  function start(pool: PgPool, url: string, id: string, log: (message: string) => void = () => {}) {
    const worker = startCorrelationWorker({
      pool,
      url,
      records: { get: async () => undefined },
      artifacts: { localPath: () => undefined },
      analysis: fakeAnalysis(),
      id,
      leaseMs: 600, // a beat every 200 ms
      pollMs: 50,
      log,
    });
    workers.push(worker);
    return worker;
  }

  it('is made at the next beat when the first beat failed, and again when the row was forgotten', async () => {
    const { pool, url } = await database('beatlost');
    const watched = watchedPool(pool);
    watched.failNext(/INSERT INTO correlation_workers/); // the first beat: the database is away for a moment
    const logged: string[] = [];
    start(watched.pool, url, 'unlucky', (message) => logged.push(message));
    await until(async () => (await workerRowIds(pool)).includes('unlucky'), 'the worker registered at a later beat');
    expect(logged.join('\n')).toMatch(/registered again/);
    // A long outage: forgetGoneWorkers (another worker starting) deleted the row; the worker still takes jobs.
    await pool.query(`DELETE FROM correlation_workers WHERE id = 'unlucky'`);
    expect(await jobsNoWorkerTakes(pool)).toEqual([]);
    await until(async () => (await workerRowIds(pool)).includes('unlucky'), 'the forgotten worker registered again');
    const [row] = (await pool.query<{ kinds: string[] }>(`SELECT kinds FROM correlation_workers`)).rows;
    expect(row!.kinds).toEqual([...jobKinds]);
  });

  it('is not made again by a beat in flight once the worker has begun to stop', async () => {
    const { pool, url } = await database('beatstop');
    const watched = watchedPool(pool);
    const worker = start(watched.pool, url, 'stopping');
    await until(async () => (await workerRowIds(pool)).includes('stopping'), 'the worker registered');
    // The row goes (forgotten) while a renewal is on its way; the worker begins to stop before the renewal answers.
    const held = watched.holdNext(/UPDATE correlation_workers SET alive_until/);
    await held.reached;
    await pool.query(`DELETE FROM correlation_workers WHERE id = 'stopping'`);
    const stopped = worker.stop();
    const sentBeforeStop = watched.sent.length;
    held.release();
    await stopped;
    expect(watched.sent.slice(sentBeforeStop).filter((text) => /INSERT INTO correlation_workers/.test(text))).toEqual(
      [],
    );
    expect(await workerRowIds(pool)).toEqual([]);
  });

  it('stops taking jobs, and leaves the row alone, when another live worker took its name meanwhile', async () => {
    const { pool, url } = await database('beatname');
    const logged: string[] = [];
    const worker = start(pool, url, 'shared-name', (message) => logged.push(message));
    await until(async () => (await workerRowIds(pool)).includes('shared-name'), 'the worker registered');
    // Its row forgotten, and another worker started under the same name (it was free then).
    await pool.query(`DELETE FROM correlation_workers WHERE id = 'shared-name'`);
    expect(await claimWorkerName(pool, 'shared-name', 60_000)).toMatchObject({ taken: true });
    await worker.lostName;
    expect(logged.join('\n')).toMatch(/STOPPED taking jobs: another live worker now runs as "shared-name"/);
    await worker.stop();
    const [row] = (
      await pool.query<{ long: boolean }>(
        `SELECT alive_until > now() + interval '30 seconds' AS long FROM correlation_workers WHERE id = 'shared-name'`,
      )
    ).rows;
    expect(row).toEqual({ long: true }); // the other worker's row: not retired, not renewed to this one's lease
  });
});
