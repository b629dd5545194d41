// Downsampled views of stored acquisition files for the viewer: images as contrast-stretched 8-bit grey,
// topographies as float32 micrometre heights. Block averaging keeps the view faithful (no aliasing of tool
// marks into false lines); NaN points are left out of a block's average and a block of only NaN stays NaN.
import type { AcquisitionPreview } from '../../../contract/acquisitions.ts';
import type { PngImage } from '../../../analysis/calibration/png.ts';
import type { Surface } from '../../../analysis/surface.ts';

function factorFor(width: number, height: number, maxSize: number): number {
  return Math.max(1, Math.ceil(Math.max(width, height) / maxSize));
}

/** Grey levels of an image (RGB averaged), as floats. */
export function greyOf(image: PngImage): Float32Array {
  const n = image.width * image.height;
  const out = new Float32Array(n);
  if (image.colour === 'grey') for (let i = 0; i < n; i++) out[i] = image.data[i];
  else for (let i = 0; i < n; i++) out[i] = (image.data[3 * i] + image.data[3 * i + 1] + image.data[3 * i + 2]) / 3;
  return out;
}

function blockAverage(
  values: ArrayLike<number>,
  width: number,
  height: number,
  factor: number,
): { data: Float32Array; width: number; height: number } {
  const w = Math.ceil(width / factor);
  const h = Math.ceil(height / factor);
  const data = new Float32Array(w * h);
  for (let by = 0; by < h; by++) {
    for (let bx = 0; bx < w; bx++) {
      let sum = 0;
      let n = 0;
      for (let y = by * factor; y < Math.min(height, (by + 1) * factor); y++) {
        for (let x = bx * factor; x < Math.min(width, (bx + 1) * factor); x++) {
          const v = values[y * width + x];
          if (v === v) {
            sum += v;
            n++;
          }
        }
      }
      data[by * w + bx] = n ? sum / n : NaN;
    }
  }
  return { data, width: w, height: h };
}

function percentiles(values: Float32Array, low: number, high: number): [number, number] {
  const finite = values.filter((v) => v === v).sort();
  if (finite.length === 0) return [0, 1];
  const at = (p: number) => finite[Math.min(finite.length - 1, Math.floor(p * finite.length))];
  return [at(low), at(high)];
}

/** Grey levels block-averaged down to `maxSize` and stretched to 8 bits between their 0.5 % and 99.5 % levels. */
export function stretchedGrey(values: ArrayLike<number>, width: number, height: number, maxSize: number) {
  const small = blockAverage(values, width, height, factorFor(width, height, maxSize));
  // 0.5 %..99.5 % so a few hot or dead pixels do not flatten the picture.
  const [low, high] = percentiles(small.data, 0.005, 0.995);
  const span = high > low ? high - low : 1;
  const data = new Uint8Array(small.data.length);
  for (let i = 0; i < data.length; i++)
    data[i] = Math.max(0, Math.min(255, Math.round(((small.data[i] - low) / span) * 255)));
  return { width: small.width, height: small.height, data, low, high };
}

export function imagePreview(image: PngImage, role: string, maxSize: number): AcquisitionPreview {
  const grey = stretchedGrey(greyOf(image), image.width, image.height, maxSize);
  return { kind: 'image', role, sourceWidth: image.width, sourceHeight: image.height, ...grey };
}

export function topographyPreview(surface: Surface, role: string, maxSize: number): AcquisitionPreview {
  const factor = factorFor(surface.width, surface.height, maxSize);
  const small = blockAverage(surface.z, surface.width, surface.height, factor);
  let zMin = Infinity;
  let zMax = -Infinity;
  for (let i = 0; i < small.data.length; i++) {
    const um = small.data[i] * 1e6;
    small.data[i] = um;
    if (um === um) {
      if (um < zMin) zMin = um;
      if (um > zMax) zMax = um;
    }
  }
  if (zMin > zMax) zMin = zMax = 0;
  const data = new Uint8Array(small.data.buffer as ArrayBuffer);
  // Float32Array is platform-endian; every platform we ship on is little-endian, as the contract states.
  return {
    kind: 'topography',
    role,
    width: small.width,
    height: small.height,
    sourceWidth: surface.width,
    sourceHeight: surface.height,
    spacingUm: surface.dx * 1e6 * factor,
    data,
    zMinUm: zMin,
    zMaxUm: zMax,
  };
}
