// A correlation's comparisons stay on the worker that prepared its query scan (it computed the query's signature, so
// its analysis threads hold the scan loaded, levelled and masked): with two workers at work no query is prepared by
// both. They go elsewhere only when that worker lags (another, with nothing else to do, helps) or is gone (killed
// in the middle of a correlation: the correlation still finishes elsewhere, its results stored once).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeScreeningSignature } from '../../../electron/analysis/index.ts';
import { openPostgresPool, type PgPool } from '../../../electron/network/hub/postgres/connect.ts';
import { migrateHub } from '../../../electron/network/hub/postgres/migrate.ts';
import { engineAnalysis, type ScreeningAnalysis } from '../../../electron/network/hub/screening/analysis.ts';
import { cli } from '../../fixtures/cli.ts';
import { sharedDataPath } from '../../fixtures/sharedData.ts';
import { randomSignature, seeded } from '../../fixtures/screeningSignatures.ts';
import { removeDir, tempDir, until, withTimeout } from '../network/harness.ts';
import {
  duplicatedResults,
  fakeAnalysis,
  freshDatabase,
  jobsOf,
  spawnWorker,
  startTestPostgres,
  startTestWorker,
  type TestPostgres,
} from './pgHarness.ts';
import { seedPopulation, submitCasing } from './population.ts';

let dir: string;
let cluster: TestPostgres;
const cleanups: (() => Promise<unknown> | void)[] = [];

beforeAll(() => {
  dir = tempDir('pg-affinity');
  cluster = startTestPostgres();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cluster?.destroy();
  removeDir(dir);
});

const calibre = '9mm Luger';

/** A database with `count` stored casings of other labs (synthetic signatures of `paramsKey`), each one's X3P `file(i)`. */
async function network(name: string, count: number, paramsKey: string, file: (i: number) => string) {
  const pg = freshDatabase(cluster, name);
  const shared = join(dir, name);
  const pool = openPostgresPool(pg.url, { max: 2 });
  cleanups.push(() => pool.end());
  await migrateHub(pool); // the population needs the schema before any worker starts
  const random = seeded(count);
  await seedPopulation(pool, {
    count,
    calibre,
    labs: ['LAB-2', 'LAB-3'],
    artifactsDir: join(shared, 'artifacts'),
    fileFor: file,
    encodingFor: () => Buffer.from(encodeScreeningSignature(randomSignature(random))),
    paramsKey,
  });
  const submit = (scan: string, caseRef: string) =>
    submitCasing(pool, { artifactsDir: join(shared, 'artifacts'), scan, calibre, caseRef });
  return { pg, shared, pool, submit };
}

