// Zip container access for X3P with bounded memory. The central directory is read first; every declared
// size is checked against the limits BEFORE anything is inflated, and members are inflated one at a time, on
// demand, so the reader can check a member's declared size against what main.xml says it must hold first.
// Inflation (node's zlib, native and ~5× faster than a JS inflater on 30 MB members) is capped at the declared
// size, and each member's CRC-32 is verified, so a lying header (zip bomb, truncated member) can neither
// allocate without bound nor pass as data.
// Writing uses fflate.
import { crc32, inflateRawSync } from 'node:zlib';
import { zipSync, type Zippable } from 'fflate';
import { X3PError } from './errors.ts';
import { isUnsafeZipName } from '../../base/zip/names.ts';

export interface ZipLimits {
  /** Largest single member, uncompressed. */
  maxMemberBytes: number;
  /** Sum of all members we inflate. */
  maxTotalBytes: number;
  maxMembers: number;
}

interface Entry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

function badZip(message: string): never {
  throw new X3PError('bad-zip', `not a readable zip archive: ${message}`);
}

function readCentralDirectory(bytes: Uint8Array, limits: ZipLimits): Entry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record sits within the last 64 KiB + 22 bytes.
  let eocd = bytes.length - 22;
  const stop = Math.max(0, bytes.length - 22 - 65535);
  while (eocd >= stop && view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  if (eocd < stop || eocd < 0) badZip('no end-of-central-directory record');
  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if (eocd >= 20 && view.getUint32(eocd - 20, true) === 0x07064b50) {
    const zip64Eocd = Number(view.getBigUint64(eocd - 12, true));
    if (zip64Eocd + 56 > bytes.length || view.getUint32(zip64Eocd, true) !== 0x06064b50)
      badZip('broken zip64 directory locator');
    count = Number(view.getBigUint64(zip64Eocd + 32, true));
    offset = Number(view.getBigUint64(zip64Eocd + 48, true));
  }
  if (count > limits.maxMembers)
    throw new X3PError('limits', `archive has ${count} members, more than ${limits.maxMembers}`);
  const decoder = new TextDecoder();
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== 0x02014b50)
      badZip(`central directory entry ${i + 1} is damaged`);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    if (offset + 46 + nameLength + extraLength > bytes.length) badZip(`central directory entry ${i + 1} is truncated`);
    const entry: Entry = {
      name: decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength)),
      method: view.getUint16(offset + 10, true),
      crc: view.getUint32(offset + 16, true),
      compressedSize: view.getUint32(offset + 20, true),
      size: view.getUint32(offset + 24, true),
      localHeaderOffset: view.getUint32(offset + 42, true),
    };
    // Zip64: 0xFFFFFFFF fields are replaced, in order, by 64-bit values in extra field 0x0001.
    let extra = offset + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = view.getUint16(extra, true);
      const length = view.getUint16(extra + 2, true);
      if (id === 0x0001) {
        let at = extra + 4;
        const next = () => {
          if (at + 8 > extra + 4 + length) badZip(`zip64 field of "${entry.name}" is too short`);
          const value = Number(view.getBigUint64(at, true));
          at += 8;
          return value;
        };
        if (entry.size === 0xffffffff) entry.size = next();
        if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
        if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next();
      }
      extra += 4 + length;
    }
    entries.push(entry);
    offset = extraEnd + commentLength;
  }
  return entries;
}

/** A zip opened by its central directory; members are inflated one at a time, only when asked for. */
export interface ZipArchive {
  /** File member names (directories left out), as stored. */
  names(): string[];
  /** Declared uncompressed size of a member. */
  declaredSize(name: string): number;
  /**
   * Inflates one member. Its declared size is checked against `maxBytes` (and the archive's limits) BEFORE any
   * output is allocated; inflation is capped at the declared size, and size and CRC-32 must match.
   */
  read(name: string, maxBytes?: number): Uint8Array;
}

