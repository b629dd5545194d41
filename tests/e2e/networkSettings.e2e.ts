// Network setup in Chromium, as a new lab would do it, against a real `casebench serve` and a real hub: "Send to
// the network" is disabled and says why and where to set it up; the manager enters the hub's address, creates the
// station's key and certificate request, the network CA signs the request (as `casebench pki sign` does), the
// manager installs the certificate, the connection test gives its verdict check by check, and sending then works.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createClient } from '../../electron/contract/rpc.ts';
import type { Calls, Events } from '../../electron/contract/index.ts';
import { createHost } from '../../electron/host/createHost.ts';
import { memoryPipePair } from '../../electron/host/rpc/memoryPipe.ts';
import { signCertificateRequest } from '../../electron/network/pki.ts';
import type { Hub } from '../../electron/network/hub/server.ts';
import { makePki, startTestHub } from '../integration/network/harness.ts';
import { sharedDataPath } from '../fixtures/sharedData.ts';
import { launchBrowser, screenshot } from './support/browser.ts';
import { accessibilityViolations } from './support/axe.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { SignInPage } from './pages/AuthPages.ts';
import { Shell } from './pages/Shell.ts';

const admin = { username: 'admin', displayName: 'Ada Admin', password: 'correct horse battery' };

/** A station without network settings: one case, one item, one imported scan. */
async function seedStation(dataDir: string) {
  const host = createHost({ dataDir, log: () => {} });
  try {
    const pipe = memoryPipePair();
    host.connect(pipe.host, 'seed');
    const client = createClient<Calls, Events>(pipe.client);
    await client.call('auth.setupAdmin', admin);
    const c = await client.call('cases.create', { labCaseNumber: 'LAB-2026-0700' });
    const item = await client.call('items.create', {
      caseId: c.id,
      fields: { kind: 'cartridge_case', exhibitNumber: 'Q1', calibre: '9mm Luger', origin: 'questioned' },
    });
    const acquisition = await client.call('acquisitions.import', {
      itemId: item.id,
      region: 'breech_face',
      fileName: 'fadul_2-1.x3p',
      bytes: new Uint8Array(readFileSync(sharedDataPath('fadul', 'fadul_2-1.x3p'))),
    });
    return { caseId: c.id, acquisitionId: acquisition.id };
  } finally {
    await host.close();
  }
}

describe('network settings in Chromium against casebench serve', { timeout: 300_000 }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'casebench-netset-e2e-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'casebench-netset-e2e-station-'));
  let hub: Hub;
  let pki: Awaited<ReturnType<typeof makePki>>;
  let station: RunningStation;
  let browser: Browser;
  let page: Page;
  let seeded: { caseId: number; acquisitionId: number };

  before(async () => {
    pki = await makePki(join(scratch, 'pki'));
    hub = await startTestHub(pki, join(scratch, 'hub'));
    seeded = await seedStation(dataDir);
    [station, browser] = await Promise.all([startStation({ dataDir }), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' });
    page.setDefaultTimeout(15_000);
    await page.goto(station.url);
    await new SignInPage(page).signIn(admin.username, admin.password);
  });

  after(async () => {
    await browser?.close();
    await station?.stop();
    await hub?.close();
    rmSync(scratch, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  const acquisitionPage = () => `${station.origin}/#/cases/${seeded.caseId}/acquisitions/${seeded.acquisitionId}`;

  it('disables "Send to the network" on a station not set up, saying why and where to set it up', async () => {
    await page.goto(acquisitionPage());
    const send = page.getByRole('button', { name: 'Send to the network' });
    await page.getByTestId('network-not-set-up').waitFor();
    assert.equal(await send.isDisabled(), true);
    assert.match(await page.getByTestId('network-not-set-up').innerText(), /Not set up for the network yet/);
    await page.getByTestId('network-not-set-up').getByRole('link', { name: 'Network settings' }).click();
    await page.getByRole('heading', { name: 'Network settings', level: 1 }).waitFor();
  });

  it('enrolls the station: hub address, key and request, the certificate the CA issued', async () => {
    assert.equal(await page.getByTestId('certificate-state').textContent(), 'No certificate');
    const hubSection = page.getByRole('region', { name: 'Hub address' });
    await hubSection.getByLabel('Hub URL').fill('http://not-tls.example');
    await hubSection.getByRole('button', { name: 'Save address' }).click();
    await hubSection.getByText('must start with https://').waitFor();
    await hubSection.getByLabel('Hub URL').fill(hub.url);
    await hubSection.getByRole('button', { name: 'Save address' }).click();
    await hubSection.getByRole('status').filter({ hasText: 'Hub address saved.' }).waitFor();

    const enroll = page.getByRole('region', { name: 'Enroll with the network CA' });
    await enroll.getByLabel('Lab ID').fill('LAB-1');
    await enroll.getByLabel('Station ID').fill('ST-9');
    await enroll.getByRole('button', { name: 'Create key and request' }).click();
    const pem = await page.getByTestId('certificate-request-pem').inputValue({ timeout: 30_000 });
    assert.match(pem, /^-----BEGIN CERTIFICATE REQUEST-----/);
    assert.match(await enroll.innerText(), /Request for lab LAB-1, station ST-9/);
    await screenshot(page, '80-network-settings-request');

    // The network operator signs the request with the network CA and sends back the certificate and the CA's.
    const certificate = await signCertificateRequest(pki.ca, pem);
    await page.getByTestId('install-certificate').fill(certificate);
    await page.getByTestId('install-ca').fill(pki.ca.certificate);
    await enroll.getByRole('button', { name: 'Install certificate' }).click();
    await page.getByTestId('certificate-state').filter({ hasText: 'Certificate valid' }).waitFor();
    const status = (await page.getByTestId('network-setup-status').textContent())!;
    assert.match(status, /Ready to send/);
    assert.match(status, /Lab LAB-1, station ST-9/);
    assert.equal(await page.getByTestId('certificate-request').count(), 0);
  });

  it('tests the connection and gives the verdict check by check', async () => {
    const test = page.getByRole('region', { name: 'Test the connection' });
    await test.getByRole('button', { name: 'Test connection' }).click();
    const verdict = page.getByTestId('connection-verdict');
    await verdict.filter({ hasText: 'The connection works' }).waitFor({ timeout: 30_000 });
    for (const check of ['settings', 'connection', 'hub_certificate', 'clock', 'protocol', 'identity'])
      assert.match(await page.getByTestId(`check-${check}`).innerText(), /^✓/);
    assert.match(await page.getByTestId('check-hub_certificate').innerText(), /hub hub-1/);
    await screenshot(page, '81-network-settings-tested');
    // Checked at rest: the button pressed a moment ago no longer loading, the pointer off it.
    await page.mouse.move(0, 0);
    await test.locator('button[data-loading]').waitFor({ state: 'detached' });
    assert.deepEqual(await accessibilityViolations(page), []);
  });

  it('sends the acquisition once the station is set up, and the change is in the audit trail', async () => {
    await page.goto(acquisitionPage());
    const send = page.getByRole('button', { name: 'Send to the network' });
    await send.click();
    await page.getByRole('status').filter({ hasText: 'Queued for the network' }).waitFor();
    await new Shell(page).navLink('Audit trail').click();
    for (const action of ['Network certificate installed', 'Network hub address set', 'Network connection tested'])
      await page.getByText(action).first().waitFor();
  });
});
