// Hostile bundles on removable media (issue 10, item 7): before, a 2 MB bundle took the station to 2.2 GB (the whole
// bundle was read and inflated before its signature was checked). Now every file below is refused with a
// BundleError, and the peak resident memory of importing them all, one after the other, stays under 600 MB
// (measured in a child process). Some are signed by a station of the lab, so they get past the signature to the parts
// only a lab's own station could reach.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalJson } from '../../../electron/base/canonicalJson.ts';
import { loadPrivateKey, manifestBytes, protocolVersion, signBytes } from '../../../electron/network/protocol.ts';
import { bundleLimits } from '../../../electron/network/bundle.ts';
import { buildZip, deflatedZeros, stored, type ZipMemberBytes } from '../../fixtures/hostileZip.ts';
import { makePki, removeDir, tempDir, type TestPki } from './harness.ts';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

let dir: string;
let pki: TestPki;
beforeAll(async () => {
  dir = tempDir('hostile-bundles');
  pki = await makePki(join(dir, 'pki'));
});
afterAll(() => removeDir(dir));

const sigFor = (json: Uint8Array) =>
  stored(
    Buffer.from(
      JSON.stringify({
        certificate: pki.lab1.certificate,
        signature: signBytes(loadPrivateKey(pki.lab1.signingKey), json),
      }),
    ),
  );
const unsignedSig = () => stored(Buffer.from(JSON.stringify({ certificate: pki.lab1.certificate, signature: 'AAAA' })));

/** A submission bundle.json (signed by LAB-1's station) with one job whose one artifact is `size` bytes. */
function signedSubmission(size: number, sha = randomBytes(32).toString('hex')) {
  const manifest = {
    protocol: protocolVersion,
    idempotencyKey: randomUUID(),
    lab: { labId: 'LAB-1', stationId: 'ST-1' },
    createdAt: new Date().toISOString(),
    caseRef: 'H-1',
    itemRef: 'Q1',
    specimen: { calibre: '9mm Luger' },
    artifacts: [{ role: 'x3p', name: 'a.x3p', mediaType: 'application/x3p+zip', sha256: sha, size }],
  };
  const signature = signBytes(loadPrivateKey(pki.lab1.signingKey), manifestBytes(manifest as never));
  const json = Buffer.from(
    canonicalJson({
      format: 'casebench-submission-bundle/1',
      bundleId: randomUUID(),
      createdAt: new Date().toISOString(),
      labId: 'LAB-1',
      stationId: 'ST-1',
      jobs: [{ manifest, signature, originCertificate: pki.lab1.certificate }],
    }),
  );
  return { json, sha };
}

