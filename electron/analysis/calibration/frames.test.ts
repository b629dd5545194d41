import { describe, expect, it } from 'vitest';
import { buildDarkFrame, buildFlatField, correctFrame, type RawFrame } from './frames.ts';

const frame = (values: number[], bitDepth: 8 | 16 = 16): RawFrame => ({
  width: values.length,
  height: 1,
  bitDepth,
  data: bitDepth === 8 ? Uint8Array.from(values) : Uint16Array.from(values),
});

describe('dark frame, flat field, correction', () => {
  const dark = buildDarkFrame([frame([100, 102, 98, 100]), frame([102, 100, 100, 98])]);

  it('removes the black level and the field non-uniformity, keeping the channel level', () => {
    expect(Array.from(dark.mean)).toEqual([101, 101, 99, 99]);
    expect(dark.noiseDn).toBeGreaterThan(0);
    // The light is 20 % weaker on the right half.
    const flat = buildFlatField([frame([1101, 1101, 899, 899])], dark);
    expect(flat.levelDn).toBe(900);
    const corrected = correctFrame(frame([601, 601, 499, 65535]), dark, flat);
    expect(corrected.linear[0]).toBeCloseTo(500 / (1000 / 900), 3);
    expect(corrected.linear[2]).toBeCloseTo(400 / (800 / 900), 3);
    expect(Array.from(corrected.saturated)).toEqual([0, 0, 0, 1]);
  });

  it('refuses a saturated or unlit flat and mismatched sizes, saying why', () => {
    expect(() => buildFlatField([frame([65535, 65535, 65535, 65535])], dark)).toThrow(/saturated; lower the exposure/);
    expect(() => buildFlatField([frame([101, 101, 99, 100])], dark)).toThrow(
      /too close to the dark level; is the light on/,
    );
    expect(() => buildDarkFrame([frame([1, 2]), frame([1, 2, 3])])).toThrow(/differ in size/);
    expect(() => correctFrame(frame([1, 2]), dark)).toThrow(/same size/);
    expect(() => buildDarkFrame([])).toThrow(/at least one frame/);
  });
});
