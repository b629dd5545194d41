import { beforeAll, describe, expect, it } from 'vitest';
import { dotGridTarget, renderImage } from '../../../native/sim/optics/index.ts';
import { loadOpenCv, type OpenCv } from '../opencv.ts';
import type { RawFrame } from './frames.ts';
import { calibrateFromDotGrid } from './spatial.ts';
import { targetSpecimen } from './virtualRig.ts';

let cv: OpenCv;
beforeAll(async () => {
  cv = await loadOpenCv();
});

// Virtual target: 100 µm pitch, 40 µm dots, printed at 2 µm resolution over 2.4 mm.
const target = targetSpecimen(dotGridTarget(1200, 2e-6, 100e-6, 40e-6));

function snap(pixelSizeM: number, distortionK1 = 0, centerM: [number, number] = [13e-6, -7e-6]): RawFrame {
  const image = renderImage({
    specimen: target,
    lights: [{ direction: [0, 0, 1], intensity: 1 }],
    camera: { width: 640, height: 600, bitDepth: 16, exposureMs: 4, pixelSizeM, centerM, distortionK1 },
    seed: 3,
  });
  return { width: image.width, height: image.height, bitDepth: 16, data: image.data };
}

describe('spatial calibration from a dot grid', () => {
  it('measures µm per pixel to 0.2 % and passes the distortion check on a distortion-free lens', () => {
    const result = calibrateFromDotGrid(cv, snap(3.1e-6), { pitchM: 100e-6 });
    expect(result.dots).toBeGreaterThan(250);
    expect(result.umPerPixelX).toBeCloseTo(3.1, 2);
    expect(Math.abs(result.umPerPixelX / 3.1 - 1)).toBeLessThan(0.002);
    expect(Math.abs(result.umPerPixelY / 3.1 - 1)).toBeLessThan(0.002);
    expect(Math.abs(result.skewDeg)).toBeLessThan(0.1);
    expect(result.maxResidualPx).toBeLessThan(0.3);
    expect(result.passed).toBe(true);
  });

  it('detects barrel/pincushion distortion and fails the check when it is large', () => {
    const result = calibrateFromDotGrid(cv, snap(3.1e-6, 0.01), { pitchM: 100e-6 });
    expect(result.k1).toBeCloseTo(0.01, 3);
    expect(result.maxResidualPx).toBeLessThan(0.3); // the model explains the distortion
    expect(result.passed).toBe(false);
    expect(result.messages.join(' ')).toMatch(/lens distortion moves the image corner/);
    // The same finding as a code with its figures, for the UI to word.
    const distortion = result.problems.find((p) => p.code === 'lens_distortion');
    expect(distortion?.value).toBeCloseTo(result.cornerDistortionPx, 6);
    expect(distortion?.limit).toBe(result.limits.maxDistortionPx);
  });

  it('refuses images without a usable grid', () => {
    const blank: RawFrame = { width: 64, height: 64, bitDepth: 16, data: new Uint16Array(64 * 64).fill(30000) };
    expect(() => calibrateFromDotGrid(cv, blank, { pitchM: 100e-6 })).toThrow(/uniform/);
    // with a code the station words for the technician, and the figure it names
    expect(() => calibrateFromDotGrid(cv, blank, { pitchM: 100e-6 })).toThrow(
      expect.objectContaining({ failure: 'grid_uniform' }),
    );
    expect(() => calibrateFromDotGrid(cv, snap(40e-6), { pitchM: 100e-6 })).toThrow(
      expect.objectContaining({ failure: 'grid_dots_small', figures: { area: expect.any(Number) } }),
    );
    expect(() => calibrateFromDotGrid(cv, snap(3.1e-6), { pitchM: 0 })).toThrow(/pitch must be positive/);
    expect(() => calibrateFromDotGrid(cv, snap(40e-6), { pitchM: 100e-6 })).toThrow(/pixels each; use a finer target/);
  });
});
