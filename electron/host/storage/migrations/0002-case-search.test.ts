import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migration as foundation } from './0001-foundation.ts';
import { migration } from './0002-case-search.ts';

describe('migration 0002-case-search', () => {
  it('indexes existing cases and follows inserts and amendments', () => {
    const db = new Database(':memory:');
    foundation.up(db);
    db.prepare(
      "INSERT INTO users (id, username, display_name, role, password_hash, created_at) VALUES (1, 'a', 'A', 'admin', 'x', '')",
    ).run();
    const insert = db.prepare(
      "INSERT INTO cases (lab_case_number, agency, status, created_at, updated_at, created_by) VALUES (?, ?, 'open', '', '', 1)",
    );
    insert.run('LAB-2025-0007', 'Harbor PD');
    migration.up(db);
    insert.run('LAB-2026-0100', 'Metro PD');
    const search = (text: string) =>
      db.prepare('SELECT rowid FROM cases_search WHERE cases_search MATCH ? ORDER BY rowid').pluck().all(`"${text}"`);
    expect(search('2025-00')).toEqual([1]);
    expect(search('metro')).toEqual([2]);
    db.prepare("UPDATE cases SET agency = 'County SO' WHERE id = 2").run();
    expect(search('metro')).toEqual([]);
    expect(search('county')).toEqual([2]);
  });
});
