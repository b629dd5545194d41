// Two stations of different labs under one network CA, a case with a firearm, a test fire and a questioned casing
// (real Fadul X3Ps), for the package tests.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa, issue, writeCredentials, type Credentials } from '../../../electron/network/pki.ts';
import { startSignedIn } from '../../fixtures/testHost.ts';
import { sharedDataPath } from '../../fixtures/sharedData.ts';

export interface TestNetwork {
  ca: { certificate: string; key: string };
  lab1: Credentials;
  lab2: Credentials;
  foreign: Credentials;
  foreignCa: { certificate: string; key: string };
}

export async function makeNetwork(): Promise<TestNetwork> {
  const ca = await createCa('TestNet');
  const foreignCa = await createCa('OtherNet');
  return {
    ca,
    foreignCa,
    lab1: await issue(ca, { kind: 'station', organization: 'LAB-1', unit: 'ST-1' }),
    lab2: await issue(ca, { kind: 'station', organization: 'LAB-2', unit: 'ST-1' }),
    foreign: await issue(foreignCa, { kind: 'station', organization: 'LAB-1', unit: 'ST-1' }),
  };
}

/** Gives a station's data folder its network credentials (as an operator would). */
export function installCredentials(dataDir: string, caPem: string, credentials: Credentials): void {
  const dir = join(dataDir, 'network');
  writeCredentials(dir, 'station', credentials);
  writeFileSync(join(dir, 'ca.crt'), caPem);
}

export async function stationWithCase(network: TestNetwork, credentials: Credentials = network.lab1) {
  const station = await startSignedIn();
  installCredentials(station.dataDir, network.ca.certificate, credentials);
  const { client } = station;
  const theCase = await client.call('cases.create', {
    labCaseNumber: 'LAB-2026-0142',
    agency: 'Metro PD',
    offence: 'Homicide of J. Doe',
    notes: 'Witness Jane Roe saw the shooting.',
  });
  const firearm = await client.call('items.create', {
    caseId: theCase.id,
    fields: {
      kind: 'firearm',
      exhibitNumber: 'K1',
      make: 'Ruger',
      model: 'P95',
      serialNumber: 'SN-123',
      calibre: '9mm Luger',
    },
  });
  const testFire = await client.call('items.create', {
    caseId: theCase.id,
    fields: {
      kind: 'cartridge_case',
      exhibitNumber: 'K1-TF1',
      origin: 'test_fire',
      firearmItemId: firearm.id,
      calibre: '9mm Luger',
      brand: 'PMC',
    },
  });
  const questioned = await client.call('items.create', {
    caseId: theCase.id,
    fields: {
      kind: 'cartridge_case',
      exhibitNumber: 'Q1',
      origin: 'questioned',
      calibre: '9mm Luger',
      recoveryPlace: '12 Main Street, flat of A. Smith',
      description: 'found by the neighbour',
    },
  });
  const scan = (name: string) => new Uint8Array(readFileSync(sharedDataPath('fadul', name)));
  const a1 = await client.call('acquisitions.import', {
    itemId: testFire.id,
    region: 'breech_face',
    fileName: 'fadul_1-1.x3p',
    bytes: scan('fadul_1-1.x3p'),
    notes: 'scanned for Jane Roe',
  });
  const a2 = await client.call('acquisitions.import', {
    itemId: questioned.id,
    region: 'breech_face',
    fileName: 'fadul_1-2.x3p',
    bytes: scan('fadul_1-2.x3p'),
  });
  return { station, theCase, items: { firearm, testFire, questioned }, acquisitions: [a1, a2] };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `casebench-${prefix}-`));
}
