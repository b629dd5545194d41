import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate, schemaVersion } from '../database.ts';
import { migration } from './0050-outbox.ts';

describe('migration 0050-outbox', () => {
  it('creates the outbox with a unique idempotency key and a closed set of states', () => {
    const db = new Database(':memory:');
    migration.up(db);
    const insert =
      db.prepare(`INSERT INTO outbox_jobs (idempotency_key, case_ref, item_ref, state, manifest, signature, origin_certificate,
      artifact_paths, bytes_total, next_attempt_at, created_at, updated_at) VALUES (?, 'C', 'I', ?, '{}', 's', 'c', '[]', 0, 0, 'now', 'now')`);
    insert.run('k1', 'queued');
    expect(() => insert.run('k1', 'queued')).toThrow(/UNIQUE/);
    expect(() => insert.run('k2', 'sent')).toThrow(/CHECK/);
  });

  it('is applied by migrate() after the foundation', () => {
    const db = new Database(':memory:');
    expect(migrate(db).applied).toContain('0050-outbox');
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(50);
  });
});
