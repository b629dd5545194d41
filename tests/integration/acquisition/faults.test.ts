// Faults during capture and hostile imports, through the contract on the demo rig: a cancel, a device lost
// mid-capture and a full disk each leave no acquisition (no row, no file rows), lose no stored original, leave
// the audit saying what happened, and the next capture works. Hostile X3P files are refused, nothing imported.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../electron/contract/errors.ts';
import { writeX3P } from '../../../electron/analysis/x3p/index.ts';
import { md5Hex } from '../../../electron/analysis/x3p/md5.ts';
import { demoRigAccess, type RigAccess, type RigLease } from '../../../electron/host/services/acquisition/rigAccess.ts';
import { startSignedIn, type StationClient } from '../../fixtures/testHost.ts';

let station: Awaited<ReturnType<typeof startSignedIn>>;
let client: StationClient;
let itemId: number;
let lease: RigLease | undefined;

// The demo rig, with the lease kept where the test can reach its simulators.
const base = demoRigAccess();
const rigAccess: RigAccess = {
  profile: () => base.profile(),
  acquire: async (purpose, signal) => (lease = await base.acquire(purpose, signal)),
};

beforeAll(async () => {
  station = await startSignedIn({ rigAccess });
  client = station.client;
  const theCase = await client.call('cases.create', { labCaseNumber: 'LAB-F' });
  itemId = (
    await client.call('items.create', { caseId: theCase.id, fields: { kind: 'cartridge_case', exhibitNumber: 'Q1' } })
  ).id;
  await client.call('calibrations.run', { kind: 'all' });
}, 60_000);
afterAll(() => station.dispose());

async function errorOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isAppError(error), `expected an AppError, got ${String(error)}`).toBe(true);
  return error as { code: string; message: string };
}

function count(sql: string): number {
  return station.host.db.prepare(sql).pluck().get() as number;
}

async function expectNothingStored(action: string) {
  expect(count('SELECT COUNT(*) FROM acquisitions')).toBe(0);
  expect(count('SELECT COUNT(*) FROM acquisition_files')).toBe(0);
  const last = station.host.db
    .prepare("SELECT action, after_json FROM audit_log WHERE action LIKE 'capture.%' ORDER BY seq DESC LIMIT 2")
    .all() as { action: string; after_json: string }[];
  expect(last.map((e) => e.action)).toEqual([action, 'capture.start']);
  // Every original written before the fault is still there and intact (unreferenced, never half-written).
  const verified = await station.host.evidence.verify();
  expect(verified).toMatchObject({ ok: true, missing: [], altered: [] });
  expect(readdirSync(join(station.host.evidence.root, 'tmp'))).toEqual([]);
  return JSON.parse(last[0].after_json) as { code: string; message: string; unreferencedFiles: number };
}

