import { describe, expect, it } from 'vitest';
import { examinationFixture } from '../../../../tests/fixtures/examinationDb.ts';

describe('migration 0081-hits', () => {
  it('links two local cases or a case and a network lead, once per comparison, write-once', () => {
    const db = examinationFixture();
    db.exec(`INSERT INTO comparisons (id, acquisition_a, acquisition_b, origin, opened_by, opened_at) VALUES (1, 1, 2, 'search', 1, '');
      INSERT INTO conclusions (id, comparison_id, role, conclusion, basis, examiner_id, recorded_at, snapshot_ids, annotation_refs, record)
        VALUES (1, 1, 'examination', 'identification', 'b', 1, '', '[]', '[]', '{}')`);
    const hit = db.prepare(
      `INSERT INTO hits (comparison_id, conclusion_id, case_a, case_b, network_job_id, network_lead_id, network_refs, confirmed_by, confirmed_at)
       VALUES (1, 1, 1, ?, ?, ?, ?, 1, '')`,
    );
    // neither a second local case nor a network lead
    expect(() => hit.run(null, null, null, null)).toThrow(/CHECK/);
    // a network hit names its lead completely
    expect(() => hit.run(null, 5, null, null)).toThrow(/CHECK|FOREIGN KEY/);
    hit.run(1, null, null, null);
    expect(() => hit.run(1, null, null, null)).toThrow(/UNIQUE/);
    expect(() => db.exec('UPDATE hits SET note = 1')).toThrow(/write-once/);
    // a local hit has no report to name
    expect(() => db.exec('UPDATE hits SET report_job_id = 7')).toThrow(/write-once/);
    expect(() => db.exec('DELETE FROM hits')).toThrow(/write-once/);
  });
});
