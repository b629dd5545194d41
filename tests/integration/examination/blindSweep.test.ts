// A blind verifier cannot get the first examiner's conclusion, annotations or snapshots by ANY call of the
// contract: every call is tried with every plausible input (ids of every record, the case, the acquisitions), and
// whatever comes back is searched for the first examination's text, hashes and bytes. Also a manager who is
// the blind verifier: the audit log and the case's examination records are held back from them too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calls, events, type CallName } from '../../../electron/contract/index.ts';
import { examinationStation, sampleView, type ExaminationStation } from '../../fixtures/examinationStation.ts';
import type { StationClient } from '../../fixtures/testHost.ts';
import { encodePng } from '../../fixtures/png.ts';

let s: ExaminationStation;
/** What each examination must keep from its blind verifier: its texts, snapshot hashes and bytes, conclusion ids. */
interface FirstExamination {
  id: number;
  texts: string[];
  snapshotShas: string[];
  png: Uint8Array[];
  conclusionIds: number[];
}
const examinations: FirstExamination[] = [];
const ids = new Set<number>();
const acquisitions: number[] = [];

// Calls left out, with the reason: they would end the session or drive hardware, and none reads examination records.
const skipped = new Set<string>([
  'auth.lock',
  'auth.signOut',
  'auth.changePassword',
  'calibrations.run',
  'capture.run',
  'search.run', // ranks topographies; reads no examination table (and takes minutes on every acquisition)
  'compare.run', // same engine as examinations.analyze, which is tried below
]);

/** examiner1's examination of a pair, with every kind of record, verified by `verifier` (assigned blind). */
async function examinedFor(verifier: string, a: number, b: number) {
  const ws = await s.e1.call('examinations.open', { a, b });
  const id = ws.comparison.id;
  const secrets = {
    basis: `SECRET-BASIS-${id}-7f3a`,
    note: `SECRET-NOTE-${id}-19c2`,
    caption: `SECRET-CAPTION-${id}-c0de`,
  };
  const note = await s.e1.call('annotations.create', {
    comparisonId: id,
    side: 'a',
    frame: 'topography',
    layer: 'similar',
    shape: {
      kind: 'stroke',
      width: 6,
      points: [
        [20, 20],
        [80, 90],
      ],
    },
    note: secrets.note,
  });
  await s.e1.call('annotations.amend', {
    id: note.id,
    version: note.version,
    reason: secrets.note,
    note: `${secrets.note}!`,
  });
  const png = encodePng(80, 60, id + 100);
  const snap = await s.e1.call('snapshots.create', {
    comparisonId: id,
    png,
    caption: secrets.caption,
    view: sampleView(),
  });
  const { conclusion } = await s.e1.call('conclusions.record', {
    comparisonId: id,
    conclusion: 'identification',
    basis: secrets.basis,
    snapshotIds: [snap.id],
    annotationIds: [note.id],
  });
  const { conclusion: amended } = await s.e1.call('conclusions.amend', {
    amends: conclusion.id,
    reason: secrets.basis,
    conclusion: 'identification',
    basis: `${secrets.basis} (amended)`,
    snapshotIds: [snap.id],
  });
  const v = (await s.e1.call('examinations.get', { comparisonId: id })).verification!;
  await s.manager.call('verification.assign', {
    verificationId: v.id,
    verifierId: s.userId(verifier),
    version: v.version,
  });
  examinations.push({
    id,
    texts: Object.values(secrets),
    snapshotShas: [snap.sha256],
    png: [png],
    conclusionIds: [conclusion.id, amended.id],
  });
  for (const n of [id, note.id, snap.id, conclusion.id, amended.id, v.id, a, b]) ids.add(n);
  return { id, verification: v };
}

beforeAll(async () => {
  s = await examinationStation();
  const q = await s.fadul('LAB-5', 'Q1', '5-1');
  const k = await s.fadul('LAB-6', 'K1', '5-2');
  const q2 = await s.fadul('LAB-5', 'Q2', '6-1');
  const k2 = await s.fadul('LAB-6', 'K2', '6-2');
  acquisitions.push(q, k, q2, k2);
  await examinedFor('examiner2', q, k);
  await examinedFor('manager1', q2, k2);
  for (const caseNumber of ['LAB-5', 'LAB-6']) ids.add(s.caseId(caseNumber));
  // The verifiers' own work on the comparison they verify: theirs to see.
  for (const [client, comparisonId] of [
    [s.e2, examinations[0].id],
    [s.manager, examinations[1].id],
  ] as const) {
    const own = await client.call('annotations.create', {
      comparisonId,
      side: 'b',
      frame: 'topography',
      layer: 'dissimilar',
      shape: {
        kind: 'polygon',
        points: [
          [5, 5],
          [40, 5],
          [20, 30],
        ],
      },
      note: 'verifier note',
    });
    const snap = await client.call('snapshots.create', {
      comparisonId,
      png: encodePng(40, 30, 3),
      caption: 'verifier view',
      view: sampleView(),
    });
    ids.add(own.id).add(snap.id);
  }
  const items = (await s.admin.call('cases.get', { id: s.caseId('LAB-5') })).items;
  for (const item of items) ids.add(item.id);
});
afterAll(() => s.dispose());

function inputsFor(method: string): unknown[] {
  const list = [...ids];
  const inputs: unknown[] = [{}];
  for (const id of list) {
    inputs.push(
      { id },
      { comparisonId: id },
      { caseId: id },
      { itemId: id },
      { acquisitionId: id },
      { verificationId: id, as: 'verifier' },
      { id, version: 1 },
      { acquisitionId: id, role: 'topography' },
    );
  }
  if (method === 'examinations.open')
    for (const a of acquisitions) for (const b of acquisitions) if (a < b) inputs.push({ a, b });
  return inputs;
}

