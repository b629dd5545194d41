import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate, schemaVersion } from '../database.ts';
import { migrations } from './index.ts';

describe('migration 0061-outbox-signed-results', () => {
  it('adds the signed results to outbox jobs, a JSON object when present; jobs correlated before keep none', () => {
    const db = new Database(':memory:');
    for (const m of migrations.filter((m) => m.version <= 60)) m.up(db);
    db.pragma('user_version = 60');
    db.pragma('foreign_keys = OFF');
    const insert =
      db.prepare(`INSERT INTO outbox_jobs (idempotency_key, case_ref, item_ref, state, manifest, signature, origin_certificate,
      artifact_paths, bytes_total, next_attempt_at, created_at, updated_at) VALUES (?, 'C', 'I', 'correlated', '{}', 's', 'c', '[]', 0, 0, 'now', 'now')`);
    insert.run('old');
    expect(migrate(db).applied).toContain('0061-outbox-signed-results');
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(61);
    const read = db.prepare(`SELECT signed_results FROM outbox_jobs WHERE idempotency_key = ?`).pluck();
    expect(read.get('old')).toBeNull();
    insert.run('new');
    const set = db.prepare(`UPDATE outbox_jobs SET signed_results = ? WHERE idempotency_key = 'new'`);
    set.run(JSON.stringify({ statement: {}, signature: 's', certificate: 'c' }));
    expect(JSON.parse(read.get('new') as string)).toMatchObject({ signature: 's' });
    expect(() => set.run('not json')).toThrow();
    expect(() => set.run('[1]')).toThrow(/CHECK/);
  });
});
