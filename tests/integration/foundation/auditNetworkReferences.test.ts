import { describe, expect, it } from 'vitest';
import { examinationFixture } from '../../fixtures/examinationDb.ts';
import { translator } from '../../fixtures/translator.ts';
import { auditLabels } from '../../../electron/host/storage/repos/auditLabelsRepo.ts';
import { detailRows } from '../../../renderer/features/audit/auditDetails.ts';
import type { AuditEntry } from '../../../electron/contract/index.ts';

// hit.confirm on a network lead records the station's submission job, the hub's lead and the queued report of the
// hit by id; the audit screen names them by the submission the lab made (case and exhibit), never "no. N".
describe('a network hit’s audit entry in the lab’s own references', () => {
  const db = examinationFixture();
  db.exec(`
    INSERT INTO outbox_jobs (id, idempotency_key, case_ref, item_ref, acquisition_id, state, manifest, signature,
      origin_certificate, artifact_paths, bytes_total, next_attempt_at, created_at, updated_at)
      VALUES (4, 'k4', 'C-1', 'Q1', 1, 'correlated', '{}', '', '', '[]', 0, 0, '', '');
    INSERT INTO comparisons (id, acquisition_a, acquisition_b, origin, opened_by, opened_at) VALUES (1, 1, 2, 'search', 1, '');
    INSERT INTO conclusions (id, comparison_id, role, conclusion, basis, examiner_id, recorded_at, snapshot_ids, annotation_refs, record)
      VALUES (1, 1, 'examination', 'identification', 'b', 1, '', '[]', '[]', '{}');
    INSERT INTO hits (id, comparison_id, conclusion_id, case_a, network_job_id, network_lead_id, network_refs, confirmed_by, confirmed_at)
      VALUES (3, 1, 1, 1, 4, 17, '{}', 1, '');
    INSERT INTO outbox_hit_reports (id, idempotency_key, job_id, lead_id, fields, state, next_attempt_at, created_at, updated_at)
      VALUES (9, 'r9', 4, 17, '{}', 'queued', 0, '', '');
  `);
  const after = {
    hitId: 3,
    network: { labId: 'LAB-B', caseRef: 'B-7', itemRef: 'X2', submissionId: 's', leadId: 17, jobId: 4 },
    reportJobId: 9,
  };
  const entry = (references: AuditEntry['references']): AuditEntry => ({
    seq: 1,
    at: '2026-12-05T10:00:00.000Z',
    userId: 1,
    username: 'e1',
    action: 'hit.confirm',
    entityType: 'hit',
    entityId: '3',
    caseId: 1,
    before: null,
    after,
    reason: null,
    hash: '0'.repeat(64),
    references,
  });
  const shown = (rows: ReturnType<typeof detailRows>) => Object.fromEntries(rows.map((r) => [r.key, r.after]));

  it('names the submission, the lead and the hit report by the case and exhibit submitted', async () => {
    const references = auditLabels(db, [{ ...entry(undefined) }]).references({
      entityType: 'hit',
      entityId: '3',
      after,
    });
    expect(references['network_job:4']).toEqual({ label: 'C-1 / Q1', region: 'breech_face', network: 'network_job' });
    expect(references['lead:17']).toEqual({
      label: 'C-1 / Q1',
      region: 'breech_face',
      network: 'lead',
      leadNumber: 17,
    });
    expect(references['hit_report:9']).toMatchObject({ label: 'C-1 / Q1', network: 'hit_report', leadNumber: 17 });

    const english = shown(detailRows(await translator('en'), entry(references)));
    expect(english.reportJobId).toBe('on lead 17 at the hub, submission of C-1 / Q1 · Breech face');
    expect(english.network).toContain('Network lead 17 at the hub, on the submission of C-1 / Q1 · Breech face');
    expect(english.network).toContain('Network job submission of C-1 / Q1 · Breech face');
    for (const language of ['en', 'fr', 'es', 'ar']) {
      const words = Object.values(shown(detailRows(await translator(language), entry(references)))).join(' | ');
      expect(words).not.toMatch(/no\. \d|n° \d|n\.º \d|رقم \d|audit\.value/);
      expect(words).toContain('C-1 / Q1');
    }
  });

  it('says what a network record is, with its number, when the station no longer knows it', async () => {
    const english = shown(detailRows(await translator('en'), entry({})));
    expect(english.reportJobId).toBe('station queue report 9');
    expect(english.network).toContain('Network lead lead 17 at the hub');
    expect(english.network).toContain('Network job station queue job 4');
  });
});
