// Calibration on the demo rig's virtual targets: the optics model images a uniform white plate, a certified
// dot grid and a matte sphere under each of the rig's light channels, with the rig profile's geometry and the
// camera's sensor size, and the analysis (electron/analysis/calibration) turns them into a calibration.
// A physical rig images its physical targets through the camera instead (not available here yet).
import { Worker } from 'node:worker_threads';
import { workerUrl } from '../../../base/workerUrl.ts';
import type { RigProfile } from '../../../../native/rig/profile.ts';
import {
  dotGridTarget,
  exposureForPeak,
  flatWhiteTarget,
  sphereTarget,
  type Light,
} from '../../../../native/sim/optics/index.ts';
import {
  buildDarkFrame,
  buildFlatField,
  correctFrame,
  type FlatField,
  type RawFrame,
} from '../../../analysis/calibration/frames.ts';
import {
  calibrateLightsFromSphere,
  lightProblems,
  locateSphere,
  maxLightMisfit,
} from '../../../analysis/calibration/lights.ts';
import { problemEnglish } from '../../../analysis/calibration/problems.ts';
import { encodePng, decodePng } from '../../../analysis/calibration/png.ts';
import { uniformityReport } from '../../../analysis/calibration/report.ts';
import { calibrateFromDotGrid } from '../../../analysis/calibration/spatial.ts';
import { calibrateRig, photometricLights } from '../../../analysis/calibration/suite.ts';
import {
  captureDark,
  captureTargetUnderLight,
  targetSpecimen,
  type VirtualRig,
} from '../../../analysis/calibration/virtualRig.ts';
import type { OpenCv } from '../../../analysis/opencv.ts';
import type { CalibratedLight } from '../../../analysis/photometric/index.ts';
import type { CalibrationProblem, calibrationRunKinds, CalibrationStep } from '../../../contract/acquisitions.ts';
import { lightChannels } from './captureRunner.ts';
import type { CalibrationWorkerMessage } from './calibration.worker.ts';
import { CalibrationError } from '../../../analysis/calibration/errors.ts';

export type CalibrationRunKind = (typeof calibrationRunKinds)[number];

/** Certified pitch and dot diameter of the (virtual) dot-grid target. */
const dotPitchM = 100e-6;
const dotDiameterM = 40e-6;
/** Flat gains are stored as 16-bit PNG: gain × 32768 (range 0..2, resolution 3e-5). */
const gainScale = 32768;

export interface CalibrationOutcome {
  kind: 'scale' | 'flat_dark' | 'lights' | 'uniformity' | 'suite';
  /** Kind-specific figures; `flatDark.channels[].gainPng` are replaced by evidence hashes when stored. */
  results: {
    scale?: Record<string, unknown>;
    flatDark?: {
      darkNoiseDn: number;
      channels: { key: string; levelDn: number; gainPng?: Uint8Array; gainSha256?: string }[];
    };
    lights?: {
      lights: Record<string, CalibratedLight>;
      residuals: Record<string, number>;
      /** The misfit above which a light fails (recorded for the report). */
      maxResidual?: number;
      sphere: Record<string, unknown>;
    };
    uniformity?: Record<string, unknown>;
    passed: boolean;
    problems: CalibrationProblem[];
    messages: string[];
  };
  /** PNG picture the lab can file. */
  report: Uint8Array | null;
}

export function encodeGain(flat: FlatField): Uint8Array {
  const data = new Uint16Array(flat.gain.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(65535, Math.round(flat.gain[i] * gainScale)));
  return encodePng({ width: flat.width, height: flat.height, bitDepth: 16, colour: 'grey', data });
}

export function decodeGain(png: Uint8Array, levelDn: number): FlatField {
  const image = decodePng(png);
  const gain = new Float32Array(image.width * image.height);
  for (let i = 0; i < gain.length; i++) gain[i] = image.data[i] / gainScale;
  return { width: image.width, height: image.height, gain, levelDn };
}

/** A 16-bit frame as a PNG a person can look at (the originals stay as they are). */
function framePng(frame: {
  width: number;
  height: number;
  data: Uint8Array | Uint16Array;
  bitDepth: 8 | 16;
}): Uint8Array {
  return encodePng({
    width: frame.width,
    height: frame.height,
    bitDepth: frame.bitDepth,
    colour: 'grey',
    data: frame.data,
  });
}

