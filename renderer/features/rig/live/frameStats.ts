// Numbers the live view shows about an 8-bit grey frame: a focus measure, a histogram and the saturated
// fraction. The same definitions as the host's (native/devices/frameStats.ts), so a frame from a UVC microscope
// grabbed in the browser and a frame from the rig read on one scale. Decimated (every `step`-th pixel and
// row) so a 1024² frame costs about a millisecond in the UI thread.

/** Above this fraction of pixels at 255 the live view warns that the image is saturated (0.5 %). */
export const saturationWarningFraction = 0.005;

/** Below this mean grey level (of 255) the live view says the image is black and what to do about it. */
export const darkImageMean = 6;

export interface FrameStats {
  /** Mean squared Laplacian on the 8-bit scale; larger = sharper. */
  focus: number;
  /** 256 bins, one per grey level. */
  histogram: Uint32Array;
  saturatedFraction: number;
  mean: number;
}

export function focusMeasure(pixels: Uint8Array | Uint8ClampedArray, width: number, height: number, step = 1): number {
  let sum = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y += step) {
    const row = y * width;
    for (let x = 1; x < width - 1; x += step) {
      const i = row + x;
      const lap = 4 * pixels[i] - pixels[i - 1] - pixels[i + 1] - pixels[i - width] - pixels[i + width];
      sum += lap * lap;
      count++;
    }
  }
  return count > 0 ? sum / count : 0;
}

export function frameStats(
  pixels: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  step = 1,
): FrameStats {
  if (pixels.length < width * height)
    throw new RangeError(`frame has ${pixels.length} pixels, expected ${width}×${height}`);
  const histogram = new Uint32Array(256);
  let sum = 0;
  let count = 0;
  for (let y = 0; y < height; y += step) {
    const row = y * width;
    for (let x = 0; x < width; x += step) {
      const v = pixels[row + x];
      histogram[v]++;
      sum += v;
      count++;
    }
  }
  return {
    focus: focusMeasure(pixels, width, height, step),
    histogram,
    saturatedFraction: count ? histogram[255] / count : 0,
    mean: count ? sum / count : 0,
  };
}

/** Rec. 601 luma of RGBA pixels (what a canvas gives back) into `out`, integer arithmetic. */
export function greyFromRgba(rgba: Uint8ClampedArray, out: Uint8Array): Uint8Array {
  const n = Math.min(out.length, rgba.length >> 2);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    out[i] = (rgba[j] * 77 + rgba[j + 1] * 150 + rgba[j + 2] * 29 + 128) >> 8;
  }
  return out;
}
