// Regions of an acquisition through the contract: detected on a real Fadul topography and an NBIDE ring-light
// picture; the examiner's override stored as an audited amendment (before/after, reason, row version); bad
// circles and the technician refused; search compares only the override's breech-face annulus and says so.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { HeadRegions } from '../../../electron/contract/acquisitions.ts';
import { sharedDataPath } from '../../fixtures/sharedData.ts';
import { seedScans } from '../../fixtures/searchData.ts';
import { startSignedIn, type StationClient } from '../../fixtures/testHost.ts';
import { expectAppError } from '../../fixtures/appError.ts';

let dispose: (() => void) | undefined;
afterEach(() => dispose?.());

async function userClient(station: Awaited<ReturnType<typeof startSignedIn>>, role: 'technician' | 'examiner') {
  await station.client.call('users.create', {
    passwordChangeDue: false, // a test account: no password change at first sign-in
    username: role,
    displayName: role,
    password: 'long enough password',
    role,
  });
  const client = station.connect();
  await client.call('auth.signIn', { username: role, password: 'long enough password' });
  return client;
}

async function importFile(client: StationClient, dataset: string, name: string) {
  const c = await client.call('cases.create', { labCaseNumber: `LAB-${name}` });
  const item = await client.call('items.create', {
    caseId: c.id,
    fields: { kind: 'cartridge_case', exhibitNumber: 'Q1' },
  });
  return client.call('acquisitions.import', {
    itemId: item.id,
    region: 'breech_face',
    fileName: name,
    bytes: new Uint8Array(readFileSync(sharedDataPath(dataset, name))),
  });
}