/** Anything of `first` a response holds: its texts, snapshot hashes and bytes, conclusion records. */
function leak(first: FirstExamination, output: unknown): string | null {
  const seen: string[] = [];
  const walk = (value: unknown): void => {
    if (value instanceof Uint8Array) {
      for (const png of first.png)
        if (value.byteLength === png.byteLength && Buffer.from(value).equals(Buffer.from(png)))
          seen.push('snapshot bytes');
      return;
    }
    if (typeof value === 'string') {
      for (const secret of [...first.texts, ...first.snapshotShas]) if (value.includes(secret)) seen.push(secret);
      return;
    }
    if (Array.isArray(value)) return value.forEach(walk);
    if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      // a conclusion record of the first examination, whatever its text
      if (typeof record.id === 'number' && 'basis' in record && first.conclusionIds.includes(record.id))
        seen.push(`conclusion ${record.id}`);
      Object.values(record).forEach(walk);
    }
  };
  walk(output);
  return seen.length ? seen.join(', ') : null;
}

async function sweep(client: StationClient, label: string, first: FirstExamination) {
  const answered = new Set<string>();
  for (const method of Object.keys(calls)) {
    if (skipped.has(method)) continue;
    for (const input of inputsFor(method)) {
      const output = await client.call(method as CallName, input as never).then(
        (o: unknown) => o,
        () => undefined,
      );
      if (output === undefined) continue;
      answered.add(method);
      const found = leak(first, output);
      expect(found, `${label}: ${method} ${JSON.stringify(input)} leaked ${found}`).toBeNull();
    }
  }
  return answered;
}

describe('a blind verifier', () => {
  it('gets nothing of the first examination from any call of the contract', async () => {
    const answered = await sweep(s.e2, 'examiner2', examinations[0]);
    // the sweep did reach the calls that hold examination records
    for (const method of [
      'examinations.get',
      'examinations.list',
      'examinations.worklist',
      'annotations.history',
      'snapshots.content',
      'audit.forCase',
      'hits.forCase',
      'cases.get',
      'acquisitions.get',
    ])
      expect(answered, method).toContain(method);
    const ws = await s.e2.call('examinations.get', { comparisonId: examinations[0].id });
    expect(ws.access.blind).toBe(true);
    expect(ws.annotations.map((a) => a.note)).toEqual(['verifier note']);
    // what the audit shows them of that comparison is their own work and what concerns no one's judgement
    const forCase = await s.e2.call('audit.forCase', { caseId: s.caseId('LAB-5') });
    expect(forCase.some((e) => e.action === 'comparison.open')).toBe(true);
    // (an annotation is in the history of the case whose casing it is drawn on: side B, LAB-6)
    const forOtherCase = await s.e2.call('audit.forCase', { caseId: s.caseId('LAB-6') });
    expect(forOtherCase.some((e) => e.action === 'annotation.create' && e.username === 'examiner2')).toBe(true);
  }, 300_000);

  it('as a manager, is refused the case’s examination records and not shown them in the audit log', async () => {
    const answered = await sweep(s.manager, 'manager1', examinations[1]);
    expect(answered).toContain('audit.list');
    expect(answered).not.toContain('examinations.records');
    const refused = await s.manager.call('examinations.records', { caseId: s.caseId('LAB-5') }).then(
      () => null,
      (e: { code: string; details: unknown }) => e,
    );
    expect(refused).toMatchObject({ code: 'forbidden', details: { reason: 'blind_verifier' } });
    // Another examiner (not blind) is shown everything, so the filter is not simply hiding it from all.
    const admin = await s.admin.call('examinations.records', { caseId: s.caseId('LAB-5') });
    expect(leak(examinations[1], admin)).not.toBeNull();
    expect(
      leak(examinations[0], await s.e3.call('examinations.get', { comparisonId: examinations[0].id })),
    ).not.toBeNull();
  }, 300_000);

  it('after recording their conclusion, sees the first examination', async () => {
    await s.e2.call('conclusions.record', {
      comparisonId: examinations[0].id,
      conclusion: 'identification',
      basis: 'independent: agreement of breech-face marks',
    });
    const ws = await s.e2.call('examinations.get', { comparisonId: examinations[0].id });
    expect(ws.conclusions.map((c) => c.basis)).toContain(`${examinations[0].texts[0]} (amended)`);
    expect(leak(examinations[0], await s.e2.call('audit.forCase', { caseId: s.caseId('LAB-5') }))).not.toBeNull();
  });

  it('is told only that something changed, never what, by the change event', async () => {
    const payloads: unknown[] = [];
    const stop = s.e4.subscribe('examinations.changed', {}, (p) => payloads.push(p));
    await new Promise((r) => setTimeout(r, 20));
    const ws = await s.e1.call('examinations.open', { a: acquisitions[0], b: acquisitions[3] });
    await s.e1.call('annotations.create', {
      comparisonId: ws.comparison.id,
      side: 'a',
      frame: 'topography',
      layer: 'similar',
      shape: {
        kind: 'polygon',
        points: [
          [1, 1],
          [9, 1],
          [5, 9],
        ],
      },
      note: 'a note nobody else is sent',
    });
    await new Promise((r) => setTimeout(r, 20));
    stop();
    expect(payloads).toContainEqual({ comparisonId: ws.comparison.id, what: 'annotation' });
    for (const p of payloads) expect(Object.keys(p as object).sort()).toEqual(['comparisonId', 'what']);
    expect(Object.keys(events)).toContain('examinations.changed');
  });
});
