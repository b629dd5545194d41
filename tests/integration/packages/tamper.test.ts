// Hostile and damaged packages are refused with the first problem named, through `casebench package verify`
// (exit 1) and `package import` (nothing written); the report is a real PDF with readable text and page numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { cli } from '../../fixtures/cli.ts';
import { startSignedIn } from '../../fixtures/testHost.ts';
import { installCredentials, makeNetwork, stationWithCase, tempDir, type TestNetwork } from './packageHarness.ts';
import { ZipFileWriter } from '../../../electron/base/zip/writer.ts';
import { openZip } from '../../../electron/base/zip/reader.ts';
import { packageZipLimits } from '../../../electron/host/services/packages/verifyPackage.ts';
import { canonicalJson } from '../../../electron/base/canonicalJson.ts';
import {
  addSignaturePlaceholder,
  checkPdfSignature,
  signPreparedPdf,
} from '../../../electron/host/services/packages/report/pdfSignature.ts';
import { PDFDocument } from 'pdf-lib';
import { signBytes, loadPrivateKey } from '../../../electron/network/protocol.ts';

let network: TestNetwork;
let sender: Awaited<ReturnType<typeof stationWithCase>>;
let receiverDir: string;
let work: string;
let good: string;

beforeAll(async () => {
  network = await makeNetwork();
  sender = await stationWithCase(network);
  work = tempDir('tamper');
  good = join(work, 'good.zip');
  const out = await cli(
    'package',
    'export',
    '--case',
    'LAB-2026-0142',
    '--out',
    good,
    '--reason',
    'tamper tests',
    '--data-dir',
    sender.station.dataDir,
  );
  expect(out.code, out.err).toBe(0);
  const receiver = await startSignedIn();
  installCredentials(receiver.dataDir, network.ca.certificate, network.lab2);
  receiverDir = receiver.dataDir;
  await receiver.host.close();
}, 60_000);

afterAll(() => sender?.station.dispose());

/** Rewrites the package member by member, letting `change` alter, drop or add members. */
async function rewrite(name: string, change: (members: Map<string, Uint8Array>) => void): Promise<string> {
  const archive = await openZip(good, packageZipLimits);
  const members = new Map<string, Uint8Array>();
  for (const m of archive.members) members.set(m.name, await archive.readAll(m, 1e9));
  await archive.close();
  change(members);
  const path = join(work, name);
  const zip = await ZipFileWriter.create(path);
  for (const [member, bytes] of members) await zip.addBytes(member, bytes);
  await zip.finish();
  return path;
}

/** Re-signs a changed manifest with a given key (a forger's, or the real station's). */
function resign(
  members: Map<string, Uint8Array>,
  edit: (m: Record<string, unknown>) => void,
  key = network.lab1.signingKey,
  chain?: string[],
) {
  const manifest = JSON.parse(Buffer.from(members.get('manifest.json')!).toString()) as Record<string, unknown>;
  edit(manifest);
  const bytes = Buffer.from(canonicalJson(manifest));
  members.set('manifest.json', bytes);
  const sig = JSON.parse(Buffer.from(members.get('manifest.sig')!).toString()) as Record<string, unknown>;
  sig.signature = signBytes(loadPrivateKey(key), bytes);
  if (chain) sig.certificateChain = chain;
  members.set('manifest.sig', Buffer.from(JSON.stringify(sig)));
}

async function verify(path: string) {
  return cli('package', 'verify', path, '--data-dir', receiverDir);
}

async function expectRefused(path: string, pattern: RegExp) {
  const out = await verify(path);
  expect(out.code, out.out + out.err).toBe(1);
  expect(out.out).toMatch(pattern);
  const before = readdirSync(join(receiverDir, 'evidence')).length;
  const imported = await cli('package', 'import', path, '--data-dir', receiverDir);
  expect(imported.code).toBe(1);
  expect(imported.out).toMatch(/nothing was imported/);
  expect(readdirSync(join(receiverDir, 'evidence')).length).toBe(before);
}

