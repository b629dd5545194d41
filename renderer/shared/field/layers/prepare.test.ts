import { describe, expect, it } from 'vitest';
import { prepareSurface } from './prepare.ts';

describe('preparing a topography preview', () => {
  it('reads little-endian float32 heights copied out of any byte offset, NaN kept', () => {
    const floats = new Float32Array([1.5, NaN, -2.25, 7]);
    const padded = new Uint8Array(20);
    padded.set(new Uint8Array(floats.buffer), 3);
    const bytes = padded.subarray(3, 19).slice().buffer;
    const prepared = prepareSurface({ width: 2, height: 2, spacingUm: 3.125, bytes });
    expect(Array.from(prepared.heights)).toEqual([1.5, NaN, -2.25, 7]);
    expect(prepared.texels.validPoints).toBe(3);
  });

  it('refuses bytes that do not match the size', () => {
    expect(() => prepareSurface({ width: 3, height: 2, spacingUm: 1, bytes: new ArrayBuffer(16) })).toThrow(RangeError);
  });
});
