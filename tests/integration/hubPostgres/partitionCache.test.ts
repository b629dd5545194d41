// A worker's cache of decoded partitions on a real PostgreSQL: read once, then only what changed — casings added,
// committed, given a signature or a signature of other parameters — including a change whose transaction began
// before the cache read and committed after it; within its memory budget.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { openPostgresPool, type PgPool } from '../../../electron/network/hub/postgres/connect.ts';
import { migrateHub } from '../../../electron/network/hub/postgres/migrate.ts';
import { PartitionCache } from '../../../electron/network/hub/screening/partitionCache.ts';
import { claimJob, jobKinds } from '../../../electron/network/hub/postgres/jobs.ts';
import type { PopulationSpec } from '../../../electron/network/hub/screening/population.ts';
import { encodeScreeningSignature } from '../../../electron/analysis/index.ts';
import { like, randomSignature, seeded } from '../../fixtures/screeningSignatures.ts';
import { removeDir, tempDir } from '../network/harness.ts';
import { freshDatabase, startTestPostgres, type TestPostgres } from './pgHarness.ts';
import { seedPopulation } from './population.ts';

let cluster: TestPostgres;
let pool: PgPool;
let dir: string;
let file: string;
const paramsKey = 'test/cache-1';
const random = seeded(17);
const query = randomSignature(random);
const queryBytes = encodeScreeningSignature(query);
const population: PopulationSpec = {
  calibre: '9mm Luger',
  region: 'breech_face',
  exceptLabId: 'LAB-1',
  paramsKey,
  dates: null,
};
const everything = { lo: 0, hi: 1_000_000 };

beforeAll(async () => {
  dir = tempDir('pg-cache');
  file = join(dir, 'scan.bin');
  writeFileSync(file, 'x');
  cluster = startTestPostgres();
  pool = openPostgresPool(freshDatabase(cluster, 'cache').url, { max: 4 });
  await migrateHub(pool);
});
afterAll(async () => {
  await pool?.end();
  cluster?.destroy();
  removeDir(dir);
});

const seed = (count: number, encodingFor: (i: number) => Buffer, labs = ['LAB-2', 'LAB-3', 'LAB-1']) =>
  seedPopulation(pool, {
    count,
    calibre: population.calibre,
    labs,
    artifactsDir: join(dir, 'artifacts'),
    fileFor: () => file,
    encodingFor,
    paramsKey,
  });
const noise = () => Buffer.from(encodeScreeningSignature(randomSignature(random)));
const mate = () => Buffer.from(encodeScreeningSignature(like(query, random, 5, 0.1)));

