// casebench calibrate / capture on the demo rig (real simulators and drivers), against a real station folder.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost } from '../../host/createHost.ts';
import { hashPassword } from '../../host/services/passwords.ts';
import { decodePng } from '../../analysis/calibration/png.ts';
import { cli } from '../../../tests/fixtures/cli.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'casebench-capture-cli-'));
let itemId: number;

beforeAll(async () => {
  const host = createHost({ dataDir, log: () => {} });
  try {
    const setup = { userId: null, username: 'setup' };
    const admin = host.auth.createUser(setup, {
      username: 'admin',
      displayName: 'Admin',
      role: 'admin',
      passwordHash: await hashPassword('correct horse battery'),
    });
    host.auth.createUser(setup, {
      username: 'tech',
      displayName: 'Technician',
      role: 'technician',
      passwordHash: await hashPassword('correct horse battery'),
    });
    const theCase = host.cases.createCase(
      { userId: admin.id, username: 'admin' },
      {
        labCaseNumber: 'LAB-CLI',
        status: 'open',
        agency: null,
        agencyCaseNumber: null,
        offence: null,
        offenceDate: null,
        receivedDate: null,
        notes: null,
      },
    );
    itemId = host.cases.createItem({ userId: admin.id, username: 'admin' }, theCase.id, {
      kind: 'cartridge_case',
      exhibitNumber: 'Q1',
    } as Parameters<typeof host.cases.createItem>[2]).id;
  } finally {
    await host.close();
  }
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('casebench calibrate and capture', () => {
  it('explains itself and refuses bad options with exit code 2', async () => {
    const help = await cli('calibrate', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/--kind K/);
    expect((await cli('capture', '--help')).out).toMatch(/--regions LIST/);
    expect((await cli('calibrate', '--kind', 'everything', '--data-dir', dataDir)).code).toBe(2);
    const badRegion = await cli(
      'capture',
      '--item',
      String(itemId),
      '--regions',
      'breech_face,barrel',
      '--data-dir',
      dataDir,
    );
    expect(badRegion.code).toBe(2);
    expect(badRegion.err).toMatch(/--regions expects distinct regions/);
    const who = await cli('capture', '--item', String(itemId), '--data-dir', dataDir);
    expect(who.code).toBe(2);
    expect(who.err).toMatch(/several users may acquisition write; name one with --operator/);
  });

  it('refuses capture before calibration, calibrates, then captures with progress on stderr', async () => {
    const blocked = await cli('capture', '--item', String(itemId), '--operator', 'tech', '--data-dir', dataDir);
    expect(blocked.code).toBe(1);
    expect(blocked.err).toMatch(/capture is blocked: no scale calibration on record for rig "Demo rig/);

    const reportPath = join(dataDir, 'report.png');
    const calibrated = await cli(
      'calibrate',
      '--operator',
      'tech',
      '--report',
      reportPath,
      '--json',
      '--data-dir',
      dataDir,
    );
    expect(calibrated.code).toBe(0);
    const record = JSON.parse(calibrated.out);
    expect(record).toMatchObject({ kind: 'suite', operator: 'tech', passed: true });
    expect(calibrated.err).toMatch(/imaging the dot grid/);
    expect(decodePng(readFileSync(reportPath)).width).toBeGreaterThan(100);

    const captured = await cli(
      'capture',
      '--item',
      String(itemId),
      '--regions',
      'breech_face',
      '--operator',
      'tech',
      '--json',
      '--data-dir',
      dataDir,
    );
    expect(captured.err).toMatch(/breech_face: autofocus/);
    expect(captured.code).toBe(0);
    const [acquisition] = JSON.parse(captured.out);
    expect(acquisition).toMatchObject({
      itemId,
      region: 'breech_face',
      operator: 'tech',
      calibrationId: record.id,
      source: 'capture',
    });
  }, 120_000);
});
