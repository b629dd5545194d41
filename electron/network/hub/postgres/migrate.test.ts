// The hub's PostgreSQL schema migrations, one test each, on a throwaway cluster; and the migration run itself:
// processes starting together migrate once, and a database newer than this code is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../../tests/fixtures/postgres.ts';
import { openPostgresPool, type PgPool } from './connect.ts';
import { hubMigrations, migrateHub } from './migrate.ts';
import { openPostgresRecords, writeCorrelation } from './records.ts';
import { hubNote } from '../notes.ts';

let pg: TestPostgres;
const pools: PgPool[] = [];
beforeAll(() => {
  pg = startTestPostgres();
});
afterAll(async () => {
  for (const pool of pools) await pool.end();
  pg?.destroy();
});

/** A fresh database on the cluster and a pool on it. */
function freshDatabase(name: string): PgPool {
  pg.psql(`CREATE DATABASE ${name}`);
  const pool = openPostgresPool(pg.url.replace('/hub?', `/${name}?`), { max: 4 });
  pools.push(pool);
  return pool;
}

const submission = (id: string, key: string) => [
  id,
  key,
  'LAB-1',
  'ST-1',
  'C',
  'I',
  '9mm Luger',
  '{"artifacts":[]}',
  'a'.repeat(64),
  'sig',
  'cert',
  'committed',
  new Date(0).toISOString(),
];
const insertSubmission = `INSERT INTO submissions (id, idempotency_key, lab_id, station_id, case_ref, item_ref, calibre,
  manifest, manifest_sha256, signature, origin_certificate, state, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`;

