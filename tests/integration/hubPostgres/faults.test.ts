// Faults of a hub on PostgreSQL, each on a database of its own in one throwaway cluster: a worker killed in the
// middle of a real correlation, a worker stopping in the middle of a comparison, the database restarted (crashed) under load, two front ends and two workers
// sharing one database, a job that always fails, and the database read-only or full.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, renameSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { cli } from '../../fixtures/cli.ts';
import { engineAnalysis } from '../../../electron/network/hub/screening/analysis.ts';
import { openPostgresPool } from '../../../electron/network/hub/postgres/connect.ts';
import { feedLock } from '../../../electron/network/hub/postgres/records.ts';
import {
  deliveredExactlyOnce,
  enqueue,
  fadulArtifact,
  makeArtifact,
  makePki,
  openStation,
  removeDir,
  submissionInput,
  tempDir,
  until,
  withTimeout,
  type Station,
  type TestPki,
} from '../network/harness.ts';
import {
  duplicatedResults,
  fakeAnalysis,
  freshDatabase,
  jobsOf,
  spawnWorker,
  startPgFrontEnd,
  startTestPostgres,
  startTestWorker,
  type TestPostgres,
} from './pgHarness.ts';

let dir: string;
let pki: TestPki;
let cluster: TestPostgres;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  dir = tempDir('pg-faults');
  pki = await makePki(join(dir, 'pki'));
  cluster = startTestPostgres();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cluster?.destroy();
  removeDir(dir);
});

/** A database, a front end on it and stations of both labs; all stopped at the end of the file. */
async function setUp(name: string, stationOptions: Parameters<typeof openStation>[4] = {}) {
  const pg = freshDatabase(cluster, name);
  const shared = join(dir, name);
  const hub = await startPgFrontEnd(pki, pg, shared);
  const lab1 = openStation(pki, pki.lab1, hub.url, tempDir('st'), stationOptions);
  const lab2 = openStation(pki, pki.lab2, hub.url, tempDir('st'), stationOptions);
  cleanups.push(async () => {
    await lab1.close();
    await lab2.close();
    await hub.close();
  });
  return { pg, shared, hub, lab1, lab2 };
}

function enqueueMany(station: Station, count: number, prefix: string) {
  return Array.from({ length: count }, (_, i) =>
    enqueue(station, submissionInput(`${prefix}-${i % 4}`, `EXH-${i}`, [makeArtifact(station.dir, 3000 + i, 'x3p')])),
  );
}

