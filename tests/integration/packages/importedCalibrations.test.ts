// An acquisition captured at one lab names the calibrations it used by THAT lab's ids (settings.calibrations).
// Imported at another lab whose own calibrations have the same ids, those ids must never be looked up there:
// provenance names the capturing lab's references the package carried, and exporting the case again carries none
// of the receiving lab's calibrations. Real demo rig captures, real SQLite, real signed packages.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openZip } from '../../../electron/base/zip/reader.ts';
import { demoProfilePath } from '../../../electron/host/services/acquisition/rigAccess.ts';
import { packageZipLimits } from '../../../electron/host/services/packages/verifyPackage.ts';
import { startSignedIn, type StationClient } from '../../fixtures/testHost.ts';
import { installCredentials, makeNetwork, type TestNetwork } from './packageHarness.ts';

let network: TestNetwork;
let sender: Awaited<ReturnType<typeof startSignedIn>>;
let receiver: Awaited<ReturnType<typeof startSignedIn>>;
let senderReferences: Record<string, string>;
let usedIds: number[];
let sentCaseId: number;

async function upload(client: StationClient, path: string): Promise<string> {
  const bytes = readFileSync(path);
  const { uploadId } = await client.call('packages.uploadStart', { fileName: 'p.zip', size: bytes.length });
  const slice = 4 * 1024 * 1024;
  for (let offset = 0; offset < bytes.length; offset += slice)
    await client.call('packages.uploadChunk', {
      uploadId,
      offset,
      bytes: new Uint8Array(bytes.subarray(offset, offset + slice)),
    });
  expect(await client.call('packages.verify', { uploadId })).toMatchObject({ ok: true });
  return uploadId;
}

async function recordOf(path: string): Promise<{ calibrations: { originId: number; reference?: string }[] }> {
  const archive = await openZip(path, packageZipLimits);
  const bytes = await archive.readAll(archive.get('case/record.json')!, 64 * 1024 * 1024);
  await archive.close();
  return JSON.parse(Buffer.from(bytes).toString('utf8'));
}

beforeAll(async () => {
  network = await makeNetwork();
  sender = await startSignedIn({ rig: demoProfilePath });
  installCredentials(sender.dataDir, network.ca.certificate, network.lab1);
  const theCase = await sender.client.call('cases.create', { labCaseNumber: 'LAB-2026-0007' });
  sentCaseId = theCase.id;
  const item = await sender.client.call('items.create', {
    caseId: theCase.id,
    fields: { kind: 'cartridge_case', exhibitNumber: 'Q1', origin: 'questioned', calibre: '9mm Luger' },
  });
  expect((await sender.client.call('calibrations.run', { kind: 'all' })).passed).toBe(true);
  const { acquisitions } = await sender.client.call('capture.run', { itemId: item.id, regions: ['breech_face'] });
  const captured = await sender.client.call('acquisitions.get', { id: acquisitions[0]!.id });
  usedIds = [...new Set(Object.values(captured.settings.calibrations as Record<string, number>))];
  senderReferences = captured.calibrationReferences!;
  expect(Object.keys(senderReferences).sort()).toEqual(usedIds.map(String).sort());

  // The receiving lab has calibrations of its own under the very same ids (recorded last year: other references).
  receiver = await startSignedIn();
  installCredentials(receiver.dataDir, network.ca.certificate, network.lab2);
  const calibrations = receiver.host.acquisitions.calibrations;
  for (let n = 1; n <= Math.max(...usedIds); n++) {
    const own = {
      kind: 'scale' as const,
      rigProfile: 'Receiving lab rig',
      deviceSerials: {},
      expiresAt: '2025-04-01T10:00:00.000Z',
      reportSha256: null,
    };
    receiver.host.db.transaction(() => {
      const id = calibrations.insert({
        ...own,
        operatorId: 1,
        performedAt: `2025-03-01T10:00:${String(n).padStart(2, '0')}.000Z`,
        results: { passed: true, messages: [] },
      });
      // Audited as the calibration service records a run (an export checks the station's audit trail first).
      receiver.host.audit.append(
        { userId: 1, username: 'admin' },
        {
          action: 'calibration.run',
          entityType: 'calibration',
          entityId: id,
          after: { reference: calibrations.get(id)!.reference, ...own, passed: true, messages: [] },
        },
      );
    })();
  }
  for (const id of usedIds) expect(calibrations.get(id)?.reference).toMatch(/^CAL-2025-/);
}, 300_000);

afterAll(async () => {
  await sender?.dispose();
  await receiver?.dispose();
});

describe('calibrations of an imported acquisition', () => {
  let importedCaseId: number;

  it('are named by the capturing lab’s references, never by the receiving lab’s records of the same ids', async () => {
    const exported = await sender.client.call('packages.export', {
      caseId: sentCaseId,
      reason: 'requested by the other lab',
      fileName: 'captured',
    });
    const imported = await receiver.client.call('packages.import', {
      uploadId: await upload(receiver.client, exported.path),
    });
    importedCaseId = imported.caseId;
    const item = (await receiver.client.call('cases.get', { id: imported.caseId })).items[0]!;
    const [summary] = (await receiver.client.call('acquisitions.list', { itemId: item.id })).rows;
    const detail = await receiver.client.call('acquisitions.get', { id: summary!.id });
    expect(detail.settings.calibrations).toBeDefined();
    expect(detail.calibration).toBeNull();
    // Exactly the sender's references (CAL-<this year>-…), none of the receiver's CAL-2025-….
    expect(detail.calibrationReferences).toEqual(senderReferences);
    expect(Object.values(detail.calibrationReferences!).join(' ')).not.toMatch(/CAL-2025-/);
  }, 120_000);

  it('are not filled with the receiving lab’s calibrations when the case is exported again', async () => {
    const exported = await receiver.client.call('packages.export', {
      caseId: importedCaseId,
      reason: 'sent on',
      fileName: 'sent-on',
    });
    const record = await recordOf(exported.path);
    expect(record.calibrations).toEqual([]);
    // A third lab still reads the capturing lab's references (kept in the provenance the receiver recorded).
    const third = await startSignedIn();
    try {
      installCredentials(third.dataDir, network.ca.certificate, network.lab1);
      const imported = await third.client.call('packages.import', {
        uploadId: await upload(third.client, exported.path),
      });
      const item = (await third.client.call('cases.get', { id: imported.caseId })).items[0]!;
      const [summary] = (await third.client.call('acquisitions.list', { itemId: item.id })).rows;
      const detail = await third.client.call('acquisitions.get', { id: summary!.id });
      expect(detail.calibrationReferences).toEqual(senderReferences);
    } finally {
      await third.dispose();
    }
  }, 120_000);
});
