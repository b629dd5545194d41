import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate, schemaVersion } from '../database.ts';

describe('migration 0111-password-change-due', () => {
  it('adds a yes/no flag that existing and new accounts start without', () => {
    const db = new Database(':memory:');
    expect(migrate(db).applied).toContain('0111-password-change-due');
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(111);
    db.prepare(
      "INSERT INTO users (id, username, display_name, role, password_hash, created_at) VALUES (1, 'e', 'E', 'examiner', 'x', '')",
    ).run();
    expect(db.prepare('SELECT password_change_due FROM users WHERE id = 1').pluck().get()).toBe(0);
    db.prepare('UPDATE users SET password_change_due = 1 WHERE id = 1').run();
    expect(() => db.prepare('UPDATE users SET password_change_due = 2 WHERE id = 1').run()).toThrow(/CHECK/);
  });
});
