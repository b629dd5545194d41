// Geometric operations on NaN-masked height rasters (row-major, x fastest). Pure TypeScript: these are small
// loops where copying in and out of the OpenCV heap would cost more than the work.

export interface Raster {
  width: number;
  height: number;
  /** NaN = invalid. */
  data: Float64Array;
}

/**
 * Rotates about the raster centre by `degrees` (counter-clockwise on screen, y down): out(p) = src(R(−θ)(p − c) + c).
 * Bilinear where all four neighbours are valid, otherwise the nearest neighbour (which may be NaN), so masks keep
 * their edges and NaN never bleeds inwards by more than half a pixel.
 */
export function rotateRaster(src: Raster, degrees: number, out?: Float64Array): Float64Array {
  return sampleRotated(src, degrees, 0, 0, src.width, src.height, out ?? new Float64Array(src.width * src.height));
}

/**
 * The window [x0, x0+w) × [y0, y0+h) of rotateRaster(src, degrees), computed directly (no full rotated copy);
 * points outside the source are NaN. `out` is w×h, row-major.
 */
export function sampleRotated(
  src: Raster,
  degrees: number,
  x0: number,
  y0: number,
  w: number,
  h: number,
  out: Float64Array,
): Float64Array {
  const { width, height, data } = src;
  const theta = (degrees * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  if (width < 2 || height < 2) return out.fill(NaN);
  const maxX = width - 1;
  const maxY = height - 1;
  const lastCellX = width - 2;
  const lastCellY = height - 2;
  for (let y = 0; y < h; y++) {
    const dy = y0 + y - cy;
    const dx = x0 - cx;
    // Source coordinates of the row's first point, advanced by (cos, −sin) per column.
    let sx = cos * dx + sin * dy + cx;
    let sy = -sin * dx + cos * dy + cy;
    const row = y * w;
    for (let x = 0; x < w; x++, sx += cos, sy -= sin) {
      if (sx < 0 || sy < 0 || sx > maxX || sy > maxY) {
        out[row + x] = NaN;
        continue;
      }
      // The last row and column interpolate from the cell before them (weight 1 on the edge point).
      const xi = sx < lastCellX ? sx | 0 : lastCellX;
      const yi = sy < lastCellY ? sy | 0 : lastCellY;
      const fx = sx - xi;
      const fy = sy - yi;
      const i = yi * width + xi;
      const a = data[i];
      const b = data[i + 1];
      const c = data[i + width];
      const d = data[i + width + 1];
      const v = (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
      if (v === v) out[row + x] = v;
      else out[row + x] = fy < 0.5 ? (fx < 0.5 ? a : b) : fx < 0.5 ? c : d;
    }
  }
  return out;
}

/** Block mean over factor×factor blocks ignoring NaN; a block is valid when at least half its points are. */
export function downsampleMean(src: Raster, factor: number): Raster {
  const width = Math.floor(src.width / factor);
  const height = Math.floor(src.height / factor);
  const data = new Float64Array(width * height);
  const need = (factor * factor) / 2;
  for (let by = 0; by < height; by++) {
    for (let bx = 0; bx < width; bx++) {
      let sum = 0;
      let n = 0;
      for (let y = by * factor; y < (by + 1) * factor; y++) {
        const row = y * src.width;
        for (let x = bx * factor; x < (bx + 1) * factor; x++) {
          const v = src.data[row + x];
          if (v === v) {
            sum += v;
            n++;
          }
        }
      }
      data[by * width + bx] = n >= need ? sum / n : NaN;
    }
  }
  return { width, height, data };
}

export function countFinite(data: Float64Array): number {
  let n = 0;
  for (let i = 0; i < data.length; i++) if (data[i] === data[i]) n++;
  return n;
}
