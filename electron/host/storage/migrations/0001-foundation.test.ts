import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate, schemaVersion } from '../database.ts';
import { migration } from './0001-foundation.ts';

describe('migration 0001-foundation', () => {
  it('creates the foundation tables and guards the audit log and evidence index', () => {
    const db = new Database(':memory:');
    migration.up(db);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['users', 'cases', 'items', 'audit_log', 'evidence_files']));
    const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all();
    expect(triggers).toEqual(
      expect.arrayContaining([
        'audit_log_no_update',
        'audit_log_no_delete',
        'evidence_files_no_update',
        'evidence_files_no_delete',
      ]),
    );
  });

  it('is applied once by migrate() and recorded in user_version', () => {
    const db = new Database(':memory:');
    expect(migrate(db).applied[0]).toBe('0001-foundation');
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(1);
    expect(migrate(db).applied).toEqual([]);
  });

  it('refuses a database from a newer Casebench', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 9999');
    expect(() => migrate(db)).toThrow(/newer than this Casebench/);
  });
});
