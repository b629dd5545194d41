// Acceptance (issue 4): image a real Fadul scan on the demo rig's optics model, reconstruct it by
// photometric stereo, band-pass both (16–500 µm) → normalised cross-correlation ≥ 0.9 against the source.
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedDataPath } from '../../../tests/fixtures/sharedData.ts';
import { maskedNcc } from '../../../tests/fixtures/topographyMatch.ts';
import { demoRigLights, exposureForPeak, flatWhiteTarget } from '../../../native/sim/optics/index.ts';
import { buildDarkFrame, buildFlatField, correctFrame } from '../calibration/frames.ts';
import {
  captureDark,
  captureTargetUnderLight,
  captureUnderLight,
  specimenOf,
  targetSpecimen,
  type VirtualRig,
} from '../calibration/virtualRig.ts';
import { loadOpenCv, type OpenCv } from '../opencv.ts';
import { preprocessSurface } from '../preprocess.ts';
import type { Surface } from '../surface.ts';
import { readX3PFile } from '../x3p/index.ts';
import { reconstructTopography } from './index.ts';

let cv: OpenCv;
beforeAll(async () => {
  cv = await loadOpenCv();
});

async function imageAndReconstruct(source: Surface, specular: number) {
  const lights = demoRigLights([1, 1, 1, 1, 1, 1, 1, 1], 1);
  // One exposure for all lights, chosen so the coaxial light (the brightest on a flat primer) stays below saturation.
  const rig: VirtualRig = {
    lights,
    camera: {
      width: source.width,
      height: source.height,
      bitDepth: 16,
      exposureMs: exposureForPeak(0.8 + specular, 0.85),
    },
    reflectance: { specular, shininess: 60 },
  };
  const white = targetSpecimen(flatWhiteTarget(source.width, source.dx));
  const dark = buildDarkFrame(captureDark(rig, white, 2));
  // The white plate reflects more than a primer: flats get their own, shorter exposure (the gain map is relative).
  const flatRig = { ...rig, camera: { ...rig.camera, exposureMs: exposureForPeak(0.95, 0.7) } };
  const flats = lights.map((_, k) => buildFlatField(captureTargetUnderLight(flatRig, white, k, 2), dark));
  const specimen = specimenOf(source);
  const corrected = lights.map((_, k) => correctFrame(captureUnderLight(rig, specimen, k)[0], dark, flats[k]));
  return reconstructTopography(
    cv,
    {
      width: source.width,
      height: source.height,
      images: corrected.map((c) => c.linear),
      saturated: corrected.map((c) => c.saturated),
      lights,
    },
    { dx: source.dx },
  );
}

describe('photometric stereo on the demo rig reproduces a real scan', () => {
  it.each([
    ['fadul_1-1.x3p', 0],
    ['fadul_2-1.x3p', 0.3],
  ])('%s (specular %s): band-passed NCC ≥ 0.9 against the source', async (file, specular) => {
    const { surface: source } = await readX3PFile(sharedDataPath('fadul', file));
    const result = await imageAndReconstruct(source, specular);
    expect(result.validFraction).toBeGreaterThan(0.95);
    // Compare where the source was measured.
    const reconstructed = {
      ...result.surface,
      z: Float64Array.from(result.surface.z, (v, i) => (Number.isNaN(source.z[i]) ? NaN : v)),
    };
    const bands = { pixelSize: null, shortCutoff: 16e-6, longCutoff: 500e-6 };
    const a = preprocessSurface(cv, source, bands).surface.z;
    const b = preprocessSurface(cv, reconstructed, bands).surface.z;
    const { r, n } = maskedNcc(a, b);
    expect(n).toBeGreaterThan(50_000);
    expect(r).toBeGreaterThanOrEqual(0.9);
  });

  it('a reconstruction of a different scan does not correlate (the comparison can fail)', async () => {
    const { surface: a } = await readX3PFile(sharedDataPath('fadul', 'fadul_1-1.x3p'));
    const { surface: other } = await readX3PFile(sharedDataPath('fadul', 'fadul_3-1.x3p'));
    const size = Math.min(a.width, other.width);
    const crop = (s: Surface) =>
      Float64Array.from({ length: size * size }, (_, i) => s.z[Math.floor(i / size) * s.width + (i % size)]);
    expect(Math.abs(maskedNcc(crop(a), crop(other)).r)).toBeLessThan(0.3);
  });
});
