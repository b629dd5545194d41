// Snapshots, annotations (every revision), verifications, hits and calibrations are write-once by triggers. A person
// with the database file lifts a trigger, rewrites a row and puts the trigger back: before, `audit verify` saw
// nothing (only conclusions were compared with their keyed entries). Now each record must say what the keyed audit
// entry that made it, or last moved it, says; a record with no entry, or an entry whose record is gone, is reported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { encodePng } from '../../fixtures/png.ts';
import { verifyAuditTrail } from '../../../electron/host/services/auditVerification.ts';
import { examinationStation, sampleView, type ExaminationStation } from '../../fixtures/examinationStation.ts';

let s: ExaminationStation;
let ids: {
  comparison: number;
  annotation: number;
  snapshot: number;
  verification: number;
  hit: number;
  calibration: number;
};

beforeAll(async () => {
  s = await examinationStation();
  const q = await s.fadul('LAB-70', 'Q1', '3-1');
  const k = await s.fadul('LAB-71', 'K1', '3-2');
  const { comparison } = await s.e1.call('examinations.open', { a: q, b: k });
  const drawn = await s.e1.call('annotations.create', {
    comparisonId: comparison.id,
    side: 'a',
    frame: 'topography',
    layer: 'similar',
    shape: {
      kind: 'polygon',
      points: [
        [10, 10],
        [60, 12],
        [40, 50],
      ],
    },
    note: 'parallel marks at 5 o’clock',
  });
  await s.e1.call('annotations.amend', {
    id: drawn.id,
    version: drawn.version,
    note: 'parallel marks at 5 and 7 o’clock',
    reason: 'second group seen',
  });
  const snapshot = await s.e1.call('snapshots.create', {
    comparisonId: comparison.id,
    png: encodePng(40, 30, 7),
    caption: 'aligned at 5 o’clock',
    view: sampleView(),
  });
  // examiner1 identifies; the default policy asks a blind verification, which examiner2 claims and agrees with.
  await s.e1.call('conclusions.record', { comparisonId: comparison.id, conclusion: 'identification', basis: 'agree' });
  const v = (await s.e1.call('examinations.get', { comparisonId: comparison.id })).verification!;
  await s.e2.call('verification.claim', { verificationId: v.id, version: v.version });
  await s.e2.call('conclusions.record', {
    comparisonId: comparison.id,
    conclusion: 'identification',
    basis: 'independently: agree',
  });
  const hit = await s.e3.call('hits.confirm', { comparisonId: comparison.id });
  const calibration = await s.client.call('calibrations.run', { kind: 'scale' });
  ids = {
    comparison: comparison.id,
    annotation: drawn.id,
    snapshot: snapshot.id,
    verification: v.id,
    hit: hit.id,
    calibration: calibration.id,
  };
}, 120_000);
afterAll(() => s?.dispose());

/** The tamperer: the file opened directly, the trigger lifted for the change and put back as it was. */
function tamper(trigger: string, sql: string, ...params: unknown[]) {
  const db = new Database(join(s.dataDir, 'casebench.sqlite'));
  db.pragma('foreign_keys = OFF');
  try {
    const kept = db
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?")
      .pluck()
      .get(trigger) as string | undefined;
    if (kept) db.exec(`DROP TRIGGER ${trigger}`);
    db.prepare(sql).run(...params);
    if (kept) db.exec(kept);
  } finally {
    db.close();
  }
}

function expectProblem(subject: string, message: RegExp) {
  const result = verifyAuditTrail(s.host.db, s.host.audit);
  expect(result.ok).toBe(false);
  expect(result.problems).toContainEqual(expect.objectContaining({ subject, message: expect.stringMatching(message) }));
}