describe('partition cache', { timeout: 60_000 }, () => {
  it('reads a partition once, then only the casings that changed, and screens them with the rest', async () => {
    const cache = new PartitionCache();
    await seed(300, noise); // a third from LAB-1, the query's own lab: never screened
    const first = await cache.screen(pool, population, everything, queryBytes, 5);
    expect(first.stats).toMatchObject({ cached: false, rowsRead: 300 });
    expect(first.screened).toBe(200);

    const again = await cache.screen(pool, population, everything, queryBytes, 5);
    expect(again.stats).toMatchObject({ cached: true, rowsRead: 0 });
    expect(again.best).toEqual(first.best);

    // Casings added since: read alone, and a mate among them leads.
    const [added] = await seed(1, mate, ['LAB-2']);
    await seed(29, noise);
    const grown = await cache.screen(pool, population, everything, queryBytes, 5);
    expect(grown.stats).toMatchObject({ cached: true, rowsRead: 30 });
    expect(grown.screened).toBe(200 + 1 + 20); // 20 of the 29 from other labs
    expect(grown.best[0]!.id).toBe(added);

    // Its signature replaced by one of other engine parameters: no longer screened.
    await pool.query(
      `UPDATE signatures SET params_key = 'other' WHERE x3p_sha256 = (SELECT x3p_sha256 FROM submissions WHERE id = $1)`,
      [added],
    );
    const replaced = await cache.screen(pool, population, everything, queryBytes, 5);
    expect(replaced.stats.rowsRead).toBe(1);
    expect(replaced.screened).toBe(220);
    expect(replaced.best.map((b) => b.id)).not.toContain(added);
    expect(cache.stats()).toMatchObject({ partitions: 1, casings: 329, hits: 3, misses: 1 });
  });

  it('sees a casing committed by a transaction that began before its read and committed after', async () => {
    const cache = new PartitionCache();
    await cache.screen(pool, population, everything, queryBytes, 5);
    // A front end's commit in flight: the submission is open, then committed in a transaction still running when
    // the cache reads.
    const [late] = await seed(1, mate, ['LAB-3']);
    await pool.query(`UPDATE submissions SET state = 'open' WHERE id = $1`, [late]);
    const before = await cache.screen(pool, population, everything, queryBytes, 5);
    expect(before.best.map((b) => b.id)).not.toContain(late);
    const writer = await pool.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`UPDATE submissions SET state = 'committed' WHERE id = $1`, [late]);
      const during = await cache.screen(pool, population, everything, queryBytes, 5);
      expect(during.best.map((b) => b.id)).not.toContain(late); // not committed yet: not visible
      await writer.query('COMMIT');
    } finally {
      writer.release();
    }
    const after = await cache.screen(pool, population, everything, queryBytes, 5);
    expect(after.best[0]!.id).toBe(late);
  });

  it('keeps the query’s filters apart from the cached partition: labs and the correlation date range', async () => {
    const cache = new PartitionCache();
    const all = await cache.screen(pool, population, everything, queryBytes, 500);
    const fromLab2 = await cache.screen(pool, { ...population, exceptLabId: 'LAB-2' }, everything, queryBytes, 500);
    expect(fromLab2.stats.cached).toBe(true);
    expect(fromLab2.screened).not.toBe(all.screened);
    const ids = new Set(
      (await pool.query<{ id: string }>(`SELECT id FROM submissions WHERE lab_id = 'LAB-2'`)).rows.map((r) => r.id),
    );
    expect(fromLab2.best.some((b) => ids.has(b.id))).toBe(false);
    expect(all.best.some((b) => ids.has(b.id))).toBe(true);
    // Dates: a calibre of its own, casings recovered in 2010, 2022 or on an unknown date.
    const dates = ['2010-05-01', '2022-03-01', null];
    await seedPopulation(pool, {
      count: 60,
      calibre: '.45 ACP',
      labs: ['LAB-2'],
      artifactsDir: join(dir, 'artifacts'),
      fileFor: () => file,
      encodingFor: noise,
      paramsKey,
      dateFor: (i) => dates[i % 3]!,
    });
    const dated = await cache.screen(
      pool,
      { ...population, calibre: '.45 ACP', dates: { from: '2020-01-01', to: '2024-12-31' } },
      everything,
      queryBytes,
      500,
    );
    expect(dated.screened).toBe(40); // those of 2022 and the undated; not those of 2010
    const undated = await cache.screen(pool, { ...population, calibre: '.45 ACP' }, everything, queryBytes, 500);
    expect(undated).toMatchObject({ screened: 60, stats: { cached: true, rowsRead: 0 } });
  });

  it('stays within its memory budget: the least recently used partition goes first', async () => {
    const [lo, hi] = (
      await pool.query<{ lo: string; hi: string }>('SELECT min(n) AS lo, max(n) AS hi FROM submissions')
    ).rows.map((r) => [Number(r.lo), Number(r.hi)])[0]!;
    const mid = Math.floor((lo + hi) / 2);
    const probe = new PartitionCache();
    await probe.screen(pool, population, { lo, hi: mid }, queryBytes, 5);
    const half = probe.stats().bytes;
    const cache = new PartitionCache({ maxBytes: Math.ceil(half * 1.5) });
    await cache.screen(pool, population, { lo, hi: mid }, queryBytes, 5);
    await cache.screen(pool, population, { lo: mid + 1, hi }, queryBytes, 5);
    expect(cache.stats().partitions).toBe(1);
    expect(cache.stats().bytes).toBeLessThanOrEqual(cache.maxBytes);
    // The first half was evicted: read again in full.
    const again = await cache.screen(pool, population, { lo, hi: mid }, queryBytes, 5);
    expect(again.stats.cached).toBe(false);
  });

  it('reads two partitions at once for two jobs, and one partition for two jobs once', async () => {
    const [lo, hi] = (
      await pool.query<{ lo: string; hi: string }>('SELECT min(n) AS lo, max(n) AS hi FROM submissions')
    ).rows.map((r) => [Number(r.lo), Number(r.hi)])[0]!;
    const mid = Math.floor((lo + hi) / 2);
    // The first read of a whole partition waits (up to 10 s) until another has started: two that run one after the
    // other never meet.
    let reading = 0;
    let met = false;
    let gating = true;
    const gated = gatedPool(pool, async (sql) => {
      if (!gating || !sql.includes("AND s.state <> 'open' AND sig.params_key = $3")) return; // not a full read
      if (++reading > 1) return;
      const until = Date.now() + 10_000;
      while (reading < 2 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
      met = reading >= 2;
    });
    const cache = new PartitionCache();
    const [a, b] = await Promise.all([
      cache.screen(gated, population, { lo, hi: mid }, queryBytes, 5),
      cache.screen(gated, population, { lo: mid + 1, hi }, queryBytes, 5),
    ]);
    expect(met).toBe(true);
    expect([a.stats.cached, b.stats.cached]).toEqual([false, false]);
    // The same partition for two jobs at once: read in full once; the other reads only what changed since.
    gating = false;
    const fresh = new PartitionCache();
    const [first, second] = await Promise.all([
      fresh.screen(gated, population, { lo, hi: mid }, queryBytes, 5),
      fresh.screen(gated, population, { lo, hi: mid }, queryBytes, 5),
    ]);
    expect([first.stats.cached, second.stats.cached]).toEqual([false, true]);
    expect(second.stats.rowsRead).toBe(0);
    expect(second.best).toEqual(first.best);
  });

  it('makes its worker take screen jobs of the partitions it holds first', async () => {
    const cache = new PartitionCache();
    const held = { lo: 0, hi: 63 };
    await cache.screen(pool, population, held, queryBytes, 5);
    const [submission] = (await pool.query<{ id: string }>('SELECT id FROM submissions LIMIT 1')).rows;
    const spec = (range: { lo: number; hi: number }) => JSON.stringify({ population, range, query: 'q', keep: 5 });
    await pool.query(
      `INSERT INTO correlation_jobs (submission_id, kind, part, spec) VALUES ($1, 'screen', 1, $2), ($1, 'screen', 2, $3)`,
      [submission!.id, spec({ lo: 64, hi: 127 }), spec(held)],
    );
    const mine = await claimJob(pool, 'worker-a', 60_000, 5, jobKinds, cache.keys());
    expect(mine!.spec).toMatchObject({ range: held });
    const other = await claimJob(pool, 'worker-b', 60_000, 5, jobKinds, []);
    expect(other!.spec).toMatchObject({ range: { lo: 64, hi: 127 } });
  });
});

/** The pool, with `gate(sql)` awaited before each statement its transactions' connections run. */
function gatedPool(pool: PgPool, gate: (sql: string) => Promise<void>): PgPool {
  return new Proxy(pool, {
    get(target, property) {
      if (property !== 'connect') return Reflect.get(target, property, target) as unknown;
      return async () => {
        const client = await target.connect();
        return new Proxy(client, {
          get(c, p) {
            const value = Reflect.get(c, p, c) as unknown;
            if (p !== 'query') return typeof value === 'function' ? value.bind(c) : value;
            return async (sql: string, values?: unknown[]) => {
              await gate(sql);
              return c.query(sql, values);
            };
          },
        });
      };
    },
  });
}
