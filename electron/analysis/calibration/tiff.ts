// Baseline TIFF reader for 2D images made elsewhere (microscope exports): grey or RGB, 8 or 16 bits, strips,
// uncompressed / Deflate / PackBits, optional horizontal predictor. Sizes are checked before allocation.
import { inflateSync } from 'node:zlib';
import type { PngImage } from './png.ts';

const tag = {
  width: 256,
  height: 257,
  bitsPerSample: 258,
  compression: 259,
  photometric: 262,
  stripOffsets: 273,
  samplesPerPixel: 277,
  rowsPerStrip: 278,
  stripByteCounts: 279,
  planar: 284,
  predictor: 317,
  sampleFormat: 339,
  tileWidth: 322,
} as const;

function fail(message: string): never {
  throw new RangeError(`TIFF: ${message}`);
}

export function decodeTiff(bytes: Uint8Array, maxPixels = 64 * 1024 * 1024): PngImage {
  if (bytes.length < 8) fail('file too short');
  const order = String.fromCharCode(bytes[0], bytes[1]);
  if (order !== 'II' && order !== 'MM') fail('not a TIFF file (bad byte-order mark)');
  const little = order === 'II';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => {
    if (at + 2 > bytes.length) fail(`offset ${at} beyond the end of the file`);
    return view.getUint16(at, little);
  };
  const u32 = (at: number) => {
    if (at + 4 > bytes.length) fail(`offset ${at} beyond the end of the file`);
    return view.getUint32(at, little);
  };
  if (u16(2) === 43) fail('BigTIFF is not supported');
  if (u16(2) !== 42) fail('not a TIFF file (bad magic number)');
  const ifd = u32(4);
  const count = u16(ifd);
  if (count > 4096) fail(`first directory claims ${count} entries`);
  const fields = new Map<number, number[]>();
  for (let k = 0; k < count; k++) {
    const entry = ifd + 2 + k * 12;
    const id = u16(entry);
    const type = u16(entry + 2);
    const n = u32(entry + 4);
    const size = type === 3 ? 2 : type === 4 ? 4 : type === 1 ? 1 : 0;
    if (size === 0) continue; // rationals, ASCII: not needed for pixels
    if (n > 1 << 20) fail(`tag ${id} holds ${n} values`);
    const inline = size * n <= 4;
    const base = inline ? entry + 8 : u32(entry + 8);
    const values: number[] = [];
    for (let i = 0; i < n; i++)
      values.push(size === 2 ? u16(base + 2 * i) : size === 4 ? u32(base + 4 * i) : bytes[base + i]);
    fields.set(id, values);
  }
  const one = (id: number, fallback?: number) => fields.get(id)?.[0] ?? fallback ?? fail(`required tag ${id} missing`);
  const width = one(tag.width);
  const height = one(tag.height);
  if (width < 1 || height < 1 || width * height > maxPixels)
    fail(`size ${width} × ${height} is outside the limit of ${maxPixels} pixels`);
  if (fields.has(tag.tileWidth)) fail('tiled TIFF is not supported (save with strips)');
  const samples = one(tag.samplesPerPixel, 1);
  const bits = one(tag.bitsPerSample, 1);
  if (bits !== 8 && bits !== 16) fail(`${bits} bits per sample is not supported (8 or 16)`);
  if ((fields.get(tag.bitsPerSample) ?? [bits]).some((b) => b !== bits)) fail('mixed bits per sample');
  if (one(tag.sampleFormat, 1) !== 1) fail('only unsigned integer samples are supported');
  if (one(tag.planar, 1) !== 1) fail('planar (separate) configuration is not supported');
  const photometric = one(tag.photometric, 1);
  if (!(
    (photometric <= 1 && (samples === 1 || samples === 2)) ||
    (photometric === 2 && (samples === 3 || samples === 4))
  ))
    fail(`photometric ${photometric} with ${samples} samples is not supported`);
  const compression = one(tag.compression, 1);
  if (![1, 8, 32946, 32773].includes(compression))
    fail(`compression ${compression} is not supported (none, Deflate, PackBits)`);
  const predictor = one(tag.predictor, 1);
  const offsets = fields.get(tag.stripOffsets) ?? fail('no strip offsets');
  const counts = fields.get(tag.stripByteCounts) ?? fail('no strip byte counts');
  if (offsets.length !== counts.length) fail('strip offsets and byte counts differ in number');
  const rowsPerStrip = Math.min(one(tag.rowsPerStrip, height), height);
  const rowBytes = (width * samples * bits) / 8;
  const raw = new Uint8Array(rowBytes * height);
  let filled = 0;
  for (let s = 0; s < offsets.length && filled < raw.length; s++) {
    if (offsets[s] + counts[s] > bytes.length) fail(`strip ${s} lies beyond the end of the file`);
    const stored = bytes.subarray(offsets[s], offsets[s] + counts[s]);
    const expected = Math.min(rowsPerStrip * rowBytes, raw.length - filled);
    let strip: Uint8Array;
    if (compression === 1) strip = stored;
    else if (compression === 32773) strip = unpackBits(stored, expected);
    else {
      try {
        strip = inflateSync(stored, { maxOutputLength: expected + 1 });
      } catch (error) {
        fail(`strip ${s} does not inflate (${(error as Error).message})`);
      }
    }
    if (strip.length < expected) fail(`strip ${s} holds ${strip.length} bytes, expected ${expected}`);
    raw.set(strip.subarray(0, expected), filled);
    filled += expected;
  }
  if (filled < raw.length) fail(`strips hold ${filled} bytes, the image needs ${raw.length}`);

  const outChannels = samples >= 3 ? 3 : 1;
  const data =
    bits === 16 ? new Uint16Array(width * height * outChannels) : new Uint8Array(width * height * outChannels);
  const max = bits === 16 ? 65535 : 255;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < outChannels; c++) {
        const index = (y * width + x) * samples + c;
        let v =
          bits === 16
            ? little
              ? raw[2 * index] | (raw[2 * index + 1] << 8)
              : (raw[2 * index] << 8) | raw[2 * index + 1]
            : raw[index];
        if (predictor === 2 && x > 0) v = (v + data[(y * width + x - 1) * outChannels + c]) & max;
        data[(y * width + x) * outChannels + c] = v;
      }
    }
  }
  if (photometric === 0) for (let i = 0; i < data.length; i++) data[i] = max - data[i];
  return { width, height, bitDepth: bits as 8 | 16, colour: outChannels === 3 ? 'rgb' : 'grey', data };
}

