// A zip written member by member straight to a file, so a case package or a bundle of any size is written with
// bounded memory.
// Every member is stored (method 0): X3P and PNG are compressed already, and stored members can be checked and
// read without inflating anything. Sizes and CRC-32 are written back into each local header once the member's
// bytes are through (the file is seekable), so no data descriptors are needed; zip64 records are added only when
// offsets or the member count outgrow the classic format.
import { createHash } from 'node:crypto';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { FileExistsError } from '../durableFile.ts';

/** Read evidence files in slices of this size (bounded memory whatever the file size). */
export const zipChunkBytes = 1024 * 1024;

export interface WrittenMember {
  path: string;
  sha256: string;
  size: number;
}

interface CentralEntry {
  nameBytes: Buffer;
  crc: number;
  size: number;
  offset: number;
}

// 2000-01-01 00:00 in MS-DOS format: packages are byte-for-byte reproducible from the same content.
const dosTime = 0;
const dosDate = ((2000 - 1980) << 9) | (1 << 5) | 1;
const u32Max = 0xffffffff;

export class ZipFileWriter {
  private readonly handle: FileHandle;
  readonly path: string;
  private offset = 0;
  private readonly entries: CentralEntry[] = [];
  private readonly names = new Set<string>();
  private finished = false;

  private constructor(path: string, handle: FileHandle) {
    this.path = path;
    this.handle = handle;
  }

  /** Creates the file; refuses one that exists (FileExistsError: a zip is never written over anything). */
  static async create(path: string): Promise<ZipFileWriter> {
    try {
      return new ZipFileWriter(path, await open(path, 'wx', 0o644));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new FileExistsError(path);
      throw error;
    }
  }

  get bytesWritten(): number {
    return this.offset;
  }

  private async write(bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.byteLength) {
      const { bytesWritten } = await this.handle.write(bytes, done, bytes.byteLength - done, this.offset + done);
      done += bytesWritten;
    }
    this.offset += bytes.byteLength;
  }

  /** Writes one member from chunks; returns its SHA-256 and size (both computed as the bytes go out). */
  async addChunks(path: string, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<WrittenMember> {
    if (this.finished) throw new Error('zip already finished');
    if (this.names.has(path)) throw new Error(`member ${path} written twice`);
    this.names.add(path);
    const nameBytes = Buffer.from(path, 'utf8');
    const headerOffset = this.offset;
    const header = Buffer.alloc(30 + nameBytes.length);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4); // version needed
    header.writeUInt16LE(0x0800, 6); // UTF-8 names
    header.writeUInt16LE(0, 8); // stored
    header.writeUInt16LE(dosTime, 10);
    header.writeUInt16LE(dosDate, 12);
    header.writeUInt16LE(nameBytes.length, 26);
    nameBytes.copy(header, 30);
    await this.write(header);
    const hash = createHash('sha256');
    let crc = 0;
    let size = 0;
    for await (const chunk of chunks) {
      hash.update(chunk);
      crc = crc32(chunk, crc);
      size += chunk.byteLength;
      await this.write(chunk);
    }
    if (size >= u32Max) throw new RangeError(`member ${path} is larger than 4 GiB`);
    const patch = Buffer.alloc(12);
    patch.writeUInt32LE(crc >>> 0, 0);
    patch.writeUInt32LE(size, 4);
    patch.writeUInt32LE(size, 8);
    await this.handle.write(patch, 0, 12, headerOffset + 14);
    this.entries.push({ nameBytes, crc: crc >>> 0, size, offset: headerOffset });
    return { path, sha256: hash.digest('hex'), size };
  }

  addBytes(path: string, bytes: Uint8Array): Promise<WrittenMember> {
    return this.addChunks(path, [bytes]);
  }

  /** Writes the central directory, fsyncs and closes. */
  async finish(): Promise<number> {
    this.finished = true;
    const cdOffset = this.offset;
    for (const entry of this.entries) {
      const zip64 = entry.offset >= u32Max;
      const extra = zip64 ? Buffer.alloc(12) : Buffer.alloc(0);
      if (zip64) {
        extra.writeUInt16LE(0x0001, 0);
        extra.writeUInt16LE(8, 2);
        extra.writeBigUInt64LE(BigInt(entry.offset), 4);
      }
      const record = Buffer.alloc(46 + entry.nameBytes.length + extra.length);
      record.writeUInt32LE(0x02014b50, 0);
      record.writeUInt16LE((3 << 8) | 45, 4); // made by: Unix, zip 4.5
      record.writeUInt16LE(zip64 ? 45 : 20, 6);
      record.writeUInt16LE(0x0800, 8);
      record.writeUInt16LE(0, 10);
      record.writeUInt16LE(dosTime, 12);
      record.writeUInt16LE(dosDate, 14);
      record.writeUInt32LE(entry.crc, 16);
      record.writeUInt32LE(entry.size, 20);
      record.writeUInt32LE(entry.size, 24);
      record.writeUInt16LE(entry.nameBytes.length, 28);
      record.writeUInt16LE(extra.length, 30);
      record.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
      record.writeUInt32LE(zip64 ? u32Max : entry.offset, 42);
      entry.nameBytes.copy(record, 46);
      extra.copy(record, 46 + entry.nameBytes.length);
      await this.write(record);
    }
    const cdSize = this.offset - cdOffset;
    const needZip64 = this.entries.length >= 0xffff || cdOffset >= u32Max || this.offset >= u32Max;
    if (needZip64) {
      const zip64Offset = this.offset;
      const record = Buffer.alloc(56);
      record.writeUInt32LE(0x06064b50, 0);
      record.writeBigUInt64LE(44n, 4);
      record.writeUInt16LE((3 << 8) | 45, 12);
      record.writeUInt16LE(45, 14);
      record.writeBigUInt64LE(BigInt(this.entries.length), 24);
      record.writeBigUInt64LE(BigInt(this.entries.length), 32);
      record.writeBigUInt64LE(BigInt(cdSize), 40);
      record.writeBigUInt64LE(BigInt(cdOffset), 48);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(0x07064b50, 0);
      locator.writeBigUInt64LE(BigInt(zip64Offset), 8);
      locator.writeUInt32LE(1, 16);
      await this.write(Buffer.concat([record, locator]));
    }
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(Math.min(this.entries.length, 0xffff), 8);
    eocd.writeUInt16LE(Math.min(this.entries.length, 0xffff), 10);
    eocd.writeUInt32LE(Math.min(cdSize, u32Max), 12);
    eocd.writeUInt32LE(Math.min(cdOffset, u32Max), 16);
    await this.write(eocd);
    await this.handle.sync();
    await this.handle.close();
    return this.offset;
  }

  /** Closes and deletes a package that will not be finished (canceled, failed): no half package is left. */
  async abort(): Promise<void> {
    this.finished = true;
    await this.handle.close().catch(() => {});
    await unlink(this.path).catch(() => {});
  }
}

/** The bytes of a file in slices, for `addChunks`. */
export async function* fileChunks(path: string, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(zipChunkBytes);
    let position = 0;
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      // The writer consumes each slice before asking for the next, so the one buffer can be reused.
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
