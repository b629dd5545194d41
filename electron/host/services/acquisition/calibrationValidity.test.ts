// Which calibration capture uses, and when it refuses: records of separate kinds combine; a missing, failed,
// expired or other-device calibration blocks capture with a message naming the record (no rig needed: the
// refusal comes before any device is touched, or right after the devices identify themselves).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError, isAppError } from '../../../contract/errors.ts';
import { createHost, type Host } from '../../createHost.ts';
import { loadRigProfile } from '../../../../native/rig/profile.ts';
import type { Rig } from '../../../../native/rig/createRig.ts';
import { demoProfilePath, type RigAccess } from './rigAccess.ts';

let cleanup: (() => Promise<void>) | undefined;
afterEach(() => cleanup?.());

const profile = await loadRigProfile(demoProfilePath);
const serials = { camera: 'CB-0001', stage: 'grbl Grbl 1.1h', ring: 'casebench-ring ring 1.0', coax: 'coolled-pe4000' };

/** A rig whose devices identify themselves with `cameraSerial`; any motion is a test failure. */
function fakeRigAccess(cameraSerial: string): RigAccess & { acquired: number } {
  const device = (label: string, serial?: string) => ({
    label,
    kind: label === 'camera' ? 'camera' : 'light',
    properties: () => (serial ? [{ name: 'serial' }] : []),
    getProperty: (name: string) => (name === 'serial' ? serial : name === 'pixelFormat' ? 'Mono8' : 1000),
    setProperty: async () => undefined,
  });
  const devices = [device('camera', cameraSerial)];
  const rig = {
    profile,
    devices,
    camera: devices[0],
    lights: [],
    focus: { stage: { home: async () => undefined }, axis: 'z' },
  } as unknown as Rig;
  const access = {
    acquired: 0,
    profile: async () => profile,
    acquire: async () => {
      access.acquired++;
      return { rig, release: async () => undefined };
    },
  };
  return access;
}

