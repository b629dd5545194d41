// Case packages in Chromium between two real `casebench serve` stations of two labs under one network CA: the lab
// manager of the first looks at the dashboard (each figure leads to its list), exports a package from the case page
// (reason required, items chosen, progress, the file in the exports folder) and downloads it; the manager of the
// second uploads it on the Packages screen, sees the verification BEFORE anything is written, imports it and opens
// the case; a tampered copy is refused with the altered member named and nothing imported. Every screen passes axe.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createClient } from '../../electron/contract/rpc.ts';
import type { Calls, Events } from '../../electron/contract/index.ts';
import { createHost } from '../../electron/host/createHost.ts';
import { memoryPipePair } from '../../electron/host/rpc/memoryPipe.ts';
import { installCredentials, makeNetwork, type TestNetwork } from '../integration/packages/packageHarness.ts';
import { sharedDataPath } from '../fixtures/sharedData.ts';
import { launchBrowser, openPage, screenshot } from './support/browser.ts';
import { accessibilityViolations } from './support/axe.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { SignInPage } from './pages/AuthPages.ts';
import { Shell } from './pages/Shell.ts';

const admin = { username: 'admin', displayName: 'Ada Admin', password: 'correct horse battery' };
const manager = { username: 'mara', displayName: 'Mara Manager', password: 'manager horse battery' };
const technician = { username: 'tom', displayName: 'Tom Technician', password: 'technician horse battery' };
const caseNumber = 'LAB-2026-0142';

/** Signs in on a fresh in-process connection of `host`. */
async function clientAs(host: ReturnType<typeof createHost>, who: { username: string; password: string }) {
  const pipe = memoryPipePair();
  host.connect(pipe.host, 'seed');
  const client = createClient<Calls, Events>(pipe.client);
  await client.call('auth.signIn', { username: who.username, password: who.password });
  return client;
}

/** A station with its administrator and manager (and optionally a technician who did casework). */
async function seedStation(dataDir: string, casework: boolean) {
  const host = createHost({ dataDir, log: () => {} });
  try {
    const pipe = memoryPipePair();
    host.connect(pipe.host, 'seed');
    const root = createClient<Calls, Events>(pipe.client);
    await root.call('auth.setupAdmin', admin);
    await root.call('users.create', { ...manager, role: 'manager', passwordChangeDue: false });
    if (!casework) return;
    await root.call('users.create', { ...technician, role: 'technician', passwordChangeDue: false });
    const boss = await clientAs(host, manager);
    // A short validity period, so the calibrations made today are due within the week on the dashboard.
    await boss.call('calibrations.setValidity', { validityDays: 5, reason: 'SOP 12: rig checked every working week' });
    const tech = await clientAs(host, technician);
    const c = await tech.call('cases.create', { labCaseNumber: caseNumber, agency: 'Metro PD', offence: 'Homicide' });
    const firearm = await tech.call('items.create', {
      caseId: c.id,
      fields: { kind: 'firearm', exhibitNumber: 'K1', make: 'Ruger', model: 'P95', calibre: '9mm Luger' },
    });
    const testFire = await tech.call('items.create', {
      caseId: c.id,
      fields: {
        kind: 'cartridge_case',
        exhibitNumber: 'K1-TF1',
        origin: 'test_fire',
        firearmItemId: firearm.id,
        calibre: '9mm Luger',
      },
    });
    const questioned = await tech.call('items.create', {
      caseId: c.id,
      fields: { kind: 'cartridge_case', exhibitNumber: 'Q1', origin: 'questioned', calibre: '9mm Luger' },
    });
    await tech.call('calibrations.run', { kind: 'all' });
    const captured = await tech.call('capture.run', { itemId: questioned.id, regions: ['breech_face'] });
    const imported = await tech.call('acquisitions.import', {
      itemId: testFire.id,
      region: 'breech_face',
      fileName: 'fadul_1-1.x3p',
      bytes: new Uint8Array(readFileSync(sharedDataPath('fadul', 'fadul_1-1.x3p'))),
    });
    // No hub is configured: the submissions wait in the queue, as the dashboard will show.
    for (const acquisition of [captured.acquisitions[0]!, imported])
      await tech.call('outbox.submitAcquisition', { acquisitionId: acquisition.id });
  } finally {
    await host.close();
  }
}

async function signedIn(browser: Browser, station: RunningStation): Promise<Page> {
  const { page } = await openPage(browser, { height: 1000, timeoutMs: 20_000 });
  await page.goto(station.url);
  await new SignInPage(page).signIn(manager.username, manager.password);
  await new Shell(page).nav().waitFor();
  return page;
}

