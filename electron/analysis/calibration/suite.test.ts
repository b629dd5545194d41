// End to end on the demo rig's virtual targets: calibrate (dark, flats, dot grid, sphere), then image a real
// Fadul scan and reconstruct it with the CALIBRATED scale and lights (no ground truth used) → NCC ≥ 0.9.
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedDataPath } from '../../../tests/fixtures/sharedData.ts';
import {
  demoRigLights,
  dotGridTarget,
  exposureForPeak,
  flatWhiteTarget,
  sphereTarget,
} from '../../../native/sim/optics/index.ts';
import { loadOpenCv, type OpenCv } from '../opencv.ts';
import { reconstructTopography } from '../photometric/index.ts';
import { preprocessSurface } from '../preprocess.ts';
import { readX3PFile } from '../x3p/index.ts';
import { correctFrame } from './frames.ts';
import { calibrateRig, photometricLights, type CalibrationCaptures } from './suite.ts';
import {
  captureDark,
  captureTargetUnderLight,
  captureUnderLight,
  specimenOf,
  targetSpecimen,
  type VirtualRig,
} from './virtualRig.ts';

let cv: OpenCv;
let captured: CalibrationCaptures;
beforeAll(async () => {
  cv = await loadOpenCv();
  captured = captures();
});

const levels = [1, 0.92, 0.85, 1, 0.95, 0.88, 0.97, 0.9]; // real LEDs differ
const channels = [...levels.map((_, k) => ({ name: `ring ${k}` })), { name: 'coaxial', coaxial: true }];
const pixel = 6.25e-6;
const size = 545;

function rigAt(exposureMs: number): VirtualRig {
  return {
    lights: demoRigLights(levels, 0.8),
    camera: { width: size, height: size, bitDepth: 16, exposureMs, pixelSizeM: pixel },
    reflectance: { specular: 0.2, shininess: 60 },
  };
}

function captures(): CalibrationCaptures {
  const flatRig = rigAt(exposureForPeak(0.95, 0.7));
  const white = targetSpecimen(flatWhiteTarget(size, pixel));
  const grid = targetSpecimen(dotGridTarget(1400, 2.5e-6, 100e-6, 40e-6));
  const sphere = targetSpecimen(sphereTarget(900, 4e-6, 1.2e-3));
  return {
    channels,
    dark: captureDark(flatRig, white, 2),
    flats: channels.map((_, k) => captureTargetUnderLight(flatRig, white, k, 2)),
    dotGrid: captureTargetUnderLight(flatRig, grid, 8)[0],
    dotPitchM: 100e-6,
    sphere: channels.map((_, k) => captureTargetUnderLight(flatRig, sphere, k)[0]),
  };
}

describe('rig calibration on virtual targets, then photometric stereo with it', () => {
  it('calibrates, passes, and the calibrated reconstruction of a Fadul scan has NCC ≥ 0.9', async () => {
    const calibration = calibrateRig(cv, captured);
    expect(calibration.messages).toEqual([]);
    expect(calibration.passed).toBe(true);
    expect(calibration.spatial.umPerPixelX).toBeCloseTo(6.25, 1);
    const lights = photometricLights(calibration, channels);
    expect(lights[8].intensity / lights[0].intensity).toBeGreaterThan(0.75);
    expect(lights[8].intensity / lights[0].intensity).toBeLessThan(0.85);

    const { surface: source } = await readX3PFile(sharedDataPath('fadul', 'fadul_2-2.x3p')); // 545², like the camera here
    const rig = rigAt(exposureForPeak(1.0, 0.85));
    const specimen = specimenOf(source);
    const corrected = channels.map((_, k) =>
      correctFrame(captureUnderLight(rig, specimen, k)[0], calibration.dark, calibration.flats[k]),
    );
    // Dark and flats were taken at the flat exposure; the sensor is linear, so only the level scales.
    const result = reconstructTopography(
      cv,
      {
        width: size,
        height: size,
        images: corrected.map((c) => c.linear),
        saturated: corrected.map((c) => c.saturated),
        lights,
      },
      { dx: calibration.spatial.umPerPixelX * 1e-6 },
    );
    const crop = (z: Float64Array, w: number) =>
      Float64Array.from({ length: source.width * source.height }, (_, i) =>
        Number.isNaN(source.z[i]) ? NaN : z[Math.floor(i / source.width) * w + (i % source.width)],
      );
    const rec = { ...source, z: crop(result.surface.z, size) };
    const bands = { pixelSize: null, shortCutoff: 16e-6, longCutoff: 500e-6 };
    const a = preprocessSurface(cv, source, bands).surface.z;
    const b = preprocessSurface(cv, rec, bands).surface.z;
    let sa = 0;
    let sb = 0;
    let n = 0;
    for (let i = 0; i < a.length; i++)
      if (a[i] === a[i] && b[i] === b[i]) {
        sa += a[i];
        sb += b[i];
        n++;
      }
    sa /= n;
    sb /= n;
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = 0; i < a.length; i++)
      if (a[i] === a[i] && b[i] === b[i]) {
        ab += (a[i] - sa) * (b[i] - sb);
        aa += (a[i] - sa) ** 2;
        bb += (b[i] - sb) ** 2;
      }
    expect(ab / Math.sqrt(aa * bb)).toBeGreaterThanOrEqual(0.9);
  });

  it('names what is missing', () => {
    const c = captured;
    expect(() => calibrateRig(cv, { ...c, sphere: c.sphere.slice(1) })).toThrow(
      /9 channels but 9 flat sets and 8 sphere frames/,
    );
    expect(() => calibrateRig(cv, { ...c, channels: channels.map((ch) => ({ name: ch.name })) })).toThrow(
      /the rig has none/,
    );
  });
});
