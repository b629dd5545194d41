// False colour for height maps: a robust range (2nd–98th percentile of the valid heights, so a few spikes do not
// flatten the picture) mapped through a perceptually ordered palette (dark blue → teal → yellow, after viridis).
// Written straight into an ImageData buffer; NaN (no data) stays transparent.

const stops: Array<[number, number, number]> = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** Palette colour at t in [0, 1]. */
export function paletteAt(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

/** The 2nd and 98th percentiles of the finite values (a sample of at most ~20k, enough for a display range). */
export function robustRange(values: Float32Array): [number, number] {
  const step = Math.max(1, Math.floor(values.length / 20_000));
  const sample: number[] = [];
  for (let i = 0; i < values.length; i += step) {
    const v = values[i]!;
    if (v === v) sample.push(v);
  }
  if (sample.length === 0) return [0, 1];
  sample.sort((a, b) => a - b);
  const lo = sample[Math.floor(0.02 * (sample.length - 1))]!;
  const hi = sample[Math.ceil(0.98 * (sample.length - 1))]!;
  return hi > lo ? [lo, hi] : [lo - 1, lo + 1];
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
