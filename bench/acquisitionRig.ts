// Whole capture of one casing on the demo rig through the real drivers (GRBL stage and ring/coaxial lights on
// pseudo-terminals, the USB3 Vision camera emulator rendering a Fadul scan): autofocus, exposure from the
// brightest channel, a dark frame, one frame per light, photometric stereo, quality checks. Used by
// bench/acquisition.bench.ts; the host's capture runner will do the same steps with storage and audit.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, sharedDataPath } from '../tests/fixtures/sharedData.ts';
import { loadRigProfile } from '../native/rig/profile.ts';
import { createRig } from '../native/rig/createRig.ts';
import { startDemoRig } from '../native/sim/demoRig.ts';
import type { Frame, LightSource } from '../native/devices/kinds.ts';
import { directionFromAngles } from '../native/sim/optics/index.ts';
import { buildDarkFrame, correctFrame, sampleMedian, type RawFrame } from '../electron/analysis/calibration/frames.ts';
import { autofocus } from '../electron/analysis/focus/index.ts';
import { sharpness } from '../electron/analysis/focus/sharpness.ts';
import type { OpenCv } from '../electron/analysis/opencv.ts';
import { reconstructTopography, type CalibratedLight } from '../electron/analysis/photometric/index.ts';
import { adviseExposure, checkCoverage, checkFocus, checkSaturation, qualityReport } from '../electron/analysis/quality/index.ts';
import { readX3PFile } from '../electron/analysis/x3p/index.ts';
import type { Surface } from '../electron/analysis/surface.ts';

function toRaw(frame: Frame): RawFrame {
  if (frame.pixelFormat === 'Mono8') return { width: frame.width, height: frame.height, bitDepth: 8, data: frame.data };
  const data = new Uint16Array(frame.width * frame.height);
  for (let i = 0; i < data.length; i++) data[i] = frame.data[2 * i] | (frame.data[2 * i + 1] << 8);
  return { width: frame.width, height: frame.height, bitDepth: 16, data };
}

export interface WholeCaptureResult {
  seconds: Record<string, number>;
  source: Surface;
  topography: Surface;
  focusZmm: number;
  exposureUs: number;
  quality: ReturnType<typeof qualityReport>;
}

export async function captureOnDemoRig(cv: OpenCv): Promise<WholeCaptureResult> {
  const profile = await loadRigProfile(join(repoRoot, 'resources/rigs/demo.json'));
  const source = (await readX3PFile(sharedDataPath(profile.specimen!))).surface;
  const demo = await startDemoRig({ profile, surface: source, dir: mkdtempSync(join(tmpdir(), 'capture-bench-')) });
  const rig = createRig(profile, { simulatorPorts: demo.simulatorPorts, usbDevices: demo.usbDevices });
  demo.bindRig(rig);
  const seconds: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    seconds[name] = (performance.now() - t) / 1000;
    t = performance.now();
  };
  try {
    const failures = (await rig.connectAll()).filter((r) => r.error);
    if (failures.length) throw new Error(`demo rig: ${failures.map((f) => `${f.label}: ${f.error!.message}`).join('; ')}`);
    const camera = rig.camera!;
    const { stage, axis } = rig.focus!;
    const ring = rig.device('ring') as LightSource;
    const coax = rig.device('coax') as LightSource;
    // Originals are kept at 16 bits.
    await camera.setProperty('pixelFormat', 'Mono16');
    await stage.home();
    lap('connect + home');

    // Autofocus with the whole ring on, within ±0.75 mm of the profile's nominal focus.
    const all = Object.fromEntries(ring.channels().map((c) => [c.id, 100]));
    await ring.setLevels(all);
    await camera.setProperty('exposureUs', 2000);
    const nominal = profile.geometry.bestFocus * 1e-3;
    const focus = await autofocus(
      async (z) => {
        await stage.moveTo(axis, z * 1e3);
        return toRaw(await camera.snap());
      },
      { minZ: nominal - 0.75e-3, maxZ: nominal + 0.75e-3, coarseSteps: 11, toleranceM: 5e-6 },
    );
    await stage.moveTo(axis, focus.bestZ * 1e3);
    const bestFrame = toRaw(await camera.snap());
    lap('autofocus');

    // Exposure: the coaxial light is the brightest on a flat primer; put its 99.9th percentile at 80 % of full
    // scale, measured above the black level of a frame with every light off.
    await ring.allOff();
    const probeUs = 1000;
    await camera.setProperty('exposureUs', probeUs);
    const blackDn = sampleMedian(toRaw(await camera.snap()).data, 7);
    await coax.setLevels({ A: 100 });
    const limits = { minUs: 20, maxUs: 1_000_000, blackDn };
    let advice = adviseExposure(toRaw(await camera.snap()), probeUs, limits);
    for (let retries = 0; advice.kind === 'retry' && retries < 4; retries++) {
      await camera.setProperty('exposureUs', advice.exposureUs);
      advice = adviseExposure(toRaw(await camera.snap()), advice.exposureUs, limits);
    }
    if (advice.kind !== 'ok') throw new Error(`auto exposure failed: ${advice.kind} (bright level ${advice.brightDn} DN)`);
    const exposureUs = advice.exposureUs;
    await camera.setProperty('exposureUs', exposureUs);
    await coax.allOff();
    const dark = buildDarkFrame([toRaw(await camera.snap()), toRaw(await camera.snap())]);
    lap('exposure + dark');

    const frames: RawFrame[] = [];
    const lights: CalibratedLight[] = [];
    for (const channel of profile.devices.flatMap((d) => ('channels' in d ? d.channels.map((c) => ({ device: d.label, ...c })) : []))) {
      const source = rig.device(channel.device) as LightSource;
      await source.setLevels({ [channel.id]: 100 });
      frames.push(toRaw(await camera.snap()));
      await source.allOff();
      lights.push({ direction: 'coaxial' in channel && channel.coaxial ? [0, 0, 1] : directionFromAngles(channel.azimuthDeg!, channel.elevationDeg!), intensity: 1 });
    }
    lap('one frame per light');

    const corrected = frames.map((f) => correctFrame(f, dark));
    const result = reconstructTopography(cv, { width: frames[0].width, height: frames[0].height, images: corrected.map((c) => c.linear), saturated: corrected.map((c) => c.saturated), lights }, { dx: profile.geometry.pixelSizeUm * 1e-6 });
    lap('photometric stereo');

    const { width, height } = result.surface;
    const quality = qualityReport([
      checkFocus(sharpness(bestFrame), focus.bestScore),
      checkSaturation(frames),
      checkCoverage(result.valid, width, height, { cx: width / 2, cy: height / 2, radius: width * 0.45 }),
    ]);
    lap('quality checks');
    return { seconds, source, topography: result.surface, focusZmm: focus.bestZ * 1e3, exposureUs, quality };
  } finally {
    await rig.shutdownAll();
    await demo.stop();
  }
}
