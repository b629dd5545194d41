// Photometric stereo end to end: calibrated images → normals → slopes → height map (a Surface in metres).
import type { OpenCv } from '../opencv.ts';
import type { Surface } from '../surface.ts';
import { integrateGradients } from './integrate.ts';
import { estimateNormals, type NormalField, type NormalOptions, type PhotometricImages } from './normals.ts';

export interface ReconstructOptions extends NormalOptions {
  /** Calibrated pixel size on the specimen (metres per pixel), from the spatial calibration. */
  dx: number;
  dy?: number;
  /** Albedo below this fraction of the median albedo is treated as "no surface" (holes, outside the casing). Default 0. */
  minAlbedoFraction?: number;
}

export interface TopographyResult {
  /** Heights in metres, NaN where the validity mask is 0. */
  surface: Surface;
  normals: NormalField;
  /** 1 = height reconstructed from a measured normal. */
  valid: Uint8Array;
  validFraction: number;
  integrationIterations: number;
}

export function reconstructTopography(
  cv: OpenCv,
  input: PhotometricImages,
  options: ReconstructOptions,
): TopographyResult {
  if (!(options.dx > 0)) throw new RangeError(`pixel size must be positive, got ${options.dx}`);
  const dy = options.dy ?? options.dx;
  const normals = estimateNormals(input, options);
  const { width, height } = input;
  const n = width * height;
  const valid = normals.valid.slice();
  if (options.minAlbedoFraction) {
    const albedos = Array.from(normals.albedo.filter((_, i) => valid[i] === 1)).sort((a, b) => a - b);
    const threshold = (albedos[albedos.length >> 1] ?? 0) * options.minAlbedoFraction;
    for (let i = 0; i < n; i++) if (normals.albedo[i] < threshold) valid[i] = 0;
  }
  const p = new Float64Array(n);
  const q = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!valid[i]) continue;
    p[i] = -normals.nx[i] / normals.nz[i];
    q[i] = -normals.ny[i] / normals.nz[i];
  }
  const { z, iterations } = integrateGradients(cv, { width, height, p, q, valid, dx: options.dx, dy });
  let count = 0;
  for (let i = 0; i < n; i++) count += valid[i];
  return {
    surface: { width, height, dx: options.dx, dy, z },
    normals,
    valid,
    validFraction: count / n,
    integrationIterations: iterations,
  };
}
