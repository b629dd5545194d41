// A large signed case package for the packages bench: an exported package copied member by member, plus `count`
// members of `size` bytes each (streamed, never held in memory), with the manifest listing them and signed again by
// the station's key — a package that verifies like any other, of any size.
import { randomBytes } from 'node:crypto';
import { canonicalJson } from '../electron/base/canonicalJson.ts';
import { loadPrivateKey, sha256, signBytes } from '../electron/network/protocol.ts';
import { openZip } from '../electron/base/zip/reader.ts';
import { ZipFileWriter } from '../electron/base/zip/writer.ts';
import { packageZipLimits } from '../electron/host/services/packages/verifyPackage.ts';
import {
  contentMembers,
  manifestPath,
  signaturePath,
  type ManifestMember,
  type PackageManifest,
} from '../electron/host/services/packages/format.ts';

/** `size` bytes in 1 MiB slices that differ from each other (a counter stamped into random bytes). */
function* slices(size: number): Generator<Uint8Array> {
  const slice = randomBytes(1024 * 1024);
  for (let done = 0, n = 0; done < size; done += slice.length, n++) {
    slice.writeUInt32LE(n, 0);
    yield done + slice.length <= size ? slice : slice.subarray(0, size - done);
  }
}

export async function writeBigPackage(
  source: string,
  target: string,
  signingKeyPem: string,
  count: number,
  size: number,
): Promise<void> {
  const archive = await openZip(source, packageZipLimits);
  const zip = await ZipFileWriter.create(target);
  try {
    const manifest = JSON.parse(
      (await archive.readAll(archive.get(manifestPath)!, 64 * 1024 * 1024)).toString(),
    ) as PackageManifest;
    const signature = JSON.parse((await archive.readAll(archive.get(signaturePath)!, 1024 * 1024)).toString()) as {
      signature: string;
    };
    for (const member of archive.members) {
      if (member.name === manifestPath || member.name === signaturePath) continue;
      await zip.addChunks(member.name, archive.read(member));
    }
    const added: ManifestMember[] = [];
    for (let i = 0; i < count; i++) {
      const written = await zip.addChunks(`evidence/bench-large-${i}.bin`, slices(size));
      added.push({ ...written, mediaType: 'application/octet-stream', role: 'original' });
    }
    const members = [...manifest.members, ...added];
    const bigger: PackageManifest = {
      ...manifest,
      members,
      contentSha256: sha256(canonicalJson(contentMembers(members))),
    };
    const bytes = Buffer.from(canonicalJson(bigger));
    signature.signature = signBytes(loadPrivateKey(signingKeyPem), bytes);
    await zip.addBytes(manifestPath, bytes);
    await zip.addBytes(signaturePath, Buffer.from(JSON.stringify(signature, null, 1)));
    await zip.finish();
  } finally {
    await archive.close();
  }
}
