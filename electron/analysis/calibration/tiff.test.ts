import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeTiff, encodeTiff } from './tiff.ts';

describe('TIFF', () => {
  it('round-trips 16-bit grey and 8-bit RGB', () => {
    const grey = {
      width: 3,
      height: 2,
      bitDepth: 16 as const,
      colour: 'grey' as const,
      data: Uint16Array.from([0, 1, 255, 256, 40000, 65535]),
    };
    expect(decodeTiff(encodeTiff(grey))).toEqual(grey);
    const rgb = {
      width: 2,
      height: 1,
      bitDepth: 8 as const,
      colour: 'rgb' as const,
      data: Uint8Array.from([1, 2, 3, 250, 251, 252]),
    };
    expect(decodeTiff(encodeTiff(rgb))).toEqual(rgb);
  });

  it('reads Deflate strips with the horizontal predictor', () => {
    const plain = encodeTiff({
      width: 4,
      height: 1,
      bitDepth: 8,
      colour: 'grey',
      data: Uint8Array.from([10, 12, 15, 11]),
    });
    // Rewrite as compression 8 + predictor 2: differences 10, 2, 3, −4 (mod 256).
    const body = deflateSync(Uint8Array.from([10, 2, 3, 252]));
    const view = new DataView(plain.buffer);
    const count = view.getUint16(8, true);
    const file = new Uint8Array(plain.length + body.length + 12);
    file.set(plain.subarray(0, 10 + count * 12));
    const out = new DataView(file.buffer);
    out.setUint16(8, count + 1, true);
    for (let k = 0; k < count; k++) {
      const at = 10 + k * 12;
      if (out.getUint16(at, true) === 259) out.setUint16(at + 8, 8, true);
      if (out.getUint16(at, true) === 279) out.setUint32(at + 8, body.length, true);
    }
    const predictor = 10 + count * 12;
    out.setUint16(predictor, 317, true);
    out.setUint16(predictor + 2, 3, true);
    out.setUint32(predictor + 4, 1, true);
    out.setUint16(predictor + 8, 2, true);
    out.setUint32(predictor + 12, 0, true);
    const dataAt = predictor + 16;
    file.set(body, dataAt);
    for (let k = 0; k < count; k++)
      if (out.getUint16(10 + k * 12, true) === 273) out.setUint32(10 + k * 12 + 8, dataAt, true);
    expect(Array.from(decodeTiff(file.subarray(0, dataAt + body.length)).data)).toEqual([10, 12, 15, 11]);
  });

  it('refuses what it cannot read, and hostile sizes, with a reason', () => {
    expect(() => decodeTiff(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(/bad byte-order mark/);
    const good = encodeTiff({ width: 2, height: 2, bitDepth: 8, colour: 'grey', data: new Uint8Array(4) });
    expect(() => decodeTiff(good, 3)).toThrow(/outside the limit of 3 pixels/);
    expect(() => decodeTiff(good.subarray(0, good.length - 2))).toThrow(/beyond the end of the file/);
  });
});