/** Lets timers and I/O run between long steps: the host serves calls and the rig's drivers read their ports meanwhile. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How far a calibration run is (0..1) and what it is doing. */
export type CalibrationProgress = (fraction: number, step: CalibrationStep) => void;

/** runVirtualCalibration in a worker thread; aborting the signal terminates it. */
export function runVirtualCalibrationInWorker(
  profile: RigProfile,
  kind: CalibrationRunKind,
  progress: CalibrationProgress,
  signal?: AbortSignal,
): Promise<CalibrationOutcome> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const worker = new Worker(workerUrl('calibration.worker', import.meta.url), { workerData: { profile, kind } });
    const onAbort = () => {
      void worker.terminate();
      reject(signal!.reason ?? new DOMException('canceled', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal?.removeEventListener('abort', onAbort);
    worker.on('message', (message: CalibrationWorkerMessage) => {
      if (message.type === 'progress') return progress(message.fraction, message.step);
      settle();
      void worker.terminate();
      if (message.type === 'done') resolve(message.outcome);
      else if (message.failure) reject(new CalibrationError(message.failure, message.message, message.figures));
      else reject(message.name === 'RangeError' ? new RangeError(message.message) : new Error(message.message));
    });
    worker.once('error', (error) => {
      settle();
      reject(error);
    });
    worker.once('exit', (code) => {
      settle();
      reject(new Error(`the calibration worker stopped (exit code ${code})`)); // no-op once settled
    });
  });
}

