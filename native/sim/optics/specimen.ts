// The specimen as the simulated camera sees it: per-point unit normals and albedo, computed once per scan so
// each live-view frame only shades (a dot product per light) instead of differentiating heights again.

/** Structurally identical to electron/analysis/surface.ts `Surface` (native/ may not import electron/). */
export interface HeightField {
  width: number;
  height: number;
  /** Point spacing in metres. */
  dx: number;
  dy: number;
  /** Heights in metres, row-major, x fastest; NaN = not measured. */
  z: Float64Array;
}

export interface Specimen {
  width: number;
  height: number;
  dx: number;
  dy: number;
  nx: Float32Array;
  ny: Float32Array;
  nz: Float32Array;
  albedo: Float32Array;
  /** Mean of the measured heights (metres): where the camera focuses when focus error is zero. */
  meanHeight: number;
}

export interface SpecimenOptions {
  /** Diffuse reflectance of measured points (0..1), default 0.8. */
  albedo?: number;
  /** Reflectance where the scan has no data (NaN): rendered as a flat, duller area. Default 0.25. */
  unmeasuredAlbedo?: number;
  /** Per-point reflectance (printed calibration targets); overrides `albedo` where the height is measured. */
  albedoMap?: Float32Array;
}

/**
 * Normals by central differences in the image frame: x along columns, y along rows (down), z towards the
 * camera; n ∝ (-∂z/∂x, -∂z/∂y, 1). Photometric stereo in electron/analysis/photometric uses the same frame.
 */
export function prepareSpecimen(surface: HeightField, options: SpecimenOptions = {}): Specimen {
  const { width: w, height: h, dx, dy, z } = surface;
  if (z.length !== w * h) throw new RangeError(`height field holds ${z.length} values, expected ${w} × ${h}`);
  if (options.albedoMap && options.albedoMap.length !== w * h)
    throw new RangeError(`albedo map holds ${options.albedoMap.length} values, expected ${w} × ${h}`);
  const n = w * h;
  const nx = new Float32Array(n);
  const ny = new Float32Array(n);
  const nz = new Float32Array(n);
  const albedo = new Float32Array(n);
  const measured = options.albedo ?? 0.8;
  const unmeasured = options.unmeasuredAlbedo ?? 0.25;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(z[i])) {
      sum += z[i];
      count++;
    }
  }
  const meanHeight = count > 0 ? sum / count : 0;
  const at = (x: number, y: number) => z[y * w + x];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const c = z[i];
      if (Number.isNaN(c)) {
        nz[i] = 1;
        albedo[i] = unmeasured;
        continue;
      }
      albedo[i] = options.albedoMap ? options.albedoMap[i] : measured;
      const gx = slope(x > 0 ? at(x - 1, y) : NaN, c, x < w - 1 ? at(x + 1, y) : NaN, dx);
      const gy = slope(y > 0 ? at(x, y - 1) : NaN, c, y < h - 1 ? at(x, y + 1) : NaN, dy);
      const norm = 1 / Math.sqrt(gx * gx + gy * gy + 1);
      nx[i] = -gx * norm;
      ny[i] = -gy * norm;
      nz[i] = norm;
    }
  }
  return { width: w, height: h, dx, dy, nx, ny, nz, albedo, meanHeight };
}

/** Central difference where both neighbours exist, one-sided at edges of the data, 0 when isolated. */
function slope(before: number, centre: number, after: number, spacing: number): number {
  const hasBefore = !Number.isNaN(before);
  const hasAfter = !Number.isNaN(after);
  if (hasBefore && hasAfter) return (after - before) / (2 * spacing);
  if (hasAfter) return (after - centre) / spacing;
  if (hasBefore) return (centre - before) / spacing;
  return 0;
}
