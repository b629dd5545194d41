import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate, schemaVersion } from '../database.ts';
import { migrations } from './index.ts';

describe('migration 0090-outbox-hit-reports', () => {
  it('adds hit reports (one per job and lead), network hits on jobs and the feed position; existing jobs keep none', () => {
    const db = new Database(':memory:');
    // A station at version 52 with a correlated job, as in the field before this migration.
    for (const m of migrations.filter((m) => m.version <= 52)) m.up(db);
    db.pragma('user_version = 52');
    db.pragma('foreign_keys = ON');
    db.prepare(
      `INSERT INTO outbox_jobs (id, idempotency_key, case_ref, item_ref, state, manifest, signature, origin_certificate,
      artifact_paths, bytes_total, next_attempt_at, created_at, updated_at) VALUES (1, 'old', 'C', 'I', 'correlated', '{}', 's', 'c', '[]', 0, 0, 'now', 'now')`,
    ).run();
    expect(migrate(db).applied).toContain('0090-outbox-hit-reports');
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(90);
    expect(db.prepare('SELECT network_hits FROM outbox_jobs WHERE id = 1').pluck().get()).toBeNull();

    const insert =
      db.prepare(`INSERT INTO outbox_hit_reports (idempotency_key, job_id, lead_id, fields, state, next_attempt_at,
      created_at, updated_at) VALUES (?, ?, ?, ?, 'queued', 0, 'now', 'now')`);
    insert.run('k1', 1, 7, '{"hitRef":"1"}');
    expect(() => insert.run('k2', 1, 7, '{"hitRef":"1"}')).toThrow(/UNIQUE/); // one report per job and lead
    expect(() => insert.run('k3', 99, 7, '{}')).toThrow(/FOREIGN KEY/); // only for a job that exists
    expect(() => insert.run('k4', 1, 8, 'not json')).toThrow();
    expect(() => db.prepare(`UPDATE outbox_hit_reports SET state = 'lost'`).run()).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE outbox_jobs SET network_hits = '{}' WHERE id = 1`).run()).toThrow(/CHECK/);
    db.prepare(`INSERT INTO outbox_feed (hub, position, updated_at) VALUES ('https://hub', 0, 'now')`).run();
    expect(() => db.prepare(`UPDATE outbox_feed SET position = -1`).run()).toThrow(/CHECK/);
  });
});
