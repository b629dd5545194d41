// A topography prepared for the GPU: one RGBA8 texel per height point holding the two slopes, the height and
// whether the point was measured. The light, the relief exaggeration, false colour and contrast are then all
// applied per screen pixel by the shader, so moving the light of two 2048² surfaces costs no CPU work at all.
//
// Slopes (µm per µm) are stored as 128 + 127 · atan(g / s) / (π/2): fine steps near zero where tool marks live,
// no clipping of steep walls; `s` is the surface's own typical slope. Every channel is premultiplied by
// validity (A = 255 measured, 0 not), so the GPU's mipmaps average only measured points and the shader divides
// by A; a texel whose A falls below one half is drawn as missing data.
import { heightRange } from '../heightColour.ts';

export interface HeightGrid {
  width: number;
  height: number;
  /** Heights in micrometres, row-major; NaN = not measured. */
  heights: Float32Array;
  /** Lateral size of one point, micrometres. */
  spacingUm: number;
}

export interface SurfaceTexels {
  width: number;
  height: number;
  rgba: Uint8Array;
  /** The slope `s` of the encoding (µm per µm). */
  slopeScale: number;
  /** Heights mapped to 0…1 in the blue channel (the 1 %–99 % range, so a few spikes do not flatten the colours). */
  range: { min: number; max: number };
  validPoints: number;
}

const halfPi = Math.PI / 2;

/** Slope along one axis at i from whichever neighbours are measured (0 when neither is). */
function slope(z: Float32Array, i: number, step: number, hasPrev: boolean, hasNext: boolean): number {
  const c = z[i]!;
  const p = hasPrev ? z[i - step]! : NaN;
  const n = hasNext ? z[i + step]! : NaN;
  if (n === n) return p === p ? (n - p) / 2 : n - c;
  return p === p ? c - p : 0;
}

/** The typical slope: the 90th percentile of |slope| over a strided sample of measured points. */
function typicalSlope(grid: HeightGrid): number {
  const { width: w, height: h, heights: z } = grid;
  const step = Math.max(1, Math.floor((w * h) / 65536));
  const sample: number[] = [];
  for (let i = 0; i < w * h; i += step) {
    if (z[i] !== z[i]) continue;
    const x = i % w;
    const y = (i - x) / w;
    sample.push(Math.abs(slope(z, i, 1, x > 0, x < w - 1)), Math.abs(slope(z, i, w, y > 0, y < h - 1)));
  }
  if (sample.length === 0) return 1e-3;
  sample.sort((a, b) => a - b);
  const q = sample[Math.floor(0.9 * (sample.length - 1))]! / grid.spacingUm;
  return q > 1e-6 ? q : 1e-3;
}

/**
 * atan(x) · 2/π to within 0.0025, a third of the stored byte's step (1/127): a rational fit (Rajan et al. 2006),
 * extended beyond |x| = 1 by atan(x) = π/2 − atan(1/x). Math.atan on 8 million slopes cost more than the rest of
 * the pass together.
 */
function atanUnit(x: number): number {
  const a = x < 0 ? -x : x;
  const r = a <= 1 ? a * (0.2729 * (1 - a) + 0.7854) : 1 / a;
  const t = a <= 1 ? r / halfPi : 1 - (r * (0.2729 * (1 - r) + 0.7854)) / halfPi;
  return x < 0 ? -t : t;
}

export function surfaceTexels(grid: HeightGrid): SurfaceTexels {
  const { width: w, height: h, heights: z, spacingUm } = grid;
  if (z.length !== w * h) throw new RangeError(`height grid holds ${z.length} values, expected ${w} × ${h}`);
  if (!(spacingUm > 0)) throw new RangeError('the point spacing must be positive');
  const slopeScale = typicalSlope(grid);
  const range = heightRange(z) ?? { min: 0, max: 1 };
  // Central differences halve the step; one-sided ones do not.
  const k = 1 / (spacingUm * slopeScale);
  const heightScale = 255 / (range.max - range.min);
  const hmin = range.min;
  const out = new Uint8Array(w * h * 4);
  let validPoints = 0;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const up = y > 0;
    const down = y < h - 1;
    for (let x = 0; x < w; x++) {
      const i = row + x;
      const o = i * 4;
      const c = z[i]!;
      if (c !== c) {
        out[o] = 128;
        out[o + 1] = 128;
        continue; // blue and alpha stay 0
      }
      validPoints++;
      // Slopes from whichever neighbours are measured (0 when neither is).
      const l = x > 0 ? z[i - 1]! : NaN;
      const r = x < w - 1 ? z[i + 1]! : NaN;
      const gx = r === r ? (l === l ? (r - l) * 0.5 : r - c) : l === l ? c - l : 0;
      const u = up ? z[i - w]! : NaN;
      const d = down ? z[i + w]! : NaN;
      const gy = d === d ? (u === u ? (d - u) * 0.5 : d - c) : u === u ? c - u : 0;
      out[o] = 128.5 + 127 * atanUnit(gx * k);
      out[o + 1] = 128.5 + 127 * atanUnit(gy * k);
      const t = (c - hmin) * heightScale;
      out[o + 2] = t < 0 ? 0 : t > 255 ? 255 : t;
      out[o + 3] = 255;
    }
  }
  return { width: w, height: h, rgba: out, slopeScale, range, validPoints };
}

/** The slope a stored byte stands for (the shader's decoding, for tests). */
export function decodeSlope(byte: number, slopeScale: number): number {
  return slopeScale * Math.tan(((byte - 128) / 127) * halfPi);
}
