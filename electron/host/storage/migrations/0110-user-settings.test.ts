import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate, schemaVersion } from '../database.ts';

describe('migration 0110-user-settings', () => {
  it('keeps one row per user, with a language among the four the station speaks', () => {
    const db = new Database(':memory:');
    expect(migrate(db).applied).toContain('0110-user-settings');
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(110);
    db.prepare(
      "INSERT INTO users (id, username, display_name, role, password_hash, created_at) VALUES (1, 'e', 'E', 'examiner', 'x', '')",
    ).run();
    const insert = db.prepare('INSERT INTO user_settings (user_id, language, updated_at) VALUES (?, ?, ?)');
    insert.run(1, 'ar', '2026-11-24T00:00:00.000Z');
    expect(() => insert.run(1, 'fr', 'now')).toThrow(/UNIQUE|PRIMARY/);
    db.prepare('DELETE FROM user_settings').run();
    expect(() => insert.run(1, 'de', 'now')).toThrow(/CHECK/);
    db.pragma('foreign_keys = ON');
    expect(() => insert.run(99, 'en', 'now')).toThrow(/FOREIGN KEY/);
  });
});