function station(rigAccess: RigAccess, now: number): Host {
  const dataDir = mkdtempSync(join(tmpdir(), 'casebench-calvalid-'));
  const host = createHost({ dataDir, rigAccess, clock: () => now, log: () => {} });
  cleanup = async () => {
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return host;
}

function seed(
  host: Host,
  kind: 'scale' | 'flat_dark' | 'lights' | 'suite',
  performedAt: string,
  extra: { passed?: boolean; serials?: Record<string, string> } = {},
): number {
  const operatorId = 1;
  const expiresAt = new Date(Date.parse(performedAt) + 30 * 86_400_000).toISOString();
  return host.acquisitions.calibrations.insert({
    kind,
    rigProfile: profile.name,
    deviceSerials: extra.serials ?? { ...serials, camera: 'CB-0001' },
    operatorId,
    performedAt,
    expiresAt,
    results: { passed: extra.passed ?? true, messages: extra.passed === false ? ['dot grid: 3 dots found'] : [] },
    reportSha256: null,
  });
}

async function refusal(host: Host, itemId = 1) {
  const actor = { userId: 1, username: 'admin' };
  const error = await host.capture
    .capture(actor, { itemId, regions: ['breech_face'] }, () => undefined, new AbortController().signal)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(isAppError(error, 'conflict') || isAppError(error, 'not_found'), String(error)).toBe(true);
  return (error as Error).message;
}

/** The station's first user (id 1) and an item to capture. */
function item(host: Host): number {
  const admin = host.auth.createUser(
    { userId: null, username: 'setup' },
    { username: 'admin', displayName: 'Admin', role: 'admin', passwordHash: 'scrypt$1$1$1$AA==$AA==' },
  );
  const actor = { userId: admin.id, username: 'admin' };
  const c = host.cases.createCase(actor, {
    labCaseNumber: 'L',
    status: 'open',
    agency: null,
    agencyCaseNumber: null,
    offence: null,
    offenceDate: null,
    receivedDate: null,
    notes: null,
  });
  return host.cases.createItem(actor, c.id, { kind: 'cartridge_case', exhibitNumber: 'Q1' } as Parameters<
    Host['cases']['createItem']
  >[2]).id;
}

describe('calibration validity for capture', () => {
  it('combines separate records; names what is missing, failed or expired', async () => {
    const access = fakeRigAccess('CB-0001');
    const host = station(access, Date.parse('2026-11-24T12:00:00Z'));
    const itemId = item(host);
    expect(await refusal(host, itemId)).toMatch(
      /no scale calibration on record.*no flat\/dark calibration.*no lights calibration/,
    );
    seed(host, 'scale', '2026-11-20T08:00:00.000Z', { passed: false });
    seed(host, 'flat_dark', '2026-11-20T09:00:00.000Z');
    const lights = seed(host, 'lights', '2026-10-01T09:00:00.000Z');
    const message = await refusal(host, itemId);
    // Named by the lab's reference: the year it was made and its rank among that year's calibrations.
    expect(message).toMatch(/calibration CAL-2026-0001 \(scale, 2026-11-20\) did not pass: dot grid: 3 dots found/);
    expect(message).toContain(`calibration CAL-2026-0003 (lights, 2026-10-01) expired on 2026-10-31T09:00:00.000Z`);
    expect(access.acquired).toBe(0); // refused before the rig is touched
    const readiness = await host.capture.readiness();
    expect(readiness.ready).toBe(false);
    expect(readiness.calibration?.id).toBe(lights);
    expect(readiness.calibration?.reference).toBe('CAL-2026-0003');
    expect(readiness.blocks).toEqual(
      expect.arrayContaining([
        { kind: 'calibration_failed', calibrationId: expect.any(Number), reference: 'CAL-2026-0001' },
        expect.objectContaining({ kind: 'calibration_expired', calibrationId: lights, reference: 'CAL-2026-0003' }),
      ]),
    );
    // Each year counts from one; a record made later in an earlier year does not renumber this year's.
    const older = seed(host, 'scale', '2025-12-31T23:00:00.000Z');
    expect(host.acquisitions.calibrations.get(older)?.reference).toBe('CAL-2025-0001');
    expect(host.acquisitions.calibrations.get(lights)?.reference).toBe('CAL-2026-0003');

    // A newer suite supersedes all three.
    seed(host, 'suite', '2026-11-23T09:00:00.000Z');
    expect((await host.capture.readiness()).ready).toBe(true);
  });

  it('reports a station without a rig as not ready, with the reason', async () => {
    const host = station(
      {
        profile: async () => Promise.reject(new AppError('unavailable', 'the station has no rig connected')),
        acquire: async () => Promise.reject(new Error('not called')),
      },
      Date.now(),
    );
    expect(await host.capture.readiness()).toEqual({
      ready: false,
      rigProfile: null,
      calibration: null,
      problems: ['the station has no rig connected'],
      blocks: [{ kind: 'no_rig', said: 'the station has no rig connected' }],
    });
  });

  it('refuses a calibration made with other devices, naming the device and both serials', async () => {
    const access = fakeRigAccess('CB-0002');
    const host = station(access, Date.parse('2026-11-24T12:00:00Z'));
    const itemId = item(host);
    seed(host, 'suite', '2026-11-23T09:00:00.000Z', { serials: { camera: 'CB-0001' } });
    expect(await refusal(host, itemId)).toMatch(
      /devices changed since calibration CAL-2026-0001 \(suite, 2026-11-23\): camera CB-0001 → CB-0002/,
    );
    expect(access.acquired).toBe(1);
    const audit = host.db
      .prepare("SELECT action FROM audit_log WHERE action LIKE 'capture.%' ORDER BY seq")
      .pluck()
      .all();
    expect(audit).toEqual(['capture.start', 'capture.failed']);
    expect(host.db.prepare('SELECT COUNT(*) FROM acquisitions').pluck().get()).toBe(0);
  });
});
