// Shaded relief of a height map: normals are computed once per map (and per relief exaggeration), then every
// change of the virtual light only re-runs `shadeRelief`, a dot product per pixel into a canvas ImageData buffer.
// Screen axes: x to the right, y down, z towards the viewer. Azimuth 0° = light from the top of the screen,
// turning clockwise; elevation 90° = light straight from the viewer.
import { colourTable } from '../../../shared/heightColour.ts';

export interface HeightMap {
  width: number;
  height: number;
  /** Heights in micrometres, row-major; NaN = not measured. */
  heights: Float32Array;
  /** Lateral size of one pixel in micrometres. */
  pixelUm: number;
}

export interface Normals {
  width: number;
  height: number;
  /** Unit normal components per pixel; NaN in nx marks an invalid pixel. */
  nx: Float32Array;
  ny: Float32Array;
  nz: Float32Array;
}

/**
 * Surface normals from central differences (one-sided next to an edge or an invalid neighbour).
 * `exaggeration` scales the slopes, so shallow tool marks can be made to read clearly.
 */
export function computeNormals(map: HeightMap, exaggeration = 1): Normals {
  const { width: w, height: h, heights: z, pixelUm } = map;
  const n = w * h;
  if (z.length !== n) throw new RangeError(`height map holds ${z.length} values, expected ${w} × ${h}`);
  const nx = new Float32Array(n);
  const ny = new Float32Array(n);
  const nz = new Float32Array(n);
  const k = exaggeration / pixelUm;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const i = row + x;
      const c = z[i]!;
      if (c !== c) {
        nx[i] = NaN;
        continue;
      }
      // Slopes along x and y, each from whichever neighbours are valid (0 when neither is).
      const l = x > 0 ? z[i - 1]! : NaN;
      const r = x < w - 1 ? z[i + 1]! : NaN;
      const gx = r === r ? (l === l ? (r - l) / 2 : r - c) : l === l ? c - l : 0;
      const u = y > 0 ? z[i - w]! : NaN;
      const d = y < h - 1 ? z[i + w]! : NaN;
      const gy = d === d ? (u === u ? (d - u) / 2 : d - c) : u === u ? c - u : 0;
      const sx = -gx * k;
      const sy = -gy * k;
      const inv = 1 / Math.sqrt(sx * sx + sy * sy + 1);
      nx[i] = sx * inv;
      ny[i] = sy * inv;
      nz[i] = inv;
    }
  }
  return { width: w, height: h, nx, ny, nz };
}

/** Unit vector towards the light. */
export function lightVector(azimuthDeg: number, elevationDeg: number): [number, number, number] {
  const az = (azimuthDeg * Math.PI) / 180;
  const el = (elevationDeg * Math.PI) / 180;
  return [Math.sin(az) * Math.cos(el), -Math.cos(az) * Math.cos(el), Math.sin(el)];
}

export interface ShadeOptions {
  azimuthDeg: number;
  elevationDeg: number;
  /** Share of light that reaches every surface regardless of its slope (keeps faces turned away readable). */
  ambient?: number;
  /** Colour by height (needs `heights` and `range`), modulated by the shading. */
  falseColour?: { heights: Float32Array; range: { min: number; max: number } };
}

/** Invalid pixels get a diagonal hatch in two dark reds, so missing data cannot be mistaken for a shadow. */
export const invalidHatch: [[number, number, number], [number, number, number]] = [
  [120, 30, 60],
  [70, 20, 40],
];

/** Writes RGBA pixels for the whole map into `out` (length width × height × 4). */
export function shadeRelief(normals: Normals, options: ShadeOptions, out: Uint8ClampedArray): void {
  const { width: w, height: h, nx, ny, nz } = normals;
  if (out.length !== w * h * 4) throw new RangeError('output buffer does not match the map size');
  const [lx, ly, lz] = lightVector(options.azimuthDeg, options.elevationDeg);
  const ambient = options.ambient ?? 0.15;
  const diffuse = 1 - ambient;
  const fc = options.falseColour;
  const scale = fc ? 255 / (fc.range.max - fc.range.min) : 0;
  const base = fc ? fc.range.min : 0;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const i = row + x;
      const o = i * 4;
      const a = nx[i]!;
      if (a !== a) {
        const c = invalidHatch[((x + y) >> 3) & 1]!;
        out[o] = c[0];
        out[o + 1] = c[1];
        out[o + 2] = c[2];
        out[o + 3] = 255;
        continue;
      }
      const dot = a * lx + ny[i]! * ly + nz[i]! * lz;
      const s = ambient + diffuse * (dot > 0 ? dot : 0);
      if (fc) {
        let t = ((fc.heights[i]! - base) * scale) | 0;
        t = t < 0 ? 0 : t > 255 ? 255 : t;
        out[o] = colourTable[t * 3]! * s;
        out[o + 1] = colourTable[t * 3 + 1]! * s;
        out[o + 2] = colourTable[t * 3 + 2]! * s;
      } else {
        const g = 255 * s;
        out[o] = g;
        out[o + 1] = g;
        out[o + 2] = g;
      }
      out[o + 3] = 255;
    }
  }
}

/** A round length for a scale bar: 1, 2 or 5 × 10ⁿ µm, the largest not longer than `maxUm`. */
export function niceLength(maxUm: number): number {
  if (!(maxUm > 0)) return 0;
  const p = 10 ** Math.floor(Math.log10(maxUm));
  for (const m of [5, 2, 1]) if (m * p <= maxUm) return m * p;
  return p;
}
