// A scan made ready for comparison: its raster at the working resolution, its coarse pyramid level and a cache
// of the spectra that do not depend on the other scan (reference cells, coarse template). Preparing once per
// scan and reusing across pairs is what makes all-pairs scoring affordable.
import type { Surface } from '../surface.ts';
import { AnalysisError } from '../errors.ts';
import { countFinite, downsampleMean, type Raster } from '../raster.ts';

export interface PreparedScan {
  /** Caller's name for the scan (file name, item id); used in results and caches. */
  id: string;
  raster: Raster;
  /** Pixel size in metres (dx = dy after preparation). */
  pixelSize: number;
  validPoints: number;
  /** Coarse levels by downsampling factor, built lazily. */
  levels: Map<number, Raster>;
  /** Spectra and other per-scan derived data, keyed by what they were computed with. */
  cache: Map<string, unknown>;
}

/** The fewest valid points a scan may have: one 64-point cell at 8×8 of a tiny scan would be meaningless. */
export const minValidPoints = 1024;

export function validateSurface(surface: Surface, what = 'surface'): void {
  const { width, height, dx, dy, z } = surface;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new AnalysisError('bad_surface', `${what}: dimensions must be positive integers, got ${width} × ${height}`);
  }
  if (z.length !== width * height) {
    throw new AnalysisError('bad_surface', `${what}: ${z.length} heights for ${width} × ${height} points`);
  }
  if (!(dx > 0) || !(dy > 0) || !Number.isFinite(dx) || !Number.isFinite(dy)) {
    throw new AnalysisError('bad_surface', `${what}: point spacings must be positive, got dx=${dx}, dy=${dy}`);
  }
}

/**
 * The largest raster compared directly: 2048² points (12.8 mm at 6.25 µm/px, far beyond a primer). Larger ones
 * would make each cell's FFT and every cache grow without bound; preprocessSurface resamples them first.
 */
export const maxComparePoints = 2048 * 2048;

export function prepareScan(id: string, surface: Surface, maxPoints = maxComparePoints): PreparedScan {
  validateSurface(surface, id);
  if (surface.width * surface.height > maxPoints) {
    throw new AnalysisError(
      'too_large',
      `${id}: ${surface.width} × ${surface.height} points is above the ${maxPoints}-point bound for comparison; resample it to the working resolution first (preprocessSurface does)`,
      { width: surface.width, height: surface.height },
    );
  }
  if (Math.abs(surface.dx - surface.dy) > 1e-3 * surface.dx) {
    throw new AnalysisError(
      'pixel_size_mismatch',
      `${id}: non-square pixels (dx=${surface.dx}, dy=${surface.dy}); resample it first (preprocessSurface does)`,
    );
  }
  const validPoints = countFinite(surface.z);
  if (validPoints === 0)
    throw new AnalysisError('empty_surface', `${id}: the surface has no valid point (empty or all NaN)`);
  if (validPoints < minValidPoints) {
    throw new AnalysisError(
      'too_few_points',
      `${id}: only ${validPoints} valid points; at least ${minValidPoints} are needed to compare`,
      { validPoints },
    );
  }
  return {
    id,
    raster: { width: surface.width, height: surface.height, data: surface.z },
    pixelSize: surface.dx,
    validPoints,
    levels: new Map(),
    cache: new Map(),
  };
}

export function levelOf(scan: PreparedScan, factor: number): Raster {
  let level = scan.levels.get(factor);
  if (!level) {
    level = downsampleMean(scan.raster, factor);
    scan.levels.set(factor, level);
  }
  return level;
}

export function cached<T>(scan: PreparedScan, key: string, make: () => T): T {
  if (scan.cache.has(key)) return scan.cache.get(key) as T;
  const value = make();
  scan.cache.set(key, value);
  return value;
}

/**
 * Whether the measured area was cut by a straight edge — the field of view, or a crop by another pipeline: it meets
 * a side of its own bounding box along more than a quarter of its equivalent diameter √(4·area/π). A round breech
 * face (an annulus, a disc) touches each side at one point, digitised as a run of about √(4r) pixels (r its
 * radius in pixels: 0.1–0.15 of the diameter at the 6.25 µm working resolution, ≤ 0.17 at twice that pixel
 * size), so the threshold is about twice what a whole breech face shows and far below a crop's chord. A scan cut
 * this way holds a part of the breech face whose extent the other scan of a pair need not share, so how much two
 * such scans overlap is unknown before registration (cmc/compare.ts register).
 */
export function cutByFrame(scan: PreparedScan): boolean {
  return cached(scan, 'cutByFrame', () => {
    const { width: w, height: h, data } = scan.raster;
    let [x0, x1, y0, y1] = [w, -1, h, -1];
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        if (data[y * w + x] === data[y * w + x]) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
    if (x1 < 0) return false;
    const measured = (x: number, y: number) => data[y * w + x] === data[y * w + x];
    const sides = [0, 0, 0, 0];
    for (let x = x0; x <= x1; x++) {
      if (measured(x, y0)) sides[0]++;
      if (measured(x, y1)) sides[1]++;
    }
    for (let y = y0; y <= y1; y++) {
      if (measured(x0, y)) sides[2]++;
      if (measured(x1, y)) sides[3]++;
    }
    return Math.max(...sides) > cutEdgeShare * Math.sqrt((4 * scan.validPoints) / Math.PI);
  });
}

/** A straight run of the measured area's edge longer than this share of its equivalent diameter is a cut. */
export const cutEdgeShare = 0.25;