export async function runVirtualCalibration(
  cv: OpenCv,
  profile: RigProfile,
  kind: CalibrationRunKind,
  progress: CalibrationProgress,
  signal?: AbortSignal,
): Promise<CalibrationOutcome> {
  const camera = profile.devices.find((d) => d.kind === 'camera' && d.driver === 'u3v');
  const sensor = camera && camera.driver === 'u3v' ? camera.emulated : undefined;
  if (!sensor)
    throw new CalibrationError(
      'no_virtual_camera',
      `rig profile "${profile.name}" has no emulated camera to image virtual targets with`,
    );
  const channels = lightChannels({ profile });
  const lights: Light[] = channels.map((c) => ({ direction: c.nominal.direction, intensity: 1 }));
  const pixelM = profile.geometry.pixelSizeUm * 1e-6;
  const size = { width: sensor.sensorWidth, height: sensor.sensorHeight };
  const fieldM = Math.max(size.width, size.height) * pixelM * 1.05;
  const rig: VirtualRig = {
    lights,
    camera: { ...size, bitDepth: 16, exposureMs: exposureForPeak(0.95, 0.7), pixelSizeM: pixelM },
    numericalAperture: profile.geometry.numericalAperture,
  };
  const step = async (fraction: number, step: CalibrationStep['step'], light?: string) => {
    await yieldToEventLoop();
    signal?.throwIfAborted();
    progress(fraction, light === undefined ? { step } : { step, light });
  };
  const names = channels.map((c) => ({ name: c.key, coaxial: c.coaxial }));
  const coaxial = channels.findIndex((c) => c.coaxial);

  await step(0.05, 'dark_frames');
  const white = targetSpecimen(flatWhiteTarget(Math.ceil(fieldM / pixelM), pixelM));
  const needFlats = kind !== 'scale';
  const dark = needFlats ? captureDark(rig, white, 2) : [];
  const flatFrames: RawFrame[][] = [];
  for (const [k, c] of channels.entries()) {
    if (!needFlats) break;
    await step(0.1 + (0.4 * k) / channels.length, 'white_target', c.name);
    flatFrames.push(captureTargetUnderLight(rig, white, k, 2));
  }
  const gridPoints = Math.ceil(fieldM / 2.5e-6);
  const grid = async () => {
    await step(0.55, 'dot_grid');
    if (coaxial < 0)
      throw new CalibrationError(
        'no_coaxial_light',
        'the dot grid is imaged under the coaxial light; the rig has none',
      );
    return captureTargetUnderLight(
      rig,
      targetSpecimen(dotGridTarget(gridPoints, 2.5e-6, dotPitchM, dotDiameterM)),
      coaxial,
    )[0];
  };
  const sphereFrames = async () => {
    const sphere = targetSpecimen(
      sphereTarget(Math.ceil(fieldM / 4e-6), 4e-6, 0.35 * Math.min(size.width, size.height) * pixelM),
    );
    const frames: RawFrame[] = [];
    for (const [k, c] of channels.entries()) {
      await step(0.6 + (0.3 * k) / channels.length, 'sphere', c.name);
      frames.push(captureTargetUnderLight(rig, sphere, k)[0]);
    }
    return frames;
  };

  const scaleResults = (s: ReturnType<typeof calibrateFromDotGrid>) => ({ ...s, dotPitchUm: dotPitchM * 1e6 });
  if (kind === 'scale') {
    const frame = await grid();
    await step(0.9, 'fitting_lattice');
    const s = calibrateFromDotGrid(cv, frame, { pitchM: dotPitchM });
    return {
      kind,
      results: { scale: scaleResults(s), passed: s.passed, problems: s.problems, messages: s.messages },
      report: framePng(frame),
    };
  }
  const darkFrame = buildDarkFrame(dark);
  const flats = flatFrames.map((frames) => buildFlatField(frames, darkFrame));
  await step(0.5, 'uniformity');
  const uniformity = uniformityReport(
    channels.map((c, k) => ({ name: c.key, flat: flats[k], repeats: flatFrames[k] })),
    darkFrame,
  );
  const flatDark = {
    darkNoiseDn: darkFrame.noiseDn,
    channels: channels.map((c, k) => ({ key: c.key, levelDn: flats[k].levelDn, gainPng: encodeGain(flats[k]) })),
  };
  const { picture, ...uniformityFigures } = uniformity;
  if (kind === 'flat_dark')
    return { kind, results: { flatDark, passed: true, problems: [], messages: [] }, report: picture };
  if (kind === 'uniformity') {
    const problems = uniformity.channels.flatMap((c) => c.problems);
    return {
      kind,
      results: {
        uniformity: uniformityFigures,
        passed: uniformity.passed,
        problems,
        messages: problems.map(problemEnglish),
      },
      report: picture,
    };
  }
  if (kind === 'lights') {
    if (coaxial < 0)
      throw new CalibrationError('no_coaxial_light', 'the sphere is located under the coaxial light; the rig has none');
    const raw = await sphereFrames();
    const images = raw.map((frame, k) => correctFrame(frame, darkFrame, flats[k]));
    await step(0.92, 'fitting_lights');
    const sphere = locateSphere(images[coaxial]);
    const ring = channels.map((_, k) => k).filter((k) => k !== coaxial);
    const fitted = calibrateLightsFromSphere(
      ring.map((k) => images[k]),
      sphere,
    );
    // The same rule as the whole suite (photometricLights) for the coaxial light's relative intensity.
    const perUnit =
      fitted.map((l, i) => flats[ring[i]].levelDn / (l.intensity * l.direction[2])).reduce((a, b) => a + b, 0) /
      fitted.length;
    const result: Record<string, CalibratedLight> = {};
    const residuals: Record<string, number> = {};
    fitted.forEach((l, i) => {
      result[channels[ring[i]].key] = { direction: l.direction, intensity: l.intensity };
      residuals[channels[ring[i]].key] = l.relativeResidual;
    });
    result[channels[coaxial].key] = { direction: [0, 0, 1], intensity: flats[coaxial].levelDn / perUnit };
    const problems = lightProblems(
      Object.entries(residuals).map(([channel, relativeResidual]) => ({ channel, relativeResidual })),
    );
    return {
      kind,
      results: {
        lights: { lights: result, residuals, maxResidual: maxLightMisfit, sphere: { ...sphere } },
        passed: problems.length === 0,
        problems,
        messages: problems.map(problemEnglish),
      },
      report: framePng(raw[coaxial]),
    };
  }
  // Whole suite.
  const captures = {
    channels: names,
    dark,
    flats: flatFrames,
    dotGrid: await grid(),
    dotPitchM,
    sphere: await sphereFrames(),
  };
  await step(0.92, 'fitting_suite');
  const calibration = calibrateRig(cv, captures);
  await step(0.95, 'light_vectors');
  const photometric = photometricLights(calibration, names);
  const residuals = Object.fromEntries(calibration.lights.map((l) => [l.channel, l.relativeResidual]));
  return {
    kind: 'suite',
    results: {
      scale: scaleResults(calibration.spatial),
      flatDark,
      lights: {
        lights: Object.fromEntries(channels.map((c, k) => [c.key, photometric[k]])),
        residuals,
        maxResidual: maxLightMisfit,
        sphere: { ...calibration.sphere },
      },
      uniformity: uniformityFigures,
      passed: calibration.passed,
      problems: calibration.problems,
      messages: calibration.messages,
    },
    report: picture,
  };
}
