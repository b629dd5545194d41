// A test's casings stay anonymous to whoever is taking it: the real acquisition ids its workspace carries open
// none of the reads that name them (file name, item, case, searches, other comparisons) until the test closes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAppError } from '../../fixtures/appError.ts';
import { examinationStation, type ExaminationStation } from '../../fixtures/examinationStation.ts';

let s: ExaminationStation;
let a: number;
let b: number;
let other: number;
let testSetId: number;
let comparisonId: number;
const secret = /part of a proficiency test you are taking/;

beforeAll(async () => {
  s = await examinationStation();
  a = await s.fadul('PROFICIENCY-2026', 'T-01', '1-1');
  b = await s.fadul('PROFICIENCY-2026', 'T-02', '1-2');
  other = await s.fadul('CASE-7', 'Q-1', '2-1');
  // Casework that already compared a casing of the test: its labels would give the answer away.
  await s.e3.call('examinations.open', { a, b: other, origin: 'manual' });
  const created = await s.manager.call('testSets.create', {
    name: 'Q4 proficiency',
    instructions: '',
    pairs: [{ a, b, truth: 'same_source' }],
    participants: [s.userId('examiner1')],
  });
  testSetId = created.id;
  comparisonId = (await s.e1.call('examinations.worklist', {})).find((e) => e.kind === 'test')!.comparisonId;
});
afterAll(() => s.dispose());

describe('a participant taking an open test', () => {
  it('works the test pair: its workspace and surfaces, under neutral names', async () => {
    const ws = await s.e1.call('examinations.get', { comparisonId });
    expect([ws.a.acquisitionId, ws.b.acquisitionId]).toEqual([a, b]);
    expect(ws.a).toMatchObject({ label: 'Q4 proficiency · pair 1 · A', caseId: null, itemId: null });
    const preview = await s.e1.call('acquisitions.preview', { acquisitionId: a, role: 'topography', maxSize: 64 });
    expect(preview).toBeTruthy();
  });

  it('is refused the reads that would name its casings', async () => {
    const itemId = (await s.manager.call('acquisitions.get', { id: a })).itemId;
    await expectAppError(s.e1.call('acquisitions.get', { id: a }), 'forbidden', secret);
    await expectAppError(s.e1.call('acquisitions.get', { id: b }), 'forbidden', secret);
    await expectAppError(s.e1.call('acquisitions.list', { itemId }), 'forbidden', secret);
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
    const history = JSON.stringify(await s.e1.call('audit.forCase', { caseId }));
    expect(history).not.toMatch(/fadul_1-1|fadul_1-2/);
    expect(JSON.stringify(await s.manager.call('audit.forCase', { caseId }))).toMatch(/fadul_1-1/);
    const sources = await s.e1.call('search.sources', {});
    expect(sources.map((r) => r.acquisitionId)).toEqual([other]);
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
