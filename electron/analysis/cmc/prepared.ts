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
