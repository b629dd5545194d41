// Hits: only a verified identification of casings of two different cases becomes a hit; it links both case
// records. On a network lead, the report to the hub is queued in the hit's own transaction: once, or not at all.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAppError } from '../../fixtures/appError.ts';
import { examinationStation, type ExaminationStation } from '../../fixtures/examinationStation.ts';

let s: ExaminationStation;

beforeAll(async () => {
  s = await examinationStation();
});
afterAll(() => s.dispose());

/** examiner1 identifies, examiner2 verifies (blind, per the default policy): a verified comparison. */
async function verified(a: number, b: number, conclusion: 'identification' | 'elimination' = 'identification') {
  const ws = await s.e1.call('examinations.open', { a, b, origin: 'search' });
  await s.e1.call('conclusions.record', { comparisonId: ws.comparison.id, conclusion, basis: 'marks agree' });
  const v = (await s.e1.call('examinations.get', { comparisonId: ws.comparison.id })).verification!;
  await s.e2.call('verification.claim', { verificationId: v.id, version: v.version });
  await s.e2.call('conclusions.record', { comparisonId: ws.comparison.id, conclusion, basis: 'independently: agree' });
  return ws.comparison.id;
}

/** Our submission of `ours`, correlated by the hub with a lead whose X3P is the topography of `theirs`. */
function correlatedSubmission(ours: number, theirs: number, submissionId: string | null = randomUUID()) {
  const db = s.host.db;
  const sha = db.prepare('SELECT topography_sha256 FROM acquisitions WHERE id = ?').pluck().get(theirs) as string;
  const lead = {
    leadId: 41,
    score: 17,
    scorer: 'cmc/test',
    calibre: '9 mm Luger',
    region: 'breech_face',
    otherLabId: 'LAB-NORTH',
    otherCaseRef: 'N-2025-77',
    otherItemRef: 'EXH-3',
    otherSubmissionId: randomUUID(),
    otherArtifacts: [{ role: 'x3p', name: 'casing.x3p', mediaType: 'application/x-x3p', sha256: sha, size: 1 }],
    createdAt: new Date().toISOString(),
  };
  const now = new Date().toISOString();
  // (the outbox shows the job after a hit report is queued: its manifest needs what the job view reads)
  const manifest = JSON.stringify({ specimen: { calibre: lead.calibre } });
  const id = db
    .prepare(
      `INSERT INTO outbox_jobs (idempotency_key, case_ref, item_ref, state, manifest, signature, origin_certificate,
         artifact_paths, bytes_total, submission_id, next_attempt_at, leads, created_at, updated_at, acquisition_id)
       VALUES (?, 'LAB-40', 'Q1', 'correlated', ?, '', '', '[]', 0, ?, 0, ?, ?, ?, ?)`,
    )
    .run(randomUUID(), manifest, submissionId, JSON.stringify([lead]), now, now, ours).lastInsertRowid;
  return { jobId: Number(id), lead };
}

const hitReports = () => s.host.db.prepare('SELECT * FROM outbox_hit_reports').all() as Record<string, unknown>[];

describe('a local hit', () => {
  it('needs a verified identification, links both cases in both records, and is made once', async () => {
    const q = await s.fadul('LAB-30', 'Q1', '7-1');
    const k = await s.fadul('LAB-31', 'K1', '7-2');
    const ws = await s.e1.call('examinations.open', { a: q, b: k });
    await expectAppError(s.e1.call('hits.confirm', { comparisonId: ws.comparison.id }), 'conflict', /verified/);
    const id = await verified(q, k);
    expect(id).toBe(ws.comparison.id);
    await expectAppError(s.technician.call('hits.confirm', { comparisonId: id }), 'forbidden');
    const hit = await s.e3.call('hits.confirm', { comparisonId: id, note: 'links the shooting and the burglary' });
    expect(hit).toMatchObject({
      conclusion: 'identification',
      here: { kind: 'local', labCaseNumber: 'LAB-30', exhibitNumber: 'Q1' },
      linked: { kind: 'local', labCaseNumber: 'LAB-31', exhibitNumber: 'K1' },
      examiner: 'examiner1',
      verifiedBy: ['examiner2'],
      confirmedBy: 'examiner3',
      report: null,
    });
    // each case's record shows the other, with the conclusion
    const fromK = await s.technician.call('hits.forCase', { caseId: s.caseId('LAB-31') });
    expect(fromK).toHaveLength(1);
    expect(fromK[0]).toMatchObject({ here: { labCaseNumber: 'LAB-31' }, linked: { labCaseNumber: 'LAB-30' } });
    expect(await s.e1.call('hits.forCase', { caseId: s.caseId('LAB-30') })).toHaveLength(1);
    for (const caseNumber of ['LAB-30', 'LAB-31']) {
      const entries = (await s.admin.call('audit.forCase', { caseId: s.caseId(caseNumber) })).filter(
        (e) => e.action === 'hit.confirm',
      );
      expect(entries, caseNumber).toHaveLength(1);
      expect(entries[0].after).toMatchObject({ hitId: hit.id, cases: [s.caseId('LAB-30'), s.caseId('LAB-31')] });
    }
    await expectAppError(s.e3.call('hits.confirm', { comparisonId: id }), 'conflict', /already/);
    expect((await s.e1.call('examinations.get', { comparisonId: id })).hit?.id).toBe(hit.id);
  });

  it('is refused for a verified elimination and for two casings of one case', async () => {
    const a = await s.fadul('LAB-32', 'Q1', '8-1');
    const b = await s.fadul('LAB-33', 'K1', '9-2');
    await expectAppError(
      s.e1.call('hits.confirm', { comparisonId: await verified(a, b, 'elimination') }),
      'conflict',
      /elimination, not an identification/,
    );
    const c = await s.fadul('LAB-32', 'Q2', '8-2');
    await expectAppError(
      s.e1.call('hits.confirm', { comparisonId: await verified(a, c) }),
      'invalid_input',
      /both casings belong to case LAB-32/,
    );
    expect(await s.e1.call('hits.forCase', { caseId: s.caseId('LAB-32') })).toEqual([]);
  });
});

