// Each examiner's worklist: what waits for them, and for managers what waits for an assignment; a verifier's entry
// never says what the first examiner concluded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examinationStation, type ExaminationStation } from '../../fixtures/examinationStation.ts';

let s: ExaminationStation;
beforeAll(async () => {
  s = await examinationStation();
});
afterAll(() => s.dispose());

const kinds = async (client: ExaminationStation['e1'], comparisonId: number) =>
  (await client.call('examinations.worklist', {}))
    .filter((e) => e.comparisonId === comparisonId)
    .map((e) => e.kind)
    .sort();

describe('the worklist', () => {
  it('follows a comparison from examination through verification and arbitration', async () => {
    const a = await s.fadul('LAB-60', 'Q1', '6-1');
    const b = await s.fadul('LAB-61', 'K1', '6-2');
    const ws = await s.e1.call('examinations.open', { a, b });
    const id = ws.comparison.id;
    expect(await kinds(s.e1, id)).toEqual(['examine']);
    expect(await kinds(s.e2, id)).toEqual([]);

    await s.e1.call('conclusions.record', { comparisonId: id, conclusion: 'identification', basis: 'agreement' });
    expect(await kinds(s.e1, id)).toEqual(['awaiting_verification']);
    expect(await kinds(s.e2, id)).toEqual(['claim']);
    expect(await kinds(s.manager, id)).toEqual(['assign_verifier', 'claim']);
    const entry = (await s.e2.call('examinations.worklist', {})).find((e) => e.comparisonId === id)!;
    expect(entry).toMatchObject({ a: 'LAB-60 / Q1', b: 'LAB-61 / K1', state: 'awaiting_verification' });
    expect(JSON.stringify(entry)).not.toMatch(/identification|agreement/);

    const v = (await s.e1.call('examinations.get', { comparisonId: id })).verification!;
    await s.manager.call('verification.assign', {
      verificationId: v.id,
      verifierId: s.userId('examiner2'),
      version: v.version,
    });
    expect(await kinds(s.e2, id)).toEqual(['verify']);
    expect(await kinds(s.e3, id)).toEqual([]);
    expect(await kinds(s.manager, id)).toEqual([]);

    await s.e2.call('conclusions.record', {
      comparisonId: id,
      conclusion: 'inconclusive_c',
      basis: 'some disagreement',
    });
    expect(await kinds(s.manager, id)).toEqual(['assign_arbiter']);
    const disputed = (await s.e1.call('examinations.get', { comparisonId: id })).verification!;
    await s.manager.call('verification.assignArbiter', {
      verificationId: v.id,
      arbiterId: s.userId('examiner3'),
      version: disputed.version,
    });
    expect(await kinds(s.e3, id)).toEqual(['arbitrate']);
    await s.e3.call('conclusions.record', { comparisonId: id, conclusion: 'identification', basis: 'agreement' });
    for (const client of [s.e1, s.e2, s.e3, s.manager]) expect(await kinds(client, id)).toEqual([]);
  });
});
