// The guided capture of one region on a rig, through its drivers: autofocus (or a manual focus position),
// automatic exposure that avoids saturation, dark frames, one frame per light channel plus the whole ring,
// photometric stereo with the calibrated lights, quality checks. Pure of storage: the capture service stores
// what this returns; the benchmark (bench/acquisitionRig.ts) times the same code.
import { stretchedGrey } from './preview.ts';
import type { captureRegions, CaptureStep } from '../../../contract/acquisitions.ts';
import type { Rig } from '../../../../native/rig/createRig.ts';
import type { Frame, LightSource } from '../../../../native/devices/kinds.ts';
import {
  buildDarkFrame,
  correctFrame,
  sampleMedian,
  type FlatField,
  type RawFrame,
} from '../../../analysis/calibration/frames.ts';
import { autofocus } from '../../../analysis/focus/index.ts';
import { sharpness } from '../../../analysis/focus/sharpness.ts';
import type { OpenCv } from '../../../analysis/opencv.ts';
import {
  reconstructTopography,
  type CalibratedLight,
  type PhotometricImages,
} from '../../../analysis/photometric/index.ts';
import {
  adviseExposure,
  checkCoverage,
  checkFocus,
  checkSaturation,
  qualityReport,
  type QualityCheck,
  type QualityReport,
} from '../../../analysis/quality/index.ts';
import type { Surface } from '../../../analysis/surface.ts';

export type CaptureRegion = (typeof captureRegions)[number];

/** One light channel of the rig: `key` is '<device>/<channel id>'. */
export interface RigLightChannel {
  key: string;
  device: string;
  channel: string;
  name: string;
  coaxial: boolean;
  /** Nominal direction from the rig profile (used only when no calibration is given). */
  nominal: CalibratedLight;
}

/** What a calibration gives the capture: the scale and, per channel key, the light and its flat field. */
export interface CaptureCalibration {
  umPerPixelX: number;
  umPerPixelY: number;
  lights: Record<string, CalibratedLight>;
  flats?: Record<string, FlatField>;
}

export interface CapturedFrame {
  /** 'dark', 'dark:2', 'light:<device>/<channel>', 'coaxial', 'ring'. */
  role: string;
  frame: RawFrame;
  settings: Record<string, unknown>;
}

export interface RegionCapture {
  region: CaptureRegion;
  frames: CapturedFrame[];
  topography: Surface;
  valid: Uint8Array;
  quality: QualityReport;
  focus: { zMm: number; score: number; manual: boolean; frames: number };
  exposureUs: number;
  lights: string[];
  seconds: Record<string, number>;
}

/** Photometric stereo: the height map (metres, NaN = invalid) and its validity mask. */
export type Reconstruct = (
  input: PhotometricImages,
  dx: number,
  dy: number,
) => Promise<{ surface: Surface; valid: Uint8Array }>;

/** In the caller's thread (the benchmark); the host uses a worker thread (photometricWorker.ts). */
export function reconstructInThread(cv: OpenCv): Reconstruct {
  return async (input, dx, dy) => reconstructTopography(cv, input, { dx, dy });
}

export interface RegionCaptureOptions {
  region: CaptureRegion;
  reconstruct: Reconstruct;
  /** Without one, the profile's nominal light directions and pixel size are used (benchmark only). */
  calibration?: CaptureCalibration;
  /** Channel keys to image; default every channel. */
  lights?: string[];
  /** Capture at this focus position (mm) instead of autofocusing. */
  manualFocusMm?: number;
  /** Extra checks to store with the region's quality (e.g. calibration validity). */
  extraChecks?: QualityCheck[];
  signal?: AbortSignal;
  progress?: (fraction: number, step: CaptureStep) => void;
}

/** Lets the drivers read their ports between CPU-heavy steps (their watchdogs count silence in wall time). */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

const directionFromAngles = (azimuthDeg: number, elevationDeg: number): [number, number, number] => {
  const az = (azimuthDeg * Math.PI) / 180;
  const el = (elevationDeg * Math.PI) / 180;
  return [Math.cos(el) * Math.cos(az), Math.cos(el) * Math.sin(az), Math.sin(el)];
};

export function lightChannels(rig: Pick<Rig, 'profile'>): RigLightChannel[] {
  return rig.profile.devices.flatMap((d) =>
    'channels' in d
      ? d.channels.map((c) => ({
          key: `${d.label}/${c.id}`,
          device: d.label,
          channel: c.id,
          name: c.name,
          coaxial: c.coaxial === true,
          nominal: {
            direction: c.coaxial
              ? ([0, 0, 1] as [number, number, number])
              : directionFromAngles(c.azimuthDeg!, c.elevationDeg!),
            intensity: 1,
          },
        }))
      : [],
  );
}

export function toRawFrame(frame: Frame): RawFrame {
  if (frame.pixelFormat === 'Mono8') return { width: frame.width, height: frame.height, bitDepth: 8, data: frame.data };
  const data = new Uint16Array(frame.width * frame.height);
  for (let i = 0; i < data.length; i++) data[i] = frame.data[2 * i] | (frame.data[2 * i + 1] << 8);
  return { width: frame.width, height: frame.height, bitDepth: 16, data };
}

