// A test's casings stay anonymous to whoever is taking it: the real acquisition ids its workspace carries open
// none of the reads that name them (file name, item, case, searches, other comparisons) until the test closes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectAppError } from '../../fixtures/appError.ts';
import { examinationStation, sampleView, type ExaminationStation } from '../../fixtures/examinationStation.ts';
import { encodePng } from '../../fixtures/png.ts';
import { installCredentials, makeNetwork } from '../packages/packageHarness.ts';

let s: ExaminationStation;
let a: number;
let b: number;
let other: number;
let other2: number;
let testSetId: number;
let comparisonId: number;
let annotationId: number;
let snapshotId: number;
let casework: number;
let awaitingVerifier: number;
const polygon = {
  kind: 'polygon' as const,
  points: [
    [100, 100],
    [180, 100],
    [140, 170],
  ] as [number, number][],
};
// the English sentence for the API, and the code the UI words in the user's language
const secret = /part of a proficiency test you are taking \{"reason":"under_test"\}/;

beforeAll(async () => {
  s = await examinationStation();
  const network = await makeNetwork(); // (a package is signed with the station's certificate)
  installCredentials(s.dataDir, network.ca.certificate, network.lab1);
  a = await s.fadul('PROFICIENCY-2026', 'T-01', '1-1');
  b = await s.fadul('PROFICIENCY-2026', 'T-02', '1-2');
  other = await s.fadul('CASE-7', 'Q-1', '2-1');
  other2 = await s.fadul('CASE-7', 'Q-2', '3-1');
  // Casework that already compared a casing of the test: its labels would give the answer away.
  casework = (await s.e3.call('examinations.open', { a, b: other, origin: 'manual' })).comparison.id;
  // … annotated, photographed (its caption names both items), identified, verified and confirmed as a hit.
  annotationId = (
    await s.e3.call('annotations.create', {
      comparisonId: casework,
      side: 'a',
      frame: 'topography',
      layer: 'similar',
      shape: polygon,
      note: 'T-01 agrees with Q-1 at 5 o’clock',
    })
  ).id;
  snapshotId = (
    await s.e3.call('snapshots.create', {
      comparisonId: casework,
      png: encodePng(64, 48, 3),
      caption: 'PROFICIENCY-2026 / T-01 (left) and CASE-7 / Q-1 (right)',
      view: sampleView(),
    })
  ).id;
  await s.e3.call('conclusions.record', { comparisonId: casework, conclusion: 'identification', basis: 'agree' });
  const v = (await s.e3.call('examinations.get', { comparisonId: casework })).verification!;
  await s.e2.call('verification.claim', { verificationId: v.id, version: v.version });
  await s.e2.call('conclusions.record', { comparisonId: casework, conclusion: 'identification', basis: 'agree' });
  await s.e3.call('hits.confirm', { comparisonId: casework });
  // examiner1 opened casework on the other casing, examiner3 concluded it: its blind verification is claimable.
  awaitingVerifier = (await s.e1.call('examinations.open', { a: b, b: other })).comparison.id;
  await s.e3.call('conclusions.record', { comparisonId: awaitingVerifier, conclusion: 'elimination', basis: 'differ' });
  // and one casing was submitted to the network, which answered with a lead
  submitted(a);
  const created = await s.manager.call('testSets.create', {
    name: 'Q4 proficiency',
    instructions: '',
    pairs: [{ a, b, truth: 'same_source' }],
    participants: [s.userId('examiner1'), s.userId('examiner4')],
  });
  testSetId = created.id;
  comparisonId = (await s.e1.call('examinations.worklist', {})).find((e) => e.kind === 'test')!.comparisonId;
});
afterAll(() => s.dispose());

/** A correlated submission of an acquisition with one lead (as the outbox stores the hub's answer). */
function submitted(acquisitionId: number) {
  const now = new Date().toISOString();
  const lead = { leadId: 1, score: 17, scorer: 'cmc/test', calibre: '9 mm Luger', region: 'breech_face' };
  s.host.db
    .prepare(
      `INSERT INTO outbox_jobs (idempotency_key, case_ref, item_ref, state, manifest, signature, origin_certificate,
         artifact_paths, bytes_total, submission_id, next_attempt_at, leads, created_at, updated_at, acquisition_id)
       VALUES (?, 'PROFICIENCY-2026', 'T-01', 'correlated', ?, '', '', '[]', 0, ?, 0, ?, ?, ?, ?)`,
    )
    .run(
      randomUUID(),
      JSON.stringify({ specimen: { calibre: lead.calibre } }),
      randomUUID(),
      JSON.stringify([
        {
          ...lead,
          otherLabId: 'LAB-N',
          otherCaseRef: 'N-1',
          otherItemRef: 'E-1',
          otherSubmissionId: randomUUID(),
          otherArtifacts: [],
          createdAt: now,
        },
      ]),
      now,
      now,
      acquisitionId,
    );
}

