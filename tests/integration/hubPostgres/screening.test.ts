// Screening at network scale on PostgreSQL: a large population is cut into partitions that two workers screen, the
// best of all partitions get full comparison, and each lead says how many casings were screened and where the cut
// for full comparison fell; the correlation date range screens only casings recovered near the submission's date,
// and undated ones. Population signatures are synthetic (stored straight into the database).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hub } from '../../../electron/network/hub/server.ts';
import { openPostgresPool, type PgPool } from '../../../electron/network/hub/postgres/connect.ts';
import { encodeScreeningSignature } from '../../../electron/analysis/index.ts';
import { like, randomSignature, seeded } from '../../fixtures/screeningSignatures.ts';
import {
  enqueue,
  makeArtifact,
  makePki,
  openStation,
  removeDir,
  submissionInput,
  tempDir,
  type Station,
  type TestPki,
} from '../network/harness.ts';
import {
  fakeAnalysis,
  jobsOf,
  startPgFrontEnd,
  startTestPostgres,
  startTestWorker,
  type TestPostgres,
} from './pgHarness.ts';
import { seedPopulation } from './population.ts';

let dir: string;
let pki: TestPki;
let pg: TestPostgres;
let pool: PgPool;
let hub: Hub;
let lab1: Station;
const workers: Awaited<ReturnType<typeof startTestWorker>>[] = [];
const analysis = fakeAnalysis();
let shared: string;
let linkTarget: string;

beforeAll(async () => {
  dir = tempDir('pg-screening');
  pki = await makePki(join(dir, 'pki'));
  pg = startTestPostgres();
  shared = join(dir, 'shared');
  hub = await startPgFrontEnd(pki, pg, shared);
  pool = openPostgresPool(pg.url, { max: 2 });
  lab1 = openStation(pki, pki.lab1, hub.url, tempDir('st'));
  linkTarget = join(dir, 'scan.bin');
  writeFileSync(linkTarget, Buffer.alloc(500, 7));
  for (let i = 0; i < 2; i++)
    workers.push(
      await startTestWorker(pg, shared, analysis, { settings: { partitionSize: 100, correlationYears: 2 } }),
    );
});
afterAll(async () => {
  await lab1?.close();
  for (const worker of workers) await worker.close();
  await pool?.end();
  await hub?.close();
  pg?.destroy();
  removeDir(dir);
});

/** The signature the test analysis gives a file (see fakeAnalysis). */
const signatureOfFile = (path: string) => randomSignature(seeded(readFileSync(path).readUInt32LE(0)));

describe('screening at network scale', { timeout: 120_000 }, () => {
  it('screens a large population in partitions across workers; the casing like the query leads, with the count screened and the cut', async () => {
    const query = makeArtifact(lab1.dir, 4000, 'x3p');
    const planted = 123;
    const random = seeded(99);
    const ids = await seedPopulation(pool, {
      count: 400,
      calibre: '9mm Luger',
      labs: ['LAB-2', 'LAB-3'],
      artifactsDir: join(shared, 'artifacts'),
      fileFor: () => linkTarget,
      encodingFor: (i) =>
        Buffer.from(
          encodeScreeningSignature(
            i === planted ? like(signatureOfFile(query.path), random, 9) : randomSignature(random),
          ),
        ),
      paramsKey: analysis.paramsKey,
    });
    const job = enqueue(lab1, submissionInput('BIG', 'Q1', [query]));
    lab1.worker.start();
    await lab1.worker.drained({ leads: true });
    const jobs = await jobsOf(pg);
    const screens = jobs.filter((j) => j.kind === 'screen');
    // 400 casings, about 100 a partition (aligned windows of a power-of-two width: 0.7 to 1.4 times that).
    expect(screens.length).toBeGreaterThanOrEqual(3);
    expect(screens.length).toBeLessThanOrEqual(7);
    expect(screens.every((j) => j.state === 'done')).toBe(true);
    expect(screens.map((j) => (j.result as { screened: number }).screened).reduce((a, b) => a + b)).toBe(400);
    expect(jobs.find((j) => j.kind === 'correlate')!.state).toBe('done');
    // The best 10 were compared in full, each pair a job of its own.
    const compares = jobs.filter((j) => j.kind === 'compare');
    expect(compares).toHaveLength(10);
    expect(compares.every((j) => j.state === 'done' && j.attempts === 1)).toBe(true);
    expect(new Set(compares.map((j) => (j.spec as { candidate: { id: string } }).candidate.id)).size).toBe(10);

    const leads = lab1.worker.store.get(job.id)!.leads!;
    expect(leads).toHaveLength(5);
    expect(leads[0]!.otherSubmissionId).toBe(ids[planted]);
    expect(leads[0]!.detail).toMatchObject({ screened: 400, fullyScored: 10, cut: expect.any(Number) });
    // And the other way: the planted casing's lab learns of the lead too.
    expect((await hub.records.leadsFor(ids[planted]!)).map((l) => l.otherCaseRef)).toEqual(['BIG']);
  });

  it('screens only casings recovered within the correlation date range, and undated ones, and says so', async () => {
    const random = seeded(5);
    await seedPopulation(pool, {
      count: 90,
      calibre: '.40 S&W',
      labs: ['LAB-2'],
      artifactsDir: join(shared, 'artifacts'),
      fileFor: () => linkTarget,
      encodingFor: () => Buffer.from(encodeScreeningSignature(randomSignature(random))),
      paramsKey: analysis.paramsKey,
      dateFor: (i) => [`2025-${String((i % 12) + 1).padStart(2, '0')}-10`, '2010-05-01', null][i % 3]!,
    });
    const input = submissionInput('DATED', 'Q1', [makeArtifact(lab1.dir, 4100, 'x3p')], '.40 S&W');
    input.specimen.recoveryDate = '2026-06-01';
    const job = enqueue(lab1, input);
    await lab1.worker.drained({ leads: true });
    const done = lab1.worker.store.get(job.id)!;
    expect(done.leads![0]!.detail!.screened).toBe(60); // 30 of 2025 and 30 undated; not the 30 of 2010
    expect(done.correlationNotes).toContain(
      'only casings recovered between 2024-06-01 and 2028-06-01, or undated, were screened (the correlation date range)',
    );
  });
});
