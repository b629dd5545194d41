// Grey images (one per light) arrive from the host as 8- or 16-bit samples; the screen shows 8 bits through a
// contrast window, by default the 0.5–99.5 % quantiles so a dim frame is still readable. Pixels at the sensor's
// top value are tinted red, so saturation is visible at a glance.

export interface GreyImage {
  width: number;
  height: number;
  /** Row-major samples. */
  data: Uint8Array | Uint16Array;
  /** Largest value a sample can take (255 or 65535, or the sensor's own white level). */
  maxValue: number;
}

export function autoWindow(image: GreyImage, low = 0.005, high = 0.995): { lo: number; hi: number } {
  const { data } = image;
  const step = Math.max(1, Math.floor(data.length / 65536));
  const sample: number[] = [];
  for (let i = 0; i < data.length; i += step) sample.push(data[i]!);
  if (sample.length === 0) return { lo: 0, hi: image.maxValue };
  sample.sort((a, b) => a - b);
  const at = (q: number) => sample[Math.round(q * (sample.length - 1))]!;
  const lo = at(low);
  const hi = at(high);
  return hi > lo ? { lo, hi } : { lo, hi: lo + 1 };
}

/** Writes RGBA into `out`; `markSaturated` tints samples at or above `maxValue`. */
export function greyToRgba(
  image: GreyImage,
  window: { lo: number; hi: number },
  out: Uint8ClampedArray,
  markSaturated = true,
): void {
  const { data, maxValue } = image;
  if (out.length !== image.width * image.height * 4)
    throw new RangeError('output buffer does not match the image size');
  const scale = 255 / (window.hi - window.lo);
  for (let i = 0, o = 0; i < data.length; i++, o += 4) {
    const v = data[i]!;
    if (markSaturated && v >= maxValue) {
      out[o] = 255;
      out[o + 1] = 40;
      out[o + 2] = 40;
    } else {
      const g = (v - window.lo) * scale;
      out[o] = g;
      out[o + 1] = g;
      out[o + 2] = g;
    }
    out[o + 3] = 255;
  }
}
