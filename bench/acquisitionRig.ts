// Whole capture of one casing on the demo rig through the real drivers (GRBL stage and ring/coaxial lights on
// pseudo-terminals, the USB3 Vision camera emulator rendering a Fadul scan), by the host's own capture runner:
// autofocus, exposure from the brightest channel, dark frames, one frame per light plus the whole ring,
// photometric stereo, quality checks. Used by bench/acquisition.bench.ts. Lights and scale are the profile's
// nominal ones here (no calibration record), so the figure isolates the capture itself.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDataPath } from '../tests/fixtures/sharedData.ts';
import { loadRigProfile } from '../native/rig/profile.ts';
import type { OpenCv } from '../electron/analysis/opencv.ts';
import { readX3P, readX3PFile } from '../electron/analysis/x3p/index.ts';
import { createHost } from '../electron/host/createHost.ts';
import type { Surface } from '../electron/analysis/surface.ts';
import type { QualityReport } from '../electron/analysis/quality/index.ts';
import { demoProfilePath, demoRigAccess } from '../electron/host/services/acquisition/rigAccess.ts';
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
  const lease = await demoRigAccess({ profilePath: demoProfilePath }).acquire('benchmark');
  try {
    await prepareRig(lease.rig);
    const connect = (performance.now() - t) / 1000;
    const capture = await captureRegion(lease.rig, { region: 'breech_face', reconstruct: reconstructInThread(cv) });
    return {
      seconds: { 'start simulators + connect + home': connect, ...capture.seconds },
      source,
      topography: capture.topography,
      focusZmm: capture.focus.zMm,
      exposureUs: capture.exposureUs,
      quality: capture.quality,
    };
  } finally {
    await lease.release();
  }
}

export interface StoredCaptureResult {
  calibrationSeconds: number;
  captureSeconds: number;
  regions: number;
  /** The calibrated breech-face topography as stored (X3P read back). */
  topography: Surface;
  source: Surface;
  qualityPassed: boolean[];
}

/**
 * The same through the station host, as the UI and `casebench capture` run it: a calibration suite on the
 * virtual targets (worker thread), then a calibrated capture of breech face and firing pin stored in the
 * evidence store (16-bit PNG originals, X3P topography) in one transaction, on a temporary station folder.
 */
export async function storedCaptureOnDemoRig(): Promise<StoredCaptureResult> {
  const profile = await loadRigProfile(demoProfilePath);
  const source = (await readX3PFile(sharedDataPath(profile.specimen!))).surface;
  const dataDir = mkdtempSync(join(tmpdir(), 'casebench-capture-bench-'));
  const host = createHost({ dataDir, log: () => {} });
  try {
    const admin = host.auth.createUser(
      { userId: null, username: 'setup' },
      { username: 'bench', displayName: 'Bench', role: 'technician', passwordHash: 'scrypt$1$1$1$AA==$AA==' },
    );
    const actor = { userId: admin.id, username: 'bench' };
    const theCase = host.cases.createCase(actor, {
      labCaseNumber: 'BENCH-1',
      status: 'open',
      agency: null,
      agencyCaseNumber: null,
      offence: null,
      offenceDate: null,
      receivedDate: null,
      notes: null,
    });
    const item = host.cases.createItem(actor, theCase.id, { kind: 'cartridge_case', exhibitNumber: 'Q1' } as Parameters<
      typeof host.cases.createItem
    >[2]);
    const signal = new AbortController().signal;
    let t = performance.now();
    await host.capture.runCalibration(actor, 'all', () => undefined, signal);
    const calibrationSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const stored = await host.capture.capture(
      actor,
      { itemId: item.id, regions: ['breech_face', 'firing_pin'] },
      () => undefined,
      signal,
    );
    const captureSeconds = (performance.now() - t) / 1000;
    const topography = readX3P(new Uint8Array(readFileSync(host.evidence.pathOf(stored[0].topographySha256!)))).surface;
    return {
      calibrationSeconds,
      captureSeconds,
      regions: stored.length,
      topography,
      source,
      qualityPassed: stored.map((a) => a.quality?.passed === true),
    };
  } finally {
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
