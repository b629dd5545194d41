import { describe, expect, it } from 'vitest';
import { demoRigLights, flatWhiteTarget } from '../../../native/sim/optics/index.ts';
import { buildDarkFrame, buildFlatField, type RawFrame } from './frames.ts';
import { decodePng, encodePng } from './png.ts';
import { uniformityReport } from './report.ts';
import { captureDark, captureTargetUnderLight, targetSpecimen, type VirtualRig } from './virtualRig.ts';

describe('PNG', () => {
  it('round-trips 16-bit grey and 8-bit RGB losslessly', () => {
    const grey = {
      width: 3,
      height: 2,
      bitDepth: 16 as const,
      colour: 'grey' as const,
      data: Uint16Array.from([0, 1, 255, 256, 40000, 65535]),
    };
    expect(decodePng(encodePng(grey))).toEqual(grey);
    const rgb = {
      width: 2,
      height: 1,
      bitDepth: 8 as const,
      colour: 'rgb' as const,
      data: Uint8Array.from([1, 2, 3, 250, 251, 252]),
    };
    expect(decodePng(encodePng(rgb))).toEqual(rgb);
  });

  it('refuses damaged or oversized files', () => {
    const bytes = encodePng({ width: 4, height: 4, bitDepth: 8, colour: 'grey', data: new Uint8Array(16) });
    const damaged = bytes.slice();
    damaged[40] ^= 0xff;
    expect(() => decodePng(damaged)).toThrow(/CRC mismatch/);
    expect(() => decodePng(bytes, 8)).toThrow(/outside the limit/);
    expect(() => decodePng(new Uint8Array([1, 2, 3]))).toThrow(/not a PNG/);
  });
});

describe('lighting uniformity and repeatability report', () => {
  const rig: VirtualRig = {
    lights: demoRigLights([1, 1, 1, 1, 1, 1, 1, 1], 1),
    camera: { width: 256, height: 256, bitDepth: 16, exposureMs: 6 },
  };
  const white = targetSpecimen(flatWhiteTarget(256, 10e-6));
  const dark = buildDarkFrame(captureDark(rig, white, 2));

  it('passes a uniform, stable rig and files a picture', () => {
    const channels = rig.lights.map((_, k) => {
      const frames = captureTargetUnderLight(rig, white, k, 3);
      return { name: k < 8 ? `ring ${k}` : 'coaxial', flat: buildFlatField(frames, dark), repeats: frames };
    });
    const report = uniformityReport(channels, dark);
    expect(report.passed).toBe(true);
    expect(report.channels).toHaveLength(9);
    expect(report.channels[0].nonUniformity).toBeLessThan(0.02);
    const picture = decodePng(report.picture);
    expect([picture.width, picture.height]).toEqual([4 * 128 + 5 * 4, 3 * 128 + 4 * 4]);
  });

  it('flags a vignetted channel and a flickering one', () => {
    const frames = captureTargetUnderLight(rig, white, 0, 3);
    const vignetted: RawFrame[] = frames.map((f) => ({
      ...f,
      data: f.data.map((v, i) => {
        const x = (i % 256) - 128;
        const y = Math.floor(i / 256) - 128;
        return Math.round(dark.mean[i] + (v - dark.mean[i]) * (1 - (0.4 * (x * x + y * y)) / (128 * 128)));
      }),
    }));
    const flicker: RawFrame[] = frames.map((f, k) => ({
      ...f,
      data: f.data.map((v, i) => Math.round(dark.mean[i] + (v - dark.mean[i]) * (1 + 0.05 * k))),
    }));
    const report = uniformityReport(
      [
        { name: 'vignetted', flat: buildFlatField(vignetted, dark), repeats: vignetted },
        { name: 'flicker', flat: buildFlatField(flicker, dark), repeats: flicker },
      ],
      dark,
    );
    expect(report.passed).toBe(false);
    expect(report.channels[0].messages.join()).toMatch(/varies by .* over the field/);
    expect(report.channels[1].messages.join()).toMatch(/between repeats/);
    expect(report.channels[0].problems).toMatchObject([{ code: 'non_uniformity', channel: 'vignetted', limit: 0.05 }]);
    expect(report.channels[1].problems).toMatchObject([{ code: 'repeatability', channel: 'flicker' }]);
    expect(report.channels[1].problems[0]!.value).toBeGreaterThan(report.limits.maxRepeatability);
  });
});
