// Minimal PNG writer and reader (non-interlaced; grey 8/16-bit, RGB 8-bit on write; grey/grey+alpha/RGB/RGBA
// at 8/16-bit on read). Lossless originals are stored as 16-bit grey PNG; reports carry an RGB picture.
import { crc32, deflateSync, inflateSync } from 'node:zlib';

export type PngColour = 'grey' | 'rgb';

export interface PngImage {
  width: number;
  height: number;
  /** 8 or 16 bits per sample. */
  bitDepth: 8 | 16;
  colour: PngColour;
  /** Samples row-major (RGB interleaved for 'rgb'). */
  data: Uint8Array | Uint16Array;
}

const signature = Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10]);

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

export function encodePng(image: PngImage): Uint8Array {
  const { width, height, bitDepth, colour, data } = image;
  const channels = colour === 'rgb' ? 3 : 1;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new RangeError(`PNG size ${width} × ${height} is not valid`);
  if (data.length !== width * height * channels)
    throw new RangeError(`PNG data holds ${data.length} samples, expected ${width * height * channels}`);
  const bytesPerSample = bitDepth / 8;
  const stride = width * channels * bytesPerSample;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1);
    raw[row] = 0; // filter: none (deflate does the work; originals favour speed)
    for (let i = 0; i < width * channels; i++) {
      const v = data[y * width * channels + i];
      if (bitDepth === 16) {
        raw[row + 1 + 2 * i] = v >> 8; // PNG is big-endian
        raw[row + 2 + 2 * i] = v & 0xff;
      } else raw[row + 1 + i] = v;
    }
  }
  const header = new Uint8Array(13);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  header[8] = bitDepth;
  header[9] = colour === 'rgb' ? 2 : 0;
  const parts = [
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 6 })),
    chunk('IEND', new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes a PNG to grey (alpha dropped) or RGB samples. maxPixels bounds memory before inflating. */
export function decodePng(bytes: Uint8Array, maxPixels = 64 * 1024 * 1024): PngImage {
  if (bytes.length < 8 || signature.some((b, i) => bytes[i] !== b))
    throw new RangeError('not a PNG file (bad signature)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  let width = 0;
  let height = 0;
  let bitDepth = 0;
  let colourType = -1;
  const idat: Uint8Array[] = [];
  while (at + 12 <= bytes.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (at + 12 + length > bytes.length) throw new RangeError(`PNG chunk ${type} is truncated`);
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length))
      throw new RangeError(`PNG chunk ${type} is corrupt (CRC mismatch)`);
    if (type === 'IHDR') {
      const hv = new DataView(body.buffer, body.byteOffset, body.byteLength);
      width = hv.getUint32(0);
      height = hv.getUint32(4);
      bitDepth = body[8];
      colourType = body[9];
      if (body[12] !== 0) throw new RangeError('interlaced PNG is not supported');
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  const channelsByType: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };
  const channels = channelsByType[colourType];
  if (!channels || (bitDepth !== 8 && bitDepth !== 16))
    throw new RangeError(
      `PNG colour type ${colourType} at ${bitDepth} bits is not supported (grey, grey+alpha, RGB, RGBA at 8 or 16 bits)`,
    );
  if (width < 1 || height < 1 || width * height > maxPixels)
    throw new RangeError(`PNG size ${width} × ${height} is outside the limit of ${maxPixels} pixels`);
  const bpp = (channels * bitDepth) / 8;
  const stride = width * bpp;
  const compressed = new Uint8Array(idat.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of idat) {
    compressed.set(c, offset);
    offset += c.length;
  }
  let raw: Uint8Array;
  try {
    raw = inflateSync(compressed, { maxOutputLength: (stride + 1) * height + 1 });
  } catch (error) {
    throw new RangeError(`PNG image data does not inflate: ${(error as Error).message}`);
  }
  if (raw.length !== (stride + 1) * height)
    throw new RangeError(`PNG image data holds ${raw.length} bytes, expected ${(stride + 1) * height}`);
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? out[i - bpp] : 0;
      const b = prev[i];
      const c = i >= bpp ? prev[i - bpp] : 0;
      const x = line[i];
      out[i] =
        filter === 0
          ? x
          : filter === 1
            ? x + a
            : filter === 2
              ? x + b
              : filter === 3
                ? x + ((a + b) >> 1)
                : filter === 4
                  ? x + paeth(a, b, c)
                  : -1;
      if (filter > 4) throw new RangeError(`PNG row ${y} uses unknown filter ${filter}`);
    }
  }
  const colour: PngColour = channels >= 3 ? 'rgb' : 'grey';
  const outChannels = colour === 'rgb' ? 3 : 1;
  const data =
    bitDepth === 16 ? new Uint16Array(width * height * outChannels) : new Uint8Array(width * height * outChannels);
  for (let p = 0; p < width * height; p++) {
    for (let ch = 0; ch < outChannels; ch++) {
      const sample = p * channels + ch;
      data[p * outChannels + ch] =
        bitDepth === 16 ? (pixels[2 * sample] << 8) | pixels[2 * sample + 1] : pixels[sample];
    }
  }
  return { width, height, bitDepth, colour, data };
}
