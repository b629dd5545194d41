// Quick previews after a capture on the demo rig: storeCaptures hands every stored file to the background
// derivation, which writes each one's preview under <data>/derived/previews sealed with the station's audit key —
// before anyone asks for it. The viewer is then served the preview without reading the original; a preview altered
// on disk, or sealed by another key, is never served (the original answers, or the read fails when it is gone).
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quickPreviewMaxSize } from '../../../electron/contract/acquisitions.ts';
import { isAppError } from '../../../electron/contract/errors.ts';
import { quickPreviewVersion } from '../../../electron/host/services/acquisition/quickPreviews.ts';
import { demoProfilePath } from '../../../electron/host/services/acquisition/rigAccess.ts';
import { startSignedIn, type StationClient } from '../../fixtures/testHost.ts';

let station: Awaited<ReturnType<typeof startSignedIn>>;
let client: StationClient;
let acquisitionId: number;
let files: { role: string; sha256: string; mediaType: string }[];

const previewable = (mediaType: string) => ['application/x-x3p', 'image/png', 'image/tiff'].includes(mediaType);
const dataHash = (p: { data: Uint8Array }) => createHash('sha256').update(p.data).digest('hex');
const derivedPath = (sha256: string) =>
  join(station.host.acquisitions.quickPreviews.dir, `${sha256}.v${quickPreviewVersion}.preview`);
const headerOf = (bytes: Buffer) => JSON.parse(bytes.subarray(4, 4 + bytes.readUInt32LE(0)).toString('utf8'));
const ask = (role: string) =>
  client.call('acquisitions.preview', { acquisitionId, role, maxSize: quickPreviewMaxSize });

/** Waits (up to two minutes: the machine may be busy) for the background derivation to reach every file. */
async function derived(shas: string[]): Promise<void> {
  for (let turn = 0; turn < 6000; turn++) {
    if (shas.every((sha) => station.host.acquisitions.quickPreviews.has(sha))) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the quick previews of the capture were never derived');
}

beforeAll(async () => {
  station = await startSignedIn({ rig: demoProfilePath });
  client = station.client;
  const theCase = await client.call('cases.create', { labCaseNumber: 'LAB-PREVIEW' });
  const item = await client.call('items.create', {
    caseId: theCase.id,
    fields: { kind: 'cartridge_case', exhibitNumber: 'Q1' },
  });
  expect((await client.call('calibrations.run', { kind: 'all' })).passed).toBe(true);
  const { acquisitions } = await client.call('capture.run', { itemId: item.id, regions: ['breech_face'] });
  acquisitionId = acquisitions[0]!.id;
  files = station.host.acquisitions.repo.files(acquisitionId).filter((f) => previewable(f.mediaType));
}, 180_000);

afterAll(async () => {
  await station?.dispose();
});

describe('quick previews after a capture', () => {
  it('are derived in the background for every stored file, sealed, before anyone asks', async () => {
    expect(files.map((f) => f.role)).toContain('topography');
    expect(files.some((f) => f.mediaType.startsWith('image/'))).toBe(true);
    // (no preview call has been made: only the after-capture derivation can have written them)
    await derived(files.map((f) => f.sha256));
    for (const file of files) {
      const header = headerOf(readFileSync(derivedPath(file.sha256)));
      expect(header).toMatchObject({ format: 'casebench-quick-preview', source: { sha256: file.sha256 } });
      expect(header.mac).toMatch(/^[0-9a-f]{32,}$/i);
      expect(Math.max(header.width, header.height)).toBeLessThanOrEqual(quickPreviewMaxSize);
    }
  }, 180_000);

  it('are served without the original, and equal what the original gives', async () => {
    const topography = files.find((f) => f.role === 'topography')!;
    const image = files.find((f) => f.mediaType.startsWith('image/'))!;
    for (const file of [topography, image]) {
      const original = station.host.evidence.pathOf(file.sha256);
      const kept = readFileSync(original);
      rmSync(original);
      const quick = await ask(file.role);
      writeFileSync(original, kept);
      rmSync(derivedPath(file.sha256));
      const fromOriginal = await ask(file.role);
      expect(dataHash(quick)).toBe(dataHash(fromOriginal));
      expect({ ...quick, data: null }).toEqual({ ...fromOriginal, data: null });
    }
  });

  it('are not served once altered on disk or sealed by another key', async () => {
    const image = files.find((f) => f.mediaType.startsWith('image/'))!;
    const genuine = await ask(image.role);
    const path = derivedPath(image.sha256);
    const stored = readFileSync(path);

    // Pixels changed: the original answers and the preview is derived again.
    const altered = Buffer.from(stored);
    altered[altered.length - 1] ^= 0xff;
    writeFileSync(path, altered);
    expect(dataHash(await ask(image.role))).toBe(dataHash(genuine));
    expect(readFileSync(path).equals(altered)).toBe(false);

    // Other pixels with their checksum rewritten and a seal from another key (another station's data folder).
    const header = headerOf(stored);
    const forgedData = Buffer.alloc(stored.length - 4 - stored.readUInt32LE(0), 0x80);
    const forged = {
      ...header,
      dataSha256: createHash('sha256').update(forgedData).digest('hex'),
      mac: createHash('sha256').update('another station').digest('hex').slice(0, header.mac.length),
    };
    const forgedHeader = Buffer.from(JSON.stringify(forged));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(forgedHeader.length, 0);
    const forgedFile = Buffer.concat([length, forgedHeader, forgedData]);
    writeFileSync(path, forgedFile);
    expect(dataHash(await ask(image.role))).toBe(dataHash(genuine));

    // With the original gone too, the forged preview is still not served: the read fails instead.
    writeFileSync(path, forgedFile);
    const original = station.host.evidence.pathOf(image.sha256);
    const kept = readFileSync(original);
    rmSync(original);
    const refused = await ask(image.role).then(
      () => null,
      (error: unknown) => error,
    );
    writeFileSync(original, kept);
    expect(isAppError(refused), String(refused)).toBe(true);
  });
});
