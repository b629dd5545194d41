import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate, schemaVersion } from '../database.ts';

describe('migration 0031-station-settings', () => {
  it('stores one JSON value per key and refuses malformed rows', () => {
    const db = new Database(':memory:');
    expect(migrate(db).applied).toContain('0031-station-settings');
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(31);
    db.prepare(
      "INSERT INTO users (id, username, display_name, role, password_hash, created_at) VALUES (1, 'm', 'M', 'manager', 'x', '')",
    ).run();
    const insert = db.prepare('INSERT INTO station_settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)');
    insert.run('calibration.validityDays', '90', '2026-11-24T00:00:00.000Z', 1);
    expect(() => insert.run('calibration.validityDays', '60', 'now', 1)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insert.run('other', 'not json', 'now', 1)).toThrow(/CHECK/);
    expect(() => insert.run('', '1', 'now', 1)).toThrow(/CHECK/);
    db.pragma('foreign_keys = ON');
    expect(() => insert.run('other', '1', 'now', 99)).toThrow(/FOREIGN KEY/);
    expect(db.prepare('SELECT value FROM station_settings WHERE key = ?').pluck().get('calibration.validityDays')).toBe(
      '90',
    );
  });
});
