// Zip container access for X3P with bounded memory: sizes declared in the central directory are checked
// against limits BEFORE anything is inflated, and every member's CRC-32 is verified afterwards, so a lying
// header (zip bomb, truncated member) cannot allocate without bound nor slip through as data.
import { crc32 } from 'node:zlib';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { X3PError } from './errors.ts';

export interface ZipLimits {
  /** Largest single member, uncompressed. */
  maxMemberBytes: number;
  /** Sum of all members we inflate. */
  maxTotalBytes: number;
  maxMembers: number;
}

/** A name that would land outside the extraction folder, or is otherwise not a plain relative path. */
export function isUnsafeZipName(name: string): boolean {
  if (name.includes('\\') || name.includes('\0')) return true;
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return true;
  return name.split('/').some((part) => part === '..');
}

/** Reads every file member (directories skipped). Names are exactly as stored. */
export function readZip(bytes: Uint8Array, limits: ZipLimits): Map<string, Uint8Array> {
  const declared = new Map<string, number>();
  let total = 0;
  let count = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter(file) {
        count++;
        if (count > limits.maxMembers) throw new X3PError('limits', `archive has more than ${limits.maxMembers} members`);
        if (isUnsafeZipName(file.name)) throw new X3PError('unsafe-path', `archive member "${file.name}" has an unsafe path (absolute or with "..")`);
        if (declared.has(file.name)) throw new X3PError('unsafe-path', `archive member "${file.name}" appears twice`);
        if (file.name.endsWith('/')) return false;
        if (file.compression !== 0 && file.compression !== 8) throw new X3PError('bad-zip', `archive member "${file.name}" uses unsupported compression method ${file.compression}`);
        if (file.originalSize > limits.maxMemberBytes) {
          throw new X3PError('limits', `archive member "${file.name}" declares ${file.originalSize} bytes, above the limit of ${limits.maxMemberBytes}`);
        }
        total += file.originalSize;
        if (total > limits.maxTotalBytes) throw new X3PError('limits', `archive declares more than ${limits.maxTotalBytes} bytes in total`);
        declared.set(file.name, file.originalSize);
        return true;
      },
    });
  } catch (error) {
    if (error instanceof X3PError) throw error;
    throw new X3PError('bad-zip', `not a readable zip archive: ${(error as Error).message}`);
  }
  const crcs = centralDirectoryCrcs(bytes);
  const result = new Map<string, Uint8Array>();
  for (const [name, data] of Object.entries(files)) {
    const expected = crcs.get(name);
    if (expected !== undefined && crc32(data) !== expected) throw new X3PError('bad-zip', `archive member "${name}" is corrupt (CRC-32 mismatch)`);
    result.set(name, data);
  }
  return result;
}

/** CRC-32 per member name from the central directory (fflate does not check them on unzip). */
function centralDirectoryCrcs(bytes: Uint8Array): Map<string, number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const crcs = new Map<string, number>();
  let eocd = bytes.length - 22;
  while (eocd >= 0 && view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  if (eocd < 0) return crcs;
  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if (eocd >= 20 && view.getUint32(eocd - 20, true) === 0x07064b50) {
    const zip64Eocd = Number(view.getBigUint64(eocd - 12, true));
    if (zip64Eocd + 56 <= bytes.length && view.getUint32(zip64Eocd, true) === 0x06064b50) {
      count = Number(view.getBigUint64(zip64Eocd + 32, true));
      offset = Number(view.getBigUint64(zip64Eocd + 48, true));
    }
  }
  const decoder = new TextDecoder();
  for (let i = 0; i < count && offset + 46 <= bytes.length; i++) {
    if (view.getUint32(offset, true) !== 0x02014b50) break;
    const crc = view.getUint32(offset + 16, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    crcs.set(decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength)), crc);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return crcs;
}

/** Writes a deflated zip; members are written in the given order (main.xml first, as X3P readers expect). */
export function writeZip(members: [string, Uint8Array][], level: 0 | 1 | 6 = 6): Uint8Array {
  const zippable: Zippable = {};
  for (const [name, data] of members) zippable[name] = [data, { level }];
  return zipSync(zippable, { mtime: new Date('2000-01-01T00:00:00Z') });
}
