// The USB3 Vision driver against the USB3 Vision device emulator (behind the WebUSB USBDevice interface),
// rendering a real Fadul breech-face scan through the optics model.
import { beforeAll, describe, expect, it } from 'vitest';
import { readX3PFile } from '../../../electron/analysis/x3p/index.ts';
import { sharedDataPath } from '../../fixtures/sharedData.ts';
import { U3vEmulator } from '../../../native/sim/u3vEmulator.ts';
import { opticsFrameRenderer } from '../../../native/sim/cameraRenderer.ts';
import { demoRigLights, type HeightField } from '../../../native/sim/optics/index.ts';
import { U3vCamera } from '../../../native/devices/u3vCamera.ts';
import { focusMeasure } from '../../../native/devices/frameStats.ts';
import type { Frame } from '../../../native/devices/kinds.ts';

const scene = { segments: [1, 1, 1, 1, 1, 1, 1, 1], defocusM: 0 };
let surface: HeightField;

function camera(
  emulator = new U3vEmulator({
    renderer: opticsFrameRenderer(surface, {
      lights: () => demoRigLights(scene.segments),
      defocusM: () => scene.defocusM,
    }),
    sensorWidth: 512,
    sensorHeight: 512,
    minFramePeriodMs: 1,
  }),
) {
  return { emulator, camera: new U3vCamera({ label: 'camera', device: emulator }) };
}

function mean(frame: Frame): number {
  let sum = 0;
  for (const v of frame.data) sum += v;
  return sum / frame.data.length;
}

describe('USB3 Vision camera against its emulator', () => {
  beforeAll(async () => {
    surface = (await readX3PFile(sharedDataPath('fadul', 'fadul_1-1.x3p'))).surface;
  });

  it('reads bootstrap registers and the GenICam XML, exposing typed limits', async () => {
    const { camera: cam } = camera();
    await cam.initialize();
    expect(cam.getProperty('vendor')).toBe('Casebench');
    expect(cam.getProperty('model')).toBe('CBX-1024M');
    expect(cam.getProperty('width')).toBe(512);
    expect(cam.getProperty('pixelFormat')).toBe('Mono8');
    expect(cam.properties().find((p) => p.name === 'width')).toMatchObject({ min: 16, max: 512 });
    expect(cam.properties().find((p) => p.name === 'exposureUs')).toMatchObject({
      min: 20,
      max: 1_000_000,
      unit: 'us',
    });
    await cam.shutdown();
  });

  it('snaps a frame of the specimen through leader, payload and trailer', async () => {
    const { camera: cam } = camera();
    await cam.initialize();
    await cam.setProperty('exposureUs', 2000);
    const frame = await cam.snap();
    expect(frame).toMatchObject({ width: 512, height: 512, pixelFormat: 'Mono8' });
    expect(frame.data.length).toBe(512 * 512);
    expect(mean(frame)).toBeGreaterThan(5);
    await cam.shutdown();
  });

  it('follows exposure, gain, ROI and pixel format, and refuses out-of-range values before sending', async () => {
    const { camera: cam } = camera();
    await cam.initialize();
    await cam.setProperty('exposureUs', 1000);
    const dim = mean(await cam.snap());
    await cam.setProperty('exposureUs', 4000);
    const bright = mean(await cam.snap());
    expect(bright).toBeGreaterThan(dim * 2);
    await cam.setProperty('gainDb', 6);
    expect(mean(await cam.snap())).toBeGreaterThan(bright * 1.5);
    await cam.setProperty('width', 256);
    await cam.setProperty('height', 128);
    await cam.setProperty('offsetX', 64);
    await cam.setProperty('pixelFormat', 'Mono16');
    const roi = await cam.snap();
    expect(roi).toMatchObject({ width: 256, height: 128, pixelFormat: 'Mono16' });
    expect(roi.data.length).toBe(256 * 128 * 2);
    await expect(cam.setProperty('exposureUs', 5)).rejects.toMatchObject({ code: 'out-of-range' });
    await expect(cam.setProperty('width', 1024)).rejects.toMatchObject({ code: 'out-of-range' });
    await expect(cam.setProperty('width', 100)).rejects.toMatchObject({ code: 'out-of-range' });
    await expect(cam.setProperty('pixelFormat', 'RGB8')).rejects.toMatchObject({ code: 'out-of-range' });
    // A value the XML allows but the device refuses comes back as the GenCP status.
    await expect(cam.setProperty('offsetX', 448)).rejects.toMatchObject({
      code: 'device-error',
      details: { gencpStatus: 0x8002 },
    });
    await cam.shutdown();
  });

  it('renders lights and defocus: one segment shades, defocus lowers the focus measure', async () => {
    const { camera: cam } = camera();
    await cam.initialize();
    await cam.setProperty('exposureUs', 3000);
    const sharp = await cam.snap();
    scene.defocusM = 200e-6;
    const blurred = await cam.snap();
    scene.defocusM = 0;
    expect(focusMeasure(blurred)).toBeLessThan(focusMeasure(sharp) * 0.7);
    scene.segments = [1, 0, 0, 0, 0, 0, 0, 0];
    const oneSide = await cam.snap();
    scene.segments = [1, 1, 1, 1, 1, 1, 1, 1];
    expect(mean(oneSide)).toBeLessThan(mean(sharp) * 0.5);
    await cam.shutdown();
  });

  it('streams consecutive frames until aborted, then stops cleanly', async () => {
    const { camera: cam } = camera();
    await cam.initialize();
    const controller = new AbortController();
    const ids: number[] = [];
    await cam.startSequence((frame) => {
      ids.push(frame.blockId);
      if (ids.length === 5) controller.abort();
    }, controller.signal);
    expect(ids).toEqual([ids[0], ids[0] + 1, ids[0] + 2, ids[0] + 3, ids[0] + 4]);
    expect(cam.busy()).toBe(false);
    await cam.snap(); // usable again
    await cam.shutdown();
  });

  it('an unplugged camera aborts the running sequence with "disconnected" and works after replug', async () => {
    const { emulator, camera: cam } = camera();
    await cam.initialize();
    const controller = new AbortController();
    let frames = 0;
    const sequence = cam.startSequence(() => {
      frames++;
      if (frames === 2) emulator.unplug();
    }, controller.signal);
    await expect(sequence).rejects.toMatchObject({ code: 'disconnected' });
    expect(cam.state).toBe('disconnected');
    emulator.replug();
    await cam.initialize();
    expect((await cam.snap()).width).toBe(512);
    await cam.shutdown();
  });
});
