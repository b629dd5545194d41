// Network setup through the contract, against a real hub: a new station is not ready to send; the manager sets the
// hub's address, creates a key and a certificate request, installs the certificate the network CA issued for it,
// and the connection test passes; credentials that do not fit are refused with the reason; a certificate from
// another network fails the test on the hub's certificate; a station clock ten minutes ahead fails on the clock;
// every change is audited; the outbox takes the new settings without a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createCa, issue, signCertificateRequest } from '../../../electron/network/pki.ts';
import type { Hub } from '../../../electron/network/hub/server.ts';
import { makePki, removeDir, startTestHub, tempDir, type TestPki } from './harness.ts';
import { startSignedIn } from '../../fixtures/testHost.ts';

let dir: string;
let pki: TestPki;
let hub: Hub;
const stations: { dispose(): Promise<void> }[] = [];

beforeAll(async () => {
  dir = tempDir('net-setup');
  pki = await makePki(join(dir, 'pki'));
  hub = await startTestHub(pki, join(dir, 'hub'));
});
afterAll(async () => {
  for (const station of stations) await station.dispose();
  await hub?.close();
  removeDir(dir);
});

async function station(clock?: () => number) {
  const s = await startSignedIn(clock ? { clock } : {});
  stations.push(s);
  return s;
}

describe('network setup', { timeout: 60_000 }, () => {
  it('enrolls a new station: hub address, key and request, the issued certificate, a passing connection test', async () => {
    const { client } = await station();
    expect(await client.call('networkSetup.readiness', {})).toEqual({ ready: false, hubConfigured: false });
    expect(await client.call('networkSetup.get', {})).toMatchObject({
      hubUrl: null,
      certificateState: 'none',
      ready: false,
    });
    await expect(client.call('networkSetup.setHub', { url: 'http://hub.example' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    // Before anything is installed the test says what is missing, and nothing is sent.
    const early = await client.call('networkSetup.test', {});
    expect(early.ok).toBe(false);
    expect(early.checks).toEqual([{ check: 'settings', ok: false, detail: { kind: 'no_hub' } }]);

    expect((await client.call('networkSetup.setHub', { url: hub.url })).hubUrl).toBe(hub.url);
    const requested = await client.call('networkSetup.createRequest', { labId: 'LAB-9', stationId: 'ST-4' });
    expect(requested.request).toMatchObject({ labId: 'LAB-9', stationId: 'ST-4' });
    expect(requested.request!.pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);

    // A certificate for someone else's request does not fit this station's keys.
    const otherRequest = await client.call('networkSetup.createRequest', { labId: 'LAB-9', stationId: 'ST-4' });
    const stale = await signCertificateRequest(pki.ca, requested.request!.pem);
    await expect(
      client.call('networkSetup.installCertificate', { certificate: stale, ca: pki.ca.certificate }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/not made for this TLS key/),
      details: { problem: 'tls_key_mismatch' },
    });
    await expect(
      client.call('networkSetup.installCertificate', { certificate: 'garbage', ca: pki.ca.certificate }),
    ).rejects.toMatchObject({ details: { problem: 'unreadable_certificate' } });

    const issued = await signCertificateRequest(pki.ca, otherRequest.request!.pem);
    const installed = await client.call('networkSetup.installCertificate', {
      certificate: issued,
      ca: pki.ca.certificate,
    });
    expect(installed).toMatchObject({
      certificateState: 'valid',
      certificate: { labId: 'LAB-9', stationId: 'ST-4' },
      request: null,
      ready: true,
    });
    expect(await client.call('networkSetup.readiness', {})).toEqual({ ready: true, hubConfigured: true });

    const test = await client.call('networkSetup.test', {});
    expect(test.checks.map((c) => [c.check, c.ok])).toEqual([
      ['settings', true],
      ['connection', true],
      ['hub_certificate', true],
      ['clock', true],
      ['protocol', true],
      ['identity', true],
    ]);
    expect(test).toMatchObject({ ok: true, hubId: 'hub-1' });
    // Data the screen words in its language, not English sentences.
    expect(test.checks.map((c) => c.detail)).toEqual([
      { kind: 'hub_url', url: hub.url },
      { kind: 'tls', host: new URL(hub.url).host },
      { kind: 'hub_issued', hubId: 'hub-1' },
      { kind: 'clock_offset', seconds: expect.any(Number) },
      { kind: 'versions', hub: expect.any(String), station: expect.any(String) },
      { kind: 'accepted' },
    ]);

    const audit = await client.call('audit.list', { limit: 50 });
    const actions = audit.entries.map((e) => e.action).filter((a) => a.startsWith('network.'));
    expect(actions.sort()).toEqual(
      [
        'network.createRequest',
        'network.createRequest',
        'network.installCertificate',
        'network.setHub',
        'network.testConnection',
        'network.testConnection',
      ].sort(),
    );
  });

  it('imports credentials made elsewhere; a certificate of another network fails on the hub certificate', async () => {
    const { client } = await station();
    await client.call('networkSetup.setHub', { url: hub.url });
    const otherCa = await createCa('OtherNet');
    const foreign = await issue(otherCa, { kind: 'station', organization: 'LAB-5', unit: 'ST-1' });
    await expect(client.call('networkSetup.importCredentials', { ...foreign, ca: pki.ca.certificate })).rejects.toThrow(
      /not issued by the network CA/,
    );
    await expect(client.call('networkSetup.importCredentials', { ...pki.hub, ca: pki.ca.certificate })).rejects.toThrow(
      /not a station certificate/,
    );
    // Installed with its own CA, it is the hub that cannot be trusted: TLS says so.
    await client.call('networkSetup.importCredentials', { ...foreign, ca: otherCa.certificate });
    const failed = await client.call('networkSetup.test', {});
    expect(failed.ok).toBe(false);
    expect(failed.checks.find((c) => c.check === 'hub_certificate')).toMatchObject({
      ok: false,
      detail: { kind: 'unreachable', reason: 'certificate', said: expect.any(String) },
    });

    await client.call('networkSetup.importCredentials', { ...pki.lab2, ca: pki.ca.certificate });
    expect((await client.call('networkSetup.test', {})).ok).toBe(true);
    expect(await client.call('networkSetup.get', {})).toMatchObject({
      certificate: { labId: 'LAB-2', stationId: 'ST-1' },
      ready: true,
    });
  });

  it('fails the test on the clock when the station is ten minutes ahead, and says by how much', async () => {
    const { client } = await station(() => Date.now() + 600_000);
    await client.call('networkSetup.setHub', { url: hub.url });
    await client.call('networkSetup.importCredentials', { ...pki.lab1, ca: pki.ca.certificate });
    const test = await client.call('networkSetup.test', {});
    expect(test.ok).toBe(false);
    expect(test.checks.find((c) => c.check === 'clock')).toMatchObject({
      ok: false,
      detail: { kind: 'clock_offset', seconds: expect.toSatisfy((s: number) => s <= -599 && s >= -609) },
    });
    expect(test.clockOffsetMs).toBeLessThan(-590_000);
  });
});
