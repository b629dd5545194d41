// Verification under the lab's policy: a manager setting, audited; nobody verifies their own work; a blind
// verifier works without the first examination and sees it once they have recorded; agreement verifies;
// disagreement goes to an arbiter, a third examiner named by a manager, whose conclusion is final.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAppError } from '../../fixtures/appError.ts';
import { examinationStation, sampleView, type ExaminationStation } from '../../fixtures/examinationStation.ts';
import { encodePng } from '../../fixtures/png.ts';

let s: ExaminationStation;
const scans: Record<string, number> = {};

beforeAll(async () => {
  s = await examinationStation();
  for (const [exhibit, scan] of [
    ['Q1', '1-1'],
    ['Q2', '2-1'],
    ['Q3', '3-1'],
    ['Q4', '4-1'],
  ])
    scans[exhibit] = await s.fadul('LAB-10', exhibit, scan);
  for (const [exhibit, scan] of [
    ['K1', '1-2'],
    ['K2', '2-2'],
    ['K3', '3-2'],
    ['K4', '4-2'],
  ])
    scans[exhibit] = await s.fadul('LAB-20', exhibit, scan);
});
afterAll(() => s.dispose());

/** examiner1 examines a pair: an annotation, a snapshot and the conclusion. */
async function examined(a: string, b: string, conclusion: 'identification' | 'elimination' | 'inconclusive_b') {
  const ws = await s.e1.call('examinations.open', { a: scans[a], b: scans[b] });
  const note = await s.e1.call('annotations.create', {
    comparisonId: ws.comparison.id,
    side: 'a',
    frame: 'topography',
    layer: 'similar',
    shape: {
      kind: 'polygon',
      points: [
        [10, 10],
        [60, 10],
        [30, 50],
      ],
    },
    note: 'FIRST-EXAMINER-NOTE',
  });
  const snap = await s.e1.call('snapshots.create', {
    comparisonId: ws.comparison.id,
    png: encodePng(64, 48, ws.comparison.id),
    caption: 'FIRST-EXAMINER-CAPTION',
    view: sampleView(),
  });
  const recorded = await s.e1.call('conclusions.record', {
    comparisonId: ws.comparison.id,
    conclusion,
    basis: 'FIRST-EXAMINER-BASIS',
    snapshotIds: [snap.id],
    annotationIds: [note.id],
  });
  return { id: ws.comparison.id, recorded, note, snap };
}

describe('the verification policy', () => {
  it('defaults to blind verification of identifications and eliminations; only a manager changes it, audited', async () => {
    expect(await s.e1.call('verification.policy', {})).toMatchObject({
      policy: { requireFor: ['identification', 'elimination'], blind: true },
      source: 'default',
    });
    await expectAppError(
      s.e1.call('verification.setPolicy', { policy: { requireFor: [], blind: false }, reason: 'faster' }),
      'forbidden',
    );
    await s.manager.call('verification.setPolicy', {
      policy: { requireFor: ['identification', 'elimination', 'inconclusive_c'], blind: true },
      reason: 'lab SOP 4.2 rev 3',
    });
    const entry = (await s.manager.call('audit.list', { action: 'verification.policy' })).entries[0];
    expect(entry).toMatchObject({
      username: 'manager1',
      reason: 'lab SOP 4.2 rev 3',
      before: { requireFor: ['identification', 'elimination'], blind: true, source: 'default' },
      after: { requireFor: ['identification', 'elimination', 'inconclusive_c'], blind: true },
    });
    expect((await s.e2.call('verification.policy', {})).updatedBy).toBe('manager1');
  });

  it('leaves conclusions it does not name concluded, and sends the ones it names to verification', async () => {
    const inconclusive = await examined('Q4', 'K3', 'inconclusive_b');
    expect(inconclusive.recorded.workspace.comparison.state).toBe('concluded');
    expect(inconclusive.recorded.workspace.verification).toBeNull();
    // ...until someone asks (e.g. before a hit): the examiner or a manager, with a reason
    await expectAppError(
      s.e2.call('verification.request', { comparisonId: inconclusive.id, reason: 'curious' }),
      'forbidden',
    );
    const asked = await s.manager.call('verification.request', {
      comparisonId: inconclusive.id,
      reason: 'case review',
    });
    expect(asked).toMatchObject({ state: 'unassigned', blind: true, requestedBy: 'request' });
  });
});