describe('hub on PostgreSQL under faults', { timeout: 180_000 }, () => {
  it('a worker killed in the middle of a correlation: the job runs again elsewhere and its results are stored once', async () => {
    const { pg, shared, hub, lab1, lab2 } = await setUp('killed');
    // A known match (the same slide, Fadul 1-1 and 1-2), correlated with the real engine.
    enqueue(lab1, submissionInput('K-1', 'Q', [fadulArtifact('fadul_1-1.x3p')]));
    lab1.worker.start();
    await lab1.worker.drained();
    const doomed = await spawnWorker(pg, shared, ['--lease-seconds', '2', '--analysis-workers', '1', '--id', 'doomed']);
    cleanups.push(() => doomed.stop());
    await until(
      async () => (await jobsOf(pg)).every((j) => j.state === 'done'),
      "the first casing's correlation",
      60_000,
    );
    // The test holds the lock a correlation takes to store its leads, so the doomed worker computes and then waits
    // there, its job still running: it is killed in the middle of the correlation however fast the machine is.
    const holder = openPostgresPool(pg.url, { max: 1 });
    const held = await holder.connect();
    await held.query('SELECT pg_advisory_lock($1)', [feedLock]);
    enqueue(lab2, submissionInput('K-2', 'Q', [fadulArtifact('fadul_1-2.x3p')]));
    lab2.worker.start();
    await lab2.worker.drained();
    const second = async () => (await jobsOf(pg)).find((j) => j.attempts > 0 && j.state !== 'done');
    await until(async () => (await second())?.leaseOwner === 'doomed', 'the doomed worker to take the job', 60_000);
    await until(
      async () =>
        Number(
          (
            await held.query<{ n: string }>(
              `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
            )
          ).rows[0]!.n,
        ) > 0,
      'the doomed worker to finish computing and wait to store its leads',
      60_000,
    );
    expect((await second())?.state).toBe('running');
    doomed.child.kill('SIGKILL');
    await new Promise((r) => doomed.child.once('exit', r));
    await held.query('SELECT pg_advisory_unlock($1)', [feedLock]);
    held.release();
    await holder.end();

    const engine = engineAnalysis({ workers: 1 });
    cleanups.push(() => engine.close());
    const rescuer = await startTestWorker(pg, shared, engine, {
      leaseMs: 2_000,
      id: 'rescuer',
    });
    cleanups.push(() => rescuer.close());
    await until(async () => (await jobsOf(pg)).every((j) => j.state === 'done'), 'the job to run again', 120_000);
    const jobs = await jobsOf(pg);
    // K-1's correlation (no one to compare with yet); K-2's one comparison (done before the kill); K-2's
    // correlation, killed while storing its leads and finished by the rescuer.
    expect(jobs.map((j) => [j.kind, j.attempts]).sort()).toEqual([
      ['compare', 1],
      ['correlate', 1],
      ['correlate', 2],
    ]);
    expect(rescuer.stats.done).toBe(1);
    expect(await duplicatedResults(pg)).toEqual([]);
    await lab2.worker.drained({ leads: true });
    const leads = lab2.worker.store.list()[0]!.leads!;
    expect(leads).toHaveLength(1);
    expect(leads[0]!.score).toBeGreaterThanOrEqual(6); // the known match, scored by the real engine
    // Screened against the one casing of its calibre and region, compared in full, with a likelihood ratio.
    expect(leads[0]!.detail).toMatchObject({ screened: 1, fullyScored: 1 });
    expect(leads[0]!.detail!.lr!.log10Lr).toBeGreaterThan(0);
    const reverse = await hub.records.leadsFor(
      (await hub.records.findByIdempotencyKey(lab1.worker.store.list()[0]!.idempotencyKey))!.id,
    );
    expect(reverse).toHaveLength(1);
  });

  it('a worker that stops in the middle of a comparison: the pair is compared again elsewhere, the leads stored once', async () => {
    const { pg, shared, lab1, lab2 } = await setUp('abandoned');
    // Lab 1's casings first, correlated with no one to compare to.
    const plain = await startTestWorker(pg, shared, fakeAnalysis());
    enqueueMany(lab1, 3, 'A1');
    lab1.worker.start();
    await lab1.worker.drained({ leads: true });
    await plain.close();
    // This worker's comparison ends only when the test says; it stops while it holds one, and what it finds after
    // that is dropped.
    let stuck: () => void = () => {};
    const holding = new Promise<void>((resolve) => (stuck = resolve));
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const doomed = await startTestWorker(
      pg,
      shared,
      fakeAnalysis(async () => {
        stuck();
        await released;
      }),
      { id: 'doomed', concurrency: 1 },
    );
    enqueueMany(lab2, 1, 'A2');
    lab2.worker.start();
    await lab2.worker.drained();
    await withTimeout(holding, 60_000, 'the doomed worker to start a comparison');
    const held = (await jobsOf(pg)).find((j) => j.kind === 'compare' && j.state === 'running')!;
    expect(held.leaseOwner).toBe('doomed');
    const closing = doomed.close(); // stops the comparison and gives the job back to the queue at once
    release();
    await closing;
    const rescuer = await startTestWorker(pg, shared, fakeAnalysis(), { id: 'rescuer' });
    cleanups.push(() => rescuer.close());
    await lab2.worker.drained({ leads: true });
    expect(lab2.worker.store.list()[0]!.leads).toHaveLength(3);
    const jobs = await jobsOf(pg);
    // Done by the rescuer; the stopped worker's attempt was given back, not counted (it did not fail).
    expect(jobs.find((j) => j.id === held.id)).toMatchObject({ state: 'done', attempts: 1, leaseOwner: null });
    expect(jobs.filter((j) => j.kind === 'compare')).toHaveLength(3);
    expect(await duplicatedResults(pg)).toEqual([]);
  });

  it('PostgreSQL crashes and restarts under load: front end and worker reconnect, nothing is lost, stations resume', async () => {
    const { pg, shared, hub, lab1, lab2 } = await setUp('restart', { backoff: { baseMs: 100, maxMs: 1_000 } });
    const worker = await startTestWorker(
      pg,
      shared,
      fakeAnalysis(() => new Promise((r) => setTimeout(r, 20))),
    );
    cleanups.push(() => worker.close());
    const ones = enqueueMany(lab1, 20, 'R1');
    const twos = enqueueMany(lab2, 20, 'R2');
    lab1.worker.start();
    lab2.worker.start();
    await until(
      () => lab1.worker.store.counts().committed + lab1.worker.store.counts().correlated >= 3,
      'some submissions to arrive',
    );
    pg.restart('immediate'); // a crash: recovery from the WAL at start
    try {
      await withTimeout(
        Promise.all([lab1.worker.drained({ leads: true }), lab2.worker.drained({ leads: true })]),
        90_000,
        'the stations to deliver',
      );
    } catch (error) {
      console.error(
        JSON.stringify({
          lab1: lab1.worker.store.counts(),
          lab2: lab2.worker.store.counts(),
          jobs: await jobsOf(pg),
          stuck: lab1.worker.store
            .list({ states: ['queued', 'uploading', 'committed'] })
            .map((j) => [j.state, j.attempts, j.lastError]),
        }),
      );
      throw error;
    }
    for (const [station, jobs] of [
      [lab1, ones],
      [lab2, twos],
    ] as const) {
      expect((await deliveredExactlyOnce(hub, station)).problems).toEqual([]);
      expect(jobs.map((j) => station.worker.store.get(j.id)!.state)).toEqual(jobs.map(() => 'correlated'));
    }
    await until(async () => (await jobsOf(pg)).every((j) => j.state === 'done'), 'every correlation', 60_000);
    expect((await jobsOf(pg)).filter((j) => j.kind === 'correlate')).toHaveLength(40);
    expect(await duplicatedResults(pg)).toEqual([]);
  });

  it('two front ends and two workers on one database, submissions arriving at both: each once, both workers at work', async () => {
    const pg = freshDatabase(cluster, 'pair');
    const shared = join(dir, 'pair');
    const [hubA, hubB] = [await startPgFrontEnd(pki, pg, shared), await startPgFrontEnd(pki, pg, shared)];
    const lab1 = openStation(pki, pki.lab1, hubA.url, tempDir('st'));
    const lab2 = openStation(pki, pki.lab2, hubB.url, tempDir('st'));
    // The first correlation waits until a second one runs at the same time: proof that both workers take jobs.
    let running = 0;
    let together: () => void = () => {};
    const bothBusy = new Promise<void>((resolve) => (together = resolve));
    const paired = fakeAnalysis(async () => {
      if (++running >= 2) together();
      await Promise.race([bothBusy, new Promise((_, reject) => setTimeout(() => reject(new Error('alone')), 20_000))]);
      running--;
    });
    // One job at a time each, so the two at work at once are the two workers.
    const workers = [
      await startTestWorker(pg, shared, paired, { concurrency: 1 }),
      await startTestWorker(pg, shared, paired, { concurrency: 1 }),
    ];
    cleanups.push(async () => {
      await lab1.close();
      await lab2.close();
      for (const w of workers) await w.close();
      await hubA.close();
      await hubB.close();
    });
    enqueueMany(lab1, 10, 'P1');
    enqueueMany(lab2, 10, 'P2');
    lab1.worker.start();
    lab2.worker.start();
    await Promise.all([lab1.worker.drained({ leads: true }), lab2.worker.drained({ leads: true })]);
    expect((await deliveredExactlyOnce(hubA, lab1)).problems).toEqual([]);
    expect((await deliveredExactlyOnce(hubB, lab2)).problems).toEqual([]);
    await until(async () => (await jobsOf(pg)).every((j) => j.state === 'done'), 'every correlation', 60_000);
    const jobs = await jobsOf(pg);
    expect(jobs.filter((j) => j.kind === 'correlate')).toHaveLength(20);
    expect(jobs.every((j) => j.attempts === 1)).toBe(true);
    // Every job ran once, and a correlation with comparisons twice (planned, then finished after them).
    const finishedAfterChildren = jobs.filter((j) => jobs.some((c) => c.parentId === j.id)).length;
    expect(workers.map((w) => w.stats.done).reduce((a, b) => a + b)).toBe(jobs.length + finishedAfterChildren);
    expect(workers.every((w) => w.stats.done > 0)).toBe(true);
    expect(await duplicatedResults(pg)).toEqual([]);
  });

  it('a job that always fails is dead after its attempts, listed with its error, and runs again when retried', async () => {
    const { pg, shared, hub, lab1 } = await setUp('failing');
    const [job] = enqueueMany(lab1, 1, 'F');
    lab1.worker.start();
    await lab1.worker.drained();
    // The artifact vanished from the store after commit (a volume not mounted, a file lost): every attempt fails.
    const sha = job!.manifest.artifacts[0]!.sha256;
    const stored = hub.artifacts.localPath(sha)!;
    renameSync(stored, `${stored}.away`);
    const worker = await startTestWorker(pg, shared, fakeAnalysis(), { maxAttempts: 3, retryBaseMs: 20 });
    cleanups.push(() => worker.close());
    await until(async () => (await jobsOf(pg))[0]?.state === 'dead', 'the job to die');
    const [dead] = await jobsOf(pg);
    expect(dead!.attempts).toBe(3);
    expect(dead!.lastError).toMatch(/does not hold X3P .* \(is the shared artifact volume mounted here\?\)/);
    const listed = await cli('hub', 'jobs', '--db', pg.url, '--state', 'dead');
    expect(listed.code).toBe(1); // something is dead: monitoring notices
    expect(listed.out).toMatch(/dead 1/);
    expect(listed.out).toMatch(/last error: the artifact store does not hold X3P/);
    renameSync(`${stored}.away`, stored);
    const retried = await cli('hub', 'jobs', '--db', pg.url, '--retry', String(dead!.id));
    expect(retried.code).toBe(0);
    await until(async () => (await jobsOf(pg))[0]?.state === 'done', 'the retried job');
    expect((await cli('hub', 'jobs', '--db', pg.url)).code).toBe(0);
  });

  it('read-only database: the hub says so (503), stations keep their jobs without spending attempts, and deliver after', async () => {
    const { pg, hub, lab1 } = await setUp('readonly');
    pg.psql(`ALTER DATABASE readonly SET default_transaction_read_only = on`, 'postgres');
    // Connections already open keep their setting: the front end's pool is made to reconnect.
    pg.psql(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'readonly' AND pid <> pg_backend_pid()`,
    );
    const jobs = enqueueMany(lab1, 3, 'RO');
    lab1.worker.start();
    await until(
      () => lab1.worker.connectivity === 'offline' && lab1.worker.store.get(jobs[0]!.id)!.lastError !== null,
      'the station to see the hub unavailable',
    );
    const waiting = lab1.worker.store.get(jobs[0]!.id)!;
    expect(['queued', 'uploading']).toContain(waiting.state);
    expect(waiting.attempts).toBe(0);
    expect(waiting.lastError).toMatch(/read-only/);
    pg.psql(`ALTER DATABASE readonly SET default_transaction_read_only = off`, 'postgres');
    pg.psql(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'readonly' AND pid <> pg_backend_pid()`,
    );
    await lab1.worker.drained();
    expect((await deliveredExactlyOnce(hub, lab1)).problems).toEqual([]);
  });

  it('full database: the hub says so (503), stations keep their jobs, and deliver once space is freed', async () => {
    const { pg, hub, lab1 } = await setUp('diskfull', { maxAttempts: 100, backoff: { baseMs: 50, maxMs: 300 } });
    const full = fillDatabase(pg, join(cluster.dir, 'small-volume'));
    cleanups.push(full.remove);
    const jobs = enqueueMany(lab1, 2, 'FULL');
    lab1.worker.start();
    await until(() => /full/.test(lab1.worker.store.get(jobs[0]!.id)!.lastError ?? ''), 'the refusal for a full disk');
    const waiting = lab1.worker.store.get(jobs[0]!.id)!;
    expect(['queued', 'uploading']).toContain(waiting.state);
    expect(waiting.lastErrorCode).toBe('unavailable');
    full.free();
    await lab1.worker.drained();
    expect((await deliveredExactlyOnce(hub, lab1)).problems).toEqual([]);
    expect(lab1.worker.store.counts().dead + lab1.worker.store.counts().rejected).toBe(0);
  });
});

/**
 * Fills the database's disk: the submissions table moves to a tablespace on a 4 MiB tmpfs that a filler table then
 * fills, so inserting a submission fails as PostgreSQL does on a full disk (53100, "No space left on device").
 * Where this machine will not mount a file system (no privilege), the same error is raised by a trigger instead.
 */
function fillDatabase(pg: TestPostgres, mountPoint: string) {
  mkdirSync(mountPoint, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint]).status === 0;
  if (mounted) {
    try {
      fill();
    } catch (error) {
      spawnSync('umount', [mountPoint]);
      throw error;
    }
  } else {
    pg.psql(`CREATE FUNCTION no_space() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$;
      CREATE TRIGGER no_space BEFORE INSERT ON submissions FOR EACH ROW EXECUTE FUNCTION no_space()`);
  }
  function fill() {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(mountPoint, uid, gid);
    pg.psql(`CREATE TABLESPACE small LOCATION '${mountPoint}'`, 'postgres');
    pg.psql(`ALTER TABLE submissions SET TABLESPACE small; ALTER TABLE submissions SET (fillfactor = 10)`);
    // One row a page, each kept (an exception block per row), and no vacuum to hand pages back.
    pg.psql(`CREATE TABLE filler (x text) WITH (fillfactor = 10, autovacuum_enabled = false) TABLESPACE small`);
    pg.psql(`DO $$ BEGIN LOOP BEGIN INSERT INTO filler VALUES (md5(random()::text));
      EXCEPTION WHEN disk_full THEN EXIT; END; END LOOP; END $$`);
  }
  let freed = false;
  return {
    free() {
      freed = true;
      pg.psql(mounted ? 'DROP TABLE filler' : 'DROP TRIGGER no_space ON submissions');
    },
    remove() {
      if (!mounted) return;
      if (!freed) pg.psql('DROP TABLE filler');
      pg.psql('ALTER TABLE submissions SET TABLESPACE pg_default');
      pg.psql('DROP TABLESPACE small', 'postgres');
      spawnSync('umount', [mountPoint]);
    },
  };
}
