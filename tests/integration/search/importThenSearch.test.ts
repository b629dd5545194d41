// The whole path through the contract: scans imported as acquisitions by the acquisition service, then searched
// for and compared by the search service (no direct SQL anywhere).
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startSignedIn } from '../../fixtures/testHost.ts';
import { fadulFile } from '../../fixtures/searchData.ts';
import { sharedDataPath } from '../../fixtures/sharedData.ts';

const station = await startSignedIn();
afterAll(() => station.dispose());

describe('import, then search', () => {
  it('finds the imported casing from the same slide and compares the pair', async () => {
    const { client } = station;
    const questioned = await client.call('cases.create', { labCaseNumber: 'LAB-2026-0900' });
    const reference = await client.call('cases.create', { labCaseNumber: 'LAB-2025-0100' });
    const acquire = async (caseId: number, exhibit: string, scan: string) => {
      const item = await client.call('items.create', {
        caseId,
        fields: { kind: 'cartridge_case', exhibitNumber: exhibit, calibre: '9 mm Luger' },
      });
      const acquisition = await client.call('acquisitions.import', {
        itemId: item.id,
        region: 'breech_face',
        fileName: `fadul_${scan}.x3p`,
        bytes: new Uint8Array(readFileSync(fadulFile(scan))),
      });
      return { item, acquisition };
    };
    const q = await acquire(questioned.id, 'Q1', '1-1');
    const k1 = await acquire(reference.id, 'K1', '2-1');
    const k2 = await acquire(reference.id, 'K2', '1-2');
    expect(q.acquisition.topographySha256).toMatch(/^[0-9a-f]{64}$/);

    const sources = await client.call('search.sources', { caseId: reference.id });
    expect(sources.map((s) => s.acquisitionId).sort()).toEqual([k1.acquisition.id, k2.acquisition.id].sort());

    const result = await client.call('search.run', { itemId: q.item.id, filters: { calibre: '9 mm Luger' }, topK: 2 });
    expect(result.query.acquisitionId).toBe(q.acquisition.id);
    expect(result.screened).toBe(2);
    expect(result.fullyScored).toBe(2);
    expect(result.results[0]).toMatchObject({
      acquisitionId: k2.acquisition.id,
      labCaseNumber: 'LAB-2025-0100',
      exhibitNumber: 'K2',
    });
    expect(result.results[0]!.cmc!.combined).toBeGreaterThanOrEqual(9);
    expect(result.results[1]!.cmc!.combined).toBeLessThanOrEqual(2);

    const pair = await client.call('compare.run', { a: q.acquisition.id, b: k2.acquisition.id });
    expect(pair.cmc.combined).toBe(result.results[0]!.cmc!.combined);
  }, 120_000);

  it('lists 2D-only acquisitions as sources only when asked (the compare picker), saying they have no topography', async () => {
    const { client } = station;
    const scene = await client.call('cases.create', { labCaseNumber: 'LAB-2026-0901' });
    const item = await client.call('items.create', {
      caseId: scene.id,
      fields: { kind: 'cartridge_case', exhibitNumber: 'P1', calibre: '9 mm Luger' },
    });
    const scan = await client.call('acquisitions.import', {
      itemId: item.id,
      region: 'breech_face',
      fileName: 'fadul_2-1.x3p',
      bytes: new Uint8Array(readFileSync(fadulFile('2-1'))),
    });
    const picture = await client.call('acquisitions.import', {
      itemId: item.id,
      region: 'breech_face',
      fileName: 'NBIDE_R_BF_118.png',
      bytes: new Uint8Array(readFileSync(sharedDataPath('nbide-2d', 'NBIDE_R_BF_118.png'))),
    });
    expect(picture.topographySha256).toBeNull();
    // Search needs a topography: the picture is not a source.
    const searchable = await client.call('search.sources', { caseId: scene.id });
    expect(searchable.map((s) => [s.acquisitionId, s.topography])).toEqual([[scan.id, true]]);
    // The workspace compares 2D pictures too.
    const comparable = await client.call('search.sources', { caseId: scene.id, withImages: true });
    expect(comparable.map((s) => [s.acquisitionId, s.topography]).sort()).toEqual(
      [
        [scan.id, true],
        [picture.id, false],
      ].sort(),
    );
  }, 120_000);
});