describe('blind verification', () => {
  it('refuses the examiner as verifier, withholds the first examination, then agreement verifies', async () => {
    const { id, note, snap } = await examined('Q1', 'K1', 'identification');
    const ws = await s.e1.call('examinations.get', { comparisonId: id });
    expect(ws.comparison.state).toBe('awaiting_verification');
    const verification = ws.verification!;
    expect(verification).toMatchObject({ state: 'unassigned', blind: true, requestedBy: 'policy' });

    // Nobody verifies their own work: not by claiming, not by a manager's assignment.
    await expectAppError(
      s.e1.call('verification.claim', { verificationId: verification.id, version: verification.version }),
      'forbidden',
      /no one verifies their own work/,
    );
    await expectAppError(
      s.manager.call('verification.assign', {
        verificationId: verification.id,
        verifierId: s.userId('examiner1'),
        version: verification.version,
      }),
      'forbidden',
      /no one verifies their own work/,
    );
    // Someone shown the first examination is no longer blind: in the workspace, or in the case's history.
    await s.e3.call('examinations.get', { comparisonId: id });
    await expectAppError(
      s.e3.call('verification.claim', { verificationId: verification.id, version: verification.version }),
      'forbidden',
      /has seen the first examination/,
    );
    // Reading the case (its history, its list of comparisons, as the case page does) costs nobody their eligibility:
    // while the blind verification waits, those hold the first examination back from whoever could still verify it.
    const concluded = (entries: { action: string; after: Record<string, unknown> | null }[]) =>
      entries.some((e) => e.action === 'conclusion.record' && e.after?.comparisonId === id);
    for (const caseNumber of ['LAB-10', 'LAB-20']) {
      const history = await s.e4.call('audit.forCase', { caseId: s.caseId(caseNumber) });
      expect(concluded(history)).toBe(false);
      expect(JSON.stringify(history)).not.toMatch(/FIRST-EXAMINER/);
      const listed = await s.e4.call('examinations.list', { caseId: s.caseId(caseNumber) });
      expect(listed.find((c) => c.id === id)).toMatchObject({ state: 'awaiting_verification', conclusion: null });
    }
    // the examiner, and the technician who cannot verify, read the case's history whole
    expect(concluded(await s.e1.call('audit.forCase', { caseId: s.caseId('LAB-10') }))).toBe(true);
    expect(concluded(await s.technician.call('audit.forCase', { caseId: s.caseId('LAB-10') }))).toBe(true);
    const candidates = await s.manager.call('verification.candidates', {
      verificationId: verification.id,
      as: 'verifier',
    });
    expect(candidates.find((c) => c.username === 'examiner2')).toMatchObject({ eligible: true });
    expect(candidates.find((c) => c.username === 'examiner4')).toMatchObject({ eligible: true });
    expect(candidates.find((c) => c.username === 'examiner3')).toMatchObject({ eligible: false, why: 'saw_first' });
    expect(candidates.find((c) => c.username === 'examiner1')).toMatchObject({ eligible: false, why: 'is_examiner' });
    expect(candidates.some((c) => c.username === 'tech1')).toBe(false);
    expect(
      (await s.e2.call('examinations.worklist', {})).some((e) => e.kind === 'claim' && e.comparisonId === id),
    ).toBe(true);

    const claimed = await s.e2.call('verification.claim', {
      verificationId: verification.id,
      version: verification.version,
    });
    expect(claimed).toMatchObject({ state: 'assigned', verifier: { username: 'examiner2' } });
    const blind = await s.e2.call('examinations.get', { comparisonId: id });
    expect(blind.access).toMatchObject({ role: 'verifier', blind: true, canConclude: true });
    expect(blind.conclusions).toEqual([]);
    expect(blind.annotations).toEqual([]);
    expect(blind.snapshots).toEqual([]);
    expect(blind.comparison.conclusion).toBeNull();
    await expectAppError(s.e2.call('snapshots.content', { id: snap.id }), 'not_found');
    await expectAppError(s.e2.call('annotations.history', { id: note.id }), 'not_found');
    await expectAppError(
      s.e2.call('conclusions.record', {
        comparisonId: id,
        conclusion: 'identification',
        basis: 'x',
        annotationIds: [note.id],
      }),
      'invalid_input',
      /not part of this comparison/,
    );
    const worklist = await s.e2.call('examinations.worklist', {});
    expect(worklist.find((e) => e.comparisonId === id)).toMatchObject({
      kind: 'verify',
      state: 'awaiting_verification',
    });

    // The verifier's own work is theirs to see; recording their conclusion opens the first examination to them.
    const mine = await s.e2.call('annotations.create', {
      comparisonId: id,
      side: 'b',
      frame: 'topography',
      layer: 'similar',
      shape: {
        kind: 'polygon',
        points: [
          [12, 10],
          [60, 12],
          [30, 52],
        ],
      },
    });
    expect(mine.role).toBe('verification');
    const { workspace } = await s.e2.call('conclusions.record', {
      comparisonId: id,
      conclusion: 'identification',
      basis: 'Agreement of breech-face marks across the annulus.',
      annotationIds: [mine.id],
    });
    expect(workspace.comparison).toMatchObject({ state: 'verified', conclusion: 'identification' });
    expect(workspace.verification).toMatchObject({ state: 'agreed' });
    expect(workspace.access.blind).toBe(false);
    expect(workspace.conclusions.map((c) => c.role)).toEqual(['examination', 'verification']);
    expect(workspace.annotations.map((a) => a.note)).toContain('FIRST-EXAMINER-NOTE');
    const actions = (await s.admin.call('audit.forCase', { caseId: s.caseId('LAB-10') }))
      .filter((e) => e.entityType === 'verification' && e.after?.comparisonId === id)
      .map((e) => e.action)
      .reverse();
    expect(actions).toEqual(['verification.open', 'verification.claim', 'verification.agreed']);
  });

  it('sends a disagreement to a manager, whose arbiter (a third examiner) decides', async () => {
    const { id } = await examined('Q2', 'K2', 'identification');
    const v = (await s.e1.call('examinations.get', { comparisonId: id })).verification!;
    await s.manager.call('verification.assign', {
      verificationId: v.id,
      verifierId: s.userId('examiner4'),
      version: v.version,
    });
    const disputed = await s.e4.call('conclusions.record', {
      comparisonId: id,
      conclusion: 'inconclusive_a',
      basis: 'Some agreement only; the firing-pin drag differs.',
    });
    expect(disputed.workspace.comparison.state).toBe('disputed');
    expect(disputed.workspace.verification).toMatchObject({ state: 'disputed' });
    // why the verifier cannot conclude again, as a code the UI words in the user's language
    expect(disputed.workspace.access).toMatchObject({
      canConclude: false,
      cannotConclude: { code: 'awaiting_arbiter', who: null },
    });
    // the examiner cannot now change the conclusion under dispute, nor the verifier theirs
    const first = disputed.workspace.conclusions.find((c) => c.role === 'examination')!;
    await expectAppError(
      s.e1.call('conclusions.amend', {
        amends: first.id,
        reason: 'on reflection',
        conclusion: 'inconclusive_a',
        basis: 'x',
      }),
      'conflict',
      /basis and links/,
    );
    const managerList = await s.manager.call('examinations.worklist', {});
    expect(managerList.find((e) => e.comparisonId === id)?.kind).toBe('assign_arbiter');
    const vNow = disputed.workspace.verification!;
    await expectAppError(
      s.manager.call('verification.assignArbiter', {
        verificationId: v.id,
        arbiterId: s.userId('examiner4'),
        version: vNow.version,
      }),
      'forbidden',
      /third examiner/,
    );
    await expectAppError(
      s.manager.call('verification.assignArbiter', {
        verificationId: v.id,
        arbiterId: s.userId('examiner1'),
        version: vNow.version,
      }),
      'forbidden',
      /examiner/,
    );
    await expectAppError(
      s.e2.call('conclusions.record', { comparisonId: id, conclusion: 'identification', basis: 'x' }),
      'forbidden',
    );
    await s.manager.call('verification.assignArbiter', {
      verificationId: v.id,
      arbiterId: s.userId('examiner2'),
      version: vNow.version,
      note: 'examiner2 has the most Ruger experience',
    });
    const arbiterView = await s.e2.call('examinations.get', { comparisonId: id });
    expect((await s.e4.call('examinations.get', { comparisonId: id })).access.cannotConclude).toEqual({
      code: 'being_arbitrated',
      who: 'examiner2',
    });
    expect(arbiterView.access).toMatchObject({ role: 'arbiter', blind: false, canConclude: true });
    expect(arbiterView.conclusions.map((c) => c.conclusion)).toEqual(['identification', 'inconclusive_a']);
    const final = await s.e2.call('conclusions.record', {
      comparisonId: id,
      conclusion: 'identification',
      basis: 'Agreement over most of the annulus; the drag difference is subclass.',
    });
    expect(final.workspace.comparison).toMatchObject({ state: 'verified', conclusion: 'identification' });
    expect(final.workspace.verification).toMatchObject({ state: 'arbitrated', arbiter: { username: 'examiner2' } });
    await expectAppError(
      s.e2.call('conclusions.amend', {
        amends: final.conclusion.id,
        reason: 'changed my mind',
        conclusion: 'elimination',
        basis: 'x',
      }),
      'conflict',
      /final once recorded/,
    );
    // a basis can still be corrected, with a reason, the original kept
    const corrected = await s.e2.call('conclusions.amend', {
      amends: final.conclusion.id,
      reason: 'typo',
      conclusion: 'identification',
      basis: 'Agreement over most of the annulus; the drag difference is a subclass characteristic.',
    });
    expect(corrected.conclusion.amends).toBe(final.conclusion.id);
    const actions = (await s.admin.call('audit.forCase', { caseId: s.caseId('LAB-10') }))
      .filter((e) => e.entityType === 'verification' && e.after?.comparisonId === id)
      .map((e) => e.action)
      .reverse();
    expect(actions).toEqual([
      'verification.open',
      'verification.assign',
      'verification.disputed',
      'verification.arbiter',
      'verification.arbitrated',
    ]);
  });

  it('cancels a policy verification when the examiner amends to a conclusion the policy does not verify', async () => {
    const { id, recorded } = await examined('Q3', 'K3', 'elimination');
    expect(recorded.workspace.comparison.state).toBe('awaiting_verification');
    const amended = await s.e1.call('conclusions.amend', {
      amends: recorded.conclusion.id,
      reason: 'rotation error; the marks do not disagree enough',
      conclusion: 'inconclusive_b',
      basis: 'No sufficient agreement or disagreement.',
    });
    expect(amended.workspace.comparison.state).toBe('concluded');
    expect(amended.workspace.verification).toMatchObject({ state: 'canceled' });
    const again = await s.e1.call('conclusions.amend', {
      amends: amended.conclusion.id,
      reason: 'after all',
      conclusion: 'elimination',
      basis: 'Disagreement of class characteristics.',
    });
    expect(again.workspace.comparison.state).toBe('awaiting_verification');
    expect(again.workspace.verification).toMatchObject({ state: 'unassigned' });
    expect(id).toBe(again.workspace.comparison.id);
  });

  it('fixes the examined conclusion once a verifier has taken it: no change, no cancel, while they work', async () => {
    scans.Q5 = await s.fadul('LAB-10', 'Q5', '5-1');
    scans.K5 = await s.fadul('LAB-20', 'K5', '5-2');
    const { id, recorded } = await examined('Q5', 'K5', 'identification');
    const v = recorded.workspace.verification!;
    await s.e2.call('verification.claim', { verificationId: v.id, version: v.version });
    // The verifier's work in progress is in the examiner's view (it is not the first examination) ...
    await s.e2.call('annotations.create', {
      comparisonId: id,
      side: 'b',
      frame: 'topography',
      layer: 'dissimilar',
      shape: {
        kind: 'polygon',
        points: [
          [10, 10],
          [60, 10],
          [30, 50],
        ],
      },
      note: 'striae disagree here',
    });
    // ... so the examiner must not be able to follow it: not to the verifier's side, not out of verification.
    for (const conclusion of ['elimination', 'inconclusive_b'] as const)
      await expectAppError(
        s.e1.call('conclusions.amend', {
          amends: recorded.conclusion.id,
          reason: 'second thoughts',
          conclusion,
          basis: 'changed',
        }),
        'conflict',
        /can no longer change/,
      );
    const ws = await s.e1.call('examinations.get', { comparisonId: id });
    expect(ws.verification).toMatchObject({ state: 'assigned' });
    expect(ws.comparison.state).toBe('awaiting_verification');
    // the basis and links can still be amended; the value stands until the verifier has recorded
    const basisOnly = await s.e1.call('conclusions.amend', {
      amends: recorded.conclusion.id,
      reason: 'typo',
      conclusion: 'identification',
      basis: 'FIRST-EXAMINER-BASIS, corrected',
    });
    expect(basisOnly.workspace.verification).toMatchObject({ state: 'assigned' });
    const verified = await s.e2.call('conclusions.record', {
      comparisonId: id,
      conclusion: 'elimination',
      basis: 'disagreement of individual characteristics',
    });
    expect(verified.workspace.comparison.state).toBe('disputed');
  });

  it('is not blind when the policy says so: the verifier sees the first examination', async () => {
    await s.manager.call('verification.setPolicy', {
      policy: { requireFor: ['identification'], blind: false },
      reason: 'open verification for training',
    });
    const { id } = await examined('Q4', 'K4', 'identification');
    const v = (await s.e1.call('examinations.get', { comparisonId: id })).verification!;
    expect(v.blind).toBe(false);
    await s.e3.call('examinations.get', { comparisonId: id }); // seen, but the verification is not blind
    await s.e3.call('verification.claim', { verificationId: v.id, version: v.version });
    const ws = await s.e3.call('examinations.get', { comparisonId: id });
    expect(ws.access).toMatchObject({ role: 'verifier', blind: false });
    expect(ws.conclusions.map((c) => c.basis)).toEqual(['FIRST-EXAMINER-BASIS']);
  });
});
