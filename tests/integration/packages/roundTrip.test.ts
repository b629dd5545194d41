// Export → verify → import into a second station of another lab: everything arrives hash-checked with its
// provenance, both audit chains verify afterwards, a second import of the same package is recognised, and
// personal data left out is absent from every member.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { startSignedIn } from '../../fixtures/testHost.ts';
import { installCredentials, makeNetwork, stationWithCase, type TestNetwork } from './packageHarness.ts';
import { openZip } from '../../../electron/base/zip/reader.ts';
import { packageZipLimits } from '../../../electron/host/services/packages/verifyPackage.ts';
import { checkCaseUco } from '../../../electron/host/services/packages/caseUco.ts';
import { readAsJsonLd } from '../../fixtures/packages/jsonLd.ts';
import { verifyPackage } from '../../../electron/host/services/packages/verifyPackage.ts';
import { checkPdfSignature } from '../../../electron/host/services/packages/report/pdfSignature.ts';

let network: TestNetwork;
let sender: Awaited<ReturnType<typeof stationWithCase>>;
let receiver: Awaited<ReturnType<typeof startSignedIn>>;

beforeAll(async () => {
  network = await makeNetwork();
  sender = await stationWithCase(network);
  receiver = await startSignedIn();
  installCredentials(receiver.dataDir, network.ca.certificate, network.lab2);
}, 60_000);

afterAll(async () => {
  await sender?.station.dispose();
  await receiver?.dispose();
});

async function upload(client: typeof receiver.client, path: string): Promise<string> {
  const bytes = readFileSync(path);
  const { uploadId } = await client.call('packages.uploadStart', { fileName: 'p.zip', size: bytes.length });
  for (let offset = 0; offset < bytes.length; offset += 4 * 1024 * 1024)
    await client.call('packages.uploadChunk', {
      uploadId,
      offset,
      bytes: new Uint8Array(bytes.subarray(offset, offset + 4 * 1024 * 1024)),
    });
  return uploadId;
}

