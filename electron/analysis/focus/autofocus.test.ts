import { describe, expect, it } from 'vitest';
import { sharedDataPath } from '../../../tests/fixtures/sharedData.ts';
import { demoRigLights, exposureForPeak, prepareSpecimen, renderImage } from '../../../native/sim/optics/index.ts';
import { readX3PFile } from '../x3p/index.ts';
import { autofocus } from './autofocus.ts';
import { sharpness } from './sharpness.ts';

// The demo rig's specimen is in focus at stage z = 1.2345 mm (unknown to the search).
const inFocusZ = 1.2345e-3;

async function demoFocus() {
  const { surface } = await readX3PFile(sharedDataPath('fadul', 'fadul_1-1.x3p'));
  const specimen = prepareSpecimen(surface);
  const lights = demoRigLights([1, 1, 1, 1, 1, 1, 1, 1]);
  let frames = 0;
  const focusAt = async (z: number) => {
    frames++;
    return renderImage({
      specimen,
      lights,
      camera: { width: 512, height: 512, bitDepth: 16, exposureMs: exposureForPeak(8 * 0.5 * 0.8, 0.8) },
      optics: { numericalAperture: 0.1, defocusM: z - inFocusZ },
      seed: frames,
    });
  };
  return { focusAt, frames: () => frames };
}

describe('autofocus', () => {
  it('finds the focus of a real scan on the demo optics within the depth of field, in few frames', async () => {
    const { focusAt, frames } = await demoFocus();
    const result = await autofocus(focusAt, { minZ: 0, maxZ: 3e-3, coarseSteps: 13, toleranceM: 5e-6 });
    // Depth of field here (blur under one 6.6 µm pixel): about ±60 µm; the search must do far better.
    expect(Math.abs(result.bestZ - inFocusZ)).toBeLessThan(15e-6);
    expect(result.peakRatio).toBeGreaterThan(2);
    expect(frames()).toBeLessThan(40);
  });

  it('stops when cancelled', async () => {
    const { focusAt } = await demoFocus();
    const controller = new AbortController();
    const run = autofocus(focusAt, {
      minZ: 0,
      maxZ: 3e-3,
      signal: controller.signal,
      onProgress: (n) => n === 3 && controller.abort(new Error('cancelled by user')),
    });
    await expect(run).rejects.toThrow('cancelled by user');
  });

  it('reports a flat peak on a textureless target and refuses an empty range', async () => {
    const blank = async () => ({ width: 64, height: 64, data: new Uint16Array(64 * 64).fill(1000) });
    const result = await autofocus(blank, { minZ: 0, maxZ: 1e-3, coarseSteps: 5 });
    expect(result.bestScore).toBe(0);
    await expect(autofocus(blank, { minZ: 1, maxZ: 1 })).rejects.toThrow(/maxZ > minZ/);
  });

  it('the sharpness measure ignores exposure but not blur', () => {
    const w = 64;
    const sharp = Uint16Array.from({ length: w * w }, (_, i) => (Math.floor((i % w) / 4) % 2 ? 1000 : 2000));
    const brighter = sharp.map((v) => v * 3);
    const blurred = sharp.map(() => 1500);
    const frame = (data: Uint16Array) => ({ width: w, height: w, data });
    expect(sharpness(frame(brighter))).toBeCloseTo(sharpness(frame(sharp)), 6);
    expect(sharpness(frame(blurred))).toBeLessThan(sharpness(frame(sharp)) / 100);
  });
});
