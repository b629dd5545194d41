// The examination records through the contract: one comparison per pair, annotations amended with a reason and a
// row version (a stale edit loses nothing), snapshots checked and stored as evidence, conclusions as technical
// records whose amendments keep the original, every change audited, technicians refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examinationCalls } from '../../../electron/contract/examination.ts';
import { expectAppError } from '../../fixtures/appError.ts';
import { examinationStation, sampleView, type ExaminationStation } from '../../fixtures/examinationStation.ts';
import { encodePng } from '../../fixtures/png.ts';

let s: ExaminationStation;
let q: number; // LAB-1 / Q1: Fadul 1-1
let k: number; // LAB-2 / K1: Fadul 1-2 (same slide)

beforeAll(async () => {
  s = await examinationStation();
  q = await s.fadul('LAB-1', 'Q1', '1-1');
  k = await s.fadul('LAB-2', 'K1', '1-2');
});
afterAll(() => s.dispose());

const polygon = {
  kind: 'polygon' as const,
  points: [
    [100, 100],
    [180, 110],
    [150, 190],
  ] as [number, number][],
};

describe('a technician', () => {
  it('is refused every examination call, whatever the input', async () => {
    for (const [method, def] of Object.entries(examinationCalls)) {
      if (def.permission === 'case.read') continue; // hits.forCase: a case record's links, readable with the case
      const error = await s.technician.call(method as 'examinations.get', { comparisonId: 1 }).then(
        () => null,
        (e: { code: string }) => e,
      );
      expect(error?.code, method).toBe('forbidden');
    }
  });
});

