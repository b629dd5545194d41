// One correlation, one set of settings: the worker that plans a correlation fixes its settings (top K, registration
// check, batch size, leads) with the correlate job, so the workers that take its later stages — started with other
// flags, or restarted with new ones — cannot mix them. And a candidate whose X3P the store lost is left out with a
// note: the other candidates still give their leads. Real PostgreSQL, workers of this process, a stand-in analysis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPostgresPool, type PgPool } from '../../../electron/network/hub/postgres/connect.ts';
import { migrateHub } from '../../../electron/network/hub/postgres/migrate.ts';
import { openPostgresRecords } from '../../../electron/network/hub/postgres/records.ts';
import { startCorrelationWorker } from '../../../electron/network/hub/postgres/worker.ts';
import type { ScreeningAnalysis } from '../../../electron/network/hub/screening/analysis.ts';
import { encodeScreeningSignature } from '../../../electron/analysis/index.ts';
import { randomSignature, seeded } from '../../fixtures/screeningSignatures.ts';
import { removeDir, tempDir, until } from '../network/harness.ts';
import {
  fakeAnalysis,
  freshDatabase,
  jobsOf,
  startTestPostgres,
  startTestWorker,
  type TestPostgres,
} from './pgHarness.ts';
import { seedPopulation, submitCasing } from './population.ts';

let cluster: TestPostgres;
let dir: string;
const pools: PgPool[] = [];

beforeAll(() => {
  dir = tempDir('pg-settings');
  cluster = startTestPostgres();
});
afterAll(async () => {
  for (const pool of pools) await pool.end();
  cluster?.destroy();
  removeDir(dir);
});

/** A database with `count` casings of LAB-2 (each its own file, readable by the stand-in analysis) and a new casing
 *  of LAB-1 with its correlation job. */
async function scenario(name: string, count: number) {
  const pg = freshDatabase(cluster, name);
  const pool = openPostgresPool(pg.url, { max: 4 });
  pools.push(pool);
  await migrateHub(pool);
  const shared = join(dir, name);
  const artifactsDir = join(shared, 'artifacts');
  const analysis = fakeAnalysis();
  const random = seeded(7);
  const files = Array.from({ length: count + 1 }, (_, i) => {
    const file = join(dir, `${name}-${i}.bin`);
    writeFileSync(file, Buffer.alloc(200, i + 1));
    return file;
  });
  const ids = await seedPopulation(pool, {
    count,
    calibre: '9mm Luger',
    labs: ['LAB-2'],
    artifactsDir,
    fileFor: (i) => files[i]!,
    encodingFor: () => Buffer.from(encodeScreeningSignature(randomSignature(random))),
    paramsKey: analysis.paramsKey,
  });
  const correlated = async (id: string) =>
    (await pool.query(`SELECT state FROM submissions WHERE id = $1`, [id])).rows[0]?.state === 'correlated';
  return { pg, pool, shared, artifactsDir, analysis, ids, files, correlated };
}

