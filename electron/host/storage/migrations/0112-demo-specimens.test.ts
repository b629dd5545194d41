import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate, schemaVersion } from '../database.ts';

describe('migration 0112-demo-specimens', () => {
  it('keeps one simulated specimen per existing item', () => {
    const db = new Database(':memory:');
    expect(migrate(db).applied).toContain('0112-demo-specimens');
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(112);
    const insert = db.prepare(
      'INSERT INTO demo_specimens (item_id, specimen, chosen_by, chosen_at) VALUES (?, ?, NULL, ?)',
    );
    db.pragma('foreign_keys = ON');
    expect(() => insert.run(99, 'fadul/fadul_2-1.x3p', 'now')).toThrow(/FOREIGN KEY/);
    db.pragma('foreign_keys = OFF');
    insert.run(1, 'fadul/fadul_2-1.x3p', 'now');
    expect(() => insert.run(1, 'fadul/fadul_3-1.x3p', 'now')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insert.run(2, '', 'now')).toThrow(/CHECK/);
  });
});
