// Reading a zip from someone else (case packages, network bundles), with bounded memory and nothing trusted: the central directory is read and
// checked whole before any member is touched (names, duplicates, symlinks, encryption, methods, declared sizes
// against the limits and against what compression can plausibly achieve, members overlapping or running past the
// directory), then each member is streamed in slices: its CRC-32 and size are checked as it goes, and inflation
// stops one byte past the declared size. So a zip bomb is refused from its directory, and a lying one is cut off.
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createInflateRaw, crc32 } from 'node:zlib';
import { isUnsafeZipName } from './names.ts';
import { zipChunkBytes } from './writer.ts';

export interface ZipReadLimits {
  maxMembers: number;
  maxDirectoryBytes: number;
  maxMemberBytes: number;
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio accepted for a deflated member (zip bombs reach thousands). */
  maxDeflateRatio: number;
}

export class ZipFormatError extends Error {
  override name = 'ZipFormatError';
  /** The member concerned, when there is one. */
  readonly member: string | undefined;
  constructor(message: string, member?: string) {
    super(message);
    this.member = member;
  }
}

export interface ZipMember {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  dataStart: number;
  /** Sizes and CRC follow the data in a data descriptor (12 to 24 bytes), as streaming zip writers do. */
  descriptor: boolean;
}

export interface ZipArchive {
  fileSize: number;
  members: ZipMember[];
  get(name: string): ZipMember | undefined;
  /**
   * The member's bytes in slices; throws ZipFormatError when they do not match the directory (size, CRC).
   * `onRaw` sees the member's bytes as stored in the file (before inflating), in order.
   */
  read(member: ZipMember, signal?: AbortSignal, onRaw?: (raw: Uint8Array) => void): AsyncGenerator<Uint8Array>;
  /** The file's bytes from `start` to `end` as they are (headers, directory: what lies between members' data). */
  readRange(start: number, end: number, signal?: AbortSignal): AsyncGenerator<Uint8Array>;
  /** A small member whole (refused above `maxBytes`). */
  readAll(member: ZipMember, maxBytes: number): Promise<Buffer>;
  close(): Promise<void>;
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? buffer : buffer.subarray(0, done);
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

export async function openZip(path: string, limits: ZipReadLimits): Promise<ZipArchive> {
  const handle = await open(path, 'r');
  try {
    const archive = await readDirectory(handle, limits);
    return archive;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function readDirectory(handle: FileHandle, limits: ZipReadLimits): Promise<ZipArchive> {
  const fileSize = (await handle.stat()).size;
  if (fileSize < 22) throw new ZipFormatError(`not a zip archive: only ${fileSize} bytes`);
  const tailLength = Math.min(fileSize, 22 + 65535 + 20);
  const tailStart = fileSize - tailLength;
  const tail = await readAt(handle, tailStart, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('not a zip archive, or truncated: no end-of-central-directory record');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  const eocdPosition = tailStart + eocd;
  // Every byte of a package is accounted for: nothing after the end record, no archive comment (bytes the signed
  // manifest would not cover could carry anything).
  const commentLength = tail.readUInt16LE(eocd + 20);
  if (commentLength > 0)
    throw new ZipFormatError(`the archive carries a comment (${commentLength} bytes), which no package has`);
  if (eocdPosition + 22 !== fileSize)
    throw new ZipFormatError(`the archive has ${fileSize - eocdPosition - 22} bytes after its end record`);
  let directoryEnd = eocdPosition;
  if (eocd >= 20 && tail.readUInt32LE(eocd - 20) === 0x07064b50) {
    const zip64Position = Number(tail.readBigUInt64LE(eocd - 12));
    if (zip64Position + 56 > eocdPosition - 20) throw new ZipFormatError('broken zip64 directory locator');
    const record = await readAt(handle, zip64Position, 56);
    if (record.readUInt32LE(0) !== 0x06064b50) throw new ZipFormatError('broken zip64 directory record');
    count = Number(record.readBigUInt64LE(32));
    cdSize = Number(record.readBigUInt64LE(40));
    cdOffset = Number(record.readBigUInt64LE(48));
    directoryEnd = zip64Position;
  }
  if (count > limits.maxMembers)
    throw new ZipFormatError(`the archive lists ${count} members, more than the ${limits.maxMembers} accepted`);
  if (cdSize > limits.maxDirectoryBytes)
    throw new ZipFormatError(`the archive's directory is ${cdSize} bytes, more than ${limits.maxDirectoryBytes}`);
  if (cdOffset + cdSize > directoryEnd)
    throw new ZipFormatError('the archive is truncated or damaged: its directory runs past its end record');
  if (cdOffset + cdSize < directoryEnd)
    throw new ZipFormatError(
      `the archive has ${directoryEnd - cdOffset - cdSize} unaccounted bytes between its directory and its end record`,
    );
  const cd = await readAt(handle, cdOffset, cdSize);
  if (cd.length !== cdSize) throw new ZipFormatError('the archive is truncated: its directory is cut off');

  const members: ZipMember[] = [];
  const byName = new Map<string, ZipMember>();
  const folded = new Set<string>();
  let total = 0;
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > cd.length || cd.readUInt32LE(at) !== 0x02014b50)
      throw new ZipFormatError(`the archive's directory entry ${i + 1} is damaged`);
    const madeBy = cd.readUInt16LE(at + 4);
    const flags = cd.readUInt16LE(at + 8);
    const method = cd.readUInt16LE(at + 10);
    const crc = cd.readUInt32LE(at + 16);
    let compressedSize = cd.readUInt32LE(at + 20);
    let size = cd.readUInt32LE(at + 24);
    const nameLength = cd.readUInt16LE(at + 28);
    const extraLength = cd.readUInt16LE(at + 30);
    const commentLength = cd.readUInt16LE(at + 32);
    const externalAttributes = cd.readUInt32LE(at + 38);
    let localOffset = cd.readUInt32LE(at + 42);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > cd.length) throw new ZipFormatError(`the archive's directory entry ${i + 1} is truncated`);
    let name: string;
    try {
      name = fatalUtf8.decode(cd.subarray(at + 46, at + 46 + nameLength));
    } catch {
      throw new ZipFormatError(`directory entry ${i + 1} has a name that is not UTF-8`);
    }
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = cd.readUInt16LE(extra);
      const length = cd.readUInt16LE(extra + 2);
      if (id === 0x0001) {
        let field = extra + 4;
        const next = () => {
          if (field + 8 > extra + 4 + length) throw new ZipFormatError(`zip64 field of "${name}" is too short`, name);
          const value = Number(cd.readBigUInt64LE(field));
          field += 8;
          return value;
        };
        if (size === 0xffffffff) size = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localOffset === 0xffffffff) localOffset = next();
      }
      extra += 4 + length;
    }
    at = end;

