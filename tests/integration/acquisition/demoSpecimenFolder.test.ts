// The demo rig's reference folder is read, never trusted: only regular *.x3p files directly in it are offered (a
// symlink out of it, or a folder named like a scan, is not), and a reference scan that cannot be read is a clear
// refusal of the capture, not an internal error. Real host and database; the folder is a temporary one.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../electron/contract/errors.ts';
import { writeX3P } from '../../../electron/analysis/x3p/index.ts';
import { loadRigProfile } from '../../../native/rig/profile.ts';
import type { DemoRig } from '../../../native/sim/demoRig.ts';
import { demoProfilePath } from '../../../electron/host/services/acquisition/rigAccess.ts';
import { DemoSpecimens } from '../../../electron/host/services/acquisition/demoSpecimens.ts';
import { startTestHost } from '../../fixtures/testHost.ts';

const x3p = writeX3P(
  { width: 4, height: 3, dx: 1e-6, dy: 1e-6, z: Float64Array.from({ length: 12 }, (_, i) => i * 1e-7) },
  {
    record2: {
      date: '2026-01-01T00:00:00Z',
      instrument: { manufacturer: 'm', model: 'm', serial: '1', version: '1' },
      calibrationDate: '2026-01-01T00:00:00Z',
      probingSystem: { type: 'NonContacting', identification: 'x' },
    },
  },
);

describe('the demo rig reference folder', () => {
  let station: ReturnType<typeof startTestHost>;
  let shared: string;
  let specimens: DemoSpecimens;
  let itemId: number;
  const actor = { userId: null as unknown as number, username: 'tester' };

  beforeAll(async () => {
    shared = mkdtempSync(join(tmpdir(), 'casebench-demo-folder-'));
    const profile = await loadRigProfile(demoProfilePath);
    const folder = join(shared, profile.specimen!.split('/')[0]!);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(shared, profile.specimen!), x3p);
    writeFileSync(join(shared, 'outside.x3p'), x3p);
    symlinkSync(join(shared, 'outside.x3p'), join(folder, 'link.x3p'));
    mkdirSync(join(folder, 'dir.x3p'));
    writeFileSync(join(folder, 'broken.x3p'), 'not an x3p at all');
    station = startTestHost();
    const { host } = station;
    const admin = host.auth.createUser(
      { userId: null, username: 'setup' },
      { username: 'admin', displayName: 'Admin', role: 'admin', passwordHash: 'scrypt$1$1$1$AA==$AA==' },
    );
    actor.userId = admin.id;
    const theCase = host.cases.createCase(actor, {
      labCaseNumber: 'LAB-F',
      status: 'open',
      agency: null,
      agencyCaseNumber: null,
      offence: null,
      offenceDate: null,
      receivedDate: null,
      notes: null,
    });
    itemId = host.cases.createItem(actor, theCase.id, { kind: 'cartridge_case', exhibitNumber: 'Q1' } as Parameters<
      typeof host.cases.createItem
    >[2]).id;
    const rig = { profile: async () => profile, acquire: () => Promise.reject(new Error('not used')) };
    specimens = new DemoSpecimens(host.db, host.audit, rig, shared);
  });

  afterAll(async () => {
    await station?.dispose();
    rmSync(shared, { recursive: true, force: true });
  });

  it('offers regular files only: no symlink out of the folder, no folder named like a scan', async () => {
    const ids = (await specimens.forItem(itemId))!.specimens.map((s) => s.id);
    expect(ids.some((id) => id.endsWith('link.x3p'))).toBe(false);
    expect(ids.some((id) => id.endsWith('dir.x3p'))).toBe(false);
    const link = ids[0]!.replace(/[^/]*$/, 'link.x3p');
    const error = await specimens.choose(actor, itemId, link).catch((e: unknown) => e);
    expect(isAppError(error, 'invalid_input')).toBe(true);
  });

  it('refuses a capture from a reference scan that cannot be read with a clear error', async () => {
    const broken = (await specimens.forItem(itemId))!.specimens.find((s) => s.id.endsWith('broken.x3p'))!;
    await specimens.choose(actor, itemId, broken.id);
    const demo = { specimen: undefined, loadSpecimen: () => undefined } as unknown as DemoRig;
    const error = await specimens.load(demo, itemId).catch((e: unknown) => e);
    expect(isAppError(error)).toBe(true);
    expect(isAppError(error, 'internal')).toBe(false);
    expect((error as Error).message).toMatch(/broken/);
  });
});
