// Light geometry in the camera frame (x right, y down the image, z towards the camera). A direction points
// from the specimen towards the light; intensity scales the irradiance (1 = the sensor's reference level).

export type Vec3 = [number, number, number];

export interface Light {
  direction: Vec3;
  intensity: number;
}

export function normalise(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  if (!(n > 0)) throw new RangeError('light direction must be a non-zero vector');
  return [v[0] / n, v[1] / n, v[2] / n];
}

/** Direction of a light at an azimuth (degrees, 0 = +x, 90 = +y i.e. towards the image bottom) and elevation above the specimen plane. */
export function directionFromAngles(azimuthDeg: number, elevationDeg: number): Vec3 {
  const az = (azimuthDeg * Math.PI) / 180;
  const el = (elevationDeg * Math.PI) / 180;
  return [Math.cos(el) * Math.cos(az), Math.cos(el) * Math.sin(az), Math.sin(el)];
}

/** The segments of a ring light, evenly spaced in azimuth starting at `firstAzimuthDeg`. */
export function ringSegments(count: number, elevationDeg: number, intensity = 1, firstAzimuthDeg = 0): Light[] {
  return Array.from({ length: count }, (_, k) => ({
    direction: directionFromAngles(firstAzimuthDeg + (360 * k) / count, elevationDeg),
    intensity,
  }));
}

/** A coaxial light (through the objective): straight down the optical axis. */
export function coaxialLight(intensity = 1): Light {
  return { direction: [0, 0, 1], intensity };
}

/**
 * A whole ring (all segments on) is modelled as its segments together; a smooth ring of `count` segments
 * is a good approximation for count ≥ 8.
 */
export function fullRing(count: number, elevationDeg: number, totalIntensity = 1): Light[] {
  return ringSegments(count, elevationDeg, totalIntensity / count);
}

/** The demo rig: an 8-segment ring light at 30° elevation (segment 0 towards +x) and a coaxial light. */
export const demoRigGeometry = { segments: 8, elevationDeg: 30, firstAzimuthDeg: 0 } as const;

/** Lights of the demo rig for given levels (0..1) per ring segment and for the coaxial light. */
export function demoRigLights(segmentLevels: readonly number[], coaxialLevel = 0): Light[] {
  const { segments, elevationDeg, firstAzimuthDeg } = demoRigGeometry;
  if (segmentLevels.length !== segments)
    throw new RangeError(`the demo ring has ${segments} segments, got ${segmentLevels.length} levels`);
  const ring = ringSegments(segments, elevationDeg, 1, firstAzimuthDeg).map((light, k) => ({
    ...light,
    intensity: segmentLevels[k],
  }));
  return coaxialLevel > 0 ? [...ring, coaxialLight(coaxialLevel)] : ring;
}
