// Light directions and relative intensities per channel from images of a matte sphere (a reference object of
// known shape): every sphere pixel has a known normal, so each light vector s (direction × intensity) is the
// least-squares solution of I = s·n over the pixels that light reaches. Photometric stereo uses the result.
import type { CalibrationProblem } from '../../contract/acquisitions.ts';
import type { Vec3 } from '../photometric/normals.ts';
import { NormalEquations } from './leastSquares.ts';
import { CalibrationError } from './errors.ts';

/** A light whose Lambertian fit misses the sphere by more than this (relative RMS) fails the calibration. */
export const maxLightMisfit = 0.1;

/** The lights the sphere fit does not explain well enough: their misfit is above maxLightMisfit. */
export function lightProblems(lights: { channel: string; relativeResidual: number }[]): CalibrationProblem[] {
  return lights
    .filter((l) => l.relativeResidual > maxLightMisfit)
    .map((l): CalibrationProblem => ({
      code: 'light_misfit',
      channel: l.channel,
      value: l.relativeResidual,
      limit: maxLightMisfit,
    }));
}

export interface SphereImage {
  width: number;
  height: number;
  /** Dark-subtracted (and flat-fielded) linear image of the sphere under one light. */
  linear: Float32Array;
}

export interface SphereGeometry {
  cx: number;
  cy: number;
  radius: number;
}

export interface LightCalibration {
  direction: Vec3;
  /** Relative radiant intensity, brightest channel = 1. */
  intensity: number;
  /** Elevation above the specimen plane and azimuth (0 = +x, 90 = +y, image down), degrees. */
  elevationDeg: number;
  azimuthDeg: number;
  /** RMS misfit of the Lambertian model over the lit pixels, relative to the mean lit value. */
  relativeResidual: number;
  pixelsUsed: number;
}

/**
 * Finds the sphere in an image under the coaxial light: the rim, where the surface turns away from the
 * axis, is dark (below half the plate's brightness), forming an annulus whose centroid is the centre and
 * whose outer edge is the radius.
 */
export function locateSphere(coaxial: SphereImage): SphereGeometry {
  const { width, height, linear } = coaxial;
  const sample = Array.from({ length: 4000 }, (_, i) => linear[Math.floor((i * linear.length) / 4000)]).sort(
    (a, b) => a - b,
  );
  const bright = sample[Math.floor(sample.length * 0.9)];
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (linear[y * width + x] < 0.5 * bright) {
        n++;
        sx += x + 0.5;
        sy += y + 0.5;
      }
    }
  }
  if (n < 50)
    throw new CalibrationError(
      'sphere_not_found',
      'sphere: no dark rim found under the coaxial light; is the sphere in view?',
    );
  const cx = sx / n;
  const cy = sy / n;
  const distances: number[] = [];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (linear[y * width + x] < 0.5 * bright) distances.push(Math.hypot(x + 0.5 - cx, y + 0.5 - cy));
  distances.sort((a, b) => a - b);
  const radius = distances[Math.floor(distances.length * 0.99)];
  if (cx - radius < 0 || cy - radius < 0 || cx + radius > width || cy + radius > height)
    throw new CalibrationError('sphere_cut', 'sphere: the sphere is cut by the image border; centre it');
  return { cx, cy, radius };
}

export function calibrateLightsFromSphere(images: SphereImage[], sphere: SphereGeometry): LightCalibration[] {
  if (images.length === 0) throw new RangeError('sphere: no images');
  const results = images.map((image) => fitLight(image, sphere));
  const brightest = Math.max(...results.map((r) => r.intensity));
  if (!(brightest > 0)) throw new CalibrationError('sphere_unlit', 'sphere: no light reached the sphere');
  return results.map((r) => ({ ...r, intensity: r.intensity / brightest }));
}

function fitLight(image: SphereImage, sphere: SphereGeometry): LightCalibration {
  const { width, linear } = image;
  const { cx, cy, radius } = sphere;
  // Stay inside 95 % of the radius: the rim is blurred and its normals are least certain.
  const samples: { n: Vec3; value: number }[] = [];
  const r0 = Math.max(0, Math.floor(cy - radius));
  const r1 = Math.min(image.height, Math.ceil(cy + radius));
  for (let y = r0; y < r1; y++) {
    for (let x = Math.max(0, Math.floor(cx - radius)); x < Math.min(width, Math.ceil(cx + radius)); x++) {
      const nx = (x + 0.5 - cx) / radius;
      const ny = (y + 0.5 - cy) / radius;
      const rr = nx * nx + ny * ny;
      if (rr > 0.95 * 0.95) continue;
      samples.push({ n: [nx, ny, Math.sqrt(1 - rr)], value: linear[y * width + x] });
    }
  }
  const peak = samples.reduce((m, s) => Math.max(m, s.value), 0);
  if (samples.length < 100 || !(peak > 0))
    throw new CalibrationError('sphere_unlit', 'sphere: too few lit sphere pixels');
  // Start from clearly lit pixels, then use exactly those the fitted light faces (attached shadow excluded).
  let lit = (s: { n: Vec3; value: number }) => s.value > 0.1 * peak;
  let vector: Vec3 = [0, 0, 1];
  let used = 0;
  for (let iteration = 0; iteration < 4; iteration++) {
    const equations = new NormalEquations(3);
    for (const s of samples) if (lit(s)) equations.add(s.n, s.value);
    const solution = equations.solve();
    if (!solution) throw new CalibrationError('sphere_unlit', 'sphere: the lit area is too small to fit a light');
    vector = [solution[0], solution[1], solution[2]];
    used = equations.rows;
    const length = Math.hypot(...vector);
    const unit = vector.map((v) => v / length);
    lit = (s) => s.n[0] * unit[0] + s.n[1] * unit[1] + s.n[2] * unit[2] > 0.15;
  }
  const intensity = Math.hypot(...vector);
  const direction = vector.map((v) => v / intensity) as Vec3;
  let misfit = 0;
  let sum = 0;
  let count = 0;
  for (const s of samples) {
    if (!lit(s)) continue;
    const predicted = s.n[0] * vector[0] + s.n[1] * vector[1] + s.n[2] * vector[2];
    misfit += (s.value - predicted) ** 2;
    sum += s.value;
    count++;
  }
  return {
    direction,
    intensity,
    elevationDeg: (Math.asin(Math.min(1, direction[2])) * 180) / Math.PI,
    azimuthDeg: ((Math.atan2(direction[1], direction[0]) * 180) / Math.PI + 360) % 360,
    relativeResidual: count > 0 ? Math.sqrt(misfit / count) / (sum / count) : 1,
    pixelsUsed: used,
  };
}