    if (isUnsafeZipName(name) || name.length === 0)
      throw new ZipFormatError(`member "${name}" has an unsafe path (absolute, with "..", or a drive letter)`, name);
    if (byName.has(name)) throw new ZipFormatError(`member "${name}" appears twice in the archive`, name);
    // Two names that differ only in case would land on one file on a case-insensitive disk.
    const lower = name.toLowerCase();
    if (folded.has(lower)) throw new ZipFormatError(`member "${name}" differs from another only in letter case`, name);
    folded.add(lower);
    const unixMode = madeBy >> 8 === 3 ? externalAttributes >>> 16 : 0;
    if ((unixMode & 0o170000) === 0o120000) throw new ZipFormatError(`member "${name}" is a symbolic link`, name);
    if (name.endsWith('/') || (unixMode & 0o170000) === 0o040000)
      throw new ZipFormatError(`member "${name}" is a folder entry, which is not expected here`, name);
    if (flags & 0x0001) throw new ZipFormatError(`member "${name}" is encrypted`, name);
    if (method !== 0 && method !== 8)
      throw new ZipFormatError(`member "${name}" uses compression method ${method}, not stored or deflate`, name);
    if (method === 0 && compressedSize !== size)
      throw new ZipFormatError(`stored member "${name}" declares two different sizes`, name);
    if (size > limits.maxMemberBytes)
      throw new ZipFormatError(
        `member "${name}" declares ${size} bytes, above the ${limits.maxMemberBytes} accepted`,
        name,
      );
    if (method === 8 && size > 1024 * 1024 && size > compressedSize * limits.maxDeflateRatio)
      throw new ZipFormatError(
        `member "${name}" would inflate ${compressedSize} bytes to ${size} (ratio above ${limits.maxDeflateRatio}): a zip bomb`,
        name,
      );
    total += size;
    if (total > limits.maxTotalBytes)
      throw new ZipFormatError(`the archive declares more than ${limits.maxTotalBytes} bytes in total`);
    const member: ZipMember = {
      name,
      method,
      crc,
      compressedSize,
      size,
      dataStart: localOffset,
      descriptor: (flags & 0x0008) !== 0,
    };
    members.push(member);
    byName.set(name, member);
  }

  // Local headers: each must name the same member, and the data of members may neither overlap (the classic
  // zip bomb reuses one compressed stream for many members) nor run into the directory; and members follow one
  // another with nothing between them (only a data descriptor after a member that announces one).
  const byOffset = [...members].sort((a, b) => a.dataStart - b.dataStart);
  let previousEnd = 0;
  let previousDescriptor = false;
  for (const member of byOffset) {
    const headerStart = member.dataStart;
    if (headerStart < previousEnd)
      throw new ZipFormatError(`member "${member.name}" overlaps another member's data`, member.name);
    const gap = headerStart - previousEnd;
    if (gap > (previousDescriptor ? 24 : 0))
      throw new ZipFormatError(`the archive has ${gap} unaccounted bytes before member "${member.name}"`, member.name);
    const header = await readAt(handle, headerStart, 30);
    if (header.length < 30 || header.readUInt32LE(0) !== 0x04034b50)
      throw new ZipFormatError(`member "${member.name}" has no local header where the directory says`, member.name);
    const nameLength = header.readUInt16LE(26);
    const extraLength = header.readUInt16LE(28);
    const localName = await readAt(handle, headerStart + 30, nameLength);
    if (localName.toString('utf8') !== member.name)
      throw new ZipFormatError(`member "${member.name}" is named differently in its local header`, member.name);
    member.dataStart = headerStart + 30 + nameLength + extraLength;
    const dataEnd = member.dataStart + member.compressedSize;
    if (dataEnd > cdOffset)
      throw new ZipFormatError(`member "${member.name}" is truncated (its data runs past the archive)`, member.name);
    previousEnd = dataEnd;
    previousDescriptor = member.descriptor;
  }
  const tailGap = cdOffset - previousEnd;
  if (tailGap > (previousDescriptor ? 24 : 0))
    throw new ZipFormatError(`the archive has ${tailGap} unaccounted bytes before its directory`);

  return {
    fileSize,
    members,
    get: (name) => byName.get(name),
    read: (member, signal, onRaw) => readMember(handle, member, signal, onRaw),
    readRange: (start, end, signal) => rangeSlices(handle, start, end, signal),
    async readAll(member, maxBytes) {
      if (member.size > maxBytes)
        throw new ZipFormatError(`member "${member.name}" is ${member.size} bytes, above ${maxBytes}`, member.name);
      const parts: Uint8Array[] = [];
      for await (const chunk of readMember(handle, member)) parts.push(Buffer.from(chunk));
      return Buffer.concat(parts);
    },
    close: () => handle.close(),
  };
}

