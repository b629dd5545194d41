// Testing mode: a manager builds a test set with hidden ground truth; examiners work it in the same workspace
// under neutral names; the manager reads conclusions against truth and the time each comparison took.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAppError } from '../../fixtures/appError.ts';
import { examinationStation, sampleView, type ExaminationStation } from '../../fixtures/examinationStation.ts';
import { encodePng } from '../../fixtures/png.ts';

let s: ExaminationStation;
let now = Date.parse('2026-12-01T09:00:00.000Z');
const pairs: { a: number; b: number; truth: 'same_source' | 'different_source' }[] = [];

beforeAll(async () => {
  // The station's clock is the test's: the time per comparison is then exact.
  s = await examinationStation({ clock: () => now });
  const scan = (exhibit: string, name: string) => s.fadul('PROFICIENCY-2026', exhibit, name);
  const [a1, a2, b1, c1] = [
    await scan('T-01', '1-1'),
    await scan('T-02', '1-2'),
    await scan('T-03', '2-1'),
    await scan('T-04', '3-1'),
  ];
  pairs.push(
    { a: a1, b: a2, truth: 'same_source' },
    { a: a1, b: b1, truth: 'different_source' },
    { a: b1, b: c1, truth: 'different_source' },
  );
});
afterAll(() => s.dispose());

