import { afterEach, describe, expect, it } from 'vitest';
import { startSignedIn } from '../../fixtures/testHost.ts';
import { seedScans } from '../../fixtures/searchData.ts';

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
});
