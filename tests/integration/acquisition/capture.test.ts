// Calibration and guided capture through the contract on the station's rig service running the demo rig
// (simulators on ptys, USB3 Vision emulator, real drivers; live view paused while capture holds the rig): the calibration is stored with its report; capture is blocked without a valid one;
// a capture stores originals (16-bit PNG) and an X3P topography with provenance, quality and audit, in one go.
// Slow (seconds per rig start), so few tests do a lot each.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../electron/contract/errors.ts';
import { readX3P, readX3PFile } from '../../../electron/analysis/x3p/index.ts';
import { loadOpenCv } from '../../../electron/analysis/opencv.ts';
import { sharedDataPath } from '../../fixtures/sharedData.ts';
import { bandPassedNcc, onCameraGrid } from '../../fixtures/topographyMatch.ts';
import { decodePng } from '../../../electron/analysis/calibration/png.ts';
import { demoProfilePath } from '../../../electron/host/services/acquisition/rigAccess.ts';
import { adminAccount, startSignedIn } from '../../fixtures/testHost.ts';

let dispose: (() => Promise<void>) | undefined;
afterEach(async () => dispose?.());

async function errorOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isAppError(error), `expected an AppError, got ${String(error)}`).toBe(true);
  return error as { code: string; message: string; details?: unknown };
}