describe('a test set', () => {
  let testSetId: number;

  it('is built by a manager, for examiners who cannot read its truth', async () => {
    const participants = [s.userId('examiner1'), s.userId('examiner2')];
    await expectAppError(s.e1.call('testSets.create', { name: 'Q4 proficiency', pairs, participants }), 'forbidden');
    for (const [who, message] of [
      ['manager1', /knows its truth/],
      ['tech1', /does not record conclusions/],
    ] as const)
      await expectAppError(
        s.manager.call('testSets.create', { name: 'x', pairs, participants: [s.userId(who)] }),
        'invalid_input',
        message,
      );
    const people = await s.manager.call('examinations.examiners', {});
    expect(people.filter((p) => p.canTakeTests).map((p) => p.username)).toEqual([
      'examiner1',
      'examiner2',
      'examiner3',
      'examiner4',
    ]);
    expect(people.find((p) => p.username === 'manager1')).toMatchObject({ role: 'manager', canTakeTests: false });
    expect(people.some((p) => p.username === 'tech1')).toBe(false);
    await expectAppError(s.e1.call('examinations.examiners', {}), 'forbidden');
    const created = await s.manager.call('testSets.create', {
      name: 'Q4 proficiency',
      instructions: 'Work each pair as casework; record your conclusion.',
      pairs,
      participants,
    });
    testSetId = created.id;
    expect(created).toMatchObject({ state: 'open', pairs: 3, concluded: 0 });
    expect(created.pairList.map((p) => p.truth)).toEqual(['same_source', 'different_source', 'different_source']);
    const audit = (await s.manager.call('audit.list', { action: 'test_set.create' })).entries[0];
    expect(audit).toMatchObject({ caseId: null, username: 'manager1' });
  });

  it('is worked under neutral names, its truth and other examiners’ work out of reach', async () => {
    const entries = (await s.e1.call('examinations.worklist', {})).filter((e) => e.kind === 'test');
    expect(entries.map((e) => e.a)).toEqual([
      'Q4 proficiency · pair 1 · A',
      'Q4 proficiency · pair 2 · A',
      'Q4 proficiency · pair 3 · A',
    ]);
    now += 1000;
    const ws = await s.e1.call('examinations.get', { comparisonId: entries[0].comparisonId });
    expect(ws.test).toEqual({ testSetId, name: 'Q4 proficiency', position: 1, of: 3 });
    expect(ws.a).toMatchObject({
      label: 'Q4 proficiency · pair 1 · A',
      caseId: null,
      labCaseNumber: null,
      exhibitNumber: null,
    });
    expect(ws.access).toMatchObject({ role: 'participant', canConclude: true });
    const text = JSON.stringify(ws);
    expect(text).not.toMatch(/same_source|different_source|PROFICIENCY-2026|T-0\d/);
    for (const call of ['testSets.get', 'testSets.results', 'testSets.list'] as const)
      await expectAppError(s.e1.call(call, { id: testSetId }), 'forbidden');
    // examiner3 takes no part: the pair does not exist for them; examiner2's copy is theirs alone
    await expectAppError(s.e3.call('examinations.get', { comparisonId: entries[0].comparisonId }), 'not_found');
    const theirs = (await s.e2.call('examinations.worklist', {})).find((e) => e.kind === 'test')!;
    expect(theirs.comparisonId).not.toBe(entries[0].comparisonId);
    await expectAppError(s.e1.call('examinations.get', { comparisonId: theirs.comparisonId }), 'not_found');
    // nor do test pairs show among casework comparisons
    expect(await s.e1.call('examinations.list', { acquisitionId: pairs[0].a })).toEqual([]);

    now += 95_000; // 95 s of work
    const { conclusion, workspace } = await s.e1.call('conclusions.record', {
      comparisonId: entries[0].comparisonId,
      conclusion: 'identification',
      basis: 'Agreement of breech-face marks.',
    });
    expect(workspace.comparison.state).toBe('concluded');
    expect(workspace.verification).toBeNull(); // test pairs are not verified
    // Kept language-neutral (the screens word "pair 1" in the reader's language from testPair).
    expect(conclusion.record.a).toMatchObject({
      label: 'Q4 proficiency · 1 · A',
      testPair: { name: 'Q4 proficiency', position: 1 },
      caseId: null,
      itemId: null,
    });
    expect(JSON.stringify(conclusion)).not.toMatch(/PROFICIENCY-2026/);
    await expectAppError(s.e1.call('hits.confirm', { comparisonId: entries[0].comparisonId }), 'invalid_input');
  });

  it('keeps a participant’s work out of the history of the case the casings belong to', async () => {
    // examiner1 annotates, photographs and amends their answer to pair 1 (concluded above)
    const rows = (await s.manager.call('testSets.results', { id: testSetId })).rows;
    const pair1 = rows.find((r) => r.participant.username === 'examiner1' && r.position === 1)!;
    const ws = await s.e1.call('examinations.get', { comparisonId: pair1.comparisonId });
    await s.e1.call('annotations.create', {
      comparisonId: pair1.comparisonId,
      side: 'b',
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
      note: 'ANSWER-NOTE: same gun',
    });
    const snapshot = await s.e1.call('snapshots.create', {
      comparisonId: pair1.comparisonId,
      png: encodePng(32, 24, 77),
      caption: 'ANSWER-CAPTION',
      view: sampleView(),
    });
    const current = ws.conclusions.find((c) => c.current)!;
    await s.e1.call('conclusions.amend', {
      amends: current.id,
      reason: 'ANSWER-REASON',
      conclusion: 'identification',
      basis: 'ANSWER-BASIS: agreement of breech-face marks.',
    });
    // examiner2 takes the same test: the history of the case of its casings is refused them while it is open; for
    // any other reader it must not hold examiner1's answers, nor name the test's comparisons, nor file the snapshot
    await expectAppError(s.e2.call('audit.forCase', { caseId: s.caseId('PROFICIENCY-2026') }), 'forbidden');
    const history = await s.e3.call('audit.forCase', { caseId: s.caseId('PROFICIENCY-2026') });
    expect(JSON.stringify(history)).not.toMatch(/ANSWER-|Agreement of breech-face marks/);
    const testComparisons = new Set(rows.map((r) => r.comparisonId));
    const named = history.filter((e) =>
      testComparisons.has((e.after?.comparisonId ?? e.before?.comparisonId) as number),
    );
    expect(named).toEqual([]);
    expect(history.some((e) => e.entityType === 'evidence' && e.entityId === snapshot.sha256)).toBe(false);
    // still audited: the manager reads every step in the station's log
    const log = await s.manager.call('audit.list', { username: 'examiner1', limit: 500 });
    expect(log.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['annotation.create', 'snapshot.create', 'conclusion.amend', 'conclusion.record']),
    );
  });

  it('reports conclusions against the truth and the time per comparison to the manager', async () => {
    const work = async (
      client: typeof s.e1,
      position: number,
      conclusion: 'identification' | 'elimination' | 'inconclusive_b',
      seconds: number,
    ) => {
      const entry = (await client.call('examinations.worklist', {})).find(
        (e) => e.kind === 'test' && e.a.includes(`pair ${position} `),
      )!;
      await client.call('examinations.get', { comparisonId: entry.comparisonId });
      now += seconds * 1000;
      await client.call('conclusions.record', { comparisonId: entry.comparisonId, conclusion, basis: 'as seen' });
    };
    await work(s.e1, 2, 'identification', 40); // a false positive
    await work(s.e2, 1, 'elimination', 30); // a false negative
    await work(s.e2, 2, 'elimination', 50);
    await work(s.e2, 3, 'inconclusive_b', 70);
    const results = await s.manager.call('testSets.results', { id: testSetId });
    const row = (who: string, position: number) =>
      results.rows.find((r) => r.participant.username === who && r.position === position)!;
    expect(row('examiner1', 1)).toMatchObject({
      truth: 'same_source',
      conclusion: 'identification',
      outcome: 'correct',
      seconds: 95,
    });
    expect(row('examiner1', 2)).toMatchObject({ outcome: 'false_positive', seconds: 40 });
    expect(row('examiner1', 3)).toMatchObject({ outcome: 'pending', seconds: null, conclusion: null });
    expect(row('examiner2', 1)).toMatchObject({ outcome: 'false_negative', seconds: 30 });
    expect(row('examiner2', 3)).toMatchObject({ outcome: 'inconclusive' });
    const summary = Object.fromEntries(results.summary.map((x) => [x.username, x]));
    expect(summary.examiner1).toMatchObject({ falsePositiveRate: 1, falseNegativeRate: 0, medianSeconds: 67.5 });
    expect(summary.examiner2).toMatchObject({ falsePositiveRate: 0, falseNegativeRate: 1, medianSeconds: 50 });
    expect(summary['*'].counts).toMatchObject({
      correct: 2,
      false_positive: 1,
      false_negative: 1,
      inconclusive: 1,
      pending: 1,
    });

    const summaryBefore = (await s.manager.call('testSets.list', {}))[0];
    expect(summaryBefore.concluded).toBe(5);
    await s.manager.call('testSets.close', { id: testSetId, version: summaryBefore.version, reason: 'quarter over' });
    const pending = row('examiner1', 3);
    const closed = await s.e1.call('examinations.get', { comparisonId: pending.comparisonId });
    expect(closed.access).toMatchObject({
      canConclude: false,
      cannotConcludeReason: 'the test set is closed',
      cannotConclude: { code: 'test_closed', who: null },
    });
    await expectAppError(
      s.e1.call('conclusions.record', { comparisonId: pending.comparisonId, conclusion: 'elimination', basis: 'late' }),
      'forbidden',
      /closed/,
    );
    expect((await s.e1.call('examinations.worklist', {})).filter((e) => e.kind === 'test')).toEqual([]);
  });
});
