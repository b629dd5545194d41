// A hub on PostgreSQL for tests: a throwaway cluster, front ends (startHub with `db`) and correlation workers in this
// process or as `casebench hub worker` processes, all sharing the cluster and one artifact folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../fixtures/sharedData.ts';
import { startTestPostgres, type TestPostgres } from '../../fixtures/postgres.ts';
import { openFolderArtifacts } from '../../../electron/network/hub/artifactFolder.ts';
import { openPostgresPool } from '../../../electron/network/hub/postgres/connect.ts';
import { listJobs } from '../../../electron/network/hub/postgres/jobs.ts';
import { migrateHub } from '../../../electron/network/hub/postgres/migrate.ts';
import { openPostgresRecords } from '../../../electron/network/hub/postgres/records.ts';
import {
  startCorrelationWorker,
  type CorrelationWorker,
  type CorrelationWorkerOptions,
} from '../../../electron/network/hub/postgres/worker.ts';
import type { ScreeningAnalysis } from '../../../electron/network/hub/screening/analysis.ts';
import { randomSignature, seeded } from '../../fixtures/screeningSignatures.ts';
import { encodeScreeningSignature } from '../../../electron/analysis/index.ts';
import type { FaultsInput } from '../../../electron/network/hub/faults.ts';
import { startTestHub, type TestPki } from '../network/harness.ts';

export { startTestPostgres, type TestPostgres };

/** A new empty database on the cluster (one per test keeps their jobs apart); its URL. */
export function freshDatabase(pg: TestPostgres, name: string): TestPostgres {
  pg.psql(`CREATE DATABASE ${name}`);
  return { ...pg, url: pg.url.replace('/hub?', `/${name}?`), psql: (sql, db = name) => pg.psql(sql, db) };
}

/** The correlation jobs of a database, for checking what ran and how often. */
export async function jobsOf(pg: TestPostgres) {
  const pool = openPostgresPool(pg.url, { max: 1 });
  try {
    return await listJobs(pool, { limit: 10_000 });
  } finally {
    await pool.end();
  }
}

/** Per submission, how many leads and feed events the database holds: each must exist once. */
export async function duplicatedResults(pg: TestPostgres): Promise<string[]> {
  const pool = openPostgresPool(pg.url, { max: 1 });
  try {
    const rows = await pool.query<{ problem: string }>(`
      SELECT 'lead ' || submission_id || ' -> ' || other_submission_id || ' x' || count(*) AS problem
        FROM leads GROUP BY submission_id, other_submission_id HAVING count(*) > 1
      UNION ALL
      SELECT 'feed event for lead ' || lead_id || ' x' || count(*) FROM feed WHERE lead_id IS NOT NULL
        GROUP BY lead_id HAVING count(*) > 1
      UNION ALL
      SELECT 'lead ' || l.id || ' without its feed event' FROM leads l
        WHERE NOT EXISTS (SELECT 1 FROM feed f WHERE f.lead_id = l.id)`);
    return rows.rows.map((r) => r.problem);
  } finally {
    await pool.end();
  }
}

/** A front end on the cluster, its data folder (artifacts) shared with every other front end and worker. */
export function startPgFrontEnd(
  pki: TestPki,
  pg: TestPostgres,
  sharedDir: string,
  options: { faults?: FaultsInput; port?: number } = {},
) {
  return startTestHub(pki, sharedDir, { ...options, db: pg.url });
}

/**
 * Analysis that does no image work, for testing the hub's machinery: a casing's signature follows from its bytes
 * (files under 100 bytes are "unreadable"), every candidate registers equally (so the signature's order stands), and
 * every candidate compared gets a CMC count of 5. `compare` runs first at each comparison (to hold it up, or to see
 * who compares).
 */
export function fakeAnalysis(
  compare?: (query: { id: string; path: string }, candidates: { id: string }[]) => Promise<void>,
): ScreeningAnalysis {
  return {
    paramsKey: 'test/fake-analysis-1',
    threads: 2,
    async encoding(path) {
      const bytes = readFileSync(path);
      if (bytes.byteLength < 100) throw new Error('the engine cannot read this file');
      return encodeScreeningSignature(randomSignature(seeded(bytes.readUInt32LE(0))));
    },
    async register(_query, candidates) {
      return candidates.map(() => ({ score: 0.5, thetaDeg: 0 }));
    },
    async score(query, candidates, topK) {
      await compare?.(query, candidates);
      return candidates.map((c, i) => ({
        id: c.id,
        screening: c.screening,
        screeningRank: i + 1,
        ...(i < topK ? { cmc: { combined: 5, ab: 5, ba: 5 } } : {}),
      }));
    },
    close: async () => {},
  };
}

/** A worker in this process over the shared folder; `stop()` closes what it opened. */
export async function startTestWorker(
  pg: TestPostgres,
  sharedDir: string,
  analysis: ScreeningAnalysis,
  options: Partial<CorrelationWorkerOptions> = {},
): Promise<CorrelationWorker & { close(): Promise<void> }> {
  const pool = openPostgresPool(pg.url, { max: 4 });
  await migrateHub(pool);
  const artifacts = openFolderArtifacts(join(sharedDir, 'artifacts'));
  const records = openPostgresRecords(pool, { closePool: false });
  const worker = startCorrelationWorker({
    pool,
    url: pg.url,
    records,
    artifacts,
    analysis,
    leaseMs: 3_000,
    retryBaseMs: 50,
    pollMs: 50,
    log: () => {},
    ...options,
  });
  return {
    ...worker,
    stats: worker.stats,
    id: worker.id,
    async close() {
      await worker.stop();
      await artifacts.close();
      await pool.end();
    },
  };
}

/** `casebench hub worker` as its own process (to be killed mid-job); resolves once it has started. */
export function spawnWorker(
  pg: TestPostgres,
  sharedDir: string,
  extraArgs: string[] = [],
): Promise<{ child: ChildProcess; output: () => string; stop(): Promise<void> }> {
  // Started with the GC flag bin/casebench.mjs would add, so that this process is the worker itself (its pid is the
  // one whose CPU and memory a bench reads), not a wrapper around it.
  const gc = extraArgs.includes('--parallel-gc') ? [] : ['--single-threaded-gc'];
  const child = spawn(
    join(repoRoot, 'node_modules/.bin/node'),
    [...gc, join(repoRoot, 'bin/casebench.mjs'), 'hub', 'worker', '--db', pg.url, '--data', sharedDir, ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited (${code}): ${out}`)));
    const check = setInterval(() => {
      if (!out.includes('worker') || !out.includes('started')) return;
      clearInterval(check);
      child.removeAllListeners('exit');
      resolve({
        child,
        output: () => out,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGINT');
          }),
      });
    }, 20);
  });
}
