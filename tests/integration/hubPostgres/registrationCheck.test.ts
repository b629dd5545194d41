// The registration check on the hub on PostgreSQL, on real scans: between the signature screen and full CMC, the
// signature's best are registered onto the query (register jobs), and full CMC goes to the best by registration.
// The casing is picked by what the signature does: Fadul 3-1 is the casing whose known mate the signature ranks
// worst of all 40 (questioned casing Z, 25th of the 39 others; docs/hub-operations.md): outside the 10 that get full
// CMC. Every other Fadul casing is stored as another lab's, with its real signature; the hub runs its defaults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  ScreeningIndex,
  checkedScreeningCut,
  fadulRegistrationReference,
  fadulScreeningReference,
} from '../../../electron/analysis/index.ts';
import { openPostgresPool, type PgPool } from '../../../electron/network/hub/postgres/connect.ts';
import { migrateHub } from '../../../electron/network/hub/postgres/migrate.ts';
import { engineAnalysis } from '../../../electron/network/hub/screening/analysis.ts';
import { defaultScreeningSettings } from '../../../electron/network/hub/screening/pipeline.ts';
import { sharedDataPath } from '../../fixtures/sharedData.ts';
import { removeDir, tempDir, until } from '../network/harness.ts';
import { jobsOf, startTestPostgres, startTestWorker, type TestPostgres } from './pgHarness.ts';
import { seedPopulation, submitCasing } from './population.ts';

const fadul = (name: string) => sharedDataPath('fadul', `fadul_${name}.x3p`);
const slides = Array.from({ length: 10 }, (_, i) => i + 1);
const questioned = 'abcefhiklmnopqrstxyz'.split('');
const others = [...slides.flatMap((s) => [`${s}-1`, `${s}-2`]), ...questioned].filter((n) => n !== '3-1');
/** The known matches of Fadul 3-1 (ground truth, pairs.csv): its slide's other test fire and questioned casings. */
const mates = ['3-2', 'a', 't', 'z'];

let dir: string;
let pg: TestPostgres;
let pool: PgPool;
const analysis = engineAnalysis({ workers: 2 });

beforeAll(() => {
  dir = tempDir('pg-registration');
  pg = startTestPostgres();
  pool = openPostgresPool(pg.url, { max: 2 });
});
afterAll(async () => {
  await pool?.end();
  await analysis.close();
  pg?.destroy();
  removeDir(dir);
});

describe('the registration check on the PostgreSQL hub', { timeout: 600_000 }, () => {
  it('brings in a mate the signature ranks outside the full-CMC set; each lead says what was screened, registered, the cut and its miss rate', async () => {
    await migrateHub(pool);
    const artifactsDir = join(dir, 'shared', 'artifacts');
    const encodings = await Promise.all(
      others.map(async (n) => Buffer.from(await analysis.encoding(fadul(n), AbortSignal.timeout(300_000)))),
    );
    const ids = await seedPopulation(pool, {
      count: others.length,
      calibre: '.40 S&W',
      labs: ['LAB-2'],
      artifactsDir,
      fileFor: (i) => fadul(others[i]!),
      encodingFor: (i) => encodings[i]!,
      paramsKey: analysis.paramsKey,
    });
    const nameOf = new Map(ids.map((id, i) => [id, others[i]!]));
    const worker = await startTestWorker(pg, join(dir, 'shared'), analysis, { leaseMs: 120_000 });
    try {
      const id = await submitCasing(pool, { artifactsDir, scan: fadul('3-1'), calibre: '.40 S&W', caseRef: 'Q-31' });
      await until(
        async () =>
          (await pool.query(`SELECT state FROM submissions WHERE id = $1`, [id])).rows[0]?.state === 'correlated',
        'the correlation',
        540_000,
      );

      // What the signature does, from the signatures the hub stored: it ranks Z outside the top K.
      const stored = await pool.query<{ id: string; encoding: Buffer }>(
        `SELECT s.id, g.encoding FROM submissions s JOIN signatures g ON g.x3p_sha256 = s.x3p_sha256
         WHERE g.params_key = $1`,
        [analysis.paramsKey],
      );
      const index = new ScreeningIndex({ capacity: stored.rows.length });
      for (const row of stored.rows) if (row.id !== id) index.addEncoded(row.id, row.encoding);
      const query = stored.rows.find((r) => r.id === id)!.encoding;
      const bySignature = index.query(query, { limit: index.size }).ranked.map((h) => nameOf.get(h.id));
      const zRank = bySignature.indexOf('z') + 1;
      const { topK } = defaultScreeningSettings;
      expect(zRank).toBeGreaterThan(topK);

      // The registration check registered all of them (40 at most), in register jobs; full CMC for the top K.
      const jobs = (await jobsOf(pg)).filter((j) => j.submissionId === id);
      expect(jobs.filter((j) => j.kind === 'register')).toHaveLength(Math.ceil(others.length / 5));
      expect(jobs.filter((j) => j.kind === 'compare')).toHaveLength(topK);
      expect(jobs.every((j) => j.state === 'done')).toBe(true);

      const leads = (
        await pool.query<{ other: string; score: number; detail: Record<string, unknown> }>(
          `SELECT other_submission_id AS other, score, detail FROM leads WHERE submission_id = $1 ORDER BY score DESC`,
          [id],
        )
      ).rows;
      const z = leads.find((l) => nameOf.get(l.other) === 'z');
      expect(z, `leads: ${leads.map((l) => nameOf.get(l.other)).join(', ')}`).toBeDefined();
      expect(z!.detail).toMatchObject({ signatureRank: zRank, screened: others.length, registered: others.length });
      expect(z!.detail.registration as number).toBeGreaterThan(0.4);
      // The four known matches lead (the highest CMC counts of all 39); every lead says the same cut.
      expect(
        leads
          .slice(0, mates.length)
          .map((l) => nameOf.get(l.other))
          .sort(),
      ).toEqual(mates);
      const expected = checkedScreeningCut(
        topK,
        others.length,
        others.length,
        fadulScreeningReference,
        fadulRegistrationReference,
      );
      for (const lead of leads) {
        expect(lead.detail).toMatchObject({
          screened: others.length,
          registered: others.length,
          fullyScored: topK,
          cut: z!.detail.cut,
          expectedMissRate: expected.expectedMissRate,
          cutReference: expect.stringMatching(/registration/i),
          // Revision 4: the range and whether the reference can estimate the rate, as the station's search says.
          missRateRange: expected.range,
          missRateEstimable: expected.estimable,
        });
        expect(lead.detail.expectedMissRate).toBeLessThan(0.05);
      }
      // With everyone registered, the cut is the lowest signature score of all.
      const scores = index.query(query, { limit: index.size }).ranked.map((h) => h.score);
      expect(z!.detail.cut).toBeCloseTo(Math.min(...scores), 6);
    } finally {
      await worker.close();
    }
  });
});