/** The file's bytes in [start, end) in slices of one reused buffer (the caller must not keep a slice). */
async function* rangeSlices(
  handle: FileHandle,
  start: number,
  end: number,
  signal?: AbortSignal,
  what?: string,
): AsyncGenerator<Uint8Array> {
  const buffer = Buffer.alloc(Math.min(zipChunkBytes, Math.max(1, end - start)));
  let position = start;
  while (position < end) {
    signal?.throwIfAborted();
    const want = Math.min(buffer.length, end - position);
    const { bytesRead } = await handle.read(buffer, 0, want, position);
    if (bytesRead === 0)
      throw new ZipFormatError(what ? `member "${what}" is truncated` : 'the archive is truncated', what);
    position += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}

async function* rawSlices(
  handle: FileHandle,
  member: ZipMember,
  signal?: AbortSignal,
  onRaw?: (raw: Uint8Array) => void,
): AsyncGenerator<Uint8Array> {
  for await (const slice of rangeSlices(
    handle,
    member.dataStart,
    member.dataStart + member.compressedSize,
    signal,
    member.name,
  )) {
    onRaw?.(slice);
    yield slice;
  }
}

async function* inflated(source: AsyncGenerator<Uint8Array>, member: ZipMember): AsyncGenerator<Uint8Array> {
  // Copies: the source reuses its buffer, and zlib may still read a slice after taking the next one.
  const input = Readable.from(
    (async function* () {
      for await (const slice of source) yield Buffer.from(slice);
    })(),
  );
  const inflater = input.pipe(createInflateRaw());
  input.on('error', (error) => inflater.destroy(error));
  let produced = 0;
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      produced += chunk.length;
      if (produced > member.size)
        throw new ZipFormatError(`member "${member.name}" inflates past its declared size`, member.name);
      yield chunk;
    }
  } catch (error) {
    if (error instanceof ZipFormatError) throw error;
    throw new ZipFormatError(`member "${member.name}" does not inflate: ${(error as Error).message}`, member.name);
  } finally {
    input.destroy();
    inflater.destroy();
  }
}

async function* readMember(
  handle: FileHandle,
  member: ZipMember,
  signal?: AbortSignal,
  onRaw?: (raw: Uint8Array) => void,
): AsyncGenerator<Uint8Array> {
  const source = rawSlices(handle, member, signal, onRaw);
  const stream = member.method === 8 ? inflated(source, member) : source;
  let crc = 0;
  let size = 0;
  for await (const chunk of stream) {
    crc = crc32(chunk, crc);
    size += chunk.byteLength;
    yield chunk;
  }
  if (size !== member.size)
    throw new ZipFormatError(
      `member "${member.name}" holds ${size} bytes, not the ${member.size} declared`,
      member.name,
    );
  if (crc >>> 0 !== member.crc)
    throw new ZipFormatError(`member "${member.name}" is corrupt (CRC-32 mismatch)`, member.name);
}