describe('capture faults leave nothing half-stored', () => {
  it('cancel during the light sequence', async () => {
    const controller = new AbortController();
    const error = await errorOf(
      client.call(
        'capture.run',
        { itemId, regions: ['breech_face'] },
        { signal: controller.signal, onProgress: (_f, p) => p?.step === 'light' && controller.abort() },
      ),
    );
    expect(error.code).toBe('canceled');
    const audit = await expectNothingStored('capture.canceled');
    expect(audit.code).toBe('canceled');
  }, 60_000);

  it('a device lost mid-capture (its simulator killed)', async () => {
    let killed = false;
    const error = await errorOf(
      client.call(
        'capture.run',
        { itemId, regions: ['breech_face'] },
        {
          onProgress: (_f, p) => {
            if (!killed && p?.step === 'light') {
              killed = true;
              void lease!.demo!.simulators.ring.kill();
            }
          },
        },
      ),
    );
    expect(killed).toBe(true);
    expect(error.code).toBe('device');
    expect(error.message).toMatch(/ring/);
    const audit = await expectNothingStored('capture.failed');
    expect(audit.code).toBe('device');
  }, 60_000);

  it('a full disk while storing the originals, then a capture that works', async () => {
    const store = station.host.evidence as unknown as { writeOnce(bytes: Uint8Array, path: string): void };
    const writeOnce = store.writeOnce;
    let writes = 0;
    store.writeOnce = function (bytes, path) {
      if (++writes > 3) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return writeOnce.call(this, bytes, path);
    };
    try {
      const error = await errorOf(client.call('capture.run', { itemId, regions: ['breech_face', 'firing_pin'] }));
      expect(error.code).toBe('storage');
      expect(error.message).toMatch(/disk is full/);
      const audit = await expectNothingStored('capture.failed');
      expect(audit.unreferencedFiles).toBe(3);
    } finally {
      store.writeOnce = writeOnce;
    }
    // The rig was given back after every fault: a capture now works and is the only acquisition. (Manual
    // focus at the profile's focus position: no autofocus sweep, and the focus check still judges it.)
    const { acquisitions } = await client.call('capture.run', { itemId, regions: ['breech_face'], manualFocusMm: -5 });
    expect(acquisitions).toHaveLength(1);
    expect(acquisitions[0].settings.focus).toMatchObject({ manual: true, zMm: -5 });
    expect(acquisitions[0].quality?.checks.find((c) => c.id === 'focus')?.passed).toBe(true);
    expect(count('SELECT COUNT(*) FROM acquisitions')).toBe(1);
  }, 90_000);
});

describe('hostile X3P import', () => {
  const valid = writeX3P(
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
  const members = unzipSync(valid);
  const rezip = (changes: Record<string, Uint8Array>) => zipSync({ ...members, ...changes });
  const withMainXml = (edit: (xml: string) => string) => {
    const xml = strToU8(edit(new TextDecoder().decode(members['main.xml'])));
    return rezip({ 'main.xml': xml, 'md5checksum.hex': strToU8(`${md5Hex(xml)} *main.xml\n`) });
  };
  const data = members['bindata/data.bin'];
  /** Every height NaN, with checksums that match (so the refusal is about the data, not the MD5). */
  function nanOnly(): Uint8Array {
    const nan = new Uint8Array(new Float64Array(12).fill(NaN).buffer);
    const xml = strToU8(new TextDecoder().decode(members['main.xml']).replace(md5Hex(data), md5Hex(nan)));
    return rezip({
      'bindata/data.bin': nan,
      'main.xml': xml,
      'md5checksum.hex': strToU8(`${md5Hex(xml)} *main.xml\n`),
    });
  }
  const cases: [string, Uint8Array, RegExp][] = [
    ['bad zip', valid.slice(0, valid.length - 40), /zip/i],
    [
      'MD5 mismatch',
      rezip({ 'bindata/data.bin': Uint8Array.from(data, (b, i) => (i === 3 ? b ^ 0xff : b)) }),
      /MD5|checksum/i,
    ],
    ['zip-slip name', rezip({ '../../evil.sh': strToU8('rm -rf /') }), /escape|unsafe|\.\./i],
    [
      'huge dimensions',
      withMainXml((x) =>
        x.replace(/<SizeX>4<\/SizeX>/, '<SizeX>1000000</SizeX>').replace(/<SizeY>3<\/SizeY>/, '<SizeY>1000000</SizeY>'),
      ),
      /limit|too large|points/i,
    ],
    ['NaN-only heights', nanOnly(), /no valid|every point|no data|NaN/i],
  ];
  it.each(cases)('%s → clear error, nothing imported', async (_name, bytes, message) => {
    const before = {
      acquisitions: count('SELECT COUNT(*) FROM acquisitions'),
      evidence: count('SELECT COUNT(*) FROM evidence_files'),
    };
    const error = await errorOf(
      client.call('acquisitions.import', { itemId, region: 'breech_face', fileName: 'hostile.x3p', bytes }),
    );
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(message);
    expect({
      acquisitions: count('SELECT COUNT(*) FROM acquisitions'),
      evidence: count('SELECT COUNT(*) FROM evidence_files'),
    }).toEqual(before);
  });
});
