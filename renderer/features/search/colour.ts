// False colour for height maps: a robust range (2nd–98th percentile of the valid heights, so a few spikes do not
// flatten the picture) mapped through a perceptually ordered palette (dark blue → teal → yellow, after viridis).
// Written straight into an ImageData buffer; NaN (no data) stays transparent.
import { colourTable, heightRange } from '../../shared/heightColour.ts';

/** Palette colour at t in [0, 1]. */
export function paletteAt(t: number): [number, number, number] {
  const i = Math.round(Math.min(1, Math.max(0, t)) * 255) * 3;
  return [colourTable[i]!, colourTable[i + 1]!, colourTable[i + 2]!];
}

/** The 2nd and 98th percentiles of the finite values; [0, 1] when there are none. */
export function robustRange(values: Float32Array): [number, number] {
  const range = heightRange(values, 0.02, 0.98);
  return range ? [range.min, range.max] : [0, 1];
}

/** RGBA pixels of a height map in false colour, one pixel per value. */
export function falseColour(values: Float32Array, range = robustRange(values)): Uint8ClampedArray {
  const out = new Uint8ClampedArray(values.length * 4);
  const [lo, hi] = range;
  const scale = 1 / (hi - lo);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    const [r, g, b] = paletteAt((v - lo) * scale);
    out[4 * i] = r;
    out[4 * i + 1] = g;
    out[4 * i + 2] = b;
    out[4 * i + 3] = 255;
  }
  return out;
}

/** The heights carried as little-endian Float32 bytes (copied, so the view is aligned whatever the blob's offset). */
export function heightsOf(bytes: Uint8Array): Float32Array {
  return new Float32Array(bytes.slice().buffer);
}