/**
 * Opens an archive: the central directory is read and every name, method and declared size checked, but nothing
 * is inflated. A caller reads main.xml first, learns from it how large the data must be, and only then inflates
 * the data member — so a zip bomb is refused from its declared sizes and the header, not after inflating.
 */
export function openZip(bytes: Uint8Array, limits: ZipLimits): ZipArchive {
  if (bytes.length < 22) badZip(`only ${bytes.length} bytes`);
  const entries = readCentralDirectory(bytes, limits);
  const seen = new Set<string>();
  let total = 0;
  for (const entry of entries) {
    if (isUnsafeZipName(entry.name))
      throw new X3PError('unsafe-path', `archive member "${entry.name}" has an unsafe path (absolute or with "..")`);
    if (seen.has(entry.name)) throw new X3PError('unsafe-path', `archive member "${entry.name}" appears twice`);
    seen.add(entry.name);
    if (entry.name.endsWith('/')) continue;
    if (entry.method !== 0 && entry.method !== 8)
      throw new X3PError(
        'bad-zip',
        `archive member "${entry.name}" uses unsupported compression method ${entry.method}`,
      );
    if (entry.size > limits.maxMemberBytes)
      throw new X3PError(
        'limits',
        `archive member "${entry.name}" declares ${entry.size} bytes, above the limit of ${limits.maxMemberBytes}`,
      );
    total += entry.size;
    if (total > limits.maxTotalBytes)
      throw new X3PError('limits', `archive declares more than ${limits.maxTotalBytes} bytes in total`);
  }
  const files = new Map(entries.filter((e) => !e.name.endsWith('/')).map((e) => [e.name, e]));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entryOf = (name: string): Entry => {
    const entry = files.get(name);
    if (!entry) throw new X3PError('missing-member', `archive has no "${name}"`);
    return entry;
  };
  return {
    names: () => [...files.keys()],
    declaredSize: (name) => entryOf(name).size,
    read(name, maxBytes = limits.maxMemberBytes) {
      const entry = entryOf(name);
      if (entry.size > maxBytes)
        throw new X3PError(
          'limits',
          `archive member "${entry.name}" declares ${entry.size} bytes, above the ${maxBytes} it may hold`,
        );
      const local = entry.localHeaderOffset;
      if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50)
        badZip(`local header of "${entry.name}" is missing`);
      const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      const end = start + entry.compressedSize;
      if (end > bytes.length) badZip(`member "${entry.name}" is truncated`);
      const raw = bytes.subarray(start, end);
      let data: Uint8Array;
      if (entry.method === 0) {
        if (entry.compressedSize !== entry.size) badZip(`stored member "${entry.name}" has inconsistent sizes`);
        data = raw;
      } else {
        try {
          // One byte of headroom: output longer than declared is then detected instead of silently cut. One
          // output chunk of that size: zlib then returns it as is instead of concatenating chunks (a second copy).
          data = inflateRawSync(raw, {
            maxOutputLength: Math.max(1, entry.size + 1),
            chunkSize: Math.max(64, entry.size + 1),
          });
        } catch (error) {
          badZip(`member "${entry.name}" does not inflate (${(error as Error).message})`);
        }
        if (data.length !== entry.size)
          badZip(`member "${entry.name}" inflates to ${data.length} bytes, not the declared ${entry.size}`);
      }
      if (crc32(data) !== entry.crc)
        throw new X3PError('bad-zip', `archive member "${entry.name}" is corrupt (CRC-32 mismatch)`);
      return data;
    },
  };
}

/**
 * Writes a zip; members in the given order (main.xml first, as X3P readers expect). Each member has its
 * own deflate level: float heights barely compress (~7 %) at a high cost, XML compresses well.
 */
export function writeZip(members: [string, Uint8Array, 0 | 1 | 6][]): Uint8Array {
  const zippable: Zippable = {};
  for (const [name, data, level] of members) zippable[name] = [data, { level }];
  return zipSync(zippable, { mtime: new Date('2000-01-01T00:00:00Z') });
}
