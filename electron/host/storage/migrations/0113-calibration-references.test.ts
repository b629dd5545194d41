import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../database.ts';
import { migrations } from './index.ts';
import { CalibrationsRepo } from '../repos/calibrationsRepo.ts';

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
  db.exec('DROP TRIGGER calibrations_no_delete');
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

describe('migration 0113-calibration-references', () => {
  it('gives existing calibrations the reference they showed before (UTC year + rank that year)', () => {
    const db = database(112);
    const a = insert(db, '2025-12-31T23:00:00Z');
    const b = insert(db, '2026-01-02T08:00:00Z');
    const c = insert(db, '2026-03-01T08:00:00Z');
    for (const m of migrations.filter((m) => m.version > 112)) m.up(db);
    expect([a, b, c].map((id) => referenceOf(db, id))).toEqual(['CAL-2025-0001', 'CAL-2026-0001', 'CAL-2026-0002']);
    // A new one continues the year's numbering.
    expect(referenceOf(db, insert(db, '2026-04-01T08:00:00Z'))).toBe('CAL-2026-0003');
  });

  it("keeps a calibration's reference when an earlier one of its year is deleted behind the station", () => {
    const db = database();
    const repo = new CalibrationsRepo(db);
    const record = (performedAt: string) =>
      repo.insert({
        kind: 'scale',
        rigProfile: 'demo',
        deviceSerials: {},
        operatorId: 1,
        performedAt,
        expiresAt: '2099-01-01T00:00:00Z',
        results: { passed: true, messages: [] },
        reportSha256: null,
      });
    const first = record('2026-01-02T08:00:00Z');
    const second = record('2026-02-02T08:00:00Z');
    const third = record('2026-03-02T08:00:00Z');
    expect(repo.get(third)?.reference).toBe('CAL-2026-0003');

    deleteBehindTheStation(db, first);
    expect(repo.get(second)?.reference).toBe('CAL-2026-0002');
    expect(repo.get(third)?.reference).toBe('CAL-2026-0003');
    expect(repo.list({ limit: 10 }).map((c) => c.reference)).toEqual(['CAL-2026-0003', 'CAL-2026-0002']);
    // Numbers are never reused: the next one is not a second 'CAL-2026-0003'.
    expect(repo.get(record('2026-04-02T08:00:00Z'))?.reference).toBe('CAL-2026-0004');
  });

  it('never lets a stored reference change', () => {
    const db = database();
    const id = insert(db, '2026-01-02T08:00:00Z');
    expect(() => db.prepare("UPDATE calibrations SET reference = 'CAL-2026-0009' WHERE id = ?").run(id)).toThrow(
      /write-once/,
    );
    expect(() => db.prepare("UPDATE calibrations SET kind = 'lights' WHERE id = ?").run(id)).toThrow(/write-once/);
  });
});
