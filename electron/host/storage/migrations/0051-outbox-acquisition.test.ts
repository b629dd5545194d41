import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate, schemaVersion } from '../database.ts';

describe('migration 0051-outbox-acquisition', () => {
  it('allows one live outbox job per acquisition; a canceled one frees the acquisition', () => {
    const db = new Database(':memory:');
    expect(migrate(db).applied).toContain('0051-outbox-acquisition');
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(51);
    db.pragma('foreign_keys = OFF'); // no acquisition rows needed to test the index
    const insert =
      db.prepare(`INSERT INTO outbox_jobs (idempotency_key, case_ref, item_ref, state, manifest, signature, origin_certificate,
      artifact_paths, bytes_total, next_attempt_at, created_at, updated_at, acquisition_id) VALUES (?, 'C', 'I', ?, '{}', 's', 'c', '[]', 0, 0, 'now', 'now', ?)`);
    insert.run('k1', 'queued', 7);
    expect(() => insert.run('k2', 'queued', 7)).toThrow(/UNIQUE/);
    insert.run('k3', 'queued', null);
    insert.run('k4', 'queued', null); // jobs without an acquisition (bundle imports, tests) are not limited
    db.prepare(`UPDATE outbox_jobs SET state = 'canceled' WHERE idempotency_key = 'k1'`).run();
    insert.run('k5', 'queued', 7);
    expect(db.prepare('SELECT count(*) FROM outbox_jobs WHERE acquisition_id = 7').pluck().get()).toBe(2);
  });
});
