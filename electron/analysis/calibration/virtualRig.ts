// Frames from the demo rig's optics model, for calibrations, tests and benchmarks that must run without
// hardware. The real rig delivers the same RawFrame shape from its camera driver.
import {
  prepareSpecimen,
  renderImage,
  type CameraSettings,
  type HeightField,
  type Light,
  type SensorModel,
  type Specimen,
  type Target,
} from '../../../native/sim/optics/index.ts';
import type { RawFrame } from './frames.ts';

export interface VirtualRig {
  lights: Light[];
  camera: CameraSettings;
  sensor?: Partial<SensorModel>;
  /** Lens numerical aperture (defocus blur); the rig is in focus unless a defocus is given per frame. */
  numericalAperture?: number;
  /** How the specimen reflects (a metal primer is partly specular); calibration targets are matte. */
  reflectance?: { specular?: number; shininess?: number };
}

const matte = { specular: 0 };

let seedCounter = 1;

function frame(
  rig: VirtualRig,
  specimen: Specimen,
  lights: Light[],
  defocusM = 0,
  reflectance = rig.reflectance,
): RawFrame {
  const image = renderImage({
    specimen,
    lights,
    camera: rig.camera,
    sensor: rig.sensor,
    optics: { numericalAperture: rig.numericalAperture ?? 0.1, defocusM },
    reflectance,
    seed: seedCounter++,
  });
  return { width: image.width, height: image.height, bitDepth: image.bitDepth, data: image.data };
}

export function targetSpecimen(target: Target): Specimen {
  return prepareSpecimen(target.surface, { albedoMap: target.albedoMap });
}

/** Frames with every light off. */
export function captureDark(rig: VirtualRig, specimen: Specimen, count: number): RawFrame[] {
  return Array.from({ length: count }, () => frame(rig, specimen, []));
}

/** Frames of a matte calibration target under one light. */
export function captureTargetUnderLight(rig: VirtualRig, target: Specimen, light: number, count = 1): RawFrame[] {
  if (!rig.lights[light]) throw new RangeError(`the rig has no light ${light}`);
  return Array.from({ length: count }, () => frame(rig, target, [rig.lights[light]], 0, matte));
}

/** Frames under one light (index into rig.lights), the others off. */
export function captureUnderLight(
  rig: VirtualRig,
  specimen: Specimen,
  light: number,
  count = 1,
  defocusM = 0,
): RawFrame[] {
  if (!rig.lights[light]) throw new RangeError(`the rig has no light ${light}`);
  return Array.from({ length: count }, () => frame(rig, specimen, [rig.lights[light]], defocusM));
}

export function specimenOf(surface: HeightField): Specimen {
  return prepareSpecimen(surface);
}