async function expectAccessible(page: Page, what: string, selector?: string) {
  assert.deepEqual(await accessibilityViolations(page, selector), [], `${what} has accessibility violations`);
}

describe('case packages between two stations in Chromium', { timeout: 600_000 }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'casebench-pkg-e2e-'));
  const senderDir = mkdtempSync(join(tmpdir(), 'casebench-pkg-e2e-lab1-'));
  const receiverDir = mkdtempSync(join(tmpdir(), 'casebench-pkg-e2e-lab2-'));
  let network: TestNetwork;
  let sender: RunningStation;
  let receiver: RunningStation;
  let browser: Browser;
  let senderPage: Page;
  let receiverPage: Page;
  let downloaded: string;

  before(async () => {
    network = await makeNetwork();
    installCredentials(senderDir, network.ca.certificate, network.lab1);
    installCredentials(receiverDir, network.ca.certificate, network.lab2);
    await Promise.all([seedStation(senderDir, true), seedStation(receiverDir, false)]);
    [sender, receiver, browser] = await Promise.all([
      startStation({ dataDir: senderDir }),
      startStation({ dataDir: receiverDir }),
      launchBrowser(),
    ]);
    [senderPage, receiverPage] = await Promise.all([signedIn(browser, sender), signedIn(browser, receiver)]);
  });

  after(async () => {
    await browser?.close();
    await Promise.all([sender?.stop(), receiver?.stop()]);
    for (const dir of [scratch, senderDir, receiverDir]) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the manager the lab at a glance, each figure linking to its list', async () => {
    const page = senderPage;
    await new Shell(page).navLink('Dashboard').click();
    await page.getByRole('heading', { name: 'Lab dashboard' }).waitFor();
    const queued = page.getByTestId('dash-queue-queued');
    await queued.waitFor();
    assert.equal(await queued.innerText(), '2');
    assert.notEqual(await page.getByTestId('dash-calibrations-due').innerText(), '0');
    assert.equal(await page.getByTestId('dash-calibrations-expired').innerText(), '0');
    assert.equal(await page.getByTestId('dash-leads-waiting').innerText(), '0');
    const acquisitions = page.getByRole('table', { name: 'Acquisitions per technician' });
    await acquisitions.getByRole('row').filter({ hasText: technician.username }).waitFor();
    await expectAccessible(page, 'the dashboard');
    await screenshot(page, '70-manager-dashboard');

    await queued.click();
    await page.getByTestId('queue-filter').waitFor();
    const rows = page.getByRole('table', { name: 'Network queue' }).getByRole('row');
    await rows.filter({ hasText: caseNumber }).nth(1).waitFor();
    assert.equal(await rows.count(), 3); // header + the 2 queued submissions
    await page.goBack();
    await page
      .getByRole('link', { name: `1 acquisitions by ${technician.username}: show them in the audit trail` })
      .click();
    const trail = page.getByRole('table', { name: 'Audit entries' });
    await trail.getByRole('row').filter({ hasText: 'Acquisition captured' }).first().waitFor();
    assert.equal(await page.getByLabel('User', { exact: true }).inputValue(), technician.username);
  });

  it('exports a package from the case page: reason required, items chosen, file in the exports folder', async () => {
    const page = senderPage;
    await new Shell(page).navLink('Cases').click();
    await page.getByRole('link', { name: caseNumber }).click();
    await page.getByTestId('export-package').click();
    const form = page.getByRole('form', { name: `Export a package of case ${caseNumber}` });
    await form.waitFor();
    await expectAccessible(page, 'the export dialog', '[role="dialog"]');
    await form.getByRole('button', { name: 'Export' }).click();
    await form.getByText('Say why the package is exported.').waitFor();

    await form.getByLabel('Chosen items only').check();
    await form.getByRole('button', { name: 'Export' }).click();
    await form.getByText('Choose at least one item.').waitFor();
    for (const exhibit of ['K1', 'K1-TF1', 'Q1']) await form.getByLabel(new RegExp(`^${exhibit} ·`)).check();
    await form.getByLabel(/Reason for the export/).fill('Requested by the State Crime Lab (their ref. SCL-88)');
    await screenshot(page, '71-package-export-form');
    await form.getByRole('button', { name: 'Export' }).click();

    const result = page.getByTestId('export-result');
    await result.waitFor({ timeout: 120_000 });
    const text = await result.innerText();
    assert.match(text, /Package written and signed/);
    assert.match(text, /items K1, K1-TF1, Q1/);
    assert.match(text, new RegExp(`${caseNumber}-\\d{8}-\\d{4}\\.cbpkg\\.zip`));
    assert.ok(text.includes(join(senderDir, 'exports')), 'the dialog says where the file is');
    await screenshot(page, '72-package-exported');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      result.getByRole('button', { name: 'Download' }).click(),
    ]);
    downloaded = join(scratch, download.suggestedFilename());
    await download.saveAs(downloaded);
    const onStation = readFileSync(join(senderDir, 'exports', download.suggestedFilename()));
    assert.ok(readFileSync(downloaded).equals(onStation), 'the download is the package, byte for byte');

    await result.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('tab', { name: 'Packages' }).click();
    const exportsTable = page.getByRole('table', { name: 'Exported packages' });
    await exportsTable.getByText('Requested by the State Crime Lab (their ref. SCL-88)').waitFor();
  });

  it('verifies the package at the other lab before anything is written, then imports it', async () => {
    const page = receiverPage;
    await new Shell(page).navLink('Packages').click();
    await page.getByRole('heading', { name: 'Import a package from another station' }).waitFor();
    await expectAccessible(page, 'the Packages screen');
    await page.getByLabel('Package file (.zip)').setInputFiles(downloaded);
    await page.getByRole('button', { name: 'Upload and verify' }).click();
    const ok = page.getByTestId('verification-ok');
    await ok.waitFor({ timeout: 60_000 });
    const card = await page.getByTestId('verification').innerText();
    assert.match(card, /LAB-1 \/ ST-1/);
    assert.match(card, new RegExp(caseNumber));
    assert.match(card, /Requested by the State Crime Lab/);
    assert.match(card, /left out/);
    // The report inside carries its own signature (PAdES), checked against the same CA.
    assert.match(card, /Report \(PDF\)\s+signed by LAB-1 \/ ST-1 \(PAdES\), signature checked/);
    // Nothing is written before the manager says so.
    const casesBefore = await page.evaluate(() => location.hash);
    assert.equal(
      (await page.getByRole('table', { name: 'Imported packages' }).innerText()).includes(caseNumber),
      false,
    );
    await expectAccessible(page, 'the verification result');
    await screenshot(page, '73-package-verified');

    await page.getByRole('button', { name: 'Import into this station' }).click();
    const done = page.getByTestId('import-done');
    await done.waitFor({ timeout: 60_000 });
    assert.match(await done.innerText(), /3 items and 2 acquisitions/);
    await page.getByRole('table', { name: 'Imported packages' }).getByText(`LAB-1/${caseNumber}`).waitFor();
    await screenshot(page, '74-package-imported');
    await page.getByTestId('imported-case').click();
    await page.getByRole('heading', { name: `LAB-1/${caseNumber}` }).waitFor();
    const items = page.getByRole('table', { name: 'Items' });
    await items.getByRole('row').nth(3).waitFor();
    const listed = await items.innerText();
    for (const exhibit of ['K1', 'K1-TF1', 'Q1']) assert.match(listed, new RegExp(`\\b${exhibit}\\b`));
    assert.notEqual(casesBefore, await page.evaluate(() => location.hash));
  });

  it('refuses a tampered copy, naming the altered member, and imports nothing', async () => {
    const page = receiverPage;
    const bytes = readFileSync(downloaded);
    // Flip one byte inside the first stored PDF (members are stored, not compressed): the zip still reads.
    const at = bytes.indexOf(Buffer.from('%PDF-')) + 200;
    bytes[at] ^= 0x55;
    const tampered = join(scratch, 'tampered.cbpkg.zip');
    writeFileSync(tampered, bytes);
    await new Shell(page).navLink('Packages').click();
    await page.getByLabel('Package file (.zip)').setInputFiles(tampered);
    await page.getByRole('button', { name: 'Upload and verify' }).click();
    const refused = page.getByTestId('verification-refused');
    await refused.waitFor({ timeout: 60_000 });
    assert.match(await refused.innerText(), /A file was altered: \S+\.(pdf|bin)/);
    assert.equal(await page.getByRole('button', { name: 'Import into this station' }).count(), 0);
    assert.equal(await page.getByTestId('already-imported').count(), 0);
    await screenshot(page, '75-package-refused');
    await page.getByRole('button', { name: 'Discard' }).click();
    await page.getByRole('table', { name: 'Imported packages' }).getByText(`LAB-1/${caseNumber}`).waitFor();
    assert.equal(
      await page.getByRole('table', { name: 'Imported packages' }).getByRole('row').count(),
      2, // header + the one import
    );
  });
});
