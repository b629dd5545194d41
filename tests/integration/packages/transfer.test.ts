// Moving packages through the contract as the Packages screen and the case page do: a browser downloads an
// exported package in slices (exactly its bytes, and only packages this station exported), a browser uploads one in
// slices, and a package an operator copied into the imports folder is verified and imported by name and left there.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignedIn } from '../../fixtures/testHost.ts';
import { installCredentials, makeNetwork, stationWithCase, type TestNetwork } from './packageHarness.ts';
import { fetchExport, uploadPackage } from '../../../renderer/features/packages/transfer.ts';

let network: TestNetwork;
let sender: Awaited<ReturnType<typeof stationWithCase>>;
let receiver: Awaited<ReturnType<typeof startSignedIn>>;
let packagePath: string;
let fileName: string;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  network = await makeNetwork();
  sender = await stationWithCase(network);
  receiver = await startSignedIn();
  installCredentials(receiver.dataDir, network.ca.certificate, network.lab2);
  const exported = await sender.station.client.call('packages.export', {
    caseId: sender.theCase.id,
    reason: 'for the receiving lab',
    fileName: 'transfer',
  });
  packagePath = exported.path;
  fileName = exported.fileName;
}, 60_000);

afterAll(async () => {
  await sender?.station.dispose();
  await receiver?.dispose();
});

describe('package files through the contract', () => {
  it('downloads an exported package slice by slice, byte for byte', async () => {
    const client = sender.station.client;
    const seen: number[] = [];
    const parts = await fetchExport(
      (method, input) => client.call(method, input),
      fileName,
      (received) => seen.push(received),
    );
    const bytes = Buffer.concat(parts);
    expect(sha256(bytes)).toBe(sha256(readFileSync(packagePath)));
    expect(seen.at(-1)).toBe(bytes.length);
  });

  it('serves only packages this station exported, never another file of the folder or beyond it', async () => {
    const client = sender.station.client;
    writeFileSync(join(sender.station.dataDir, 'exports', 'notes.txt'), 'not a package');
    await expect(client.call('packages.exportContent', { fileName: 'notes.txt', offset: 0 })).rejects.toMatchObject({
      code: 'not_found',
    });
    for (const name of ['../stationdb.sqlite', '/etc/passwd', '..'])
      await expect(client.call('packages.exportContent', { fileName: name, offset: 0 })).rejects.toMatchObject({
        code: 'invalid_input',
      });
    await expect(client.call('packages.exportContent', { fileName, offset: 1e12 })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it('refuses a technician: exporting and downloading packages is a manager’s', async () => {
    await sender.station.client.call('users.create', {
      passwordChangeDue: false, // a test account: no password change at first sign-in
      username: 'tech',
      displayName: 'Tess Tech',
      role: 'technician',
      password: 'a long enough password',
    });
    const tech = sender.station.connect();
    await tech.call('auth.signIn', { username: 'tech', password: 'a long enough password' });
    await expect(tech.call('packages.exportContent', { fileName, offset: 0 })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(tech.call('packages.uploadStart', { fileName: 'x.zip', size: 10 })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('uploads a package in slices of any size and verifies it', async () => {
    const bytes = readFileSync(packagePath);
    const file = {
      name: 'from-browser.zip',
      size: bytes.length,
      slice: (start: number, end: number) => ({
        arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + end),
      }),
    };
    const uploadId = await uploadPackage(
      (method, input) => receiver.client.call(method, input),
      file,
      () => {},
      undefined,
      1_000_000, // several slices
    );
    const verification = await receiver.client.call('packages.verify', { uploadId });
    expect(verification).toMatchObject({ ok: true, labCaseNumber: 'LAB-2026-0142' });
    // The package's own hash, taken in the same pass as the members' (headers and directory included).
    expect(verification.packageSha256).toBe(sha256(bytes));
    await receiver.client.call('packages.discard', { uploadId });
    await expect(receiver.client.call('packages.verify', { uploadId })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('verifies and imports a package from the imports folder by name, and leaves the file there', async () => {
    const imports = join(receiver.dataDir, 'imports');
    mkdirSync(imports, { recursive: true });
    copyFileSync(packagePath, join(imports, 'copied-by-operator.zip'));
    const listed = await receiver.client.call('files.list', { area: 'imports' });
    expect(listed.files.map((f) => f.name)).toContain('copied-by-operator.zip');

    const first = await receiver.client.call('packages.openImport', { name: 'copied-by-operator.zip' });
    expect(first.size).toBe(readFileSync(packagePath).length);
    await receiver.client.call('packages.discard', { uploadId: first.uploadId });
    expect(existsSync(join(imports, 'copied-by-operator.zip'))).toBe(true);

    const { uploadId } = await receiver.client.call('packages.openImport', { name: 'copied-by-operator.zip' });
    expect((await receiver.client.call('packages.verify', { uploadId })).ok).toBe(true);
    const imported = await receiver.client.call('packages.import', { uploadId });
    expect(imported).toMatchObject({ alreadyImported: false, labCaseNumber: 'LAB-1/LAB-2026-0142' });
    expect(existsSync(join(imports, 'copied-by-operator.zip'))).toBe(true);
  });

  it('leaves nothing behind when an export is cancelled midway: no file, no record, no audit entry', async () => {
    const client = sender.station.client;
    const before = await client.call('packages.exports', { caseId: sender.theCase.id });
    const auditBefore = await client.call('audit.forCase', { caseId: sender.theCase.id, limit: 500 });
    const controller = new AbortController();
    const exporting = client.call(
      'packages.export',
      { caseId: sender.theCase.id, reason: 'cancelled on purpose', fileName: 'cancelled' },
      {
        signal: controller.signal,
        // Cancel as soon as the evidence files start to stream.
        onProgress: (_fraction, step) => {
          if (step?.step === 'evidence') controller.abort();
        },
      },
    );
    await expect(exporting).rejects.toMatchObject({ code: 'canceled' });
    const exportsDir = join(sender.station.dataDir, 'exports');
    const leftovers = readdirSync(exportsDir).filter((name) => name.includes('cancelled'));
    expect(leftovers).toEqual([]);
    expect((await client.call('packages.exports', { caseId: sender.theCase.id })).rows).toHaveLength(
      before.rows.length,
    );
    const auditAfter = await client.call('audit.forCase', { caseId: sender.theCase.id, limit: 500 });
    expect(auditAfter).toHaveLength(auditBefore.length);
  });

  it('writes the report in the asking user’s language when the call names none', async () => {
    const client = sender.station.client;
    await client.call('preferences.setLanguage', { language: 'fr' });
    try {
      const report = await client.call('reports.case', { caseId: sender.theCase.id });
      const path = join(sender.station.dataDir, 'report-fr.pdf');
      writeFileSync(path, report.bytes);
      expect(execFileSync('pdftotext', [path, '-']).toString()).toContain('Rapport de dossier');
      const english = await client.call('reports.case', { caseId: sender.theCase.id, language: 'en' });
      writeFileSync(path.replace('-fr', '-en'), english.bytes);
      expect(execFileSync('pdftotext', [path.replace('-fr', '-en'), '-']).toString()).toContain('Case report');
    } finally {
      await client.call('preferences.setLanguage', { language: 'en' });
    }
  });

  it('refuses names outside the imports folder and files that are not there', async () => {
    for (const name of ['../exports/transfer.cbpkg.zip', '/etc/passwd'])
      await expect(receiver.client.call('packages.openImport', { name })).rejects.toMatchObject({
        code: 'invalid_input',
      });
    await expect(receiver.client.call('packages.openImport', { name: 'absent.zip' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