describe('hub schema migrations (PostgreSQL)', { timeout: 60_000 }, () => {
  it('0001-records: submissions unique by idempotency key, leads once per pair, feed and nonces', async () => {
    const pool = freshDatabase('m1');
    expect((await migrateHub(pool, 1)).applied).toEqual(['0001-records']);
    await pool.query(insertSubmission, submission('s1', 'k1'));
    await pool.query(insertSubmission, submission('s2', 'k2'));
    await expect(pool.query(insertSubmission, submission('s3', 'k1'))).rejects.toThrow(/idempotency_key/);
    await expect(
      pool.query(insertSubmission, [...submission('s4', 'k4').slice(0, 11), 'lost', new Date(0).toISOString()]),
    ).rejects.toThrow(/check/i);
    const lead = `INSERT INTO leads (submission_id, other_submission_id, score, scorer, created_at) VALUES ($1, $2, 1, 't', 'now')`;
    await pool.query(lead, ['s1', 's2']);
    await expect(pool.query(lead, ['s1', 's2'])).rejects.toThrow(/duplicate/);
    await expect(pool.query(lead, ['s1', 'nope'])).rejects.toThrow(/foreign key/);
    await pool.query(
      `INSERT INTO feed (lab_id, submission_id, kind, lead_id, created_at) VALUES ('LAB-1', 's1', 'lead', 1, 'now')`,
    );
    await expect(
      pool.query(`INSERT INTO feed (lab_id, submission_id, kind, created_at) VALUES ('LAB-1', 's1', 'other', 'now')`),
    ).rejects.toThrow(/check/i);
    await pool.query(`INSERT INTO nonces VALUES ('n', 1)`);
    await expect(pool.query(`INSERT INTO nonces VALUES ('n', 2)`)).rejects.toThrow(/duplicate/);
  });

  it('0002-correlation-jobs: from version 1 with submissions; one job per submission, kind and part; states checked', async () => {
    const pool = freshDatabase('m2');
    await migrateHub(pool, 1);
    await pool.query(insertSubmission, submission('s1', 'k1'));
    expect((await migrateHub(pool, 2)).applied).toEqual(['0002-correlation-jobs']);
    await pool.query(`INSERT INTO correlation_jobs (submission_id, kind) VALUES ('s1', 'correlate')`);
    await expect(
      pool.query(`INSERT INTO correlation_jobs (submission_id, kind) VALUES ('s1', 'correlate')`),
    ).rejects.toThrow(/duplicate/);
    await pool.query(
      `INSERT INTO correlation_jobs (submission_id, kind, part, parent_id) VALUES ('s1', 'screen', 1, 1)`,
    );
    const job = (
      await pool.query(`SELECT state, attempts, run_after <= now() AS due FROM correlation_jobs WHERE id = 1`)
    ).rows[0];
    expect(job).toEqual({ state: 'queued', attempts: 0, due: true });
    await expect(pool.query(`UPDATE correlation_jobs SET state = 'lost'`)).rejects.toThrow(/check/i);
    await expect(
      pool.query(`INSERT INTO correlation_jobs (submission_id, kind) VALUES ('nope', 'correlate')`),
    ).rejects.toThrow(/foreign key/);
  });

  it('0003-screening: from version 2, submissions gain region, recovery date, X3P hash and a dense number; signatures once', async () => {
    const pool = freshDatabase('m3');
    await migrateHub(pool, 2);
    const manifest = (region: string | null, date: string | null) =>
      JSON.stringify({
        ...(region ? { region } : {}),
        specimen: { calibre: '9mm Luger', ...(date ? { recoveryDate: date } : {}) },
        artifacts: [
          { role: 'image', sha256: 'b'.repeat(64) },
          { role: 'x3p', sha256: 'c'.repeat(64) },
        ],
      });
    const old = submission('s1', 'k1');
    old[7] = manifest('firing_pin', '2026-03-01');
    await pool.query(insertSubmission, old);
    const undated = submission('s2', 'k2');
    undated[7] = manifest(null, null);
    await pool.query(insertSubmission, undated);
    expect((await migrateHub(pool, 3)).applied).toEqual(['0003-screening']);
    const rows = (
      await pool.query(
        `SELECT id, n, region, to_char(recovery_date, 'YYYY-MM-DD') AS date, x3p_sha256 FROM submissions ORDER BY id`,
      )
    ).rows;
    expect(rows).toEqual([
      { id: 's1', n: expect.any(String), region: 'firing_pin', date: '2026-03-01', x3p_sha256: 'c'.repeat(64) },
      { id: 's2', n: expect.any(String), region: 'breech_face', date: null, x3p_sha256: 'c'.repeat(64) },
    ]);
    expect(rows[0].n).not.toBe(rows[1].n);
    await pool.query(`INSERT INTO signatures (x3p_sha256, params_key, encoding) VALUES ('c', 'p', '\x01')`);
    await expect(
      pool.query(`INSERT INTO signatures (x3p_sha256, params_key, encoding) VALUES ('c', 'p', '\x01')`),
    ).rejects.toThrow(/duplicate/);
    // Either an encoding or the reason there is none, never both or neither.
    await expect(pool.query(`INSERT INTO signatures (x3p_sha256, params_key) VALUES ('d', 'p')`)).rejects.toThrow(
      /check/i,
    );
    await pool.query(`INSERT INTO signatures (x3p_sha256, params_key, error) VALUES ('e', 'p', 'unreadable')`);
  });

  it('0004-compare-jobs-screening-changes: compare jobs; a commit or a stored signature marks the submission changed', async () => {
    const pool = freshDatabase('m4');
    await migrateHub(pool, 3);
    const open = submission('s1', 'k1');
    open[11] = 'open';
    const withRegion = `${insertSubmission.replace(') VALUES (', ', region, x3p_sha256) VALUES (').replace('$13)', '$13, $14, $15)')}`;
    await pool.query(withRegion, [...open, 'breech_face', 'c']);
    expect((await migrateHub(pool, 4)).applied).toEqual(['0004-compare-jobs-screening-changes']);
    const xid = async () =>
      BigInt((await pool.query(`SELECT screening_xid::text AS x FROM submissions WHERE id = 's1'`)).rows[0].x);
    const before = await xid();
    await pool.query(`UPDATE submissions SET state = 'committed' WHERE id = 's1'`);
    const committed = await xid();
    expect(committed).toBeGreaterThan(before);
    await pool.query(`UPDATE submissions SET case_ref = 'other' WHERE id = 's1'`); // not a screening change
    expect(await xid()).toBe(committed);
    await pool.query(`INSERT INTO signatures (x3p_sha256, params_key, encoding) VALUES ('c', 'p', '\\x01')`);
    const signed = await xid();
    expect(signed).toBeGreaterThan(committed);
    await pool.query(`UPDATE signatures SET params_key = 'q' WHERE x3p_sha256 = 'c'`);
    expect(await xid()).toBeGreaterThan(signed);
    // A row inserted now carries its transaction too.
    await pool.query(withRegion, [...submission('s2', 'k2'), 'breech_face', 'd']);
    expect(
      (await pool.query(`SELECT screening_xid IS NOT NULL AS has FROM submissions WHERE id = 's2'`)).rows[0].has,
    ).toBe(true);
    await pool.query(`INSERT INTO correlation_jobs (submission_id, kind, part) VALUES ('s1', 'compare', 1)`);
    await expect(
      pool.query(`INSERT INTO correlation_jobs (submission_id, kind, part) VALUES ('s1', 'compare', 1)`),
    ).rejects.toThrow(/duplicate/);
    await expect(
      pool.query(`INSERT INTO correlation_jobs (submission_id, kind) VALUES ('s1', 'other')`),
    ).rejects.toThrow(/check/i);
  });

  it('0005-job-affinity: a job may be meant for a worker until a time (both or neither); workers keep a heartbeat', async () => {
    const pool = freshDatabase('m5');
    await migrateHub(pool, 4);
    const withRegion = `${insertSubmission.replace(') VALUES (', ', region) VALUES (').replace('$13)', '$13, $14)')}`;
    await pool.query(withRegion, [...submission('s1', 'k1'), 'breech_face']);
    await pool.query(`INSERT INTO correlation_jobs (submission_id, kind) VALUES ('s1', 'correlate')`);
    expect((await migrateHub(pool, 5)).applied).toEqual(['0005-job-affinity']);
    // A job from before has no affinity: any worker takes it.
    expect((await pool.query(`SELECT affinity, affinity_until FROM correlation_jobs`)).rows).toEqual([
      { affinity: null, affinity_until: null },
    ]);
    await pool.query(`INSERT INTO correlation_jobs (submission_id, kind, part, affinity, affinity_until)
      VALUES ('s1', 'compare', 1, 'worker-a', now() + interval '2 seconds')`);
    await expect(
      pool.query(`INSERT INTO correlation_jobs (submission_id, kind, part, affinity) VALUES ('s1', 'compare', 2, 'w')`),
    ).rejects.toThrow(/affinity_check/);
    await pool.query(`INSERT INTO correlation_workers (id, alive_until) VALUES ('worker-a', now())`);
    await expect(
      pool.query(`INSERT INTO correlation_workers (id, alive_until) VALUES ('worker-a', now())`),
    ).rejects.toThrow(/duplicate/);
    await expect(pool.query(`INSERT INTO correlation_workers (id) VALUES ('worker-b')`)).rejects.toThrow(/null/);
  });

  it('0006-register-jobs: registration-check jobs beside screen and compare jobs, numbered per correlation', async () => {
    const pool = freshDatabase('m6');
    await migrateHub(pool, 5);
    const withRegion = `${insertSubmission.replace(') VALUES (', ', region) VALUES (').replace('$13)', '$13, $14)')}`;
    await pool.query(withRegion, [...submission('s1', 'k1'), 'breech_face']);
    await expect(
      pool.query(`INSERT INTO correlation_jobs (submission_id, kind, part) VALUES ('s1', 'register', 1)`),
    ).rejects.toThrow(/kind_check/);
    expect((await migrateHub(pool, 6)).applied).toEqual(['0006-register-jobs']);
    await pool.query(`INSERT INTO correlation_jobs (submission_id, kind, part) VALUES ('s1', 'register', 1)`);
    // Part 1 of another kind is another job; the same part of the same kind is refused.
    await pool.query(`INSERT INTO correlation_jobs (submission_id, kind, part) VALUES ('s1', 'compare', 1)`);
    await expect(
      pool.query(`INSERT INTO correlation_jobs (submission_id, kind, part) VALUES ('s1', 'register', 1)`),
    ).rejects.toThrow(/duplicate/);
    await expect(
      pool.query(`INSERT INTO correlation_jobs (submission_id, kind) VALUES ('s1', 'other')`),
    ).rejects.toThrow(/check/i);
  });

  it('0007-worker-kinds: a worker says which kinds of job it runs; rows of older workers say nothing', async () => {
    const pool = freshDatabase('m7');
    await migrateHub(pool, 6);
    await pool.query(`INSERT INTO correlation_workers (id, alive_until) VALUES ('old', now())`);
    expect((await migrateHub(pool, 7)).applied).toEqual(['0007-worker-kinds']);
    await pool.query(
      `INSERT INTO correlation_workers (id, alive_until, kinds) VALUES ('new', now(), '{correlate,screen}')`,
    );
    expect((await pool.query(`SELECT id, kinds FROM correlation_workers ORDER BY id`)).rows).toEqual([
      { id: 'new', kinds: ['correlate', 'screen'] },
      { id: 'old', kinds: null },
    ]);
  });

  it('0008-correlation-note-codes: coded notes beside the English strings an older front end reads', async () => {
    const pool = freshDatabase('m8');
    await migrateHub(pool, 2); // rows inserted the simplest way, before the screening columns (given defaults)
    await pool.query(insertSubmission, submission('old', 'k-old'));
    await pool.query(insertSubmission, submission('new', 'k-new'));
    await pool.query(
      `UPDATE submissions SET correlation_notes = '["an English note of an older worker"]' WHERE id = 'old'`,
    );
    await migrateHub(pool, 7);
    expect((await migrateHub(pool, 8)).applied).toEqual(['0008-correlation-note-codes']);
    const notes = [hubNote('no_topography'), { text: 'an uncoded note' }, hubNote('more_notes', { count: 3 })];
    await writeCorrelation(pool, 'new', [], notes, new Date(0).toISOString());
    // What a front end of the previous release reads and passes to stations: strings only.
    const raw = (await pool.query(`SELECT correlation_notes FROM submissions WHERE id = 'new'`)).rows[0];
    expect(raw.correlation_notes).toEqual(notes.map((note) => note.text));
    expect(raw.correlation_notes.every((note: unknown) => typeof note === 'string')).toBe(true);
    // This release reads codes and texts together; rows from before read as English.
    const records = openPostgresRecords(pool);
    expect(await records.correlationNotes('new')).toEqual(notes);
    expect(await records.correlationNotes('old')).toEqual([{ text: 'an English note of an older worker' }]);
  });

  it('migrates once when several processes start together, records each version, and refuses a newer database', async () => {
    const pool = freshDatabase('race');
    const others = [
      openPostgresPool(pg.url.replace('/hub?', '/race?'), { max: 2 }),
      openPostgresPool(pg.url.replace('/hub?', '/race?'), { max: 2 }),
    ];
    pools.push(...others);
    const runs = await Promise.all([migrateHub(pool), ...others.map((p) => migrateHub(p))]);
    const all = hubMigrations.map((m) => `${String(m.version).padStart(4, '0')}-${m.name}`);
    expect(runs.flatMap((r) => r.applied).sort()).toEqual(all.sort()); // each applied by exactly one of them
    expect(
      (await pool.query('SELECT version FROM hub_migrations ORDER BY version')).rows.map((r) => r.version),
    ).toEqual(hubMigrations.map((m) => m.version));
    await pool.query(`INSERT INTO hub_migrations (version, name) VALUES (9999, 'from the future')`);
    await expect(migrateHub(pool)).rejects.toThrow(/newer than this Casebench/);
  });
});