describe('calibration and capture on the demo rig', () => {
  it('blocks capture without calibration, calibrates, captures two regions with full provenance, refuses an expired calibration', async () => {
    let now = Date.parse('2026-11-24T10:00:00Z');
    const station = await startSignedIn({
      rig: demoProfilePath,
      clock: () => now,
      calibrationValidityDays: 30,
      log: (level, message, fields) => level === 'error' && console.error(message, fields),
    });
    dispose = async () => {
      await station.host.rig.stop();
      await station.dispose();
    };
    const { client, host } = station;
    const theCase = await client.call('cases.create', { labCaseNumber: 'LAB-7', agency: 'Metro PD' });
    const item = await client.call('items.create', {
      caseId: theCase.id,
      fields: { kind: 'cartridge_case', exhibitNumber: 'Q1', calibre: '9mm Luger', primerMaterial: 'nickel' },
    });

    const blocked = await errorOf(client.call('capture.run', { itemId: item.id, regions: ['breech_face'] }));
    expect(blocked.code).toBe('conflict');
    expect(blocked.message).toMatch(/capture is blocked: no scale calibration on record/);
    // The screen words the reasons from data, not from the sentence above.
    expect(blocked.details).toMatchObject({ reason: 'capture_blocked' });
    expect((blocked.details as { blocks: unknown[] }).blocks).toContainEqual({
      kind: 'no_calibration',
      calibrationKind: 'scale',
    });
    expect((await client.call('capture.readiness', {})).ready).toBe(false);

    const progress: string[] = [];
    const calibration = await client.call(
      'calibrations.run',
      { kind: 'all' },
      { onProgress: (_f, p) => p && progress.push(p.step) },
    );
    expect(calibration.kind).toBe('suite');
    expect(calibration.passed).toBe(true);
    expect(calibration.operator).toBe('admin');
    expect(calibration.expiresAt).toBe('2026-12-24T10:00:00.000Z');
    expect(calibration.deviceSerials.camera).toBeTruthy();
    expect((calibration.results.scale as { umPerPixelX: number }).umPerPixelX).toBeCloseTo(3.33, 1);
    expect(progress.some((m) => /sphere/.test(m))).toBe(true);
    const report = await client.call('calibrations.report', { id: calibration.id });
    expect(decodePng(report.bytes).colour).toBe('rgb');
    expect((await client.call('calibrations.list', {})).rows.map((r) => r.id)).toEqual([calibration.id]);
    const ready = await client.call('capture.readiness', {});
    expect(ready).toMatchObject({ ready: true, problems: [] });

    const fractions: number[] = [];
    const { acquisitions } = await client.call(
      'capture.run',
      { itemId: item.id, regions: ['breech_face', 'firing_pin'], notes: 'first capture' },
      { onProgress: (f) => fractions.push(f) },
    );
    expect(acquisitions.map((a) => a.region)).toEqual(['breech_face', 'firing_pin']);
    expect(fractions.at(-1)).toBe(1);
    const bf = acquisitions[0];
    expect(bf.source).toBe('capture');
    expect(bf.calibrationId).toBe(calibration.id);
    expect(bf.calibration?.id).toBe(calibration.id);
    expect(bf.devices.map((d) => d.label).sort()).toEqual(['camera', 'coax', 'ring', 'stage']);
    expect(bf.quality?.checks.map((c) => c.id)).toEqual(['focus', 'saturation', 'coverage', 'calibration']);
    expect(bf.quality?.passed).toBe(true);
    const roles = bf.files.map((f) => f.role);
    expect(roles).toEqual(
      expect.arrayContaining([
        'topography',
        'dark',
        'dark:2',
        'coaxial',
        'ring',
        ...Array.from({ length: 8 }, (_, k) => `light:ring/${k}`),
      ]),
    );
    expect(bf.files.find((f) => f.role === 'coaxial')!.settings).toMatchObject({ exposureUs: bf.settings.exposureUs });

    // Originals: lossless 16-bit PNG as the camera delivered them; the topography: strict X3P with Open-FMC.
    const original = decodePng(
      readFileSync(host.evidence.pathOf(bf.files.find((f) => f.role === 'light:ring/0')!.sha256)),
    );
    expect(original.bitDepth).toBe(16);
    expect(original.width).toBe(1024);
    const x3pBytes = readFileSync(host.evidence.pathOf(bf.topographySha256!));
    expect(createHash('sha256').update(x3pBytes).digest('hex')).toBe(bf.topographySha256);
    const x3p = readX3P(new Uint8Array(x3pBytes));
    expect(x3p.corrections).toEqual([]);
    expect(x3p.surface.dx * 1e6).toBeCloseTo(bf.lateralUm!, 6);
    expect(x3p.forensic).toMatchObject({
      labCaseNumber: 'LAB-7',
      itemId: 'Q1',
      regionOfInterest: 'breech-face',
      cartridge: { calibre: '9mm Luger' },
    });
    expect(x3p.record2?.creator).toBe('admin');
    expect(station.host.rig.current()?.camera?.getProperty('pixelFormat')).not.toBe('Mono16'); // live view's format is back

    // The calibrated capture measures the scan the camera imaged (issue acceptance: band-passed NCC ≥ 0.9).
    const source = (await readX3PFile(sharedDataPath('fadul', 'fadul_1-1.x3p'))).surface;
    expect(
      bandPassedNcc(
        await loadOpenCv(),
        onCameraGrid(source, x3p.surface.width, x3p.surface.height, x3p.surface.dx),
        x3p.surface,
      ),
    ).toBeGreaterThanOrEqual(0.9);

    const preview = await client.call('acquisitions.preview', {
      acquisitionId: bf.id,
      role: 'topography',
      maxSize: 256,
    });
    expect(preview.width).toBe(256);
    const actions = host.db
      .prepare(
        "SELECT action FROM audit_log WHERE action LIKE 'capture.%' OR action LIKE 'acquisition.%' OR action = 'calibration.run' ORDER BY seq",
      )
      .pluck()
      .all();
    expect(actions).toEqual(['calibration.run', 'capture.start', 'acquisition.capture', 'acquisition.capture']);

    // A re-capture adds; the old stays. Then the calibration expires: capture is refused, naming it and its expiry.
    now += 31 * 86_400_000;
    await client.call('auth.unlock', { password: adminAccount.password }); // a month idle locks the session
    const expired = await errorOf(client.call('capture.run', { itemId: item.id, regions: ['breech_face'] }));
    expect(expired.code).toBe('conflict');
    expect(expired.message).toMatch(
      new RegExp(`calibration ${calibration.reference} \\(suite, 2026-11-24\\) expired on 2026-12-24`),
    );
    expect((await client.call('acquisitions.list', { itemId: item.id })).rows).toHaveLength(2);
  }, 180_000);
});