function unpackBits(input: Uint8Array, expected: number): Uint8Array {
  const out = new Uint8Array(expected);
  let i = 0;
  let o = 0;
  while (i < input.length && o < expected) {
    const n = (input[i++] << 24) >> 24;
    if (n >= 0) {
      for (let k = 0; k <= n && o < expected; k++) out[o++] = input[i++];
    } else if (n !== -128) {
      const value = input[i++];
      for (let k = 0; k < 1 - n && o < expected; k++) out[o++] = value;
    }
  }
  return out.subarray(0, o);
}

/** Writes an uncompressed single-strip little-endian TIFF (used by tests and by exports that ask for TIFF). */
export function encodeTiff(image: PngImage): Uint8Array {
  const { width, height, bitDepth, colour, data } = image;
  const samples = colour === 'rgb' ? 3 : 1;
  const pixelBytes = (width * height * samples * bitDepth) / 8;
  const entries: [number, number, number, number][] = [
    [tag.width, 4, 1, width],
    [tag.height, 4, 1, height],
    [tag.bitsPerSample, 3, 1, bitDepth], // RGB readers accept one value for all samples
    [tag.compression, 3, 1, 1],
    [tag.photometric, 3, 1, colour === 'rgb' ? 2 : 1],
    [tag.stripOffsets, 4, 1, 0],
    [tag.samplesPerPixel, 3, 1, samples],
    [tag.rowsPerStrip, 4, 1, height],
    [tag.stripByteCounts, 4, 1, pixelBytes],
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const dataOffset = 8 + ifdSize;
  entries[5][3] = dataOffset;
  const out = new Uint8Array(dataOffset + pixelBytes);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  view.setUint32(4, 8, true);
  view.setUint16(8, entries.length, true);
  entries.forEach(([id, type, n, value], k) => {
    const at = 10 + k * 12;
    view.setUint16(at, id, true);
    view.setUint16(at + 2, type, true);
    view.setUint32(at + 4, n, true);
    if (type === 3) view.setUint16(at + 8, value, true);
    else view.setUint32(at + 8, value, true);
  });
  for (let i = 0; i < data.length; i++) {
    if (bitDepth === 16) view.setUint16(dataOffset + 2 * i, data[i], true);
    else out[dataOffset + i] = data[i];
  }
  return out;
}
