import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkPng, maxPngChunks } from './png.ts';
import { encodePng, pngChunk, pngHeader, pngSignature } from '../../../../tests/fixtures/png.ts';

const assemble = (...chunks: Buffer[]) => new Uint8Array(Buffer.concat([pngSignature, ...chunks]));
const end = () => pngChunk('IEND', new Uint8Array(0));

describe('checkPng', () => {
  it('accepts a well-formed PNG and reports its size', async () => {
    expect(await checkPng(encodePng(33, 17, 2))).toEqual({ width: 33, height: 17, bitDepth: 8, colorType: 2 });
  });

  it('accepts an interlaced one, counting the pixel data of every pass', async () => {
    // 5 × 3 RGB, Adam7: the seven passes are 1×1, 1×1, empty, 1×1, 3×1, 2×2 and 5×1 pixels
    const widths = [
      [1, 1],
      [1, 1],
      [0, 0],
      [1, 1],
      [3, 1],
      [2, 2],
      [5, 1],
    ];
    let bytes = 0;
    for (const [w, h] of widths) if (w > 0 && h > 0) bytes += h * (1 + w * 3);
    const ihdr = pngHeader(5, 3);
    const data = Buffer.from(ihdr);
    data[8 + 12] = 1; // interlace method
    const fixed = pngChunk('IHDR', data.subarray(8, 21));
    expect(await checkPng(assemble(fixed, pngChunk('IDAT', deflateSync(Buffer.alloc(bytes))), end()))).toMatchObject({
      width: 5,
      height: 3,
    });
  });

  it.each([
    [
      'data after IEND',
      () => assemble(pngHeader(1, 1), pngChunk('IDAT', deflateSync(Buffer.alloc(4))), end(), end()),
      /after IEND/,
    ],
    [
      'IHDR not first',
      () => assemble(pngChunk('IDAT', deflateSync(Buffer.alloc(4))), pngHeader(1, 1), end()),
      /IHDR is not the first/,
    ],
    ['no image data', () => assemble(pngHeader(1, 1), end()), /no image data/],
    [
      'a palette image without PLTE',
      () => assemble(pngHeader(1, 1, 3), pngChunk('IDAT', deflateSync(Buffer.alloc(2))), end()),
      /PLTE/,
    ],
    [
      'a bad bit depth',
      () => assemble(pngHeader(1, 1, 2, 4), pngChunk('IDAT', deflateSync(Buffer.alloc(2))), end()),
      /bit depth/,
    ],
    [
      'an unknown critical chunk',
      () =>
        assemble(
          pngHeader(1, 1),
          pngChunk('ABCD', new Uint8Array(3)),
          pngChunk('IDAT', deflateSync(Buffer.alloc(4))),
          end(),
        ),
      /critical/,
    ],
    [
      'split image data',
      () =>
        assemble(
          pngHeader(1, 2),
          pngChunk('IDAT', new Uint8Array(1)),
          pngChunk('tEXt', new Uint8Array(2)),
          pngChunk('IDAT', new Uint8Array(1)),
          end(),
        ),
      /not consecutive/,
    ],
    [
      'an unknown filter type',
      () => assemble(pngHeader(1, 2), pngChunk('IDAT', deflateSync(Buffer.from([0, 1, 2, 3, 9, 1, 2, 3]))), end()),
      /filter type on row 1/,
    ],
    [
      'pixel data that does not inflate',
      () => assemble(pngHeader(1, 1), pngChunk('IDAT', new Uint8Array([1, 2, 3, 4, 5])), end()),
      /does not inflate/,
    ],
    [
      'a file of more chunks than any encoder writes (each costs time, none adds a pixel)',
      () => {
        const empty = pngChunk('IDAT', new Uint8Array(0));
        const many = Buffer.alloc((maxPngChunks + 1) * empty.length);
        for (let i = 0; i <= maxPngChunks; i++) empty.copy(many, i * empty.length);
        return assemble(pngHeader(1, 1), pngChunk('IDAT', deflateSync(Buffer.alloc(4))), many, end());
      },
      /more than 65536 chunks/,
    ],
    [
      'a chunk running past the end',
      () => encodePng(8, 8).subarray(0, encodePng(8, 8).byteLength - 6),
      /cut short|runs past/,
    ],
  ])('refuses %s', async (_name, make, message) => {
    await expect(checkPng(make())).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(message),
    });
  });
});
