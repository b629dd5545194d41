// Virtual calibration targets for the demo rig: height fields (and printed reflectance) that the simulated
// camera renders like any specimen, so every calibration runs end to end without hardware.
import type { HeightField } from './specimen.ts';

export interface Target {
  surface: HeightField;
  /** Printed reflectance per point (undefined = uniform). */
  albedoMap?: Float32Array;
  /** What the calibration may take as known (the certificate of a real target). */
  truth: Record<string, number>;
}

/** A uniform diffuse white plate, as used for flat-field correction. */
export function flatWhiteTarget(points: number, spacingM: number): Target {
  return {
    surface: { width: points, height: points, dx: spacingM, dy: spacingM, z: new Float64Array(points * points) },
    albedoMap: new Float32Array(points * points).fill(0.95),
    truth: { albedo: 0.95 },
  };
}

/**
 * Dark dots on a white plate: dot pitch and diameter in metres, rendered at `spacingM` per point with
 * anti-aliased edges (area coverage by 4 × 4 supersampling).
 */
export function dotGridTarget(points: number, spacingM: number, pitchM: number, diameterM: number): Target {
  const albedoMap = new Float32Array(points * points);
  const radius = diameterM / 2;
  const extent = points * spacingM;
  for (let y = 0; y < points; y++) {
    for (let x = 0; x < points; x++) {
      let covered = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          // Dots centred on the plate's centre and every pitch from it.
          const px = (x + (sx + 0.5) / 4) * spacingM - extent / 2;
          const py = (y + (sy + 0.5) / 4) * spacingM - extent / 2;
          const dx = px - Math.round(px / pitchM) * pitchM;
          const dy = py - Math.round(py / pitchM) * pitchM;
          if (dx * dx + dy * dy <= radius * radius) covered++;
        }
      }
      albedoMap[y * points + x] = 0.92 - (0.92 - 0.05) * (covered / 16);
    }
  }
  return {
    surface: { width: points, height: points, dx: spacingM, dy: spacingM, z: new Float64Array(points * points) },
    albedoMap,
    truth: { pitchM, diameterM },
  };
}

/** A matte sphere of radius `radiusM` resting on a plate (points outside the sphere are the plate, NaN-free). */
export function sphereTarget(points: number, spacingM: number, radiusM: number): Target {
  const z = new Float64Array(points * points);
  const centre = (points * spacingM) / 2;
  for (let y = 0; y < points; y++) {
    for (let x = 0; x < points; x++) {
      const dx = (x + 0.5) * spacingM - centre;
      const dy = (y + 0.5) * spacingM - centre;
      const r2 = dx * dx + dy * dy;
      z[y * points + x] = r2 < radiusM * radiusM ? Math.sqrt(radiusM * radiusM - r2) : 0;
    }
  }
  return {
    surface: { width: points, height: points, dx: spacingM, dy: spacingM, z },
    albedoMap: new Float32Array(points * points).fill(0.8),
    truth: { radiusM },
  };
}
