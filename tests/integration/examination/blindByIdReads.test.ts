// Review of issue 12: the first examiner's annotations and snapshots are read by id too (annotations.history,
// snapshots.content). Before, such a read by another examiner, made before a verifier was named, was not
// remembered as having seen the first examination, so that examiner could then claim its BLIND verification.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAppError } from '../../fixtures/appError.ts';
import { encodePng } from '../../fixtures/png.ts';
import { examinationStation, sampleView, type ExaminationStation } from '../../fixtures/examinationStation.ts';

let s: ExaminationStation;
let q: number;
let k: number;
beforeAll(async () => {
  s = await examinationStation();
  q = await s.fadul('LAB-80', 'Q1', '4-1');
  k = await s.fadul('LAB-81', 'K1', '4-2');
}, 120_000);
afterAll(() => s.dispose());

async function firstExamination(b: number) {
  const { comparison } = await s.e1.call('examinations.open', { a: q, b });
  const note = await s.e1.call('annotations.create', {
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
    note: 'agreement at 5 o’clock',
  });
  const snapshot = await s.e1.call('snapshots.create', {
    comparisonId: comparison.id,
    png: encodePng(40, 30, 9),
    caption: 'aligned',
    view: sampleView(),
  });
  return { comparisonId: comparison.id, note: note.id, snapshot: snapshot.id };
}

async function claimAfterConclusion(comparisonId: number) {
  await s.e1.call('conclusions.record', { comparisonId, conclusion: 'identification', basis: 'agree' });
  const v = (await s.e1.call('examinations.get', { comparisonId })).verification!;
  expect(v.blind).toBe(true);
  return s.e2.call('verification.claim', { verificationId: v.id, version: v.version });
}

describe('an examiner who read the first examination by id', () => {
  it('before it was concluded, cannot then verify it blind', async () => {
    const first = await firstExamination(k);
    expect(await s.e2.call('annotations.history', { id: first.note })).toHaveLength(1);
    await expectAppError(claimAfterConclusion(first.comparisonId), 'forbidden', /has seen the first examination/);
  });

  it('while its blind verification waited for a verifier, cannot then claim it', async () => {
    const third = await s.fadul('LAB-81', 'K2', '5-1');
    const first = await firstExamination(third);
    await s.e1.call('conclusions.record', {
      comparisonId: first.comparisonId,
      conclusion: 'identification',
      basis: 'agree',
    });
    expect((await s.e2.call('snapshots.content', { id: first.snapshot })).mediaType).toBe('image/png');
    const v = (await s.e1.call('examinations.get', { comparisonId: first.comparisonId })).verification!;
    await expectAppError(
      s.e2.call('verification.claim', { verificationId: v.id, version: v.version }),
      'forbidden',
      /has seen the first examination/,
    );
    // an examiner who read nothing of it still may
    expect((await s.e3.call('verification.claim', { verificationId: v.id, version: v.version })).state).toBe(
      'assigned',
    );
  });
});
