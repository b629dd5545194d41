// A whole rig calibration from its captures: dark frame, flat field per light channel, spatial scale from
// the dot grid, light vectors from the sphere, and the uniformity/repeatability report. The result is what a
// calibration record stores (with operator, date, rig profile, device serials and expiry, added by the host).
import type { CalibrationProblem } from '../../contract/acquisitions.ts';
import type { OpenCv } from '../opencv.ts';
import type { CalibratedLight } from '../photometric/normals.ts';
import {
  buildDarkFrame,
  buildFlatField,
  correctFrame,
  type DarkFrame,
  type FlatField,
  type RawFrame,
} from './frames.ts';
import {
  calibrateLightsFromSphere,
  lightProblems,
  locateSphere,
  type LightCalibration,
  type SphereGeometry,
} from './lights.ts';
import { problemEnglish } from './problems.ts';
import { uniformityReport, type UniformityReport } from './report.ts';
import { calibrateFromDotGrid, type SpatialCalibration } from './spatial.ts';
import { CalibrationError } from './errors.ts';

export interface CalibrationCaptures {
  channels: { name: string; coaxial?: boolean }[];
  /** Frames with every light off (≥ 2 for the noise estimate). */
  dark: RawFrame[];
  /** Per channel: frames of the uniform white target (≥ 2 for repeatability). */
  flats: RawFrame[][];
  /** The dot-grid target under the coaxial light. */
  dotGrid: RawFrame;
  dotPitchM: number;
  /** Per channel: the sphere under that channel alone. */
  sphere: RawFrame[];
}

export interface RigCalibration {
  dark: DarkFrame;
  flats: FlatField[];
  spatial: SpatialCalibration;
  sphere: SphereGeometry;
  /** Per non-coaxial channel, in channel order; the coaxial light is straight down with intensity from its flat. */
  lights: (LightCalibration & { channel: string })[];
  uniformity: UniformityReport;
  passed: boolean;
  problems: CalibrationProblem[];
  messages: string[];
}

export function calibrateRig(cv: OpenCv, captures: CalibrationCaptures): RigCalibration {
  const { channels } = captures;
  if (captures.flats.length !== channels.length || captures.sphere.length !== channels.length) {
    throw new RangeError(
      `calibration: ${channels.length} channels but ${captures.flats.length} flat sets and ${captures.sphere.length} sphere frames`,
    );
  }
  const coaxial = channels.findIndex((c) => c.coaxial);
  if (coaxial < 0)
    throw new CalibrationError(
      'no_coaxial_light',
      'calibration: the sphere is located under the coaxial light; the rig has none',
    );
  const dark = buildDarkFrame(captures.dark);
  const flats = captures.flats.map((frames) => buildFlatField(frames, dark));
  const spatial = calibrateFromDotGrid(cv, captures.dotGrid, { pitchM: captures.dotPitchM });
  const sphereImages = captures.sphere.map((frame, k) => correctFrame(frame, dark, flats[k]));
  const sphere = locateSphere(sphereImages[coaxial]);
  const ringIndices = channels.map((_, k) => k).filter((k) => k !== coaxial);
  const fitted = calibrateLightsFromSphere(
    ringIndices.map((k) => sphereImages[k]),
    sphere,
  );
  const lights = fitted.map((light, i) => ({ ...light, channel: channels[ringIndices[i]].name }));
  const uniformity = uniformityReport(
    channels.map((c, k) => ({ name: c.name, flat: flats[k], repeats: captures.flats[k] })),
    dark,
  );
  const problems: CalibrationProblem[] = [
    ...spatial.problems,
    ...uniformity.channels.flatMap((c) => c.problems),
    ...lightProblems(lights),
  ];
  const messages = problems.map(problemEnglish);
  return { dark, flats, spatial, sphere, lights, uniformity, passed: problems.length === 0, problems, messages };
}

/**
 * Light vectors for photometric stereo in channel order. Ring channels come from the sphere fit; the coaxial
 * light is along the axis, its intensity relative to the ring from the flat target (a flat diffuser returns
 * intensity × cos(elevation) of each light).
 */
export function photometricLights(
  calibration: RigCalibration,
  channels: { name: string; coaxial?: boolean }[],
): CalibratedLight[] {
  const ringScale = calibration.lights.map((light) => {
    const k = channels.findIndex((c) => c.name === light.channel);
    return calibration.flats[k].levelDn / (light.intensity * light.direction[2]);
  });
  const perUnitIntensity = ringScale.reduce((a, b) => a + b, 0) / ringScale.length;
  return channels.map((channel, k) => {
    if (channel.coaxial) return { direction: [0, 0, 1], intensity: calibration.flats[k].levelDn / perUnitIntensity };
    const light = calibration.lights.find((l) => l.channel === channel.name)!;
    return { direction: light.direction, intensity: light.intensity };
  });
}
