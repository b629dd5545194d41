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
  heartbeat,
  jobKinds,
  jobsNoWorkerTakes,
  listJobs,
} from '../../../electron/network/hub/postgres/jobs.ts';
import { hubJobsCommand } from '../../../electron/cli/commands/hubWorker.ts';
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
  let out = '';
  const stdout = { write: (text: string) => ((out += text), true) } as unknown as NodeJS.WriteStream;
  await hubJobsCommand.run({ argv: ['--db', url], stdout, stderr: stdout, signal: new AbortController().signal });
  return out;
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
    expect(await jobsNoWorkerTakes(pool)).toEqual([{ kind: 'register', queued: 1 }]);
    expect(await jobsOutput(url)).toMatch(/1 queued register job\(s\) wait: no live worker says it runs register jobs/);

    // A worker of the new version starts: it says it runs every kind, and takes the job.
    await heartbeat(pool, 'newer-worker', 60_000);
    expect(await jobsNoWorkerTakes(pool)).toEqual([]);
    expect(await jobsOutput(url)).not.toMatch(/wait: no live worker/);
    expect((await claimJob(pool, 'newer-worker', 60_000, 5, jobKinds))?.kind).toBe('register');
  });
});