describe('acquisitions.regions', () => {
  it('detects primer, firing pin and breech-face annulus on a Fadul topography', async () => {
    const station = await startSignedIn();
    dispose = station.dispose;
    const acq = await importFile(station.client, 'fadul', 'fadul_1-1.x3p');
    const view = await station.client.call('acquisitions.regions', { id: acq.id });
    expect(view.role).toBe('topography');
    expect(view.override).toBeNull();
    expect(view.version).toBe(acq.version);
    const d = view.detected!;
    expect([d.width, d.height]).toEqual([acq.width, acq.height]);
    expect(d.origin).toBe('auto');
    // The scan is masked to the breech face: the primer fills most of it and the firing pin sits inside it.
    expect(d.primer!.r).toBeGreaterThan(0.35 * Math.min(d.width, d.height));
    expect(d.firingPin!.r).toBeLessThan(d.primer!.r);
    expect(Math.hypot(d.firingPin!.cx - d.primer!.cx, d.firingPin!.cy - d.primer!.cy)).toBeLessThan(d.primer!.r);
    expect(d.breechFace).toEqual({ outer: d.primer, inner: d.firingPin });
    await expectAppError(station.client.call('acquisitions.regions', { id: 999 }), 'not_found');
    await expectAppError(
      station.client.call('acquisitions.setRegions', {
        id: 999,
        version: 1,
        reason: 'x',
        regions: { width: 10, height: 10, primer: null, firingPin: null, breechFace: null },
      }),
      'not_found',
    );
  });

  it('detects regions on an NBIDE ring-light image', async () => {
    const station = await startSignedIn();
    dispose = station.dispose;
    const acq = await importFile(station.client, 'nbide-2d', 'NBIDE_R_BF_118.png');
    const view = await station.client.call('acquisitions.regions', { id: acq.id });
    expect(view.role).toBe('original');
    expect(view.detected?.primer).not.toBeNull();
    expect(view.detected!.width).toBe(acq.width);
  });

  it('stores an override as an audited amendment; technician, stale versions and bad circles are refused; clear goes back', async () => {
    const station = await startSignedIn();
    dispose = station.dispose;
    const { host } = station;
    const acq = await importFile(station.client, 'fadul', 'fadul_1-1.x3p');
    const detected = (await station.client.call('acquisitions.regions', { id: acq.id })).detected!;
    const primer = detected.primer!;
    const regions: HeadRegions = {
      width: detected.width,
      height: detected.height,
      primer,
      firingPin: detected.firingPin,
      breechFace: { outer: { ...primer, r: primer.r * 0.9 }, inner: detected.firingPin },
    };
    const technician = await userClient(station, 'technician');
    await expectAppError(
      technician.call('acquisitions.setRegions', { id: acq.id, version: acq.version, reason: 'edge', regions }),
      'forbidden',
    );
    const examiner = await userClient(station, 'examiner');
    await expectAppError(
      examiner.call('acquisitions.setRegions', {
        id: acq.id,
        version: acq.version,
        reason: 'ring',
        regions: { ...regions, breechFace: { outer: primer, inner: { ...primer, r: primer.r * 1.1 } } },
      }),
      'invalid_input',
      /inner circle/,
    );
    await expectAppError(
      examiner.call('acquisitions.setRegions', {
        id: acq.id,
        version: acq.version,
        reason: 'off',
        regions: { ...regions, primer: { cx: -5, cy: 10, r: 20 } },
      }),
      'invalid_input',
      /outside/,
    );
    await expectAppError(
      examiner.call('acquisitions.setRegions', {
        id: acq.id,
        version: acq.version,
        reason: 'size',
        regions: { ...regions, width: regions.width + 10 },
      }),
      'invalid_input',
      /picture/,
    );
    await expectAppError(
      examiner.call('acquisitions.setRegions', { id: acq.id, version: acq.version, reason: '  ', regions }),
      'invalid_input',
    );

    const set = await examiner.call('acquisitions.setRegions', {
      id: acq.id,
      version: acq.version,
      reason: 'primer edge rolled; keep the flat part',
      regions,
    });
    expect(set.override).toMatchObject({ ...regions, origin: 'manual' });
    expect(set.detected).toEqual(detected);
    expect(set.version).toBe(acq.version + 1);
    await expectAppError(
      examiner.call('acquisitions.setRegions', { id: acq.id, version: acq.version, reason: 'stale', regions }),
      'conflict',
    );
    await expectAppError(
      examiner.call('acquisitions.clearRegions', { id: acq.id, version: acq.version, reason: 'stale' }),
      'conflict',
    );
    const again = await station.client.call('acquisitions.regions', { id: acq.id });
    expect(again.override).toEqual(set.override);

    const cleared = await examiner.call('acquisitions.clearRegions', {
      id: acq.id,
      version: set.version,
      reason: 'detected circles are right after all',
    });
    expect(cleared.override).toBeNull();
    await expectAppError(
      examiner.call('acquisitions.clearRegions', { id: acq.id, version: cleared.version, reason: 'twice' }),
      'conflict',
      /no region override/,
    );

    const entries = host.db
      .prepare(
        "SELECT action, before_json, after_json, reason FROM audit_log WHERE entity_type = 'acquisition' AND action LIKE 'acquisition.regions%' ORDER BY seq",
      )
      .all() as { action: string; before_json: string; after_json: string; reason: string }[];
    expect(entries.map((e) => e.action)).toEqual(['acquisition.regions', 'acquisition.regions_cleared']);
    expect(JSON.parse(entries[0].before_json)).toEqual({ regions: null });
    expect(JSON.parse(entries[0].after_json).regions).toMatchObject({
      breechFace: regions.breechFace,
      origin: 'manual',
    });
    expect(entries[0].reason).toBe('primer edge rolled; keep the flat part');
    expect(JSON.parse(entries[1].before_json).regions).toMatchObject({ breechFace: regions.breechFace });
    expect(JSON.parse(entries[1].after_json)).toEqual({ regions: null });
  });

  it("search compares the override's breech-face annulus and reports which regions it used", async () => {
    const station = await startSignedIn();
    dispose = station.dispose;
    const ids = seedScans(station.host, 1, [
      { scan: '1-1', caseNumber: 'LAB-Q', exhibit: 'Q1' },
      { scan: '1-2', caseNumber: 'LAB-K', exhibit: 'K1' },
      { scan: '2-1', caseNumber: 'LAB-K', exhibit: 'K2' },
    ]);
    const run = () => station.client.call('search.run', { acquisitionId: ids[0], filters: {}, topK: 2 });
    const before = await run();
    const km = () => before.results.find((r) => r.acquisitionId === ids[1])!;
    expect(before.query.regionsUsed).toBe('scan');
    expect(km().regionsUsed).toBe('scan');
    expect(km().rank).toBe(1);
    expect(km().cmc!.combined).toBeGreaterThanOrEqual(6);

    // A narrower annulus on K1: compare says it used the override, and fewer cells of K1 hold data.
    const whole = await station.client.call('compare.run', { a: ids[0], b: ids[1] });
    expect([whole.a.regionsUsed, whole.b.regionsUsed]).toEqual(['scan', 'scan']);
    const view = await station.client.call('acquisitions.regions', { id: ids[1] });
    const { width, height, primer, firingPin } = view.detected!;
    const narrow = { ...primer!, r: (primer!.r + firingPin!.r) / 2 };
    const set = await station.client.call('acquisitions.setRegions', {
      id: ids[1],
      version: view.version,
      reason: 'test: inner half only',
      regions: { width, height, primer, firingPin, breechFace: { outer: narrow, inner: firingPin } },
    });
    const narrowed = await station.client.call('compare.run', { a: ids[0], b: ids[1] });
    expect([narrowed.a.regionsUsed, narrowed.b.regionsUsed]).toEqual(['scan', 'manual']);
    expect(narrowed.directions[1].validCells).toBeLessThan(whole.directions[1].validCells);

    // An examiner says the breech face of K1 is only a small disc in a corner, where the scan has no data.
    const corner = { cx: 3, cy: 3, r: 3 };
    await station.client.call('acquisitions.setRegions', {
      id: ids[1],
      version: set.version,
      reason: 'test: nothing usable',
      regions: { width, height, primer: corner, firingPin: null, breechFace: { outer: corner, inner: null } },
    });
    const after = await run();
    const masked = after.results.find((r) => r.acquisitionId === ids[1])!;
    expect(masked.regionsUsed).toBe('manual');
    expect(masked.cmc).toBeNull();
    expect(masked.error?.message).toMatch(/no valid point/);
    expect(after.results.find((r) => r.acquisitionId === ids[2])!.regionsUsed).toBe('scan');
    await expectAppError(
      station.client.call('compare.run', { a: ids[0], b: ids[1] }),
      'invalid_input',
      /no valid point/,
    );
    const audits = station.host.db
      .prepare("SELECT after_json FROM audit_log WHERE action = 'search.run' ORDER BY seq")
      .all() as { after_json: string }[];
    expect(audits.map((a) => JSON.parse(a.after_json).manualRegions)).toEqual([[], [ids[1]]]);
  });
});
