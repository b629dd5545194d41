// Checks that bytes are one well-formed PNG of bounded size before they are stored as evidence: signature,
// chunk framing and CRCs, a valid header, pixel data that inflates to exactly the size the header implies (read
// as a stream and counted, never held: a decompression bomb stops at the first byte too many), and IEND last.
import { createInflate, crc32 } from 'node:zlib';
import { AppError } from '../../../contract/errors.ts';
import { maxSnapshotPixels, maxSnapshotSide } from '../../../contract/examination.ts';

const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Bit depths allowed per colour type (PNG spec, table 11.1). */
const depths: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
const channels: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Encoders write pixel data in chunks of 8–64 KiB: a snapshot at the size limit needs a few thousand. Millions of
 * empty chunks cost time per chunk without adding a pixel, so a file with more than this is refused. */
export const maxPngChunks = 65_536;

function refuse(message: string): never {
  throw new AppError('invalid_input', `not a valid PNG snapshot: ${message}`);
}

export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
}

/** Bytes of filtered scanlines (a filter byte each) for a non-interlaced or Adam7-interlaced image. */
function expectedRawBytes(info: PngInfo, interlaced: boolean): number {
  const bitsPerPixel = info.bitDepth * channels[info.colorType];
  const line = (w: number) => (w === 0 ? 0 : 1 + Math.ceil((w * bitsPerPixel) / 8));
  if (!interlaced) return info.height * line(info.width);
  const passes = [
    [0, 0, 8, 8],
    [4, 0, 8, 8],
    [0, 4, 4, 8],
    [2, 0, 4, 4],
    [0, 2, 2, 4],
    [1, 0, 2, 2],
    [0, 1, 1, 2],
  ];
  let total = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const w = Math.ceil((info.width - x0) / dx);
    const h = Math.ceil((info.height - y0) / dy);
    if (w > 0 && h > 0) total += h * line(w);
  }
  return total;
}

export async function checkPng(bytes: Uint8Array): Promise<PngInfo> {
  if (bytes.byteLength < 8 + 25 + 12 || signature.some((b, i) => bytes[i] !== b)) refuse('no PNG signature');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  let info: PngInfo | undefined;
  let interlaced = false;
  let sawPalette = false;
  let idatState: 'before' | 'in' | 'after' = 'before';
  const idat: Uint8Array[] = [];
  let ended = false;
  let chunks = 0;
  while (offset < bytes.byteLength) {
    if (ended) refuse('data after IEND');
    if (++chunks > maxPngChunks) refuse(`more than ${maxPngChunks} chunks`);
    if (offset + 12 > bytes.byteLength) refuse('a chunk is cut short');
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) refuse(`bad chunk type at byte ${offset}`);
    if (length > bytes.byteLength - offset - 12) refuse(`chunk ${type} runs past the end`);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (crc32(bytes.subarray(offset + 4, offset + 8 + length)) >>> 0 !== view.getUint32(offset + 8 + length))
      refuse(`chunk ${type} fails its CRC`);
    if (!info && type !== 'IHDR') refuse('IHDR is not the first chunk');
    if (type === 'IHDR') {
      if (info || length !== 13) refuse('bad IHDR');
      const d = new DataView(data.buffer, data.byteOffset, 13);
      info = { width: d.getUint32(0), height: d.getUint32(4), bitDepth: data[8], colorType: data[9] };
      if (info.width === 0 || info.height === 0) refuse('zero size');
      if (info.width > maxSnapshotSide || info.height > maxSnapshotSide || info.width * info.height > maxSnapshotPixels)
        refuse(
          `${info.width} × ${info.height} is larger than ${maxSnapshotSide} px a side or ${maxSnapshotPixels} pixels`,
        );
      if (!depths[info.colorType]?.includes(info.bitDepth)) refuse('bad colour type or bit depth');
      if (data[10] !== 0 || data[11] !== 0 || data[12] > 1) refuse('unknown compression, filter or interlace method');
      interlaced = data[12] === 1;
    } else if (type === 'PLTE') {
      sawPalette = true;
    } else if (type === 'IDAT') {
      if (idatState === 'after') refuse('IDAT chunks are not consecutive');
      idatState = 'in';
      idat.push(data);
    } else if (type === 'IEND') {
      if (length !== 0) refuse('IEND has data');
      ended = true;
    } else {
      if (idatState === 'in') idatState = 'after';
      // Unknown critical chunks (upper-case first letter) cannot be safely ignored by a decoder.
      if (type[0] === type[0].toUpperCase()) refuse(`unknown critical chunk ${type}`);
    }
    offset += 12 + length;
  }
  if (!info) refuse('no IHDR');
  if (!ended) refuse('no IEND');
  if (idat.length === 0) refuse('no image data');
  if (info.colorType === 3 && !sawPalette) refuse('palette image without PLTE');
  await checkPixelData(idat, expectedRawBytes(info, interlaced), interlaced ? null : info);
  return info;
}

/** Inflates the image data as a stream, counting bytes (and checking filter types when not interlaced). */
function checkPixelData(idat: Uint8Array[], expected: number, lines: PngInfo | null): Promise<void> {
  const lineBytes = lines ? expected / lines.height : 0;
  return new Promise((resolve, reject) => {
    const inflate = createInflate();
    let produced = 0;
    let failed = false;
    const fail = (message: string) => {
      if (failed) return;
      failed = true;
      inflate.destroy();
      reject(new AppError('invalid_input', `not a valid PNG snapshot: ${message}`));
    };
    inflate.on('data', (chunk: Buffer) => {
      if (lines) {
        for (
          let lineStart = Math.ceil(produced / lineBytes) * lineBytes;
          lineStart < produced + chunk.length;
          lineStart += lineBytes
        )
          if (chunk[lineStart - produced] > 4) return fail(`unknown filter type on row ${lineStart / lineBytes}`);
      }
      produced += chunk.length;
      if (produced > expected) fail('more pixel data than the header says');
    });
    inflate.on('error', (error) => fail(`pixel data does not inflate (${error.message})`));
    inflate.on('end', () => {
      if (failed) return;
      if (produced !== expected) fail(`pixel data holds ${produced} bytes, the header implies ${expected}`);
      else resolve();
    });
    // One write: the parts are views of the input, whose size the contract bounds; many small writes are slow.
    inflate.end(Buffer.concat(idat));
  });
}
