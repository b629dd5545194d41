import { describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { schemaVersion } from '../database.ts';
import { examinationFixture } from '../../../../tests/fixtures/examinationDb.ts';

const comparison = (db: Database.Database, a: number, b: number, test?: { pair: number; participant: number }) =>
  Number(
    db
      .prepare(
        `INSERT INTO comparisons (acquisition_a, acquisition_b, origin, opened_by, opened_at, test_pair_id, participant_id)
         VALUES (?, ?, ?, 1, '', ?, ?)`,
      )
      .run(a, b, test ? 'test' : 'manual', test?.pair ?? null, test?.participant ?? null).lastInsertRowid,
  );

const conclusion = (db: Database.Database, comparisonId: number, amends: number | null = null, reason?: string) =>
  Number(
    db
      .prepare(
        `INSERT INTO conclusions (comparison_id, role, conclusion, basis, examiner_id, recorded_at, snapshot_ids,
           annotation_refs, record, amends, reason) VALUES (?, 'examination', 'identification', 'agreement', 1, '', '[]', '[]', '{}', ?, ?)`,
      )
      .run(comparisonId, amends, reason ?? null).lastInsertRowid,
  );

describe('migration 0080-examinations', () => {
  it('applies and keeps one casework comparison per pair, in either order', () => {
    const db = examinationFixture();
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(80);
    comparison(db, 1, 2);
    expect(() => comparison(db, 2, 1)).toThrow(/UNIQUE/);
    expect(() => comparison(db, 3, 3)).toThrow(/CHECK/);
    // a test set may put the same pair before several examiners
    db.exec(`INSERT INTO test_sets (id, name, instructions, created_by, created_at) VALUES (1, 'T', '', 1, '');
      INSERT INTO test_pairs (id, test_set_id, position, acquisition_a, acquisition_b, truth) VALUES (1, 1, 1, 1, 2, 'same_source')`);
    comparison(db, 1, 2, { pair: 1, participant: 1 });
    comparison(db, 1, 2, { pair: 1, participant: 2 });
    expect(() => comparison(db, 1, 2, { pair: 1, participant: 2 })).toThrow(/UNIQUE/);
    expect(() => db.exec("UPDATE test_pairs SET truth = 'different_source'")).toThrow(/write-once/);
    expect(() => db.exec('UPDATE comparisons SET acquisition_b = 3 WHERE id = 1')).toThrow(/write-once/);
    expect(() => db.exec('DELETE FROM comparisons')).toThrow(/never deleted/);
  });

  it('keeps conclusions write-once: amendments are new rows in one linear chain, one original per comparison', () => {
    const db = examinationFixture();
    const c = comparison(db, 1, 2);
    const original = conclusion(db, c);
    expect(() => conclusion(db, c)).toThrow(/UNIQUE/);
    expect(() => conclusion(db, c, original)).toThrow(/CHECK/); // an amendment says why
    const amended = conclusion(db, c, original, 'typo in the basis');
    expect(() => conclusion(db, c, original, 'second amendment of the same record')).toThrow(/UNIQUE/);
    conclusion(db, c, amended, 'again');
    expect(() => db.exec("UPDATE conclusions SET conclusion = 'elimination'")).toThrow(/write-once/);
    expect(() => db.exec('DELETE FROM conclusions')).toThrow(/write-once/);
    expect(db.prepare('SELECT count(*) FROM conclusions').pluck().get()).toBe(3);
  });

  it('keeps annotation revisions and snapshots write-once, and one live verification per comparison', () => {
    const db = examinationFixture();
    const c = comparison(db, 1, 2);
    db.exec(`INSERT INTO annotations (id, comparison_id, side, acquisition_id, frame, author_id, role, created_at, updated_at, layer, shape, note)
      VALUES (1, ${c}, 'a', 1, 'topography', 1, 'examination', '', '', 'similar', '{"kind":"polygon"}', '')`);
    const revision = db.prepare(
      `INSERT INTO annotation_revisions (annotation_id, revision, layer, shape, note, at, by_user, reason) VALUES (1, ?, 'similar', '{}', '', '', 1, ?)`,
    );
    revision.run(1, null);
    expect(() => revision.run(2, null)).toThrow(/CHECK/);
    revision.run(2, 'moved the outline');
    expect(() => db.exec("UPDATE annotation_revisions SET note = 'x'")).toThrow(/write-once/);
    expect(() => db.exec('DELETE FROM annotations')).toThrow(/never deleted/);
    expect(() => db.exec('UPDATE annotations SET author_id = 2')).toThrow(/write-once/);
    db.exec("UPDATE annotations SET note = 'current', revision = 2, version = 2");

    expect(() =>
      db.exec(`INSERT INTO snapshots (comparison_id, sha256, width, height, caption, view, author_id, role, created_at)
        VALUES (${c}, '${'0'.repeat(64)}', 10, 10, 'x', '{}', 1, 'examination', '')`),
    ).toThrow(/FOREIGN KEY/);

    const verification = db.prepare(
      `INSERT INTO verifications (comparison_id, state, blind, requested_by, requester_id, created_at) VALUES (?, ?, 1, 'policy', 1, '')`,
    );
    verification.run(c, 'agreed');
    verification.run(c, 'assigned');
    expect(() => verification.run(c, 'unassigned')).toThrow(/UNIQUE/);
    expect(() => db.exec('DELETE FROM verifications')).toThrow(/never deleted/);
  });
});