describe('a hit on a network lead', () => {
  let ours: number;
  let theirs: number;

  beforeAll(async () => {
    ours = await s.fadul('LAB-40', 'Q1', '10-1');
    // the other lab's casing, fetched from the lead (kept in the station's reference case)
    theirs = await s.fadul('NETWORK-LEADS', 'LAB-NORTH/N-2025-77/EXH-3', '10-2');
  });

  it('links our case to the other lab’s and queues one report to the hub, in the same transaction', async () => {
    const { jobId, lead } = correlatedSubmission(ours, theirs);
    const ws = await s.e1.call('examinations.open', { a: ours, b: theirs, origin: 'lead' });
    expect(ws.lead).toMatchObject({ jobId, leadId: 41, otherLabId: 'LAB-NORTH', otherCaseRef: 'N-2025-77' });
    const id = await verified(ours, theirs);
    const hit = await s.e1.call('hits.confirm', { comparisonId: id });
    expect(hit.here).toMatchObject({ kind: 'local', labCaseNumber: 'LAB-40', acquisitionId: ours });
    expect(hit.linked).toEqual({
      kind: 'network',
      labId: 'LAB-NORTH',
      caseRef: 'N-2025-77',
      itemRef: 'EXH-3',
      submissionId: lead.otherSubmissionId,
      leadId: 41,
    });
    expect(hit.report).toMatchObject({ state: 'queued' });
    const reports = hitReports();
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ id: hit.report!.outboxJobId, job_id: jobId, lead_id: 41, state: 'queued' });
    expect(JSON.parse(reports[0].fields as string)).toMatchObject({
      hitRef: String(hit.id),
      conclusion: 'identification',
    });
    // the NETWORK-LEADS case is not a case of ours: only our case's record carries the link
    expect(await s.e1.call('hits.forCase', { caseId: s.caseId('LAB-40') })).toHaveLength(1);
    expect(await s.e1.call('hits.forCase', { caseId: s.caseId('NETWORK-LEADS') })).toEqual([]);
    await expectAppError(s.e1.call('hits.confirm', { comparisonId: id }), 'conflict');
    expect(hitReports()).toHaveLength(1);
    // The outbox wakes its worker on the next turn of the event loop: let it, before the station closes.
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('records neither the hit nor its audit entry when the report cannot be queued', async () => {
    const mine = await s.fadul('LAB-41', 'Q1', '3-1');
    const other = await s.fadul('NETWORK-LEADS', 'LAB-NORTH/N-2025-78/EXH-1', '3-2');
    correlatedSubmission(mine, other, null); // a job without its hub submission id: the outbox refuses the report
    const id = await verified(mine, other);
    const before = s.host.audit.count();
    await expectAppError(s.e1.call('hits.confirm', { comparisonId: id }), 'not_found', /no network lead/);
    expect(s.host.audit.count()).toBe(before);
    expect(s.host.db.prepare('SELECT count(*) FROM hits WHERE comparison_id = ?').pluck().get(id)).toBe(0);
    expect(await s.e1.call('hits.forCase', { caseId: s.caseId('LAB-41') })).toEqual([]);
  });

  it('is made once per lead: a second comparison answering the same lead is refused, nothing recorded', async () => {
    const mine = await s.fadul('LAB-43', 'Q1', '5-1');
    // the lead's casing fetched twice (two acquisitions of one X3P): two comparisons answer the one lead
    const first = await s.fadul('NETWORK-LEADS', 'LAB-NORTH/N-2025-79/EXH-1', '5-2');
    const again = await s.fadul('NETWORK-LEADS', 'LAB-NORTH/N-2025-79/EXH-1 (again)', '5-2');
    const { jobId } = correlatedSubmission(mine, first);
    const hit = await s.e1.call('hits.confirm', { comparisonId: await verified(mine, first) });
    const second = await verified(mine, again);
    const before = s.host.audit.count();
    await expectAppError(s.e1.call('hits.confirm', { comparisonId: second }), 'conflict', new RegExp(`hit ${hit.id}`));
    expect(s.host.audit.count()).toBe(before);
    expect(s.host.db.prepare('SELECT count(*) FROM hits WHERE network_job_id = ?').pluck().get(jobId)).toBe(1);
    expect(hitReports().filter((r) => r.job_id === jobId)).toHaveLength(1);
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('is refused when the other casing came from a lead that is not ours', async () => {
    const mine = await s.fadul('LAB-42', 'Q1', '4-1');
    const stray = await s.fadul('NETWORK-LEADS', 'LAB-SOUTH/S-1/EXH-1', '4-2');
    await expectAppError(
      s.e1.call('hits.confirm', { comparisonId: await verified(mine, stray) }),
      'invalid_input',
      /no lead of this station/,
    );
  });
});
