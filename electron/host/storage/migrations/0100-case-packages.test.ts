import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../database.ts';

describe('migration 0100-case-packages', () => {
  it('keeps export and import records write-once and an imported package unique', () => {
    const db = new Database(':memory:');
    migrate(db);
    db.prepare(
      `INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES ('m', 'M', 'manager', 'x', 'now')`,
    ).run();
    db.prepare(
      `INSERT INTO cases (lab_case_number, status, created_at, updated_at, created_by) VALUES ('C1', 'open', 'now', 'now', 1)`,
    ).run();
    const sha = 'a'.repeat(64);
    db.prepare(`INSERT INTO evidence_files (sha256, size, media_type, stored_at) VALUES (?, 1, 'x', 'now')`).run(sha);
    db.prepare(
      `INSERT INTO package_exports (package_id, case_id, file_name, manifest_sha256, package_sha256, content_sha256, size, items,
        whole_case, personal_data, reason, exported_at, exported_by) VALUES ('p1', 1, 'f.zip', ?, ?, ?, 1, '["Q1"]', 1, 0, 'r', 'now', 1)`,
    ).run(sha, sha, sha);
    expect(() => db.prepare(`UPDATE package_exports SET reason = 'other'`).run()).toThrow(/write-once/);
    expect(() => db.prepare(`DELETE FROM package_exports`).run()).toThrow(/write-once/);
    const insertImport = db.prepare(
      `INSERT INTO package_imports (package_id, manifest_sha256, signature_sha256, record_sha256, audit_sha256, package_sha256,
        origin_lab_id, origin_station_id, origin_case_number, exported_at, exported_by, reason, case_id, imported_at, imported_by, audit_seq)
       VALUES (?, ?, ?, ?, ?, ?, 'L', 'S', 'C', 'now', 'u', 'r', 1, 'now', 1, 1)`,
    );
    insertImport.run('p1', sha, sha, sha, sha, sha);
    expect(() => insertImport.run('p1', sha, sha, sha, sha, sha)).toThrow(/UNIQUE/);
    expect(() => db.prepare(`UPDATE package_imports SET reason = 'x'`).run()).toThrow(/write-once/);
    db.prepare(`INSERT INTO package_imported_records VALUES (1, 'item', 5, 9)`).run();
    expect(() => db.prepare(`INSERT INTO package_imported_records VALUES (1, 'item', 5, 10)`).run()).toThrow();
    expect(() => db.prepare(`INSERT INTO package_imported_records VALUES (1, 'user', 6, 10)`).run()).toThrow(/CHECK/);
  });
});