describe('comparisons', () => {
  it('are one per pair, whichever side each acquisition was opened on, and audited once', async () => {
    const first = await s.e1.call('examinations.open', { a: q, b: k, origin: 'search' });
    const again = await s.e2.call('examinations.open', { a: k, b: q });
    expect(again.comparison.id).toBe(first.comparison.id);
    expect([again.a.acquisitionId, again.b.acquisitionId]).toEqual([q, k]);
    expect(first.a).toMatchObject({ labCaseNumber: 'LAB-1', exhibitNumber: 'Q1', label: 'LAB-1 / Q1' });
    expect(first.a.topography?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(first.a.pixelUm).toBeCloseTo(6.25, 2);
    expect(first.scale).toMatchObject({ resampled: false, note: null });
    expect(first.tools3d).toEqual({ available: true, reason: null });
    expect(first.access).toMatchObject({ role: 'examiner', canConclude: true, blind: false });
    const opened = (await s.admin.call('audit.forCase', { caseId: s.caseId('LAB-1') })).filter(
      (e) => e.action === 'comparison.open',
    );
    expect(opened).toHaveLength(1);
    expect(opened[0].after).toMatchObject({ comparisonId: first.comparison.id, a: q, b: k, origin: 'search' });
    await expectAppError(s.e1.call('examinations.open', { a: q, b: 99_999 }), 'not_found');
    await expectAppError(s.e1.call('examinations.open', { a: q, b: q }), 'invalid_input');
  });
});

describe('annotations', () => {
  it('are amended with a reason; a stale version is refused with both edits and nothing is lost', async () => {
    const { comparison } = await s.e1.call('examinations.open', { a: q, b: k });
    const made = await s.e1.call('annotations.create', {
      comparisonId: comparison.id,
      side: 'a',
      frame: 'topography',
      layer: 'similar',
      shape: polygon,
      note: 'parallel breech-face marks, 5 o’clock',
      view: sampleView(),
    });
    expect(made).toMatchObject({ revision: 1, version: 1, role: 'examination', acquisitionId: q, withdrawn: null });

    // Two edits from the same version: the first wins, the second is refused with the current record and itself.
    const first = await s.e1.call('annotations.amend', {
      id: made.id,
      version: made.version,
      reason: 'outline follows the mark more closely',
      shape: {
        kind: 'polygon',
        points: [
          [100, 100],
          [190, 110],
          [150, 200],
        ],
      },
    });
    const stale = await expectAppError(
      s.e1.call('annotations.amend', { id: made.id, version: made.version, reason: 'typo', note: 'second edit' }),
      'conflict',
    );
    const details = stale.details as { current: { revision: number; shape: unknown }; yours: { note: string } };
    expect(details.current.revision).toBe(2);
    expect(details.current.shape).toEqual(first.shape);
    expect(details.yours.note).toBe('second edit');
    // Re-applied on the current version, both edits stand.
    const second = await s.e1.call('annotations.amend', {
      id: made.id,
      version: first.version,
      reason: 'typo',
      note: details.yours.note,
    });
    expect(second).toMatchObject({ revision: 3, note: 'second edit', shape: first.shape });
    const history = await s.e1.call('annotations.history', { id: made.id });
    expect(history.map((r) => [r.revision, r.reason])).toEqual([
      [1, null],
      [2, 'outline follows the mark more closely'],
      [3, 'typo'],
    ]);
    expect(history[0].shape).toEqual(polygon);

    await expectAppError(
      s.e2.call('annotations.amend', { id: made.id, version: second.version, reason: 'mine now', note: 'x' }),
      'forbidden',
      /only examiner1/,
    );
    await expectAppError(
      s.e1.call('annotations.create', {
        comparisonId: comparison.id,
        side: 'b',
        frame: 'ring',
        layer: 'dissimilar',
        shape: polygon,
      }),
      'invalid_input',
      /no file "ring"/,
    );
    await expectAppError(
      s.e1.call('annotations.create', {
        comparisonId: comparison.id,
        side: 'b',
        frame: 'topography',
        layer: 'subclass',
        shape: {
          kind: 'stroke',
          width: 4,
          points: [
            [10, 10],
            [5000, 10],
          ],
        },
      }),
      'invalid_input',
      /outside/,
    );
    const withdrawn = await s.e1.call('annotations.withdraw', {
      id: made.id,
      version: second.version,
      reason: 'not a mark',
    });
    expect(withdrawn.withdrawn).toMatchObject({ by: 'examiner1', reason: 'not a mark' });
    await expectAppError(
      s.e1.call('annotations.amend', { id: made.id, version: withdrawn.version, reason: 'x', note: 'y' }),
      'conflict',
      /withdrawn/,
    );
    const actions = (await s.admin.call('audit.forCase', { caseId: s.caseId('LAB-1') }))
      .filter((e) => e.entityType === 'annotation' && e.entityId === String(made.id))
      .map((e) => e.action)
      .reverse();
    expect(actions).toEqual(['annotation.create', 'annotation.amend', 'annotation.amend', 'annotation.withdraw']);
  });
});

describe('snapshots', () => {
  it('stores a checked PNG as evidence with its view, and refuses anything else', async () => {
    const { comparison } = await s.e1.call('examinations.open', { a: q, b: k });
    const png = encodePng(320, 200, 7);
    const snap = await s.e1.call('snapshots.create', {
      comparisonId: comparison.id,
      png,
      caption: 'LAB-1 / Q1 (left) and LAB-2 / K1 (right), 45° light',
      view: sampleView(),
    });
    expect(snap).toMatchObject({ width: 320, height: 200, size: png.byteLength, role: 'examination' });
    expect(snap.view.alignment).toMatchObject({ rotationDeg: 12.5, from: 'manual' });
    const content = await s.e1.call('snapshots.content', { id: snap.id });
    expect(Buffer.from(content.bytes).equals(Buffer.from(png))).toBe(true);
    expect(s.host.evidence.has(snap.sha256)).toBe(true);
    const stored = (await s.admin.call('audit.forCase', { caseId: s.caseId('LAB-1') })).find(
      (e) => e.action === 'snapshot.create',
    );
    expect(stored?.after).toMatchObject({ snapshotId: snap.id, sha256: snap.sha256 });

    const refuse = (bytes: Uint8Array, message: RegExp) =>
      expectAppError(
        s.e1.call('snapshots.create', { comparisonId: comparison.id, png: bytes, caption: 'x', view: sampleView() }),
        'invalid_input',
        message,
      );
    await refuse(new TextEncoder().encode('<svg>not a png</svg>'.repeat(5)), /signature/);
    const corrupt = encodePng(32, 32, 1);
    corrupt[20] ^= 0xff; // inside IHDR's data
    await refuse(corrupt, /CRC/);
    await refuse(encodePng(32, 32, 1).subarray(0, 60), /cut short|runs past|no IEND/);
    // 20 000 × 20 000 declared: refused from the header, before anything is inflated
    await refuse(encodePng(20_000, 1, 0, Buffer.alloc(1 + 60_000)), /larger than/);
    // a header for 64 × 64 with the pixel data of a 4096 × 4096 picture (a small deflate bomb)
    await refuse(encodePng(64, 64, 0, Buffer.alloc(4096 * (1 + 4096 * 3))), /more pixel data/);
    await refuse(encodePng(64, 64, 0, Buffer.alloc(10)), /header implies/);
    expect((await s.e1.call('examinations.get', { comparisonId: comparison.id })).snapshots).toHaveLength(1);
  });
});

describe('conclusions', () => {
  it('are technical records; an amendment is a new record and the original stays as it was', async () => {
    await s.manager.call('verification.setPolicy', {
      policy: { requireFor: [], blind: true },
      reason: 'records test: no verification in the way',
    });
    const ws = await s.e1.call('examinations.open', { a: q, b: k });
    const note = await s.e1.call('annotations.create', {
      comparisonId: ws.comparison.id,
      side: 'b',
      frame: 'topography',
      layer: 'similar',
      shape: polygon,
    });
    await expectAppError(
      s.e1.call('conclusions.record', { comparisonId: ws.comparison.id, conclusion: 'identification', basis: '  ' }),
      'invalid_input',
      /required/,
    );
    await expectAppError(
      s.e1.call('conclusions.record', {
        comparisonId: ws.comparison.id,
        conclusion: 'identification',
        basis: 'agreement',
        snapshotIds: [999],
      }),
      'invalid_input',
      /snapshot 999/,
    );
    const snapshotId = ws.snapshots[0].id;
    const { conclusion: original, workspace } = await s.e1.call('conclusions.record', {
      comparisonId: ws.comparison.id,
      conclusion: 'inconclusive_a',
      basis: 'Some agreement of breech-face marks, insufficient for an identification.',
      snapshotIds: [snapshotId],
      annotationIds: [note.id],
    });
    expect(workspace.comparison).toMatchObject({
      state: 'concluded',
      conclusion: 'inconclusive_a',
      examiner: 'examiner1',
    });
    expect(original.record.a).toMatchObject({
      acquisitionId: q,
      label: 'LAB-1 / Q1',
      topographySha256: ws.a.topography!.sha256,
    });
    expect(original.record.a.files.map((f) => f.role)).toContain('topography');
    expect(original.record.policy).toEqual({ requireFor: [], blind: true });
    expect(original.annotations).toEqual([{ id: note.id, revision: 1 }]);

    await expectAppError(
      s.e2.call('conclusions.record', { comparisonId: ws.comparison.id, conclusion: 'elimination', basis: 'x' }),
      'forbidden',
      /examiner1 concluded/,
    );
    await expectAppError(
      s.e2.call('conclusions.amend', { amends: original.id, reason: 'mine', conclusion: 'elimination', basis: 'x' }),
      'forbidden',
      /only examiner1/,
    );
    const { conclusion: amended } = await s.e1.call('conclusions.amend', {
      amends: original.id,
      reason: 'second look under a lower light',
      conclusion: 'inconclusive_b',
      basis: 'No sufficient agreement or disagreement.',
    });
    expect(amended).toMatchObject({ amends: original.id, reason: 'second look under a lower light', current: true });
    await expectAppError(
      s.e1.call('conclusions.amend', { amends: original.id, reason: 'again', conclusion: 'elimination', basis: 'x' }),
      'conflict',
      /amended already/,
    );
    const after = await s.e1.call('examinations.get', { comparisonId: ws.comparison.id });
    const kept = after.conclusions.find((c) => c.id === original.id)!;
    expect(kept).toMatchObject({ conclusion: 'inconclusive_a', basis: original.basis, current: false });
    expect(after.comparison.conclusion).toBe('inconclusive_b');
    const audit = (await s.admin.call('audit.forCase', { caseId: s.caseId('LAB-1') })).filter(
      (e) => e.entityType === 'conclusion',
    );
    expect(audit.map((e) => e.action)).toEqual(['conclusion.amend', 'conclusion.record']);
    expect(audit[0]).toMatchObject({
      before: { conclusionId: original.id, conclusion: 'inconclusive_a' },
      after: { conclusionId: amended.id, conclusion: 'inconclusive_b' },
      reason: 'second look under a lower light',
      username: 'examiner1',
    });
    expect((await s.admin.call('audit.verify', {})).ok).toBe(true);
    // the database refuses to change the original behind the service's back
    expect(() => s.host.db.prepare("UPDATE conclusions SET basis = 'forged' WHERE id = ?").run(original.id)).toThrow(
      /write-once/,
    );
  });
});
