// The outbox as the real composition root wires it: <dataDir>/network (credentials + hub.json) read at start-up,
// an acquisition submitted through the contract reaches the hub; unusable settings leave the station running
// without the network and the status bar saying why.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hub } from '../../../electron/network/hub/server.ts';
import { writeCredentials } from '../../../electron/network/pki.ts';
import { sharedDataPath } from '../../fixtures/sharedData.ts';
import { startSignedIn } from '../../fixtures/testHost.ts';
import { removeDir, tempDir, until, type TestPki, withTestHub } from './harness.ts';

let pki: TestPki;
let hub: Hub;
withTestHub('net-wiring', (made) => ({ pki, hub } = made));

function stationDir(hubJson: string): string {
  const dataDir = tempDir('station');
  const network = join(dataDir, 'network');
  mkdirSync(network);
  writeFileSync(join(network, 'ca.crt'), pki.ca.certificate);
  writeCredentials(network, 'station', pki.lab1);
  writeFileSync(join(network, 'hub.json'), hubJson);
  return dataDir;
}

// Start-up of a host and a delivery over HTTPS: seconds on a loaded machine.
describe('station network from the data folder', { timeout: 120_000 }, () => {
  it('sends an acquisition submitted through the contract', async () => {
    const dataDir = stationDir(JSON.stringify({ url: hub.url }));
    const station = await startSignedIn({ dataDir });
    try {
      const c = await station.client.call('cases.create', { labCaseNumber: 'WIRE-1' });
      const item = await station.client.call('items.create', {
        caseId: c.id,
        fields: { kind: 'cartridge_case', exhibitNumber: 'Q1', calibre: '10mm Auto' },
      });
      const bytes = new Uint8Array(readFileSync(sharedDataPath('fadul', 'fadul_a.x3p')));
      const acquisition = await station.client.call('acquisitions.import', {
        itemId: item.id,
        region: 'breech_face',
        fileName: 'fadul_a.x3p',
        bytes,
      });
      const { job } = await station.client.call('outbox.submitAcquisition', { acquisitionId: acquisition.id });
      await until(
        async () =>
          ['committed', 'correlated'].includes(
            (await station.client.call('outbox.list', {})).jobs.find((j) => j.id === job.id)!.state,
          ),
        'delivery',
        30_000,
      );
      expect((await hub.records.findByIdempotencyKey(job.idempotencyKey))?.itemRef).toBe('Q1');
      expect((await station.client.call('outbox.list', {})).connectivity).toBe('online');
    } finally {
      await station.dispose();
      removeDir(dataDir);
    }
  });

  it('runs without the network when hub.json is unusable, and says why', async () => {
    const dataDir = stationDir('{"url":"http://plain"}');
    const station = await startSignedIn({ dataDir });
    try {
      const status = await station.client.call('system.status', {});
      expect(status.network).toMatchObject({
        state: 'error',
        label: expect.stringMatching(/network settings unusable: .*hub\.json: url: the hub URL must be https/),
      });
      expect((await station.client.call('outbox.list', {})).connectivity).toBe('unconfigured');
    } finally {
      await station.dispose();
      removeDir(dataDir);
    }
  });
});
