// A case package exported before a blind verification began holds the first examination (the case's audit
// extract): a blind verifier must not download it, and whoever downloads it has seen the first examination.
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAppError } from '../../fixtures/appError.ts';
import { examinationStation, type ExaminationStation } from '../../fixtures/examinationStation.ts';
import type { StationClient } from '../../fixtures/testHost.ts';
import { installCredentials, makeNetwork } from '../packages/packageHarness.ts';

let s: ExaminationStation;
beforeAll(async () => {
  s = await examinationStation();
  const network = await makeNetwork();
  installCredentials(s.dataDir, network.ca.certificate, network.lab1);
});
afterAll(() => s.dispose());

async function download(client: StationClient, fileName: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let offset = 0; ;) {
    const part = await client.call('packages.exportContent', { fileName, offset });
    parts.push(Buffer.from(part.bytes));
    offset += part.bytes.byteLength;
    if (offset >= part.size || part.bytes.byteLength === 0) return Buffer.concat(parts);
  }
}

/** Whether any member of a zip (stored or deflated) holds `text`. */
function zipHolds(zip: Buffer, text: string): boolean {
  for (let i = 0; i + 30 < zip.length; i++) {
    if (zip.readUInt32LE(i) !== 0x04034b50) continue;
    const method = zip.readUInt16LE(i + 8);
    const start = i + 30 + zip.readUInt16LE(i + 26) + zip.readUInt16LE(i + 28);
    const data = zip.subarray(start, start + zip.readUInt32LE(i + 18));
    if ((method === 8 ? inflateRawSync(data) : data).includes(text)) return true;
  }
  return false;
}

describe('a case package exported earlier', () => {
  it('is not served to a blind verifier of the case; whoever downloads it has seen the first examination', async () => {
    const q = await s.fadul('LAB-70', 'Q1', '8-1');
    const k = await s.fadul('LAB-71', 'K1', '8-2');
    const ws = await s.e1.call('examinations.open', { a: q, b: k });
    await s.e1.call('conclusions.record', {
      comparisonId: ws.comparison.id,
      conclusion: 'identification',
      basis: 'SECRET-PACKAGE-BASIS',
    });
    const exported = await s.admin.call('packages.export', {
      caseId: s.caseId('LAB-70'),
      reason: 'for the court',
      fileName: 'lab-70.zip',
    });
    expect(zipHolds(await download(s.admin, exported.fileName), 'SECRET-PACKAGE-BASIS')).toBe(true);
    const v = (await s.e1.call('examinations.get', { comparisonId: ws.comparison.id })).verification!;
    await s.admin.call('verification.assign', {
      verificationId: v.id,
      verifierId: s.userId('manager1'),
      version: v.version,
    });
    // manager1 verifies blind: the package of the case is not theirs to read until they have recorded
    expect((await s.manager.call('examinations.get', { comparisonId: ws.comparison.id })).access.blind).toBe(true);
    const listed = await s.manager.call('packages.exports', { caseId: s.caseId('LAB-70') });
    expect(listed.rows.map((r) => r.fileName)).toContain(exported.fileName);
    await expectAppError(
      s.manager.call('packages.exportContent', { fileName: exported.fileName, offset: 0 }),
      'forbidden',
      /blind/,
    );
    // whoever else downloads it (a manager who is not verifying it) can no longer be its blind verifier
    await s.manager.call('conclusions.record', {
      comparisonId: ws.comparison.id,
      conclusion: 'identification',
      basis: 'independently: agreement',
    });
    expect(zipHolds(await download(s.manager, exported.fileName), 'SECRET-PACKAGE-BASIS')).toBe(true);
    const other = await s.e1.call('examinations.open', { a: q, b: await s.fadul('LAB-71', 'K2', '9-2') });
    await s.e1.call('conclusions.record', {
      comparisonId: other.comparison.id,
      conclusion: 'identification',
      basis: 'ANOTHER-BASIS',
    });
    const again = await s.admin.call('packages.export', {
      caseId: s.caseId('LAB-70'),
      reason: 'for the court, again',
      fileName: 'lab-70-b.zip',
    });
    const v2 = (await s.e1.call('examinations.get', { comparisonId: other.comparison.id })).verification!;
    await download(s.manager, again.fileName);
    await expectAppError(
      s.admin.call('verification.assign', {
        verificationId: v2.id,
        verifierId: s.userId('manager1'),
        version: v2.version,
      }),
      'forbidden',
      /has seen the first examination/,
    );
  }, 120_000);
});
