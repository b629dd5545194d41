import { describe, expect, it } from 'vitest';
import { demoRigLights, directionFromAngles, sphereTarget } from '../../../native/sim/optics/index.ts';
import { buildDarkFrame, correctFrame } from './frames.ts';
import { calibrateLightsFromSphere, locateSphere } from './lights.ts';
import { captureDark, captureTargetUnderLight, targetSpecimen, type VirtualRig } from './virtualRig.ts';

// A 1.6 mm matte sphere on a plate, imaged by the demo rig (8 ring segments at 30°, coaxial), segments of
// unequal brightness as real LEDs are.
const levels = [1, 0.9, 0.8, 1, 0.95, 0.85, 1, 0.7];
const rig: VirtualRig = {
  lights: demoRigLights(levels, 1),
  camera: { width: 480, height: 480, bitDepth: 16, exposureMs: 5, pixelSizeM: 5e-6 },
};
const sphere = targetSpecimen(sphereTarget(600, 4e-6, 0.8e-3));

function calibrate() {
  const dark = buildDarkFrame(captureDark(rig, sphere, 2));
  const images = rig.lights.map((_, k) => correctFrame(captureTargetUnderLight(rig, sphere, k)[0], dark));
  const geometry = locateSphere(images[8]);
  return { geometry, lights: calibrateLightsFromSphere(images.slice(0, 8), geometry) };
}

describe('light calibration from a sphere', () => {
  const { geometry, lights } = calibrate();

  it('locates the sphere from the coaxial image', () => {
    expect(geometry.cx).toBeCloseTo(240, 0);
    expect(geometry.cy).toBeCloseTo(240, 0);
    expect(geometry.radius / 160).toBeGreaterThan(0.97); // 0.8 mm at 5 µm/px
    expect(geometry.radius / 160).toBeLessThan(1.03);
  });

  it('recovers each segment direction within 1.5° and the relative intensities within 3 %', () => {
    lights.forEach((light, k) => {
      const truth = directionFromAngles((360 * k) / 8, 30);
      const angle =
        (Math.acos(
          Math.min(1, light.direction[0] * truth[0] + light.direction[1] * truth[1] + light.direction[2] * truth[2]),
        ) *
          180) /
        Math.PI;
      expect(angle).toBeLessThan(1.5);
      expect(light.intensity / levels[k]).toBeGreaterThan(0.97);
      expect(light.intensity / levels[k]).toBeLessThan(1.03);
      expect(light.relativeResidual).toBeLessThan(0.05);
    });
  });

  it('refuses images without a sphere', () => {
    const flat = { width: 64, height: 64, linear: new Float32Array(64 * 64).fill(100) };
    expect(() => locateSphere(flat)).toThrow(/no dark rim/);
    expect(() => calibrateLightsFromSphere([], { cx: 1, cy: 1, radius: 1 })).toThrow(/no images/);
  });
});