describe('audit verify against write-once examination records and calibrations', { timeout: 60_000 }, () => {
  it('passes while every record is what its keyed entries say', () => {
    const result = verifyAuditTrail(s.host.db, s.host.audit);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('finds a snapshot caption rewritten around the station', () => {
    tamper('snapshots_no_update', 'UPDATE snapshots SET caption = ? WHERE id = ?', 'aligned at 7', ids.snapshot);
    expectProblem(`snapshot ${ids.snapshot}`, /caption is "aligned at 7" but its audit entry says "aligned at 5/);
  });

  it('finds an annotation revision rewritten, and an annotation rolled back to an earlier revision', () => {
    tamper(
      'annotation_revisions_no_update',
      'UPDATE annotation_revisions SET layer = ? WHERE annotation_id = ? AND revision = 1',
      'dissimilar',
      ids.annotation,
    );
    expectProblem(
      `annotation ${ids.annotation} revision 1`,
      /layer is "dissimilar" but its audit entry says "similar"/,
    );
    // annotations has no update trigger (it is amended in place); its revisions and their entries still tell.
    tamper('-', 'UPDATE annotations SET revision = 1, note = ? WHERE id = ?', 'no marks', ids.annotation);
    expectProblem(`annotation ${ids.annotation}`, /at revision 1, but its audit entries reach revision 2/);
  });

  it('finds a verification moved to another verifier or state in the file', () => {
    tamper(
      '-',
      "UPDATE verifications SET state = 'disputed', verifier_id = (SELECT id FROM users WHERE username = 'examiner4') WHERE id = ?",
      ids.verification,
    );
    expectProblem(`verification ${ids.verification}`, /state is "disputed" but its audit entry says "agreed"/);
    expectProblem(`verification ${ids.verification}`, /verifier is "examiner4" but its audit entry says "examiner2"/);
  });

  it('finds a hit pointed at another conclusion, and a deleted one', () => {
    tamper('hits_no_update', 'UPDATE hits SET conclusion_id = conclusion_id + 100 WHERE id = ?', ids.hit);
    expectProblem(`hit ${ids.hit}`, /conclusionId is \d+ but its audit entry says \d+/);
    tamper('hits_no_delete', 'DELETE FROM hits WHERE id = ?', ids.hit);
    expectProblem(`hit ${ids.hit}`, /its record is gone \(deleted\)/);
  });

  it('finds a conclusion given to another examiner or comparison, its links or amendment reason rewritten', async () => {
    // Review of issue 12: verify compared only a conclusion's role, value, basis and what it amends, so who recorded
    // it (the one thing that keeps an examiner from verifying their own work), the comparison, the snapshots and
    // annotations it rests on and the reason of an amendment could be rewritten unseen.
    const ws = await s.e1.call('examinations.get', { comparisonId: ids.comparison });
    const first = ws.conclusions.find((c) => c.role === 'examination' && c.current)!;
    const { conclusion: amended } = await s.e1.call('conclusions.amend', {
      amends: first.id,
      reason: 'basis worded more fully',
      conclusion: 'identification',
      basis: 'agreement of breech-face marks at 5 o’clock',
      snapshotIds: [ids.snapshot],
    });
    expect(
      verifyAuditTrail(s.host.db, s.host.audit).problems.filter((p) => (p.subject ?? '').startsWith('conclusion')),
    ).toEqual([]);
    const lift = (sql: string, ...params: unknown[]) => tamper('conclusions_no_update', sql, ...params);
    lift(
      "UPDATE conclusions SET examiner_id = (SELECT id FROM users WHERE username = 'examiner3') WHERE id = ?",
      first.id,
    );
    expectProblem(`conclusion ${first.id}`, /examiner is "examiner3" but its audit entry says "examiner1"/);
    lift('UPDATE conclusions SET comparison_id = comparison_id + 1000 WHERE id = ?', first.id);
    expectProblem(`conclusion ${first.id}`, /comparisonId is \d+ but its audit entry says \d+/);
    lift("UPDATE conclusions SET snapshot_ids = '[]', reason = 'court order' WHERE id = ?", amended.id);
    expectProblem(`conclusion ${amended.id}`, /snapshotIds is \[\] but its audit entry says \[\d+\]/);
    expectProblem(
      `conclusion ${amended.id}`,
      /reason is "court order" but its audit entry says "basis worded more fully"/,
    );
  });

  it('finds a technical record rewritten (another scan named as compared)', () => {
    const conclusion = s.host.db
      .prepare("SELECT id, record FROM conclusions WHERE role = 'verification' ORDER BY id LIMIT 1")
      .get() as { id: number; record: string };
    const record = JSON.parse(conclusion.record) as { a: { topographySha256: string | null } };
    record.a.topographySha256 = 'f'.repeat(64);
    tamper(
      'conclusions_no_update',
      'UPDATE conclusions SET record = ? WHERE id = ?',
      JSON.stringify(record),
      conclusion.id,
    );
    expectProblem(
      `conclusion ${conclusion.id}`,
      /recordSha256 is "[0-9a-f]{64}" but its audit entry says "[0-9a-f]{64}"/,
    );
  });

  it("finds a calibration's lab reference changed (a PDF handed out would then cite another record)", () => {
    tamper(
      'calibrations_no_update',
      'UPDATE calibrations SET reference = ? WHERE id = ?',
      'CAL-2026-0999',
      ids.calibration,
    );
    expectProblem(
      `calibration ${ids.calibration}`,
      /reference is "CAL-2026-0999" but its audit entry says "CAL-\d{4}-0001"/,
    );
  });

  it('finds a calibration rewritten, and one no audited run made', () => {
    tamper(
      'calibrations_no_update',
      'UPDATE calibrations SET expires_at = ? WHERE id = ?',
      '2099-01-01T00:00:00.000Z',
      ids.calibration,
    );
    expectProblem(`calibration ${ids.calibration}`, /expiresAt is "2099-01-01T00:00:00.000Z" but its audit entry says/);
    tamper(
      '-',
      `INSERT INTO calibrations (kind, rig_profile, device_serials, operator_id, performed_at, expires_at, results)
       VALUES ('suite', 'demo', '{}', 1, '2026-01-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z', '{"passed":true}')`,
    );
    const result = verifyAuditTrail(s.host.db, s.host.audit);
    expect(result.problems).toContainEqual(
      expect.objectContaining({ kind: 'unaudited', message: 'no audit entry ran this calibration' }),
    );
  });
});