describe('case package round trip', () => {
  let path: string;

  it('exports a signed package with every member hashed, the export audited', async () => {
    const exported = await sender.station.client.call('packages.export', {
      caseId: sender.theCase.id,
      reason: 'requested by the court expert',
      fileName: 'case-0142',
    });
    path = exported.path;
    expect(exported.fileName).toBe('case-0142.cbpkg.zip');
    expect(path).toBe(join(sender.station.dataDir, 'exports', 'case-0142.cbpkg.zip'));
    expect(exported.items).toEqual(['K1', 'K1-TF1', 'Q1']);
    expect(exported.acquisitions).toBe(2);
    const archive = await openZip(path, packageZipLimits);
    const names = archive.members.map((m) => m.name);
    const report = await archive.readAll(
      archive.members.find((m) => m.name === 'report.pdf')!,
      64 * 1024 * 1024,
    );
    await archive.close();
    // The report inside is signed by the station too (it may travel on its own, to a court).
    expect(checkPdfSignature(report, [network.ca.certificate])).toMatchObject({
      ok: true,
      signer: { labId: 'LAB-1', stationId: 'ST-1' },
    });
    for (const name of [
      'manifest.json',
      'manifest.sig',
      'case/record.json',
      'case/audit.json',
      'case.jsonld',
      'report.pdf',
    ])
      expect(names).toContain(name);
    expect(names.filter((n) => n.startsWith('evidence/'))).toHaveLength(2);
    // The Fadul X3Ps carry no Open-FMC metadata: each gets a derived X3P that does.
    expect(names.filter((n) => n.endsWith('topography-openfmc.x3p'))).toHaveLength(2);
    const history = await sender.station.client.call('audit.forCase', { caseId: sender.theCase.id, limit: 50 });
    expect(history[0]).toMatchObject({ action: 'package.export', reason: 'requested by the court expert' });
    const exportsList = await sender.station.client.call('packages.exports', { caseId: sender.theCase.id });
    expect(exportsList.rows[0]).toMatchObject({ fileName: 'case-0142.cbpkg.zip', personalData: false });
  });

  it('refuses to write over an existing file', async () => {
    await expect(
      sender.station.client.call('packages.export', {
        caseId: sender.theCase.id,
        reason: 'again',
        fileName: 'case-0142',
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('leaves personal data out of every member when asked (the default), and says so in the manifest', async () => {
    const verified = await verifyPackage(path, { trustedCas: [network.ca.certificate], keepOpen: true });
    expect(verified.ok).toBe(true);
    expect(verified.manifest!.personalData).toMatchObject({ included: false });
    expect(verified.manifest!.personalData.omitted).toContain('case.offence');
    const archive = verified.archive!;
    for (const member of archive.members) {
      if (!/\.(json|jsonld)$/.test(member.name)) continue;
      const text = (await archive.readAll(member, 64 * 1024 * 1024)).toString('utf8');
      expect(text, member.name).not.toContain('Jane Roe');
      expect(text, member.name).not.toContain('Main Street');
      expect(text, member.name).not.toContain('Homicide of J. Doe');
    }
    expect(verified.audit!.withheld).toBeGreaterThan(0);
    expect(verified.audit!.verified).toBeGreaterThan(0);
    const jsonld = JSON.parse((await archive.readAll(archive.get('case.jsonld')!, 1e8)).toString('utf8'));
    expect(checkCaseUco(jsonld)).toEqual([]);
    // And as a JSON-LD processor reads it (safe mode: nothing undefined or dropped), all in CASE/UCO terms.
    const reading = await readAsJsonLd(jsonld);
    expect(reading.foreign).toEqual([]);
    expect(reading.triples).toBeGreaterThan(100);
    expect(reading.subjects).toBeGreaterThanOrEqual((jsonld as { '@graph': unknown[] })['@graph'].length);
    // A term the context does not define is an error, not silently dropped.
    await expect(
      readAsJsonLd({ ...jsonld, '@graph': [{ '@id': 'kb:x', '@type': 'uco-core:Bundle', name: 'undefined term' }] }),
    ).rejects.toThrow(/Safe mode validation error/);
    await archive.close();
  });

  it('is verified and imported by a station of another lab, keeping provenance; both audit chains verify', async () => {
    const uploadId = await upload(receiver.client, path);
    const verification = await receiver.client.call('packages.verify', { uploadId });
    expect(verification).toMatchObject({
      ok: true,
      problem: null,
      station: { labId: 'LAB-1', stationId: 'ST-1' },
      labCaseNumber: 'LAB-2026-0142',
      alreadyImported: null,
    });
    const imported = await receiver.client.call('packages.import', { uploadId });
    expect(imported).toMatchObject({
      alreadyImported: false,
      labCaseNumber: 'LAB-1/LAB-2026-0142',
      items: 3,
      acquisitions: 2,
    });
    const local = await receiver.client.call('cases.get', { id: imported.caseId });
    expect(local.items.map((i) => i.exhibitNumber).sort()).toEqual(['K1', 'K1-TF1', 'Q1']);
    const testFire = local.items.find((i) => i.exhibitNumber === 'K1-TF1')!;
    expect(local.items.find((i) => i.id === testFire.firearmItemId)?.exhibitNumber).toBe('K1');
    expect(local.items.find((i) => i.exhibitNumber === 'Q1')?.recoveryPlace).toBeNull();
    const acquisitions = await receiver.client.call('acquisitions.list', { itemId: testFire.id });
    const detail = await receiver.client.call('acquisitions.get', { id: acquisitions.rows[0].id });
    expect(detail.topographySha256).toBe(sender.acquisitions[0].topographySha256);
    expect(detail.settings.provenance).toMatchObject({
      origin: 'LAB-1/ST-1',
      originAcquisitionId: sender.acquisitions[0].id,
    });
    const file = await receiver.client.call('acquisitions.fileContent', {
      acquisitionId: detail.id,
      role: 'topography',
    });
    expect(file.sha256).toBe(sender.acquisitions[0].topographySha256);
    const imports = await receiver.client.call('packages.imports', { caseId: imported.caseId });
    expect(imports[0]).toMatchObject({
      originLabId: 'LAB-1',
      originCaseNumber: 'LAB-2026-0142',
      reason: 'requested by the court expert',
    });
    const history = await receiver.client.call('audit.forCase', { caseId: imported.caseId, limit: 50 });
    expect(history.find((e) => e.action === 'package.import')?.after).toMatchObject({ origin: 'LAB-1/ST-1' });
    expect(await receiver.client.call('audit.verify', {})).toMatchObject({ ok: true });
    expect(await sender.station.client.call('audit.verify', {})).toMatchObject({ ok: true });
    expect(await receiver.client.call('evidence.verify', {})).toMatchObject({ ok: true, missing: [], altered: [] });
  });

  it('recognises the same package imported again and adds nothing', async () => {
    const before = await receiver.client.call('cases.list', {});
    const uploadId = await upload(receiver.client, path);
    const verification = await receiver.client.call('packages.verify', { uploadId });
    expect(verification.alreadyImported).toMatchObject({ labCaseNumber: 'LAB-1/LAB-2026-0142' });
    const again = await receiver.client.call('packages.import', { uploadId });
    expect(again.alreadyImported).toBe(true);
    expect((await receiver.client.call('cases.list', {})).total).toBe(before.total);
  });

  it('exports chosen items only, with personal data when asked', async () => {
    const exported = await sender.station.client.call('packages.export', {
      caseId: sender.theCase.id,
      items: ['Q1'],
      includePersonalData: true,
      reason: 'questioned casing for the network lab',
      fileName: 'q1-only.zip',
    });
    expect(exported.items).toEqual(['Q1']);
    const verified = await verifyPackage(exported.path, { trustedCas: [network.ca.certificate], keepOpen: true });
    expect(verified.ok).toBe(true);
    expect(verified.manifest!.selection).toEqual({ wholeCase: false, items: ['Q1'] });
    expect(verified.record!.items.map((i) => i.exhibitNumber)).toEqual(['Q1']);
    expect(verified.record!.items[0].recoveryPlace).toContain('Main Street');
    expect(verified.record!.acquisitions).toHaveLength(1);
    // Entries about items left out keep their place in the chain without their content.
    const itemEntries = verified.auditExtract!.entries.filter((e) => e.entityType === 'item');
    expect(itemEntries.filter((e) => !e.withheld)).toHaveLength(1);
    await verified.archive!.close();
  });

  it('imports another package of a case number the receiver already holds as a new case, leaving the first as it was', async () => {
    const first = (await receiver.client.call('cases.list', {})).rows.find(
      (c) => c.labCaseNumber === 'LAB-1/LAB-2026-0142',
    )!;
    const firstCase = await receiver.client.call('cases.get', { id: first.id });
    const exported = await sender.station.client.call('packages.export', {
      caseId: sender.theCase.id,
      items: ['Q1'],
      reason: 'second request',
      fileName: 'q1-again.zip',
    });
    const imported = await receiver.client.call('packages.import', {
      uploadId: await upload(receiver.client, exported.path),
    });
    expect(imported).toMatchObject({ alreadyImported: false, labCaseNumber: 'LAB-1/LAB-2026-0142.2', items: 1 });
    expect(imported.caseId).not.toBe(first.id);
    expect(await receiver.client.call('cases.get', { id: first.id })).toEqual(firstCase);
    expect(await receiver.client.call('audit.verify', {})).toMatchObject({ ok: true });
  });
});
