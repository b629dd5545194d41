// Focus measure: Tenengrad (mean squared Sobel gradient) over a central region, divided by the squared mean
// intensity so that a change of exposure or light level does not look like a change of focus.
import type { RawFrame } from '../calibration/frames.ts';

export interface SharpnessOptions {
  /** Fraction of the frame (centred) that is measured; default 0.5 (the middle quarter of the area). */
  roiFraction?: number;
  /** Every n-th row and column is used as a centre pixel; default chosen for about 256 × 256 samples. */
  stride?: number;
}

export function sharpness(frame: Pick<RawFrame, 'width' | 'height' | 'data'>, options: SharpnessOptions = {}): number {
  const { width, height, data } = frame;
  if (data.length !== width * height)
    throw new RangeError(`frame holds ${data.length} pixels, expected ${width} × ${height}`);
  const fraction = Math.min(Math.max(options.roiFraction ?? 0.5, 0.05), 1);
  const roiW = Math.max(3, Math.floor(width * fraction));
  const roiH = Math.max(3, Math.floor(height * fraction));
  const x0 = Math.max(1, Math.floor((width - roiW) / 2));
  const y0 = Math.max(1, Math.floor((height - roiH) / 2));
  const x1 = Math.min(width - 1, x0 + roiW);
  const y1 = Math.min(height - 1, y0 + roiH);
  const stride = options.stride ?? Math.max(1, Math.floor(Math.min(x1 - x0, y1 - y0) / 256));
  let energy = 0;
  let sum = 0;
  let n = 0;
  for (let y = y0; y < y1; y += stride) {
    for (let x = x0; x < x1; x += stride) {
      const i = y * width + x;
      const a = data[i - width - 1];
      const b = data[i - width];
      const c = data[i - width + 1];
      const d = data[i - 1];
      const f = data[i + 1];
      const g = data[i + width - 1];
      const h = data[i + width];
      const k = data[i + width + 1];
      const gx = c + 2 * f + k - a - 2 * d - g;
      const gy = g + 2 * h + k - a - 2 * b - c;
      energy += gx * gx + gy * gy;
      sum += data[i];
      n++;
    }
  }
  const mean = sum / n;
  return mean > 0 ? energy / n / (mean * mean) : 0;
}
