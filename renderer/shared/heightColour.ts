// Height maps in false colour, shared by the acquisition viewer and the pair view: one palette and one way of
// choosing the height range, so the same surface looks the same on every screen.

/** Heights at the given low and high quantiles (of valid points), so a few outliers do not flatten the colours. */
export function heightRange(heights: Float32Array, low = 0.01, high = 0.99): { min: number; max: number } | null {
  // A strided sample keeps this fast on 2048² maps; quantiles of ~64k points are plenty for a colour scale.
  const step = Math.max(1, Math.floor(heights.length / 65536));
  const sample: number[] = [];
  for (let i = 0; i < heights.length; i += step) {
    const v = heights[i]!;
    if (v === v) sample.push(v);
  }
  if (sample.length === 0) return null;
  sample.sort((a, b) => a - b);
  const at = (q: number) => sample[Math.min(sample.length - 1, Math.max(0, Math.round(q * (sample.length - 1))))]!;
  const min = at(low);
  const max = at(high);
  return max > min ? { min, max } : { min, max: min + 1e-6 };
}

// A perceptually ordered blue → green → yellow scale (viridis key points), interpolated into a 256-entry table.
const colourStops: Array<[number, number, number]> = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];
export const colourTable: Uint8Array = (() => {
  const table = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * (colourStops.length - 1);
    const j = Math.min(colourStops.length - 2, Math.floor(t));
    const f = t - j;
    for (let c = 0; c < 3; c++)
      table[i * 3 + c] = Math.round(colourStops[j]![c]! * (1 - f) + colourStops[j + 1]![c]! * f);
  }
  return table;
})();