/** The region of interest for the coverage check, in pixels of the camera frame centred on the casing. */
function coverageRegion(region: CaptureRegion, width: number, height: number) {
  const c = { cx: width / 2, cy: height / 2 };
  const r = Math.min(width, height);
  if (region === 'firing_pin') return { ...c, radius: r * 0.12 };
  if (region === 'breech_face') return { ...c, radius: r * 0.45, innerRadius: r * 0.12 };
  return { ...c, radius: r * 0.45 };
}

/**
 * Camera in 16-bit mono (lossless originals), focus stage homed: once per capture session. Returns what puts
 * the camera back as it was (live view of the station's rig resumes with its own format and exposure).
 */
export async function prepareRig(rig: Rig, signal?: AbortSignal): Promise<() => Promise<void>> {
  const camera = rig.camera;
  if (!camera) throw new Error('the rig has no camera the host can drive');
  if (!rig.focus) throw new Error('the rig has no focus stage');
  const before = { pixelFormat: camera.getProperty('pixelFormat'), exposureUs: camera.getProperty('exposureUs') };
  await camera.setProperty('pixelFormat', 'Mono16', signal);
  await rig.focus.stage.home(signal);
  return async () => {
    await camera.setProperty('pixelFormat', before.pixelFormat).catch(() => undefined);
    await camera.setProperty('exposureUs', before.exposureUs).catch(() => undefined);
  };
}

