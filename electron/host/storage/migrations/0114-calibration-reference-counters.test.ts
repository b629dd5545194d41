import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../database.ts';
import { migrations } from './index.ts';

const insert = (db: Database.Database, performedAt: string) =>
  Number(
    db
      .prepare(
        "INSERT INTO calibrations (kind, rig_profile, device_serials, operator_id, performed_at, expires_at, results) VALUES ('scale', 'demo', '{}', 1, ?, '2099-01-01T00:00:00Z', '{\"passed\":true,\"messages\":[]}')",
      )
      .run(performedAt).lastInsertRowid,
  );
const referenceOf = (db: Database.Database, id: number) =>
  db.prepare('SELECT reference FROM calibrations WHERE id = ?').pluck().get(id);
/** What someone with the database file and the sqlite3 tool can do behind the station's back. */
const deleteBehindTheStation = (db: Database.Database, id: number) => {
  db.exec('DROP TRIGGER IF EXISTS calibrations_no_delete');
  db.prepare('DELETE FROM calibrations WHERE id = ?').run(id);
};

function database(upToVersion?: number): Database.Database {
  const db = new Database(':memory:');
  if (upToVersion === undefined) migrate(db);
  else for (const m of migrations.filter((m) => m.version <= upToVersion)) m.up(db);
  db.prepare(
    "INSERT INTO users (id, username, display_name, role, password_hash, created_at) VALUES (1, 'tech', 'Tech', 'technician', 'x', '')",
  ).run();
  return db;
}

describe('migration 0114-calibration-reference-counters', () => {
  it("never reuses the reference of the year's latest calibration deleted behind the station", () => {
    const db = database();
    insert(db, '2026-01-02T08:00:00Z');
    insert(db, '2026-02-02T08:00:00Z');
    const third = insert(db, '2026-03-02T08:00:00Z');
    expect(referenceOf(db, third)).toBe('CAL-2026-0003');
    deleteBehindTheStation(db, third);
    expect(referenceOf(db, insert(db, '2026-04-02T08:00:00Z'))).toBe('CAL-2026-0004');
    // Each year counts on its own.
    expect(referenceOf(db, insert(db, '2027-01-02T08:00:00Z'))).toBe('CAL-2027-0001');
  });

  it('starts each year from the highest reference already given', () => {
    const db = database(113);
    insert(db, '2025-12-31T23:00:00Z');
    insert(db, '2026-01-02T08:00:00Z');
    const latest = insert(db, '2026-03-01T08:00:00Z');
    expect(referenceOf(db, latest)).toBe('CAL-2026-0002');
    for (const m of migrations.filter((m) => m.version > 113)) m.up(db);
    deleteBehindTheStation(db, latest);
    expect(referenceOf(db, insert(db, '2026-04-01T08:00:00Z'))).toBe('CAL-2026-0003');
    expect(referenceOf(db, insert(db, '2025-12-31T23:30:00Z'))).toBe('CAL-2025-0002');
  });

  it('never lets a counter go down or disappear', () => {
    const db = database();
    insert(db, '2026-01-02T08:00:00Z');
    expect(() => db.exec("UPDATE calibration_reference_counters SET last = 0 WHERE year = '2026'")).toThrow(
      /never go down/,
    );
    expect(() => db.exec('DELETE FROM calibration_reference_counters')).toThrow(/never go down/);
  });
});
