// Workers of different versions on one hub database (a rolling upgrade: migrate, then restart the workers one by
// one): a worker claims only the kinds of job it runs, so a job of a newer kind waits, untouched, for a newer worker,
// and the operator's `casebench hub jobs` says why it waits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPostgresPool, type PgPool } from '../../../electron/network/hub/postgres/connect.ts';
import { migrateHub } from '../../../electron/network/hub/postgres/migrate.ts';
import {
  claimJob,
  claimWorkerName,
  heartbeat,
  jobKinds,
  jobsNoWorkerTakes,
  listJobs,
  renewHeartbeat,
  retireWorker,
} from '../../../electron/network/hub/postgres/jobs.ts';
import { hubJobsCommand, hubWorkerCommand } from '../../../electron/cli/commands/hubWorker.ts';
import { removeDir, tempDir } from '../network/harness.ts';
import { freshDatabase, startTestPostgres, type TestPostgres } from './pgHarness.ts';
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
    expect(await claimWorkerName(pool, 'another', 60_000)).toEqual({ taken: true });
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