describe('a correlation across workers of different settings', { timeout: 120_000 }, () => {
  it('runs with the settings of the worker that planned it, whoever takes its later stages', async () => {
    const s = await scenario('fixed', 12);
    // Worker A plans with top K 2, a registration check of 6 in batches of 2, 2 leads; its registrations never end
    // (it is stopped with them in hand, as a worker restarted mid-correlation).
    let registering = 0;
    const stuck: ScreeningAnalysis = {
      ...s.analysis,
      register: (_q, _c, signal) => {
        registering++;
        return new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
        );
      },
    };
    const a = await startTestWorker(s.pg, s.shared, stuck, {
      concurrency: 1,
      settings: { topK: 2, registrationCheck: 6, registerBatch: 2, maxLeads: 2 },
    });
    const id = await submitCasing(s.pool, {
      artifactsDir: s.artifactsDir,
      scan: s.files[12]!,
      calibre: '9mm Luger',
      caseRef: 'Q-1',
    });
    await until(() => registering > 0, 'worker A to plan and start a registration batch', 60_000);
    await a.close();
    // Stopped, A gave back the batch it held: queued at once for any worker, the interrupted attempt not counted.
    const [given] = (await jobsOf(s.pg)).filter(
      (j) => j.kind === 'register' && j.attempts === 0 && j.state === 'queued',
    );
    expect(given).toMatchObject({ leaseOwner: null });
    expect((await jobsOf(s.pg)).filter((j) => j.state === 'running')).toEqual([]);
    // Worker B has every other setting: top K 5, the check off, 5 leads.
    const b = await startTestWorker(s.pg, s.shared, s.analysis, {
      settings: { topK: 5, registrationCheck: 0, registerBatch: 5, maxLeads: 5 },
    });
    try {
      await until(() => s.correlated(id), 'worker B to finish the correlation', 90_000);
    } finally {
      await b.close();
    }
    const jobs = (await jobsOf(s.pg)).filter((j) => j.submissionId === id);
    expect(jobs.filter((j) => j.kind === 'register')).toHaveLength(3); // 6 in batches of 2 (A's plan)
    expect(jobs.filter((j) => j.kind === 'compare')).toHaveLength(2); // A's top K, not B's 5
    expect(jobs.every((j) => j.state === 'done')).toBe(true);
    const leads = (
      await s.pool.query<{ detail: Record<string, unknown> }>(`SELECT detail FROM leads WHERE submission_id = $1`, [id])
    ).rows;
    expect(leads).toHaveLength(2);
    for (const lead of leads) expect(lead.detail).toMatchObject({ registered: 6, fullyScored: 2, screened: 12 });
  });

  it('leaves out a candidate whose X3P the store lost, says so, and gives the other leads', async () => {
    const s = await scenario('missing', 6);
    // The store loses one casing's file (its link in the artifact folder).
    const [gone] = (
      await s.pool.query<{ sha: string }>(`SELECT x3p_sha256 AS sha FROM submissions WHERE id = $1`, [s.ids[2]])
    ).rows;
    rmSync(join(s.artifactsDir, gone!.sha.slice(0, 2), gone!.sha));
    const logged: string[] = [];
    const worker = await startTestWorker(s.pg, s.shared, s.analysis, {
      settings: { topK: 10, maxLeads: 10 },
      log: (m) => logged.push(m),
    });
    const id = await submitCasing(s.pool, {
      artifactsDir: s.artifactsDir,
      scan: s.files[6]!,
      calibre: '9mm Luger',
      caseRef: 'Q-2',
    });
    try {
      await until(() => s.correlated(id), 'the correlation', 60_000);
    } finally {
      await worker.close();
    }
    const records = openPostgresRecords(s.pool, { closePool: false });
    const leads = await records.leadsFor(id);
    expect(leads.map((l) => l.otherSubmissionId).sort()).toEqual(s.ids.filter((x) => x !== s.ids[2]).sort());
    const notes = await records.correlationNotes(id);
    expect(notes.map((n) => n.text).join('\n')).toContain(
      `candidate ${s.ids[2]} was left out: the artifact store does not hold its X3P`,
    );
    expect(notes).toContainEqual(
      expect.objectContaining({
        code: 'candidate_missing_x3p',
        values: expect.objectContaining({ candidate: s.ids[2] }),
      }),
    );
    expect(logged.join('\n')).toContain(`candidate ${s.ids[2]} was left out`);
    expect((await jobsOf(s.pg)).filter((j) => j.state === 'dead')).toEqual([]);
  });

  it('refuses a worker whose settings would loop or give nothing, naming the setting', () => {
    const pool = openPostgresPool('postgresql://nobody@127.0.0.1:1/none', { max: 1 });
    pools.push(pool);
    const start = (settings: object) => () =>
      startCorrelationWorker({
        pool,
        url: 'postgresql://nobody@127.0.0.1:1/none',
        records: { get: async () => undefined },
        artifacts: { localPath: () => undefined },
        analysis: fakeAnalysis(),
        settings,
      });
    expect(start({ registerBatch: 0 })).toThrow(/registerBatch must be a whole number of at least 1 \(got 0\)/);
    expect(start({ topK: 2.5 })).toThrow(/topK must be a whole number/);
    expect(start({ registrationCheck: -1 })).toThrow(/registrationCheck/);
  });
});