function hostileBundles(): Record<string, { kind: 'submission' | 'results'; bytes: Uint8Array }> {
  const twoGiBOfZeros = deflatedZeros(2 * GiB - 1);
  const unsigned = unsignedSig();
  const lie = (m: ZipMemberBytes, size: number): ZipMemberBytes => ({ ...m, size });
  const lyingArtifact = signedSubmission(60 * MiB);
  const bombArtifact = signedSubmission(2 * GiB - 1);
  const cap = bundleLimits.jsonBytes;
  const deep = Buffer.from('['.repeat(cap / 2 - 1) + ']'.repeat(cap / 2 - 1));
  const flat = Buffer.from(`{"jobs":[${'{},'.repeat(Math.floor((cap - 20) / 3) - 1)}{}]}`);
  const oneMiBOfZeros = deflatedZeros(MiB);
  return {
    // bundle.json declaring 2 GiB that deflate to 2 MB: refused from the zip directory (ratio and cap).
    'json-bomb': {
      kind: 'submission',
      bytes: buildZip([
        ['bundle.json', twoGiBOfZeros],
        ['bundle.sig', unsigned],
      ]),
    },
    'json-bomb-results': {
      kind: 'results',
      bytes: buildZip([
        ['bundle.json', twoGiBOfZeros],
        ['bundle.sig', unsigned],
      ]),
    },
    // The same stream declared as 1000 bytes, or as 6 MiB (a plausible ratio): inflation stops past the declared size.
    'json-lying-small': {
      kind: 'submission',
      bytes: buildZip([
        ['bundle.json', lie(twoGiBOfZeros, 1000)],
        ['bundle.sig', unsigned],
      ]),
    },
    'json-lying-6mib': {
      kind: 'results',
      bytes: buildZip([
        ['bundle.json', lie(twoGiBOfZeros, 6 * MiB)],
        ['bundle.sig', unsigned],
      ]),
    },
    'signature-bomb': {
      kind: 'submission',
      bytes: buildZip([
        ['bundle.json', stored(Buffer.from('{}'))],
        ['bundle.sig', twoGiBOfZeros],
      ]),
    },
    'signature-huge-stored': {
      kind: 'submission',
      bytes: buildZip([
        ['bundle.json', stored(Buffer.from('{}'))],
        ['bundle.sig', stored(new Uint8Array(200_000))],
      ]),
    },
    // 20,000 members sharing one 1 MiB stream (the classic non-recursive zip bomb).
    overlapping: {
      kind: 'submission',
      bytes: buildZip(
        Array.from({ length: 20_000 }, (_, i): [string, ZipMemberBytes] => [
          `artifacts/${i.toString(16).padStart(64, '0')}`,
          oneMiBOfZeros,
        ]),
        { shareFirstData: true },
      ),
    },
    'unexpected-members': {
      kind: 'submission',
      bytes: buildZip([
        ['bundle.json', stored(Buffer.from('{}'))],
        ['bundle.sig', unsigned],
        ['../../etc/cron.d/x', stored(Buffer.from('x'))],
      ]),
    },
    // Signed by a station of the lab: a 60 MiB artifact whose stream inflates to 2 GiB (cut at 60 MiB, hash refused),
    // and an honest 2 GiB artifact of zeros (refused from the directory by its ratio).
    'artifact-lying': {
      kind: 'submission',
      bytes: buildZip([
        ['bundle.json', stored(lyingArtifact.json)],
        ['bundle.sig', sigFor(lyingArtifact.json)],
        [`artifacts/${lyingArtifact.sha}`, lie(twoGiBOfZeros, 60 * MiB)],
      ]),
    },
    'artifact-bomb': {
      kind: 'submission',
      bytes: buildZip([
        ['bundle.json', stored(bombArtifact.json)],
        ['bundle.sig', sigFor(bombArtifact.json)],
        [`artifacts/${bombArtifact.sha}`, twoGiBOfZeros],
      ]),
    },
    // Signed bundle.json at the cap (8 MiB): brackets nested 4 million deep, and 2.8 million empty objects.
    'json-deep-signed': {
      kind: 'submission',
      bytes: buildZip([
        ['bundle.json', stored(deep)],
        ['bundle.sig', sigFor(deep)],
      ]),
    },
    'json-objects-signed': {
      kind: 'submission',
      bytes: buildZip([
        ['bundle.json', stored(flat)],
        ['bundle.sig', sigFor(flat)],
      ]),
    },
    truncated: { kind: 'submission', bytes: buildZip([['bundle.json', twoGiBOfZeros]]).subarray(0, 500_000) },
  };
}

describe('hostile bundles', () => {
  it('are each refused with a clear error, and importing any one peaks under 600 MB', () => {
    const work = join(dir, 'work');
    mkdirSync(work, { recursive: true });
    const caFile = join(dir, 'ca.crt');
    writeFileSync(caFile, pki.ca.certificate);
    const child = fileURLToPath(new URL('../../fixtures/bundlePeakMemory.child.ts', import.meta.url));
    const specs = Object.entries(hostileBundles()).map(([name, { kind, bytes }]) => {
      const path = join(dir, `${name}.cbbundle`);
      writeFileSync(path, bytes);
      expect(bytes.byteLength, name).toBeLessThan(40 * MiB);
      return `${kind}:${path}`;
    });
    // One process for all: each figure is the peak so far, so the last bounds every single import.
    const outcomes = JSON.parse(
      execFileSync(process.execPath, [child, work, caFile, 'LAB-1', ...specs], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      }),
    ) as { file: string; outcome: string; maxRssMiB: number }[];
    const byFile = Object.fromEntries(outcomes.map((o) => [o.file.replace('.cbbundle', ''), o.outcome]));
    for (const [file, outcome] of Object.entries(byFile)) expect(outcome, file).toMatch(/^refused: /);
    expect(byFile['json-bomb']).toMatch(/zip bomb/);
    expect(byFile['json-lying-small']).toMatch(/inflates past its declared size/);
    expect(byFile['json-lying-6mib']).toMatch(/inflates past its declared size/);
    expect(byFile['signature-huge-stored']).toMatch(/bundle\.sig: .*above 65536/);
    expect(byFile.overlapping).toMatch(/overlaps another member/);
    expect(byFile['unexpected-members']).toMatch(/unsafe path/);
    expect(byFile['artifact-lying']).toMatch(/inflates past its declared size.*bundle damaged/);
    expect(byFile['artifact-bomb']).toMatch(/zip bomb/);
    expect(byFile['json-deep-signed']).toMatch(/nests deeper than 32 levels/);
    expect(byFile['json-objects-signed']).toMatch(/does not follow the bundle format/);
    expect(byFile.truncated).toMatch(/not a readable bundle/);
    const peaks = outcomes.map((o) => `${o.file}: ${o.maxRssMiB.toFixed(0)} MiB`).join('; ');
    console.log(`hostile bundle peaks: ${peaks}`);
    expect(Math.max(...outcomes.map((o) => o.maxRssMiB)), peaks).toBeLessThan(600);
  }, 180_000);
});
