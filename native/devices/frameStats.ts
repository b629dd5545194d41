// Numbers the live view shows about a frame: a focus measure, a histogram and the saturated fraction.
// Computed on a decimated grid (every `step`-th pixel and row) so 1024² frames cost well under a millisecond.
import type { Frame } from './kinds.ts';

function sampleAt(frame: Frame): (i: number) => number {
  if (frame.pixelFormat === 'Mono8') return (i) => frame.data[i];
  return (i) => frame.data[2 * i] | (frame.data[2 * i + 1] << 8);
}

/** Mean squared Laplacian (Tenengrad-like sharpness); larger = sharper. Normalised to 8-bit scale. */
export function focusMeasure(frame: Frame, step = 1): number {
  const { width: w, height: h } = frame;
  const at = sampleAt(frame);
  const scale = frame.pixelFormat === 'Mono8' ? 1 : 1 / 257;
  let sum = 0;
  let count = 0;
  for (let y = 1; y < h - 1; y += step) {
    for (let x = 1; x < w - 1; x += step) {
      const i = y * w + x;
      const lap = (4 * at(i) - at(i - 1) - at(i + 1) - at(i - w) - at(i + w)) * scale;
      sum += lap * lap;
      count++;
    }
  }
  return count > 0 ? sum / count : 0;
}

export interface FrameHistogram {
  /** 256 bins over the full range of the pixel format. */
  bins: Uint32Array;
  saturatedFraction: number;
  mean: number;
}

export function histogram(frame: Frame, step = 1): FrameHistogram {
  const bins = new Uint32Array(256);
  const at = sampleAt(frame);
  const shift = frame.pixelFormat === 'Mono8' ? 0 : 8;
  const full = frame.pixelFormat === 'Mono8' ? 255 : 65535;
  let saturated = 0;
  let count = 0;
  let sum = 0;
  for (let y = 0; y < frame.height; y += step) {
    for (let x = 0; x < frame.width; x += step) {
      const v = at(y * frame.width + x);
      bins[v >> shift]++;
      if (v >= full) saturated++;
      sum += v >> shift;
      count++;
    }
  }
  return { bins, saturatedFraction: count ? saturated / count : 0, mean: count ? sum / count : 0 };
}