export async function captureRegion(rig: Rig, options: RegionCaptureOptions): Promise<RegionCapture> {
  const { signal, region } = options;
  const progress = options.progress ?? (() => undefined);
  const camera = rig.camera!;
  const { stage, axis } = rig.focus!;
  const all = lightChannels(rig);
  const wanted = options.lights ?? all.map((c) => c.key);
  const unknown = wanted.filter((k) => !all.some((c) => c.key === k));
  if (unknown.length)
    throw new RangeError(
      `the rig has no light channel ${unknown.join(', ')} (it has ${all.map((c) => c.key).join(', ')})`,
    );
  const channels = all.filter((c) => wanted.includes(c.key));
  if (channels.length < 3) throw new RangeError('photometric stereo needs at least three lights');
  const ringChannels = all.filter((c) => !c.coaxial);
  const source = (key: string) => rig.device(all.find((c) => c.key === key)!.device) as LightSource;
  const seconds: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    seconds[name] = (performance.now() - t) / 1000;
    t = performance.now();
  };
  const setRing = async (percent: number) => {
    for (const device of new Set(ringChannels.map((c) => c.device))) {
      await (rig.device(device) as LightSource).setLevels(
        Object.fromEntries(ringChannels.filter((c) => c.device === device).map((c) => [c.channel, percent])),
        signal,
      );
    }
  };
  const allOff = async () => {
    for (const light of rig.lights) await light.allOff(signal);
  };
  const snap = async () => toRawFrame(await camera.snap(signal));
  const focusMm = () => stage.positions()[axis];
  const frameSettings = (levels: Record<string, number>, exposureUs: number) => ({
    exposureUs,
    gainDb: camera.getProperty('gainDb'),
    lightsPercent: levels,
    focusMm: focusMm(),
  });

  try {
    // Focus with the whole ring on: the grazing light shows the tool marks best.
    await allOff();
    await setRing(100);
    await camera.setProperty('exposureUs', 2000, signal);
    const nominalM = rig.profile.geometry.bestFocus * 1e-3;
    let focus: RegionCapture['focus'];
    let bestFrame: RawFrame;
    let bestScore: number;
    if (options.manualFocusMm === undefined) {
      progress(0.02, { step: 'autofocus', region });
      const result = await autofocus(
        async (z) => {
          await stage.moveTo(axis, z * 1e3, signal);
          return snap();
        },
        {
          minZ: nominalM - 0.75e-3,
          maxZ: nominalM + 0.75e-3,
          coarseSteps: 11,
          toleranceM: 5e-6,
          signal,
          onProgress: (n) => progress(0.02 + Math.min(0.4, n * 0.015), { step: 'autofocus', region, frames: n }),
        },
      );
      await stage.moveTo(axis, result.bestZ * 1e3, signal);
      bestFrame = await snap();
      bestScore = result.bestScore;
      focus = { zMm: result.bestZ * 1e3, score: sharpness(bestFrame), manual: false, frames: result.samples.length };
    } else {
      // Manual focus: judge it against its neighbours ±20 µm, so a misjudged position is reported, not hidden.
      progress(0.02, { step: 'manual_focus', region, focusMm: options.manualFocusMm });
      const scores: number[] = [];
      for (const dz of [-0.02, 0.02]) {
        await stage.moveTo(axis, options.manualFocusMm + dz, signal);
        scores.push(sharpness(await snap()));
      }
      await stage.moveTo(axis, options.manualFocusMm, signal);
      bestFrame = await snap();
      const score = sharpness(bestFrame);
      bestScore = Math.max(score, ...scores);
      focus = { zMm: options.manualFocusMm, score, manual: true, frames: 3 };
    }
    lap('focus');

    // Exposure: the coaxial light (or the brightest single channel) at 80 % of full scale at its 99.9th
    // percentile, measured above the black level of a frame with every light off.
    progress(0.45, { step: 'exposure', region });
    await allOff();
    const probeUs = 1000;
    await camera.setProperty('exposureUs', probeUs, signal);
    const blackDn = sampleMedian((await snap()).data, 7);
    const brightest = channels.find((c) => c.coaxial) ?? channels[0];
    await source(brightest.key).setLevels({ [brightest.channel]: 100 }, signal);
    const limits = { minUs: 20, maxUs: 1_000_000, blackDn };
    let advice = adviseExposure(await snap(), probeUs, limits);
    for (let retries = 0; advice.kind === 'retry' && retries < 4; retries++) {
      await camera.setProperty('exposureUs', advice.exposureUs, signal);
      advice = adviseExposure(await snap(), advice.exposureUs, limits);
    }
    if (advice.kind !== 'ok')
      throw new RangeError(
        `automatic exposure failed: ${advice.kind === 'too-dark' ? 'too dark even at the longest exposure (is the casing in place and the light on?)' : 'still saturated at the shortest exposure'} (bright level ${advice.brightDn} DN)`,
      );
    const exposureUs = advice.exposureUs;
    await camera.setProperty('exposureUs', exposureUs, signal);
    await allOff();
    const frames: CapturedFrame[] = [];
    const darks = [await snap(), await snap()];
    frames.push(
      { role: 'dark', frame: darks[0], settings: frameSettings({}, exposureUs) },
      { role: 'dark:2', frame: darks[1], settings: frameSettings({}, exposureUs) },
    );
    const dark = buildDarkFrame(darks);
    lap('exposure + dark');

    const lightFrames: RawFrame[] = [];
    for (const [k, channel] of channels.entries()) {
      const fraction = 0.55 + (0.25 * k) / channels.length;
      progress(fraction, { step: 'light', region, light: channel.key });
      await source(channel.key).setLevels({ [channel.channel]: 100 }, signal);
      const frame = await snap();
      await source(channel.key).allOff(signal);
      lightFrames.push(frame);
      const role = channel.coaxial ? 'coaxial' : `light:${channel.key}`;
      frames.push({ role, frame, settings: frameSettings({ [channel.key]: 100 }, exposureUs) });
      progress(fraction, { step: 'light', region, light: channel.key, preview: framePreview(frame, role) });
    }
    if (ringChannels.length > 1) {
      await setRing(100);
      const frame = await snap();
      frames.push({
        role: 'ring',
        frame,
        settings: frameSettings(Object.fromEntries(ringChannels.map((c) => [c.key, 100])), exposureUs),
      });
      progress(0.81, { step: 'light', region, preview: framePreview(frame, 'ring') });
      await allOff();
    }
    lap('one frame per light');

    progress(0.82, { step: 'photometric_stereo', region });
    signal?.throwIfAborted();
    const calibration = options.calibration;
    const lights = channels.map((c) => {
      if (!calibration) return c.nominal;
      const light = calibration.lights[c.key];
      if (!light) throw new RangeError(`the calibration has no light direction for ${c.key}; recalibrate the lights`);
      return light;
    });
    const corrected = [];
    for (const [k, f] of lightFrames.entries()) {
      await yieldToEventLoop();
      corrected.push(correctFrame(f, dark, calibration?.flats?.[channels[k].key]));
    }
    const dx = (calibration?.umPerPixelX ?? rig.profile.geometry.pixelSizeUm) * 1e-6;
    const dy = (calibration?.umPerPixelY ?? rig.profile.geometry.pixelSizeUm) * 1e-6;
    const { width, height } = lightFrames[0];
    const result = await options.reconstruct(
      { width, height, images: corrected.map((c) => c.linear), saturated: corrected.map((c) => c.saturated), lights },
      dx,
      dy,
    );
    lap('photometric stereo');

    progress(0.96, { step: 'quality_checks', region });
    const quality = qualityReport([
      checkFocus(sharpness(bestFrame), bestScore),
      checkSaturation(lightFrames),
      checkCoverage(result.valid, width, height, coverageRegion(region, width, height)),
      ...(options.extraChecks ?? []),
    ]);
    lap('quality checks');
    return {
      region,
      frames,
      topography: result.surface,
      valid: result.valid,
      quality,
      focus,
      exposureUs,
      lights: channels.map((c) => c.key),
      seconds,
    };
  } finally {
    // Never leave a light burning after a failure or a cancel; a lost device cannot be switched off anyway.
    for (const light of rig.lights) await light.allOff().catch(() => undefined);
  }
}

/** A frame as the wizard's small picture of it (see CaptureStep.preview). */
function framePreview(frame: RawFrame, role: string) {
  const { width, height, data } = stretchedGrey(frame.data, frame.width, frame.height, 160);
  return { role, width, height, data };
}
