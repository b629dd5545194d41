// The report's CMC overlay picture: scan A as shaded relief in the analysis's display frame (A's extent at the
// working resolution), with every cell of the A→B direction drawn where it lies on A — congruent cells filled and
// outlined in green, the others outlined in grey. Made from the stored analysis (cells, frame) and A's original
// X3P, so the picture shows the analysis exactly as recorded; nothing is recomputed.
import type { StoredAnalysis } from '../../../../contract/examination.ts';
import { readX3P } from '../../../../analysis/x3p/index.ts';
import { encodePng } from '../../../../analysis/calibration/png.ts';

type Rgb = [number, number, number];
const congruentColour: Rgb = [40, 200, 90];
const otherColour: Rgb = [170, 170, 170];
const noData: Rgb = [40, 44, 60];

/** Relief shading of a height grid (light from the upper left): tilt-free, contrast from the gradients' spread. */
function shade(z: Float64Array, width: number, height: number): Float64Array {
  const out = new Float64Array(width * height).fill(NaN);
  const slopes: number[] = [];
  for (let y = 1; y < height - 1; y++)
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const s = z[i + 1] - z[i - 1] + (z[i + width] - z[i - width]);
      if (Number.isFinite(s)) {
        out[i] = s;
        if ((x + y) % 3 === 0) slopes.push(Math.abs(s));
      }
    }
  slopes.sort((a, b) => a - b);
  const spread = slopes[Math.floor(slopes.length * 0.95)] || 1;
  for (let i = 0; i < out.length; i++)
    if (Number.isFinite(out[i])) out[i] = Math.max(0, Math.min(1, 0.5 - (0.45 * out[i]) / spread));
  return out;
}

/** Box-averaged heights of `surface` on a `width` × `height` grid covering its whole extent. */
function resample(
  surface: { width: number; height: number; z: Float64Array },
  width: number,
  height: number,
): Float64Array {
  const out = new Float64Array(width * height);
  const fx = surface.width / width;
  const fy = surface.height / height;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let sum = 0;
      let n = 0;
      const x0 = Math.floor(x * fx);
      const y0 = Math.floor(y * fy);
      const x1 = Math.max(x0 + 1, Math.floor((x + 1) * fx));
      const y1 = Math.max(y0 + 1, Math.floor((y + 1) * fy));
      // A sparse sample of the block is enough for a picture and keeps large scans fast.
      const step = Math.max(1, Math.floor((x1 - x0) / 3));
      for (let v = y0; v < y1 && v < surface.height; v += step)
        for (let u = x0; u < x1 && u < surface.width; u += step) {
          const value = surface.z[v * surface.width + u];
          if (Number.isFinite(value)) {
            sum += value;
            n++;
          }
        }
      out[y * width + x] = n ? sum / n : NaN;
    }
  return out;
}

function insidePolygon(px: number, py: number, polygon: [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * The overlay as an RGB PNG at most `maxSide` pixels a side, or null when A's X3P cannot be read. The analysis's
 * frame is A at the working resolution; A's original covers the same extent, so it is resampled onto it.
 */
export function cmcOverlayPng(x3p: Uint8Array, analysis: StoredAnalysis, maxSide = 420): Uint8Array | null {
  let surface;
  try {
    surface = readX3P(x3p).surface;
  } catch {
    return null;
  }
  const frame = analysis.frame;
  const scale = maxSide / Math.max(frame.width, frame.height);
  const width = Math.max(1, Math.round(frame.width * scale));
  const height = Math.max(1, Math.round(frame.height * scale));
  const relief = shade(resample(surface, width, height), width, height);
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < relief.length; i++) {
    const colour: Rgb = Number.isFinite(relief[i]) ? [relief[i] * 255, relief[i] * 255, relief[i] * 255] : noData;
    rgb.set(colour.map(Math.round), i * 3);
  }
  const direction = analysis.directions.find((d) => d.reference === 'a') ?? analysis.directions[0];
  const blend = (x: number, y: number, colour: Rgb, alpha: number) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const at = (y * width + x) * 3;
    for (let c = 0; c < 3; c++) rgb[at + c] = Math.round(rgb[at + c] * (1 - alpha) + colour[c] * alpha);
  };
  // Grey cells first, so congruent outlines are drawn over their neighbours'.
  const cells = [...direction.cells].sort((p, q) => Number(p.congruent) - Number(q.congruent));
  for (const cell of cells) {
    const polygon = cell.reference.map(([x, y]) => [x * scale, y * scale] as [number, number]);
    const colour = cell.congruent ? congruentColour : otherColour;
    const xs = polygon.map((p) => p[0]);
    const ys = polygon.map((p) => p[1]);
    const [left, right] = [Math.floor(Math.min(...xs)), Math.ceil(Math.max(...xs))];
    const [top, bottom] = [Math.floor(Math.min(...ys)), Math.ceil(Math.max(...ys))];
    for (let y = top; y <= bottom; y++)
      for (let x = left; x <= right; x++) {
        const inside = insidePolygon(x + 0.5, y + 0.5, polygon);
        if (!inside) continue;
        const edge =
          !insidePolygon(x - 0.5, y + 0.5, polygon) ||
          !insidePolygon(x + 1.5, y + 0.5, polygon) ||
          !insidePolygon(x + 0.5, y - 0.5, polygon) ||
          !insidePolygon(x + 0.5, y + 1.5, polygon);
        if (edge) blend(x, y, colour, cell.congruent ? 1 : 0.7);
        else if (cell.congruent) blend(x, y, colour, 0.25);
      }
  }
  return encodePng({ width, height, bitDepth: 8, colour: 'rgb', data: rgb });
}
