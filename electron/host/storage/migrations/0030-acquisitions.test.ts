import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migration as foundation } from './0001-foundation.ts';
import { migration } from './0030-acquisitions.ts';

const hash = 'a'.repeat(64);

function seeded() {
  const db = new Database(':memory:');
  foundation.up(db);
  migration.up(db);
  db.prepare(
    "INSERT INTO users (id, username, display_name, role, password_hash, created_at) VALUES (1, 'a', 'A', 'admin', 'x', '')",
  ).run();
  db.prepare(
    "INSERT INTO cases (id, lab_case_number, status, created_at, updated_at, created_by) VALUES (1, 'LAB-1', 'open', '', '', 1)",
  ).run();
  db.prepare(
    "INSERT INTO items (id, case_id, kind, exhibit_number, created_at, updated_at) VALUES (1, 1, 'cartridge_case', 'Q1', '', '')",
  ).run();
  db.prepare(
    "INSERT INTO evidence_files (sha256, size, media_type, stored_at) VALUES (?, 1, 'application/x-x3p', '')",
  ).run(hash);
  db.prepare(
    `INSERT INTO acquisitions (id, item_id, source, region, operator_id, started_at, completed_at, settings, topography_sha256)
              VALUES (1, 1, 'import', 'breech_face', 1, 't0', 't1', '{}', ?)`,
  ).run(hash);
  db.prepare("INSERT INTO acquisition_files (acquisition_id, role, sha256) VALUES (1, 'topography', ?)").run(hash);
  return db;
}

describe('migration 0030-acquisitions', () => {
  it('keeps provenance write-once but lets the examiner judgement be amended', () => {
    const db = seeded();
    expect(() => db.prepare('UPDATE acquisitions SET settings = \'{"x":1}\' WHERE id = 1').run()).toThrow(/write-once/);
    expect(() => db.prepare('DELETE FROM acquisitions WHERE id = 1').run()).toThrow(/never deleted/);
    expect(() => db.prepare("UPDATE acquisition_files SET role = 'x'").run()).toThrow(/write-once/);
    expect(() => db.prepare('DELETE FROM acquisition_files').run()).toThrow(/write-once/);
    db.prepare("UPDATE acquisitions SET unsuitable_reason = 'no marks', version = version + 1 WHERE id = 1").run();
    expect(db.prepare('SELECT unsuitable_reason FROM acquisitions').pluck().get()).toBe('no marks');
  });

  it('makes calibration records immutable', () => {
    const db = seeded();
    db.prepare(
      `INSERT INTO calibrations (kind, rig_profile, device_serials, operator_id, performed_at, expires_at, results)
                VALUES ('scale', 'demo', '{}', 1, 't', 't2', '{"umPerPixel":3.33}')`,
    ).run();
    expect(() => db.prepare("UPDATE calibrations SET expires_at = 'never'").run()).toThrow(/write-once/);
    expect(() => db.prepare('DELETE FROM calibrations').run()).toThrow(/write-once/);
  });
});