describe('package verify', () => {
  it('passes an untouched package (exit 0) and has --help', async () => {
    const out = await verify(good);
    expect(out.code, out.out + out.err).toBe(0);
    expect(out.out).toContain('report.pdf: signed (PAdES) by LAB-1/ST-1, signature checked');
    expect(out.out).toMatch(/package OK: \d+ members/);
    for (const name of [['package', 'export'], ['package', 'verify'], ['package', 'import'], ['report']]) {
      const help = await cli(...name, '--help');
      expect(help.code).toBe(0);
      expect(help.out).toMatch(/^Usage: casebench/);
    }
  });

  it('names an altered member (bytes changed, same size)', async () => {
    const path = await rewrite('altered.zip', (m) => {
      const name = [...m.keys()].find((n) => n.startsWith('evidence/'))!;
      const bytes = Uint8Array.from(m.get(name)!);
      bytes[bytes.length >> 1] ^= 0xff;
      m.set(name, bytes);
    });
    await expectRefused(path, /\(altered: evidence\/[0-9a-f]{64}\.x3p\)/);
  });

  it('names a missing member and an extra one', async () => {
    await expectRefused(await rewrite('missing.zip', (m) => m.delete('case.jsonld')), /\(missing: case\.jsonld\)/);
    await expectRefused(
      await rewrite('extra.zip', (m) => m.set('evidence/planted.png', new Uint8Array([1, 2, 3]))),
      /\(extra: evidence\/planted\.png\)/,
    );
  });

  it('refuses a manifest changed after signing, a forged signature, and a signer the receiver does not trust', async () => {
    await expectRefused(
      await rewrite('edited-manifest.zip', (m) => {
        const manifest = JSON.parse(Buffer.from(m.get('manifest.json')!).toString());
        manifest.reason = 'something else';
        m.set('manifest.json', Buffer.from(canonicalJson(manifest)));
      }),
      /\(signature: manifest\.sig\).*does not verify/,
    );
    await expectRefused(
      await rewrite('wrong-key.zip', (m) => resign(m, (x) => (x.reason = 'forged'), network.lab2.signingKey)),
      /\(signature: manifest\.sig\)/,
    );
    await expectRefused(
      await rewrite('foreign.zip', (m) =>
        resign(m, () => {}, network.foreign.signingKey, [network.foreign.certificate, network.foreignCa.certificate]),
      ),
      /\(untrusted: manifest\.sig\)/,
    );
  });

  it("refuses a report whose own signature is bad or another station's, even in a package the station signed", async () => {
    const withReport = (name: string, report: (original: Uint8Array) => Promise<Uint8Array> | Uint8Array) =>
      (async () => {
        const archive = await openZip(good, packageZipLimits);
        const original = await archive.readAll(archive.get('report.pdf')!, 1e9);
        await archive.close();
        const bytes = await report(original);
        return rewrite(name, (m) => {
          m.set('report.pdf', bytes);
          resign(m, (x) => {
            const entry = (x.members as { path: string; sha256: string; size: number }[]).find(
              (e) => e.path === 'report.pdf',
            )!;
            entry.sha256 = createHash('sha256').update(bytes).digest('hex');
            entry.size = bytes.length;
          });
        });
      })();
    await expectRefused(
      await withReport('report-altered.zip', (original) => {
        const bytes = Buffer.from(original);
        const at = bytes.indexOf('/CreationDate (D:');
        bytes[at + 19] = bytes[at + 19] === 0x31 ? 0x32 : 0x31;
        return bytes;
      }),
      /\(signature: report\.pdf\): report\.pdf's own signature is bad: the report was altered after signing/,
    );
    await expectRefused(
      await withReport('report-other-station.zip', async () => {
        const doc = await PDFDocument.create();
        doc.addPage();
        const by = {
          chain: [network.lab2.certificate, network.ca.certificate],
          key: createPrivateKey(network.lab2.tlsKey),
          name: 'LAB-2/ST-1',
          reason: 'not the sender',
          signedAt: new Date(),
        };
        addSignaturePlaceholder(doc, by);
        return signPreparedPdf(await doc.save({ useObjectStreams: false }), by);
      }),
      /report\.pdf is signed by LAB-2\/ST-1, not by the package's station LAB-1\/ST-1/,
    );
  });

  it('carries the station audit checkpoint: the sender proves the extract with it, a mismatched one is refused', async () => {
    const archive = await openZip(good, packageZipLimits);
    const audit = JSON.parse(Buffer.from(await archive.readAll(archive.get('case/audit.json')!, 1e9)).toString()) as {
      checkpoint: { seq: number; hash: string; mac: string } | null;
      entries: { seq: number }[];
    };
    await archive.close();
    expect(audit.checkpoint).toMatchObject({ seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // The sending station vouches for the checkpoint with its audit key (what a court asks the sending lab to run).
    const file = join(work, 'checkpoint.json');
    writeFileSync(file, JSON.stringify(audit.checkpoint));
    const proven = await cli('audit', 'verify', '--checkpoint', file, '--data-dir', sender.station.dataDir);
    expect(proven.code, proven.out + proven.err).toBe(0);
    writeFileSync(file, JSON.stringify({ ...audit.checkpoint, mac: '0'.repeat(64) }));
    expect((await cli('audit', 'verify', '--checkpoint', file, '--data-dir', sender.station.dataDir)).code).toBe(1);
    // A checkpoint naming an entry of the extract with another hash: refused, even re-signed by the station.
    const forged = Buffer.from(
      canonicalJson({
        ...audit,
        checkpoint: { ...audit.checkpoint, seq: audit.entries[0].seq, hash: 'ab'.repeat(32) },
      }),
    );
    await expectRefused(
      await rewrite('checkpoint-mismatch.zip', (m) => {
        m.set('case/audit.json', forged);
        resign(m, (x) => {
          const members = x.members as { path: string; sha256: string; size: number }[];
          const entry = members.find((e) => e.path === 'case/audit.json')!;
          entry.sha256 = createHash('sha256').update(forged).digest('hex');
          entry.size = forged.length;
          x.contentSha256 = createHash('sha256')
            .update(
              canonicalJson(
                [...members].filter((e) => e.path !== 'report.pdf').sort((a, b) => (a.path < b.path ? -1 : 1)),
              ),
            )
            .digest('hex');
        });
      }),
      /\(audit: case\/audit\.json\).*audit checkpoint names entry \d+ with another hash/,
    );
  });

  it('refuses a manifest that lists a member twice', async () => {
    await expectRefused(
      await rewrite('twice.zip', (m) =>
        resign(m, (x) => {
          const members = x.members as unknown[];
          members.push(members[0]);
        }),
      ),
      /\(listed_twice: /,
    );
  });

  it('refuses a record that does not hang together even when signed by the station (found by the fuzzer)', async () => {
    const withRecord = (name: string, change: (record: Record<string, unknown[]>) => void) =>
      rewrite(name, (m) => {
        const record = JSON.parse(Buffer.from(m.get('case/record.json')!).toString()) as Record<string, unknown[]>;
        change(record);
        const bytes = Buffer.from(canonicalJson(record));
        m.set('case/record.json', bytes);
        resign(m, (x) => {
          const members = x.members as { path: string; sha256: string; size: number }[];
          const entry = members.find((e) => e.path === 'case/record.json')!;
          entry.sha256 = createHash('sha256').update(bytes).digest('hex');
          entry.size = bytes.length;
          x.contentSha256 = createHash('sha256')
            .update(
              canonicalJson(
                [...members].filter((e) => e.path !== 'report.pdf').sort((a, b) => (a.path < b.path ? -1 : 1)),
              ),
            )
            .digest('hex');
        });
      });
    await expectRefused(
      await withRecord('exhibit-twice.zip', (r) => r.items.push(r.items[0])),
      /\(manifest: case\/record\.json\).*exhibit K1 is listed twice/,
    );
    await expectRefused(
      await withRecord(
        'orphan-acquisition.zip',
        (r) => ((r.acquisitions[0] as { exhibitNumber: string }).exhibitNumber = 'Z9'),
      ),
      /names exhibit Z9, which it lacks/,
    );
    await expectRefused(
      await withRecord('file-elsewhere.zip', (r) => {
        const files = (r.acquisitions[0] as { files: { path: string }[] }).files;
        files[0].path = 'evidence/nowhere.x3p';
      }),
      /is not in the package/,
    );
  });

  it('refuses bytes no member accounts for: after the end record, or in an archive comment', async () => {
    const bytes = readFileSync(good);
    const trailing = join(work, 'trailing.zip');
    writeFileSync(trailing, Buffer.concat([bytes, Buffer.from('hidden payload')]));
    await expectRefused(trailing, /\(unreadable.*14 bytes after its end record/);
    const commented = Buffer.concat([bytes, Buffer.from('note')]);
    commented.writeUInt16LE(4, bytes.length - 2); // the end record's comment length
    const comment = join(work, 'comment.zip');
    writeFileSync(comment, commented);
    await expectRefused(comment, /carries a comment/);
  });

  it('refuses zip slip, absolute paths, symlinks, duplicate names and a zip bomb from the directory alone', async () => {
    const slip = join(work, 'slip.zip');
    writeFileSync(slip, zipSync({ '../../etc/evil': new Uint8Array([1]) }));
    await expectRefused(slip, /unsafe path/);
    const absolute = join(work, 'absolute.zip');
    writeFileSync(absolute, zipSync({ '/etc/evil': new Uint8Array([1]) }));
    await expectRefused(absolute, /unsafe path/);

    // A symlink entry: Unix "made by" with mode 120777 in the external attributes.
    const link = join(work, 'link.zip');
    const linkZip = Buffer.from(zipSync({ 'manifest.json': new TextEncoder().encode('/etc/passwd') }, { level: 0 }));
    const cd = linkZip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    linkZip.writeUInt16LE((3 << 8) | 20, cd + 4);
    linkZip.writeUInt32LE((0o120777 << 16) >>> 0, cd + 38);
    writeFileSync(link, linkZip);
    await expectRefused(link, /symbolic link/);

    // Duplicate names: the same member twice in the directory.
    const dup = join(work, 'dup.zip');
    const one = Buffer.from(zipSync({ 'a.txt': new Uint8Array([1]) }, { level: 0 }));
    writeFileSync(dup, duplicateEntry(one));
    await expectRefused(dup, /appears twice/);

    // Zip bomb: a deflated member claiming 4 GiB from a few bytes is refused before any inflating.
    const bomb = join(work, 'bomb.zip');
    const small = Buffer.from(zipSync({ 'evidence/bomb.bin': new Uint8Array(100_000) }, { level: 9 }));
    const bombCd = small.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    small.writeUInt32LE(0xfffffff0, bombCd + 24);
    writeFileSync(bomb, small);
    await expectRefused(bomb, /zip bomb/);
  });

  it('refuses a truncated package', async () => {
    const bytes = readFileSync(good);
    const cut = join(work, 'truncated.zip');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 4000));
    await expectRefused(cut, /\(unreadable/);
    const half = join(work, 'half.zip');
    writeFileSync(half, bytes.subarray(0, bytes.length >> 1));
    await expectRefused(half, /\(unreadable/);
  });

  it('answers a folder given as the package with exit 1 and a plain sentence, like any unreadable package', async () => {
    const out = await verify(work);
    expect(out.code, out.out + out.err).toBe(1);
    expect(out.out).toMatch(/PACKAGE REFUSED \(unreadable\): .* is a folder, not a package file/);
  });

  it('refuses to import into a station nobody has set up yet, saying what to do, and writes nothing', async () => {
    const fresh = tempDir('fresh');
    installCredentials(fresh, network.ca.certificate, network.lab2);
    const out = await cli('package', 'import', good, '--data-dir', fresh);
    expect(out.code).toBe(2);
    expect(out.err).toMatch(/this station has no users yet.*set it up first \(casebench serve/);
    const stored = existsSync(join(fresh, 'evidence')) ? readdirSync(join(fresh, 'evidence')) : [];
    expect(stored.filter((name) => name !== 'tmp')).toEqual([]);
  });

  it('accepts the same package re-packed with deflated members, and hashes the file as it is', async () => {
    const archive = await openZip(good, packageZipLimits);
    const members: Record<string, Uint8Array> = {};
    for (const m of archive.members) members[m.name] = await archive.readAll(m, 1e9);
    await archive.close();
    const repacked = join(work, 'deflated.zip');
    writeFileSync(repacked, zipSync(members, { level: 6 }));
    const out = await cli('package', 'verify', repacked, '--json', '--data-dir', receiverDir);
    expect(out.code, out.out + out.err).toBe(0);
    const summary = JSON.parse(out.out) as { packageSha256: string };
    expect(summary.packageSha256).toBe(createHash('sha256').update(readFileSync(repacked)).digest('hex'));
  });

  it('imports the good package through the CLI after all the refusals', async () => {
    const out = await cli('package', 'import', good, '--data-dir', receiverDir);
    expect(out.code, out.out + out.err).toBe(0);
    expect(out.out).toMatch(/imported package .* as case LAB-1\/LAB-2026-0142: 3 items, 2 acquisitions/);
    const again = await cli('package', 'import', good, '--data-dir', receiverDir);
    expect(again.out).toMatch(/already imported/);
    expect((await cli('audit', 'verify', '--data-dir', receiverDir)).code).toBe(0);

    // Another package under the same package id (the sending station re-signed a changed manifest) is not
    // "already imported": it is refused as a conflict, naming the case the first one became.
    const changed = await rewrite('same-id.zip', (m) => resign(m, (manifest) => (manifest.reason = 'changed')));
    expect((await verify(changed)).code).toBe(0);
    const clash = await cli('package', 'import', changed, '--data-dir', receiverDir);
    expect(clash.code, clash.out + clash.err).not.toBe(0);
    expect(clash.err).toMatch(/another package with the same id .* was imported as case LAB-1\/LAB-2026-0142/);
  });
});

/** A zip whose central directory lists its only entry twice. */
function duplicateEntry(zip: Buffer): Buffer {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const cdOffset = zip.readUInt32LE(eocd + 16);
  const cdSize = zip.readUInt32LE(eocd + 12);
  const cd = zip.subarray(cdOffset, cdOffset + cdSize);
  const end = Buffer.from(zip.subarray(eocd));
  end.writeUInt16LE(2, 8);
  end.writeUInt16LE(2, 10);
  end.writeUInt32LE(cdSize * 2, 12);
  return Buffer.concat([zip.subarray(0, cdOffset), cd, cd, end]);
}

describe('casebench report', () => {
  it('writes a PDF with its pages, readable text, embedded fonts and a footer naming the record hash', async () => {
    const pdf = join(work, 'report.pdf');
    const out = await cli('report', '--case', 'LAB-2026-0142', '--out', pdf, '--data-dir', sender.station.dataDir);
    expect(out.code, out.err).toBe(0);
    const info = execFileSync('pdfinfo', [pdf]).toString();
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
    expect(text).toContain('Case report LAB-2026-0142');
    expect(text).toContain('Chain of custody');
    expect(text).toMatch(/Page 1 of \d+ · case record SHA-256 [0-9a-f]{64}/);
    expect(text).toContain(`Page ${pages} of ${pages}`);
    expect(text).toContain('Scan imported: Acquisition');
    expect(text).not.toContain('acquisition.import');
    expect(text).toMatch(/Audit checkpoint: entry \d+, hash\s+[0-9a-f]{64}/);
    const fonts = execFileSync('pdffonts', [pdf]).toString();
    expect(fonts).toMatch(/DejaVuSans.*yes/);
    // Signed (PAdES B-B) with the station certificate: a court reads who signed it in any PDF reader.
    const check = checkPdfSignature(readFileSync(pdf), [network.ca.certificate]);
    expect(check).toMatchObject({ ok: true, signer: { labId: 'LAB-1', stationId: 'ST-1' } });
    const signature = execFileSync('pdfsig', [pdf]).toString();
    expect(signature).toMatch(/Signature Type: ETSI\.CAdES\.detached/);
    expect(signature).toMatch(/Signature Validation: Signature is Valid/);
    execFileSync('pdftoppm', ['-r', '40', '-png', '-f', '1', '-l', '1', pdf, join(work, 'page')]);
    expect(existsSync(join(work, 'page-1.png')) || existsSync(join(work, 'page-01.png'))).toBe(true);
    expect(
      (await cli('report', '--case', 'LAB-2026-0142', '--out', pdf, '--data-dir', sender.station.dataDir)).code,
    ).toBe(3);
  });

  it('speaks Arabic right to left with the same embedded font', async () => {
    const pdf = join(work, 'report-ar.pdf');
    const out = await cli(
      'report',
      '--case',
      'LAB-2026-0142',
      '--out',
      pdf,
      '--lang',
      'ar',
      '--data-dir',
      sender.station.dataDir,
    );
    expect(out.code, out.err).toBe(0);
    const text = execFileSync('pdftotext', [pdf, '-']).toString();
    expect(text).toContain('تقرير القضية');
    expect(text).toContain('LAB-2026-0142');
    expect(text).toContain('سلسلة الحيازة');
  });

  it('refuses an export without a reason or with an unknown item', async () => {
    const none = await cli(
      'package',
      'export',
      '--case',
      'LAB-2026-0142',
      '--out',
      join(work, 'x.zip'),
      '--data-dir',
      sender.station.dataDir,
    );
    expect(none.code).toBe(2);
    const unknown = await cli(
      'package',
      'export',
      '--case',
      'LAB-2026-0142',
      '--out',
      join(work, 'y.zip'),
      '--reason',
      'r',
      '--items',
      'Z9',
      '--data-dir',
      sender.station.dataDir,
    );
    expect(unknown.code).toBe(3);
    expect(unknown.err).toMatch(/no item Z9/);
    expect(existsSync(join(work, 'y.zip'))).toBe(false);
  });
});
