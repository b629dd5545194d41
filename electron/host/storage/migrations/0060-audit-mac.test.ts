import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate, schemaVersion } from '../database.ts';
import { migrations } from './index.ts';

describe('migration 0060-audit-mac', () => {
  it('adds a nullable 64-hex MAC to audit entries; older entries keep none and the log stays append-only', () => {
    const db = new Database(':memory:');
    for (const m of migrations.filter((m) => m.version <= 52)) m.up(db);
    db.pragma('user_version = 52');
    db.prepare(
      `INSERT INTO audit_log (at, action, entity_type, prev_hash, hash) VALUES ('now', 'a', 'e', 'p', 'h')`,
    ).run();
    expect(migrate(db).applied).toContain('0060-audit-mac');
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(60);
    expect(db.prepare('SELECT mac FROM audit_log WHERE seq = 1').pluck().get()).toBeNull();
    const insert = db.prepare(
      `INSERT INTO audit_log (at, action, entity_type, prev_hash, hash, mac) VALUES ('now', 'a', 'e', 'p', 'h', ?)`,
    );
    insert.run('a'.repeat(64));
    expect(() => insert.run('short')).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE audit_log SET mac = ? WHERE seq = 1`).run('b'.repeat(64))).toThrow(/append-only/);
  });
});