async function correlated(pool: PgPool, ids: string[]): Promise<boolean> {
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM submissions WHERE id = ANY($1) AND state = 'correlated'`,
    [ids],
  );
  return Number(rows[0]!.n) === ids.length;
}

interface Use {
  worker: string;
  what: 'signature' | 'compare';
  /** The query's X3P. */
  path: string;
}

/**
 * Test analysis that notes which worker computed each casing's signature and which compared each query. A worker's
 * first signature waits until every worker of `together` has started one: proof that each took a correlation.
 */
function watchedAnalysis(worker: string, log: Use[], together: Set<string>, workers: number): ScreeningAnalysis {
  const base = fakeAnalysis(async (query) => {
    log.push({ worker, what: 'compare', path: query.path });
    await new Promise((resolve) => setTimeout(resolve, 5));
  });
  return {
    ...base,
    async encoding(path, signal) {
      log.push({ worker, what: 'signature', path });
      together.add(worker);
      await until(() => together.size >= workers, 'every worker to take a correlation', 30_000);
      return base.encoding(path, signal);
    },
  };
}

/** Distinct files the test analysis can read (its signature follows from the first bytes). */
function scanFiles(name: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const path = join(dir, `${name}-${i}.x3p`);
    const bytes = Buffer.alloc(600, i + 1);
    bytes.writeUInt32LE(1000 + i, 0);
    writeFileSync(path, bytes);
    return path;
  });
}

describe('comparisons stay with the worker that prepared the query scan', { timeout: 180_000 }, () => {
  it('two workers at work: each query scan is prepared by one worker only, and its comparisons all run there', async () => {
    const files = scanFiles('normal', 8);
    const net = await network('normal', 12, fakeAnalysis().paramsKey, () => files[7]!);
    await net.pool.query(
      `INSERT INTO correlation_workers (id, alive_until) VALUES ('killed-long-ago', now() - interval '2 days')`,
    );
    const log: Use[] = [];
    const together = new Set<string>();
    // One job at a time each; neither helps the other here (help only comes after a minute of lag).
    const workers = [];
    for (const name of ['a', 'b']) {
      const worker = await startTestWorker(net.pg, net.shared, watchedAnalysis(name, log, together, 2), {
        id: name,
        concurrency: 1,
        helpAfterMs: 60_000,
      });
      cleanups.push(() => worker.close());
      workers.push(worker);
    }
    // Both say they are alive; a worker killed two days ago is forgotten when one starts.
    const alive = async () =>
      (await net.pool.query<{ id: string }>('SELECT id FROM correlation_workers ORDER BY id')).rows.map((r) => r.id);
    await until(async () => (await alive()).join() === 'a,b', 'the two workers alive, the long-gone one forgotten');
    const ids: string[] = [];
    for (const [i, file] of files.slice(0, 6).entries()) ids.push(await net.submit(file, `Q-${i}`));
    await until(() => correlated(net.pool, ids), 'every correlation', 120_000);

    const jobs = await jobsOf(net.pg);
    const compares = jobs.filter((j) => j.kind === 'compare');
    expect(compares).toHaveLength(6 * 10); // 12 stored casings: the best 10 compared in full, for each query
    expect(compares.every((j) => j.state === 'done' && j.attempts === 1)).toBe(true);
    const byQuery = new Map<string, Set<string>>();
    for (const entry of log) byQuery.set(entry.path, (byQuery.get(entry.path) ?? new Set()).add(entry.worker));
    const queries = [...new Set(log.filter((l) => l.what === 'signature').map((l) => l.path))];
    expect(queries).toHaveLength(6);
    // Each query's signature and every one of its comparisons: one worker.
    for (const query of queries) expect([...byQuery.get(query)!]).toHaveLength(1);
    expect(log.filter((l) => l.what === 'compare')).toHaveLength(60);
    // Both workers prepared queries of their own (each took correlations), and neither took the other's pairs.
    expect(new Set(log.filter((l) => l.what === 'signature').map((l) => l.worker)).size).toBe(2);
    expect(workers.map((w) => w.stats.helped)).toEqual([0, 0]);
    expect(await duplicatedResults(net.pg)).toEqual([]);
  });

  it('a worker that lags: another with nothing else to do takes its waiting comparisons; the leads are stored once', async () => {
    const files = scanFiles('lag', 6);
    const net = await network('lag', 5, fakeAnalysis().paramsKey, () => files[5]!);
    // The slow worker's first comparison holds until the test lets it go; its other four wait for it.
    let holding: () => void = () => {};
    const held = new Promise<void>((resolve) => (holding = resolve));
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    const slow = await startTestWorker(
      net.pg,
      net.shared,
      fakeAnalysis(async () => {
        if (!first) return;
        first = false;
        holding();
        await released;
      }),
      { id: 'slow', concurrency: 1, helpAfterMs: 300 },
    );
    cleanups.push(() => slow.close());
    const id = await net.submit(files[0]!, 'LAG');
    await withTimeout(held, 60_000, 'the slow worker to start a comparison');
    const waiting = (await jobsOf(net.pg)).filter((j) => j.kind === 'compare' && j.state === 'queued');
    expect(waiting).toHaveLength(4);
    expect(waiting.every((j) => j.affinity === 'slow')).toBe(true);
    // The operator sees who is alive and whom the pairs wait for.
    const listed = await cli('hub', 'jobs', '--db', net.pg.url, '--state', 'queued');
    expect(listed.out).toMatch(/workers alive: 1 \(slow\)/);
    expect(listed.out.match(/compare #\d+ .* for slow/g)).toHaveLength(4);
    const helper = await startTestWorker(net.pg, net.shared, fakeAnalysis(), { id: 'helper', concurrency: 1 });
    cleanups.push(() => helper.close());
    await until(async () => helper.stats.done === 4, 'the helper to compare the four waiting pairs', 60_000);
    release();
    await until(() => correlated(net.pool, [id]), 'the correlation', 60_000);
    const compares = (await jobsOf(net.pg)).filter((j) => j.kind === 'compare');
    expect(compares.every((j) => j.state === 'done' && j.attempts === 1)).toBe(true);
    expect(helper.stats.helped).toBe(4);
    expect(slow.stats.helped).toBe(0);
    expect((await net.pool.query('SELECT 1 FROM leads WHERE submission_id = $1', [id])).rowCount).toBe(5);
    expect(await duplicatedResults(net.pg)).toEqual([]);
  });

  it('a worker killed in the middle of a correlation: the comparisons meant for it run elsewhere, the leads once', async () => {
    const engine = engineAnalysis({ workers: 1 });
    cleanups.push(() => engine.close());
    const fadul = (name: string) => sharedDataPath('fadul', name);
    // Four stored casings with real scans (1-2 fired by the same slide as the query, 1-1), synthetic signatures.
    const others = ['fadul_1-2.x3p', 'fadul_2-1.x3p', 'fadul_3-1.x3p', 'fadul_4-1.x3p'].map(fadul);
    const net = await network('killed', others.length, engine.paramsKey, (i) => others[i]!);
    const doomed = await spawnWorker(net.pg, net.shared, [
      '--lease-seconds',
      '2',
      '--analysis-workers',
      '1',
      '--concurrency',
      '1',
      '--id',
      'doomed',
    ]);
    cleanups.push(() => doomed.stop());
    const id = await net.submit(fadul('fadul_1-1.x3p'), 'KILLED');
    const running = async () => (await jobsOf(net.pg)).find((j) => j.kind === 'compare' && j.state === 'running');
    await until(async () => (await running())?.leaseOwner === 'doomed', 'the doomed worker to compare', 90_000);
    // The test locks the correlation's row, which a finished comparison updates when it is the last: the doomed
    // worker compares and then waits there (or at its next pair), holding its comparison, however fast it is.
    const holder = openPostgresPool(net.pg.url, { max: 1 });
    const lock = await holder.connect();
    await lock.query('BEGIN');
    await lock.query(`SELECT 1 FROM correlation_jobs WHERE submission_id = $1 AND kind = 'correlate' FOR UPDATE`, [id]);
    await until(
      async () =>
        Number(
          (
            await lock.query<{ n: string }>(
              `SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'casebench-hub worker'
               AND wait_event_type = 'Lock'`,
            )
          ).rows[0]!.n,
        ) > 0,
      'the doomed worker to finish a comparison and wait',
      90_000,
    );
    const before = await jobsOf(net.pg);
    const stuck = before.find((j) => j.kind === 'compare' && j.state === 'running')!;
    expect(stuck.leaseOwner).toBe('doomed');
    const meantForDoomed = before.filter((j) => j.kind === 'compare' && j.state === 'queued');
    expect(meantForDoomed.length).toBeGreaterThan(0);
    expect(meantForDoomed.every((j) => j.affinity === 'doomed')).toBe(true);
    doomed.child.kill('SIGKILL');
    await new Promise((resolve) => doomed.child.once('exit', resolve));
    await lock.query('ROLLBACK');
    lock.release();
    await holder.end();

    const rescuer = await startTestWorker(net.pg, net.shared, engine, { id: 'rescuer', leaseMs: 2_000 });
    cleanups.push(() => rescuer.close());
    await until(() => correlated(net.pool, [id]), 'the correlation to finish elsewhere', 120_000);
    const jobs = await jobsOf(net.pg);
    const compares = jobs.filter((j) => j.kind === 'compare');
    expect(compares).toHaveLength(4);
    expect(compares.every((j) => j.state === 'done')).toBe(true);
    // The comparison the doomed worker held ran again; the ones meant for it ran once, elsewhere.
    expect(compares.find((j) => j.id === stuck.id)!.attempts).toBe(2);
    for (const job of meantForDoomed) expect(compares.find((j) => j.id === job.id)!.attempts).toBe(1);
    expect(rescuer.stats.helped).toBe(meantForDoomed.length + 1);
    expect(await duplicatedResults(net.pg)).toEqual([]);
    const leads = (
      await net.pool.query<{ score: number; other: string }>(
        `SELECT l.score, s.case_ref AS other FROM leads l JOIN submissions s ON s.id = l.other_submission_id
         WHERE l.submission_id = $1 ORDER BY l.score DESC`,
        [id],
      )
    ).rows;
    expect(leads).toHaveLength(4);
    expect(leads[0]!.score).toBeGreaterThanOrEqual(6); // the known match, scored by the real engine
  });
});

describe('hub worker options', () => {
  it('refuses a scan cache out of range before it connects to anything', async () => {
    for (const bad of ['0', '-1', '1.5', 'lots']) {
      const run = await cli('hub', 'worker', '--db', 'postgres://nowhere/x', '--data', dir, '--scan-cache-mib', bad);
      expect(run.code).not.toBe(0);
      expect(run.err).toMatch(/--scan-cache-mib/); // out of range, or not a value at all
    }
  });
});
