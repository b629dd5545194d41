// Whole capture of one casing on the demo rig through the real drivers (GRBL stage and ring/coaxial lights on
// pseudo-terminals, the USB3 Vision camera emulator rendering a Fadul scan), by the host's own capture runner:
// autofocus, exposure from the brightest channel, dark frames, one frame per light plus the whole ring,
// photometric stereo, quality checks. Used by bench/acquisition.bench.ts. Lights and scale are the profile's
// nominal ones here (no calibration record), so the figure isolates the capture itself.
import { join } from 'node:path';
import { sharedDataPath } from '../tests/fixtures/sharedData.ts';
import { loadRigProfile } from '../native/rig/profile.ts';
import type { OpenCv } from '../electron/analysis/opencv.ts';
import { readX3PFile } from '../electron/analysis/x3p/index.ts';
import type { Surface } from '../electron/analysis/surface.ts';
import type { QualityReport } from '../electron/analysis/quality/index.ts';
import { demoProfilePath, demoRigAccess, repoRoot } from '../electron/host/services/acquisition/rigAccess.ts';
import { captureRegion, prepareRig, reconstructInThread } from '../electron/host/services/acquisition/captureRunner.ts';

export interface WholeCaptureResult {
  seconds: Record<string, number>;
  source: Surface;
  topography: Surface;
  focusZmm: number;
  exposureUs: number;
  quality: QualityReport;
}

export async function captureOnDemoRig(cv: OpenCv): Promise<WholeCaptureResult> {
  const profile = await loadRigProfile(demoProfilePath);
  const source = (await readX3PFile(sharedDataPath(profile.specimen!))).surface;
  const t = performance.now();
  const lease = await demoRigAccess({ profilePath: join(repoRoot, 'resources/rigs/demo.json') }).acquire('benchmark');
  try {
    await prepareRig(lease.rig);
    const connect = (performance.now() - t) / 1000;
    const capture = await captureRegion(lease.rig, { region: 'breech_face', reconstruct: reconstructInThread(cv) });
    return { seconds: { 'start simulators + connect + home': connect, ...capture.seconds }, source, topography: capture.topography, focusZmm: capture.focus.zMm, exposureUs: capture.exposureUs, quality: capture.quality };
  } finally {
    await lease.release();
  }
}
