import { afterEach, describe, expect, it } from 'vitest';
import { startSignedIn } from '../../fixtures/testHost.ts';
import { seedScans } from '../../fixtures/searchData.ts';
import { examinationStation, sampleView } from '../../fixtures/examinationStation.ts';
import { encodePng } from '../../fixtures/png.ts';
import { auditLabels } from '../../../electron/host/storage/repos/auditLabelsRepo.ts';

let dispose: (() => void) | undefined;
afterEach(() => dispose?.());

describe('the audit trail in the lab’s own references', () => {
  it('names each entry’s case by its lab number and the item by case and exhibit; filters by lab number', async () => {
    const station = await startSignedIn();
    dispose = station.dispose;
    const { client } = station;
    const created = await client.call('cases.create', { labCaseNumber: 'LAB-2026-0042' });
    await client.call('cases.create', { labCaseNumber: 'LAB-2026-0043' });
    await client.call('items.create', {
      caseId: created.id,
      fields: { kind: 'cartridge_case', exhibitNumber: 'Q1' },
    });

    const page = await client.call('audit.list', { caseNumber: 'lab-2026-0042' });
    expect(page.entries.map((e) => [e.action, e.caseNumber, e.entityLabel])).toEqual([
      ['item.create', 'LAB-2026-0042', 'LAB-2026-0042 / Q1'],
      ['case.create', 'LAB-2026-0042', 'LAB-2026-0042'],
    ]);
    expect((await client.call('audit.list', { caseNumber: 'LAB-1999-0001' })).entries).toEqual([]);
    const signIn = (await client.call('audit.list', { action: 'user.create' })).entries[0]!;
    expect(signIn.entityLabel).toBe('admin');
    const forCase = await client.call('audit.forCase', { caseId: created.id });
    expect(forCase.every((e) => e.caseNumber === 'LAB-2026-0042')).toBe(true);
  });

  it('names an acquisition by case and exhibit, its region apart as a code the screen words', async () => {
    const station = await startSignedIn();
    dispose = station.dispose;
    const { client, host } = station;
    seedScans(host, 1, [{ scan: '1-1', caseNumber: 'LAB-2026-0050', exhibit: 'Q2' }]);
    const imported = (await client.call('audit.list', { action: 'acquisition.import' })).entries[0]!;
    // Not "LAB-2026-0050 / Q2 · breech_face": the code would reach the screen in every language.
    expect([imported.entityLabel, imported.entityRegion]).toEqual(['LAB-2026-0050 / Q2', 'breech_face']);
    const item = (await client.call('audit.list', { action: 'item.create' })).entries[0]!;
    expect([item.entityLabel, item.entityRegion]).toEqual(['LAB-2026-0050 / Q2', null]);
    // The ids the entry's values name come with the lab's references too: the import names its item by id.
    expect(imported.after?.itemId).toBe(Number(item.entityId));
    expect(imported.references).toEqual({ [`item:${item.entityId}`]: { label: 'LAB-2026-0050 / Q2' } });
  });

  it('names examination records by what the lab knows: a comparison’s two sides, an annotation’s acquisition', async () => {
    const s = await examinationStation();
    dispose = s.dispose;
    const q = await s.fadul('LAB-2026-0060', 'Q1', '2-1');
    const k = await s.fadul('LAB-2026-0061', 'K1', '2-2');
    const { comparison } = await s.e1.call('examinations.open', { a: q, b: k });
    const note = await s.e1.call('annotations.create', {
      comparisonId: comparison.id,
      side: 'b',
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
      note: 'agreement',
    });
    const snapshot = await s.e1.call('snapshots.create', {
      comparisonId: comparison.id,
      png: encodePng(40, 30, 9),
      caption: 'aligned',
      view: sampleView(),
    });
    await s.e1.call('conclusions.record', {
      comparisonId: comparison.id,
      conclusion: 'identification',
      basis: 'Agreement of marks.',
      snapshotIds: [snapshot.id],
    });
    const sides = [
      { label: 'LAB-2026-0060 / Q1', region: 'breech_face' },
      { label: 'LAB-2026-0061 / K1', region: 'breech_face' },
    ];
    const pair = { label: 'LAB-2026-0060 / Q1 ↔ LAB-2026-0061 / K1', sides };
    // As the audit handlers label a page of entries (who is shown which entry is examination/records.ts's business).
    const page = s.host.audit.list({ limit: 500 }).entries;
    const labels = auditLabels(s.host.db, page);
    const entries = page.map((e) => ({ ...e, references: labels.references(e) }));
    const recorded = entries.find((e) => e.action === 'conclusion.record')!;
    // The conclusion itself, the comparison and the snapshots its values name: by the comparison's sides.
    expect(recorded.references?.[`conclusion:${recorded.entityId}`]).toEqual(pair);
    expect(recorded.references?.[`snapshot:${snapshot.id}`]).toEqual(pair);
    const annotated = entries.find((e) => e.action === 'annotation.create')!;
    expect(annotated.references?.[`annotation:${note.id}`]).toEqual(sides[1]);
    // Nothing of the examination is left to show as "no. N".
    const unnamed = entries
      .filter((e) => ['conclusion', 'annotation', 'snapshot', 'comparison'].includes(e.entityType))
      .filter((e) => !e.references?.[`${e.entityType}:${e.entityId}`]);
    expect(unnamed.map((e) => e.action)).toEqual([]);
  }, 120_000);
});
