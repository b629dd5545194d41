// Quick previews derived once per stored file: made at import, served without reading the original, equal to the
// preview the original gives, re-derived when the derived copy is missing or altered, and never a change to the
// evidence. Seeded acquisitions (no import) get theirs on their first read.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { quickPreviewMaxSize } from '../../../electron/contract/acquisitions.ts';
import { sharedDataPath } from '../../fixtures/sharedData.ts';
import { seedScans } from '../../fixtures/searchData.ts';
import { startSignedIn } from '../../fixtures/testHost.ts';

let dispose: (() => Promise<void>) | undefined;
afterEach(async () => {
  await dispose?.();
  dispose = undefined;
});

describe('quick previews', () => {
  it('are derived at import, served from the derived copy and re-derived when it is altered or missing', async () => {
    const station = await startSignedIn();
    dispose = station.dispose;
    const { client, host } = station;
    const c = await client.call('cases.create', { labCaseNumber: 'LAB-Q' });
    const item = await client.call('items.create', {
      caseId: c.id,
      fields: { kind: 'cartridge_case', exhibitNumber: 'Q1' },
    });
    const bytes = new Uint8Array(readFileSync(sharedDataPath('fadul', 'fadul_1-2.x3p')));
    const detail = await client.call('acquisitions.import', {
      itemId: item.id,
      region: 'breech_face',
      fileName: 'fadul_1-2.x3p',
      bytes,
    });
    const sha = detail.topographySha256!;
    const dir = host.acquisitions.quickPreviews.dir;
    const derived = readdirSync(dir).filter((f) => f.startsWith(sha));
    expect(derived).toHaveLength(1);
    const path = join(dir, derived[0]!);
    // Provenance travels with the derived file.
    const header = JSON.parse(
      readFileSync(path)
        .subarray(4, 4 + readFileSync(path).readUInt32LE(0))
        .toString(),
    );
    expect(header).toMatchObject({ source: { sha256: sha }, version: 1, format: 'casebench-quick-preview' });
    expect(header.method).toMatch(/block average/);

    const ask = () =>
      client.call('acquisitions.preview', {
        acquisitionId: detail.id,
        role: 'topography',
        maxSize: quickPreviewMaxSize,
      });
    const quick = await ask();
    // The original is not read for it: with the evidence file gone, the quick preview still comes.
    const original = host.evidence.pathOf(sha);
    const kept = readFileSync(original);
    rmSync(original, { force: true });
    expect(await ask()).toEqual(quick);
    writeFileSync(original, kept);

    // The same as what the original gives (derived copy removed: computed from the original).
    rmSync(path);
    const fresh = await ask();
    expect(fresh).toEqual(quick);
    expect(fresh.kind).toBe('topography');
    expect(Math.max(fresh.width, fresh.height)).toBeLessThanOrEqual(quickPreviewMaxSize);
    expect(existsSync(path)).toBe(true); // and stored again

    // An altered derived copy is not believed: the answer comes from the original again.
    const altered = readFileSync(path);
    altered[altered.length - 1] ^= 0xff;
    writeFileSync(path, altered);
    expect(await ask()).toEqual(quick);
    expect(readFileSync(path).equals(altered)).toBe(false);
    // A forged one (other data, its checksum and provenance rewritten to match) is not believed either.
    const genuine = readFileSync(path);
    const headerLength = genuine.readUInt32LE(0);
    const forgedHeader = JSON.parse(genuine.subarray(4, 4 + headerLength).toString());
    const forgedData = Buffer.alloc(genuine.length - 4 - headerLength); // a flat surface at 0 µm
    forgedHeader.dataSha256 = createHash('sha256').update(forgedData).digest('hex');
    delete forgedHeader.mac;
    const forgedHeaderBytes = Buffer.from(JSON.stringify(forgedHeader));
    const forgedLength = Buffer.alloc(4);
    forgedLength.writeUInt32LE(forgedHeaderBytes.length, 0);
    writeFileSync(path, Buffer.concat([forgedLength, forgedHeaderBytes, forgedData]));
    // (Compared by the data's hash: a failing comparison of megabyte arrays takes the reporter minutes to print.)
    const dataHash = (p: { data: Uint8Array }) => createHash('sha256').update(p.data).digest('hex');
    expect(dataHash(await ask())).toBe(dataHash(quick));
    // Nor is an oversized file in its place (it is not even read whole).
    truncateSync(path, 64 * 1024 * 1024);
    expect(dataHash(await ask())).toBe(dataHash(quick));
    expect(statSync(path).size).toBeLessThan(2 * 1024 * 1024);
    // The evidence is untouched.
    expect(readFileSync(original).equals(Buffer.from(bytes))).toBe(true);
  });

  it('are derived on the first full read of a file that has none (acquisitions stored before, or not imported)', async () => {
    const station = await startSignedIn();
    dispose = station.dispose;
    const { client, host } = station;
    const admin = host.db.prepare("SELECT id FROM users WHERE role = 'admin' LIMIT 1").get() as { id: number };
    const [id] = seedScans(host, admin.id, [{ scan: '1-1', caseNumber: 'SEED', exhibit: 'S1' }]);
    const sha = host.acquisitions.repo.files(id!)[0]!.sha256;
    expect(host.acquisitions.quickPreviews.has(sha)).toBe(false);
    const full = await client.call('acquisitions.preview', { acquisitionId: id!, role: 'topography', maxSize: 2048 });
    expect(full.kind).toBe('topography');
    expect(host.acquisitions.quickPreviews.has(sha)).toBe(true);
    const stored = host.acquisitions.quickPreviews.read(sha, 'topography');
    expect(stored && Math.max(stored.width, stored.height)).toBeLessThanOrEqual(quickPreviewMaxSize);
  });
});
