import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate, schemaVersion } from '../database.ts';
import { migrations } from './index.ts';

describe('migration 0052-outbox-correlation-notes', () => {
  it('adds nullable correlation notes to outbox jobs, a JSON array when present; existing jobs keep none', () => {
    const db = new Database(':memory:');
    // A station at version 51 with a delivered job, as in the field before this migration.
    for (const m of migrations.filter((m) => m.version <= 51)) m.up(db);
    db.pragma('user_version = 51');
    expect(schemaVersion(db)).toBe(51);
    db.pragma('foreign_keys = OFF');
    const insert =
      db.prepare(`INSERT INTO outbox_jobs (idempotency_key, case_ref, item_ref, state, manifest, signature, origin_certificate,
      artifact_paths, bytes_total, next_attempt_at, created_at, updated_at) VALUES (?, 'C', 'I', 'correlated', '{}', 's', 'c', '[]', 0, 0, 'now', 'now')`);
    insert.run('old');
    expect(migrate(db).applied).toContain('0052-outbox-correlation-notes');
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(52);
    expect(
      db.prepare(`SELECT correlation_notes FROM outbox_jobs WHERE idempotency_key = 'old'`).pluck().get(),
    ).toBeNull();
    insert.run('new');
    const set = db.prepare(`UPDATE outbox_jobs SET correlation_notes = ? WHERE idempotency_key = 'new'`);
    set.run(JSON.stringify(['the submission has no X3P topography']));
    expect(
      JSON.parse(
        db.prepare(`SELECT correlation_notes FROM outbox_jobs WHERE idempotency_key = 'new'`).pluck().get() as string,
      ),
    ).toEqual(['the submission has no X3P topography']);
    expect(() => set.run('not json')).toThrow();
    expect(() => set.run('{"a":1}')).toThrow(/CHECK/);
  });
});
