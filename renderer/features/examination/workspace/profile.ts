// Line profiles across both surfaces: one segment on the stage (world micrometres), sampled on each side where
// that side lies under it, at the coarser of the two point spacings, so both curves describe the same places and
// can be compared in one plot. Heights are read bilinearly from the side's own grid; a sample touching an
// unmeasured point is a gap (NaN), never a made-up value.
import { apply, distance, invert, type Point } from '../../../shared/field/geometry.ts';
import type { FieldState, SideIndex } from '../../../shared/field/fieldState.ts';
import type { HeightGrid } from '../../../shared/field/surfaceTexture.ts';

export interface LineProfiles {
  lengthUm: number;
  stepUm: number;
  /** Distance of each sample from the segment's start, micrometres. */
  at: Float64Array;
  /** Heights per side (micrometres, each less its own mean when levelled); null for a side without heights. */
  heights: [Float64Array | null, Float64Array | null];
  /** Pearson correlation of the two curves where both have data; null when fewer than 3 shared samples. */
  correlation: number | null;
}

export const maxProfileSamples = 4096;

/** Bilinear height at a point of the grid's own frame (µm), NaN where any of the four neighbours is missing. */
export function heightAt(grid: HeightGrid, [x, y]: Point): number {
  const gx = x / grid.spacingUm - 0.5;
  const gy = y / grid.spacingUm - 0.5;
  if (!(gx >= 0 && gy >= 0 && gx <= grid.width - 1 && gy <= grid.height - 1)) return NaN;
  const x0 = Math.min(grid.width - 2, Math.floor(gx));
  const y0 = Math.min(grid.height - 2, Math.floor(gy));
  const fx = gx - Math.max(0, x0);
  const fy = gy - Math.max(0, y0);
  const i = Math.max(0, y0) * grid.width + Math.max(0, x0);
  const z = grid.heights;
  const right = grid.width > 1 ? 1 : 0;
  const down = grid.height > 1 ? grid.width : 0;
  const v =
    (z[i]! * (1 - fx) + z[i + right]! * fx) * (1 - fy) + (z[i + down]! * (1 - fx) + z[i + down + right]! * fx) * fy;
  return v;
}

export function lineProfiles(
  placement: FieldState['placement'],
  grids: [HeightGrid | null, HeightGrid | null],
  from: Point,
  to: Point,
  level = true,
): LineProfiles {
  const lengthUm = distance(from, to);
  const sideScale = (side: SideIndex) => Math.hypot(placement[side].a, placement[side].b);
  const spacings = ([0, 1] as const).filter((s) => grids[s]).map((s) => grids[s]!.spacingUm * sideScale(s));
  const coarsest = Math.max(...spacings, 1e-3);
  const n = Math.max(2, Math.min(maxProfileSamples, Math.floor(lengthUm / coarsest) + 1));
  const stepUm = lengthUm / (n - 1);
  const at = new Float64Array(n);
  for (let i = 0; i < n; i++) at[i] = i * stepUm;
  const heights = ([0, 1] as const).map((side) => {
    const grid = grids[side];
    if (!grid) return null;
    const ownFromWorld = invert(placement[side]);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const t = i / (n - 1);
      const world: Point = [from[0] + (to[0] - from[0]) * t, from[1] + (to[1] - from[1]) * t];
      out[i] = heightAt(grid, apply(ownFromWorld, world));
    }
    if (level) {
      let sum = 0;
      let count = 0;
      for (const v of out)
        if (v === v) {
          sum += v;
          count++;
        }
      if (count > 0) for (let i = 0; i < n; i++) out[i] -= sum / count;
    }
    return out;
  }) as [Float64Array | null, Float64Array | null];
  return { lengthUm, stepUm, at, heights, correlation: correlationOf(heights[0], heights[1]) };
}

export function correlationOf(a: Float64Array | null, b: Float64Array | null): number | null {
  if (!a || !b) return null;
  let n = 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < a.length; i++)
    if (a[i] === a[i] && b[i] === b[i]) {
      n++;
      sa += a[i]!;
      sb += b[i]!;
    }
  if (n < 3) return null;
  const ma = sa / n;
  const mb = sb / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < a.length; i++)
    if (a[i] === a[i] && b[i] === b[i]) {
      const da = a[i]! - ma;
      const db = b[i]! - mb;
      cov += da * db;
      va += da * da;
      vb += db * db;
    }
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : null;
}