describe('a participant taking an open test', () => {
  it('works the test pair: its workspace and surfaces, under neutral names', async () => {
    const ws = await s.e1.call('examinations.get', { comparisonId });
    expect([ws.a.acquisitionId, ws.b.acquisitionId]).toEqual([a, b]);
    expect(ws.a).toMatchObject({ label: 'Q4 proficiency · pair 1 · A', caseId: null, itemId: null });
    // the worklist names the set and the pair's number, for the screens to word the sides in the reader's language
    const entry = (await s.e1.call('examinations.worklist', {})).find((e) => e.kind === 'test')!;
    expect(entry.test).toEqual({ name: 'Q4 proficiency', position: 1 });
    const preview = await s.e1.call('acquisitions.preview', { acquisitionId: a, role: 'topography', maxSize: 64 });
    expect(preview).toBeTruthy();
  });

  it('is refused the reads that would name its casings', async () => {
    const itemId = (await s.manager.call('acquisitions.get', { id: a })).itemId;
    await expectAppError(s.e1.call('acquisitions.get', { id: a }), 'forbidden', secret);
    await expectAppError(s.e1.call('acquisitions.get', { id: b }), 'forbidden', secret);
    await expectAppError(s.e1.call('acquisitions.list', { itemId }), 'forbidden', secret);
    await expectAppError(s.e1.call('acquisitions.regions', { id: a }), 'forbidden', secret);
    await expectAppError(s.e1.call('examinations.open', { a, b, origin: 'manual' }), 'forbidden', secret);
    await expectAppError(s.e1.call('examinations.open', { a, b: other, origin: 'manual' }), 'forbidden', secret);
    // the casework comparison of a casing under test is left out of the lists (test pairs are never listed)
    expect(await s.e1.call('examinations.list', { acquisitionId: a, limit: 50 })).toEqual([]);
    await expectAppError(s.e1.call('search.run', { acquisitionId: a }), 'forbidden', secret);
    const casework = (await s.e3.call('examinations.list', { acquisitionId: a, limit: 50 })).find(
      (c) => c.testSetId === null,
    )!;
    await expectAppError(s.e1.call('examinations.get', { comparisonId: casework.id }), 'forbidden', secret);
    const listed = await s.e1.call('examinations.list', { limit: 50 });
    expect(listed.map((c) => c.id)).not.toContain(casework.id);
    const caseId = (await s.manager.call('search.sources', {})).find((r) => r.acquisitionId === a)!.caseId;
    await expectAppError(s.e1.call('audit.forCase', { caseId }), 'forbidden', secret);
    expect(JSON.stringify(await s.manager.call('audit.forCase', { caseId }))).toMatch(/fadul_1-1/);
    // the other case's history (casework compared a casing under test there) leaves those entries out
    const otherHistory = JSON.stringify(await s.e1.call('audit.forCase', { caseId: s.caseId('CASE-7') }));
    expect(otherHistory).toMatch(/fadul_2-1/);
    expect(otherHistory).not.toMatch(/fadul_1-1|fadul_1-2|T-01/);
    const sources = await s.e1.call('search.sources', {});
    expect(sources.map((r) => r.acquisitionId).sort()).toEqual([other, other2].sort());
  });

  it('cannot tell which items hold its casings, nor change them', async () => {
    // Review of issue 12: an item names what a casing is (exhibit, the firearm that fired it). Before, the list of
    // an item holding a test casing was refused and any other item's answered, so the refusals named the items
    // (two test fires of one firearm = the truth); and marking a test casing unsuitable answered with its item.
    const caseId = s.caseId('PROFICIENCY-2026');
    const spare = (
      await s.admin.call('items.create', {
        caseId,
        fields: { kind: 'cartridge_case', exhibitNumber: 'T-03', calibre: '9 mm Luger' },
      })
    ).id;
    const items = (await s.e1.call('cases.get', { id: caseId })).items;
    expect(items.map((i) => i.id)).toContain(spare);
    for (const item of items)
      await expectAppError(s.e1.call('acquisitions.list', { itemId: item.id }), 'forbidden', secret);
    expect((await s.e2.call('acquisitions.list', { itemId: spare })).rows).toEqual([]);
    const reason = 'looked at it';
    for (const id of [a, b]) {
      const { version } = await s.manager.call('acquisitions.get', { id });
      await expectAppError(s.e1.call('acquisitions.markUnsuitable', { id, version, reason }), 'forbidden', secret);
      await expectAppError(s.e1.call('acquisitions.clearUnsuitable', { id, version, reason }), 'forbidden', secret);
      await expectAppError(s.e1.call('acquisitions.clearRegions', { id, version, reason }), 'forbidden', secret);
      expect((await s.manager.call('acquisitions.get', { id })).unsuitableReason).toBeNull();
    }
  });

  it('is not served the records of casework on its casings by id: annotations, snapshots, hits', async () => {
    await expectAppError(s.e1.call('annotations.history', { id: annotationId }), 'not_found');
    await expectAppError(s.e1.call('snapshots.content', { id: snapshotId }), 'not_found');
    for (const caseNumber of ['PROFICIENCY-2026', 'CASE-7'])
      expect(await s.e1.call('hits.forCase', { caseId: s.caseId(caseNumber) })).toEqual([]);
    // everyone else reads them as before
    expect(await s.e2.call('annotations.history', { id: annotationId })).toHaveLength(1);
    expect((await s.e2.call('snapshots.content', { id: snapshotId })).mediaType).toBe('image/png');
    expect(await s.e2.call('hits.forCase', { caseId: s.caseId('CASE-7') })).toHaveLength(1);
  });

  it('cannot work, verify or confirm casework on its casings, nor find it in the worklist or the outbox', async () => {
    await expectAppError(s.e1.call('hits.confirm', { comparisonId: casework }), 'forbidden', secret);
    await expectAppError(s.e1.call('examinations.analyze', { comparisonId: awaitingVerifier }), 'forbidden', secret);
    await expectAppError(
      s.e1.call('annotations.create', {
        comparisonId: awaitingVerifier,
        side: 'a',
        frame: 'topography',
        layer: 'similar',
        shape: polygon,
      }),
      'forbidden',
      secret,
    );
    const v = (await s.e3.call('examinations.get', { comparisonId: awaitingVerifier })).verification!;
    await expectAppError(
      s.e1.call('verification.claim', { verificationId: v.id, version: v.version }),
      'forbidden',
      secret,
    );
    const work = await s.e1.call('examinations.worklist', {});
    expect(work.map((e) => e.kind)).toEqual(['test']);
    expect((await s.e2.call('examinations.worklist', {})).map((e) => e.comparisonId)).toContain(awaitingVerifier);
    expect((await s.e1.call('outbox.list', {})).jobs).toEqual([]);
    expect(await s.e1.call('outbox.leads', {})).toEqual([]);
    expect((await s.e2.call('outbox.list', {})).jobs.map((j) => j.acquisitionId)).toEqual([a]);
    expect(await s.e2.call('outbox.leads', {})).toHaveLength(1);
  });

  it('is not sent the events of its casings, nor of casework on them', async () => {
    const heard = (client: typeof s.e1) => {
      const got = { acquisitions: [] as number[], comparisons: [] as number[] };
      const stops = [
        client.subscribe('acquisitions.changed', {}, (e) => got.acquisitions.push(e.acquisitionId)),
        client.subscribe('examinations.changed', {}, (e) => got.comparisons.push(e.comparisonId)),
      ];
      return { got, stop: () => stops.forEach((stop) => stop()) };
    };
    const participant = heard(s.e1);
    const colleague = heard(s.e2);
    // a call on each connection after its subscriptions: the host has taken them when it answers
    await Promise.all([s.e1.call('examinations.worklist', {}), s.e2.call('examinations.worklist', {})]);
    const reason = 'fixture check';
    const marked = await s.manager.call('acquisitions.markUnsuitable', {
      id: a,
      version: (await s.manager.call('acquisitions.get', { id: a })).version,
      reason,
    });
    await s.manager.call('acquisitions.clearUnsuitable', { id: a, version: marked.version, reason });
    await s.e3.call('annotations.create', {
      comparisonId: awaitingVerifier,
      side: 'b',
      frame: 'topography',
      layer: 'dissimilar',
      shape: polygon,
    });
    // then events everyone may hear: events reach a connection in order, so these arrive after any of the above
    const { version } = await s.manager.call('acquisitions.get', { id: other2 });
    await s.manager.call('acquisitions.markUnsuitable', { id: other2, version, reason });
    const open = (await s.e3.call('examinations.open', { a: other, b: other2 })).comparison.id;
    await s.e3.call('annotations.create', {
      comparisonId: open,
      side: 'a',
      frame: 'topography',
      layer: 'similar',
      shape: polygon,
    });
    for (const { got } of [participant, colleague])
      await vi.waitFor(() => expect(got.acquisitions.includes(other2) && got.comparisons.includes(open)).toBe(true), {
        timeout: 20_000,
      });
    expect(colleague.got.acquisitions).toContain(a);
    expect(colleague.got.comparisons).toContain(awaitingVerifier);
    expect(participant.got.acquisitions).not.toContain(a);
    expect(participant.got.comparisons).not.toContain(awaitingVerifier);
    participant.stop();
    colleague.stop();
    await s.manager.call('acquisitions.clearUnsuitable', { id: other2, version: version + 1, reason });
  });

  it('is refused the truth, the case records and the case package even once made a manager', async () => {
    // With today's roles only a role change gives a participant those reads: the rule is the test, not the role.
    const own = (await s.e4.call('examinations.worklist', {})).find((e) => e.kind === 'test')!.comparisonId;
    const made = await s.e4.call('annotations.create', {
      comparisonId: own,
      side: 'a',
      frame: 'topography',
      layer: 'similar',
      shape: polygon,
    });
    await s.admin.call('users.update', { id: s.userId('examiner1'), role: 'manager' });
    const promoted = s.connect();
    await promoted.call('auth.signIn', { username: 'examiner1', password: 'long enough password' });
    const caseId = s.caseId('PROFICIENCY-2026');
    await expectAppError(
      promoted.call('testSets.get', { id: testSetId }),
      'forbidden',
      /taking this test set.*test_set_taken/,
    );
    await expectAppError(
      promoted.call('testSets.results', { id: testSetId }),
      'forbidden',
      /taking this test set.*test_set_taken/,
    );
    await expectAppError(promoted.call('examinations.records', { caseId }), 'forbidden', secret);
    await expectAppError(promoted.call('reports.case', { caseId }), 'forbidden', secret);
    await expectAppError(
      promoted.call('packages.export', { caseId, reason: 'for the court', fileName: 'proficiency' }),
      'forbidden',
      secret,
    );
    // nor a copy of the package a manager made of it
    const { fileName } = await s.manager.call('packages.export', { caseId, reason: 'court', fileName: 'proficiency' });
    await expectAppError(promoted.call('packages.exportContent', { fileName, offset: 0 }), 'forbidden', secret);
    expect((await s.manager.call('packages.exportContent', { fileName, offset: 0 })).size).toBeGreaterThan(0);
    // another participant's work on the same pair, and the set's own history (its truth), by id or in the log
    await expectAppError(promoted.call('annotations.history', { id: made.id }), 'not_found');
    await expectAppError(promoted.call('examinations.get', { comparisonId: own }), 'forbidden', secret);
    const log = JSON.stringify((await promoted.call('audit.list', { limit: 500 })).entries);
    expect(log).not.toMatch(/same_source|test_set\.create/);
    expect(log).not.toMatch(new RegExp(`"comparisonId":${own}\\b`));
    expect(JSON.stringify((await s.manager.call('audit.list', { limit: 500 })).entries)).toMatch(/same_source/);
    expect((await s.manager.call('testSets.get', { id: testSetId })).pairList[0].truth).toBe('same_source');
    await expectAppError(promoted.call('examinations.records', { caseId: s.caseId('CASE-7') }), 'forbidden', secret);
    expect((await s.manager.call('examinations.records', { caseId })).caseId).toBe(caseId);
    await s.admin.call('users.update', { id: s.userId('examiner1'), role: 'examiner' });
  });

  it('leaves everyone else, and the participant’s other casework, as before', async () => {
    expect((await s.e2.call('acquisitions.get', { id: a })).settings.originalName).toBe('fadul_1-1.x3p');
    expect((await s.e3.call('examinations.open', { a, b, origin: 'manual' })).a.labCaseNumber).toBe('PROFICIENCY-2026');
    expect((await s.e1.call('acquisitions.get', { id: other })).settings.originalName).toBe('fadul_2-1.x3p');
  });

  it('is served them again once the test set is closed', async () => {
    const { version } = await s.manager.call('testSets.get', { id: testSetId });
    await s.manager.call('testSets.close', { id: testSetId, version, reason: 'quarter over' });
    expect((await s.e1.call('acquisitions.get', { id: a })).settings.originalName).toBe('fadul_1-1.x3p');
    const ws = await s.e1.call('examinations.open', { a, b, origin: 'manual' });
    expect(ws.a.labCaseNumber).toBe('PROFICIENCY-2026');
  });
});
