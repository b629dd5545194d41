// The network in Chromium against a real `casebench serve`: an acquisition sent from its viewer (once, however
// often the button is pressed) is delivered, the queue shows it correlated, the status bar shows the network
// ok, the job shows what the hub could not compare (in the hub's words), a casing with nothing to compare says so
// plainly, and the lead from another lab lists our case with its CMC count, fetches the other casing and opens the
// pair in the comparison screen.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createClient } from '../../electron/contract/rpc.ts';
import type { Calls, Events } from '../../electron/contract/index.ts';
import { createHost } from '../../electron/host/createHost.ts';
import { memoryPipePair } from '../../electron/host/rpc/memoryPipe.ts';
import { writeCredentials } from '../../electron/network/pki.ts';
import { buildSignedHitReport } from '../../electron/network/outbox/hitReport.ts';
import type { Hub } from '../../electron/network/hub/server.ts';
import {
  enqueue,
  fadulArtifact,
  makeArtifact,
  makePki,
  openStation,
  startTestHub,
  submissionInput,
} from '../integration/network/harness.ts';
import { sharedDataPath } from '../fixtures/sharedData.ts';
import { launchBrowser, screenshot } from './support/browser.ts';
import { framesCompleted } from './support/fieldPixels.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { SignInPage } from './pages/AuthPages.ts';
import { Shell } from './pages/Shell.ts';

const admin = { username: 'admin', displayName: 'Ada Admin', password: 'correct horse battery' };
const caseNumber = 'LAB-2026-0600';
/** A case whose casing (.45 ACP) has no counterpart of its calibre in the network: correlated with 0 leads, no notes. */
const loneCaseNumber = 'LAB-2026-0601';

/**
 * A station with network credentials, one case, one item and one imported scan; returns the case and acquisition ids.
 * A second case's .45 ACP scan is already marked for the network (queued while the station has no hub yet).
 */
async function seedStationWithScan(
  dataDir: string,
  pkiDir: string,
  credentials: Parameters<typeof writeCredentials>[2],
) {
  const network = join(dataDir, 'network');
  writeCredentials(network, 'station', credentials);
  writeFileSync(join(network, 'ca.crt'), readFileSync(join(pkiDir, 'ca.crt')));
  const host = createHost({ dataDir, log: () => {} });
  try {
    const pipe = memoryPipePair();
    host.connect(pipe.host, 'seed');
    const client = createClient<Calls, Events>(pipe.client);
    await client.call('auth.setupAdmin', admin);
    const c = await client.call('cases.create', { labCaseNumber: caseNumber });
    const item = await client.call('items.create', {
      caseId: c.id,
      fields: { kind: 'cartridge_case', exhibitNumber: 'Q7', calibre: '9mm Luger', origin: 'questioned' },
    });
    const bytes = new Uint8Array(readFileSync(sharedDataPath('fadul', 'fadul_3-1.x3p')));
    const acquisition = await client.call('acquisitions.import', {
      itemId: item.id,
      region: 'breech_face',
      fileName: 'fadul_3-1.x3p',
      bytes,
    });
    const lone = await client.call('cases.create', { labCaseNumber: loneCaseNumber });
    const loneItem = await client.call('items.create', {
      caseId: lone.id,
      fields: { kind: 'cartridge_case', exhibitNumber: 'Q1', calibre: '.45 ACP', origin: 'questioned' },
    });
    const loneBytes = new Uint8Array(readFileSync(sharedDataPath('fadul', 'fadul_1-1.x3p')));
    const loneScan = await client.call('acquisitions.import', {
      itemId: loneItem.id,
      region: 'breech_face',
      fileName: 'fadul_1-1.x3p',
      bytes: loneBytes,
    });
    await client.call('outbox.submitAcquisition', { acquisitionId: loneScan.id });
    return { caseId: c.id, acquisitionId: acquisition.id };
  } finally {
    await host.close();
  }
}

describe('network queue and leads in Chromium against casebench serve', { timeout: 300_000 }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'casebench-net-e2e-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'casebench-net-e2e-station-'));
  let hub: Hub;
  let station: RunningStation;
  let browser: Browser;
  let page: Page;
  let seeded: { caseId: number; acquisitionId: number };
  let pki: Awaited<ReturnType<typeof makePki>>;

  before(async () => {
    pki = await makePki(join(scratch, 'pki'));
    hub = await startTestHub(pki, join(scratch, 'hub'));
    // Another lab already holds the known-matching casing (same slide, Fadul 3-2) of the same calibre, and a casing
    // of that calibre with images only, which the hub cannot compare (and will say so).
    const other = openStation(pki, pki.lab2, hub.url, join(scratch, 'other'));
    enqueue(other, submissionInput('L2-31', 'Q-2', [fadulArtifact('fadul_3-2.x3p')], '9mm Luger'));
    enqueue(other, submissionInput('L2-32', 'Q-3', [makeArtifact(join(scratch, 'other'), 4000, 'image')], '9mm Luger'));
    other.worker.start();
    await other.worker.drained();
    await other.close();

    seeded = await seedStationWithScan(dataDir, pki.dir, pki.lab1);
    // The feed (new leads, hits other labs report) is read every second here, not every minute.
    writeFileSync(join(dataDir, 'network', 'hub.json'), JSON.stringify({ url: hub.url, feedPollSeconds: 1 }));
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

  it('sends an acquisition from its viewer, once however often it is pressed', async () => {
    await page.goto(`${station.origin}/#/cases/${seeded.caseId}/acquisitions/${seeded.acquisitionId}`);
    const send = page.getByRole('button', { name: 'Send to the network' });
    await send.click();
    await page.getByRole('status').filter({ hasText: 'Queued for the network' }).waitFor();
    assert.equal(await send.isDisabled(), true);
    await page.reload();
    await page.getByRole('button', { name: 'Send to the network' }).click();
    await page.getByRole('status').filter({ hasText: 'Already queued for the network' }).waitFor();
  });

  it('shows the acquisition delivered and correlated, and the hub online in the status bar', async () => {
    const shell = new Shell(page);
    await shell.navLink('Network queue').click();
    const queue = page.getByRole('table', { name: 'Network queue' });
    await queue.getByRole('row').filter({ hasText: caseNumber }).getByText('correlated').waitFor({ timeout: 60_000 });
    assert.equal(await queue.getByRole('row').filter({ hasText: caseNumber }).count(), 1);
    await page.getByTestId('queue-connectivity').filter({ hasText: 'hub online' }).waitFor();
    assert.match(await shell.statusBar().innerText(), /Network: OK/);
  });

  it('shows what the hub could not compare, and says plainly when nothing of the calibre scored', async () => {
    const queue = page.getByRole('table', { name: 'Network queue' });
    const ours = queue.getByRole('row').filter({ hasText: caseNumber });
    const notes = ours.getByRole('alert').filter({ hasText: 'The hub could not compare everything' });
    await notes.waitFor();
    // Worded by the station from the note's code (protocol revision 4); the hub's English on hover.
    assert.match(await notes.innerText(), /Casings of other labs without an X3P topography, not compared: 1\./);
    assert.equal(await notes.getByTitle('1 candidate(s) without an X3P topography were not compared').count(), 1);
    // The same note in the reader's language: French, then back to English for the steps after.
    const language = page.getByRole('combobox', { name: 'Language' });
    await language.selectOption('fr');
    // (the table's name is French now too)
    await page
      .getByRole('alert')
      .getByText('Douilles d’autres laboratoires sans topographie X3P, non comparées : 1.')
      .waitFor();
    await page.getByRole('combobox', { name: 'Langue' }).selectOption('en');
    await notes.waitFor();
    assert.match(await ours.innerText(), /1 lead, listed below/);
    const lone = queue.getByRole('row').filter({ hasText: loneCaseNumber });
    await lone.getByText('correlated').waitFor({ timeout: 60_000 });
    await lone
      .getByText('No leads: the network holds no casing of .45 ACP from another lab that scored as a lead.')
      .waitFor();
    assert.equal(await lone.getByRole('alert').count(), 0);
    await screenshot(page, '59-network-queue-correlation-notes');
  });

  it('lists the lead with our case and its CMC count, fetches the other casing and opens the comparison', async () => {
    const leads = page.getByRole('table', { name: 'Leads from the network' });
    const row = leads.getByRole('row').filter({ hasText: 'LAB-2 · L2-31 / Q-2' });
    await row.waitFor();
    assert.equal(await row.getByRole('link', { name: caseNumber }).count(), 1);
    const cmc = await row.getByText(/congruent matching cells?$/).innerText();
    assert.ok(Number(cmc.split(' ')[0]) >= 8, `a known match should lead with a high count, got "${cmc}"`);
    assert.match(await row.innerText(), /known non-matching pairs/);
    // How the hub got there: casings screened (the images-only one cannot be), compared in full, the cut; the LR.
    assert.match(await row.innerText(), /Screened 1 casing; full CMC for the best 1 \(screening ≥ -?\d\.\d\d\)/);
    assert.match(
      await row.innerText(),
      /log₁₀ LR -?\d+\.\d \(90 %: -?\d+\.\d to -?\d+\.\d\)|log₁₀ LR -?\d+\.\d \(at the model’s limit\)/,
    );
    await row.getByRole('button', { name: 'Get the other casing' }).click();
    const open = row.getByRole('link', { name: 'Open the comparison' });
    await open.waitFor();
    await screenshot(page, '60-network-queue-leads');
    // The other casing is now a local acquisition: the pair opens in the comparison workspace.
    await open.click();
    await framesCompleted(page, 'field', 1, 60_000);
    await page.getByTestId('compare-combined').waitFor({ timeout: 90_000 });
    const combined = Number(await page.getByTestId('compare-combined').innerText());
    assert.ok(combined >= 8, `the known match compares with ${combined} congruent cells`);
    await screenshot(page, '61-network-lead-comparison');
  });

  it('shows the hit the other lab reported on our casing beside its lead', async () => {
    // LAB-2's examiners confirm their lead to our casing (on their submission L2-31) and report it to the hub.
    const other = openStation(pki, pki.lab2, hub.url, join(scratch, 'other'));
    try {
      const theirs = other.worker.store.list().find((job) => job.caseRef === 'L2-31')!;
      const status = await other.client.status(theirs.submissionId!);
      const lead = status.leads!.find((l) => l.otherLabId === 'LAB-1')!;
      const now = new Date().toISOString();
      await other.client.reportHit(
        buildSignedHitReport(other.signer, {
          idempotencyKey: randomUUID(),
          createdAt: now,
          submissionId: theirs.submissionId!,
          leadId: lead.leadId,
          otherSubmissionId: lead.otherSubmissionId,
          conclusion: 'identification',
          confirmedAt: now,
          hitRef: 'L2-HIT-1',
        }),
      );
    } finally {
      await other.close();
    }
    // Our station reads its feed and shows the hit on the lead's row, without a reload.
    const leads = page.getByRole('table', { name: 'Leads from the network' });
    await page.goto(`${station.origin}/#/queue`);
    const row = leads.getByRole('row').filter({ hasText: 'LAB-2 · L2-31 / Q-2' });
    await row.getByTestId('lead-their-hit').waitFor({ timeout: 30_000 });
    assert.match(await row.getByTestId('lead-their-hit').innerText(), /Hit reported by LAB-2 \(L2-31 \/ Q-2\)/);
    await screenshot(page, '62-network-lead-hit-reported');
  });

  it("labels a lead another lab's later casing found: the figures are those of their search, not ours", async () => {
    // LAB-2 sends another casing of the same gun (Fadul A, a known match of our 3-1) after ours: its search finds
    // our casing, and our earlier submission gains the lead through the feed.
    const other = openStation(pki, pki.lab2, hub.url, join(scratch, 'other-later'));
    try {
      enqueue(other, submissionInput('L2-33', 'Q-4', [fadulArtifact('fadul_a.x3p')], '9mm Luger'));
      other.worker.start();
      await other.worker.drained({ leads: true });
    } finally {
      await other.close();
    }
    await page.goto(`${station.origin}/#/queue`);
    const leads = page.getByRole('table', { name: 'Leads from the network' });
    const row = leads.getByRole('row').filter({ hasText: 'LAB-2 · L2-33 / Q-4' });
    await row.waitFor({ timeout: 60_000 });
    const found = row.getByTestId(/^lead-\d+-found-by$/);
    assert.match(
      await found.innerText(),
      /^Found when their casing was searched \(the figures of that search, not of one of ours\): Screened 1 casing; .*Ours: 1 by signature/,
    );
    // Not shown as a search of ours.
    assert.equal(await row.getByTestId(/^lead-\d+-screened$/).count(), 0);
    await screenshot(page, '63-network-lead-found-by-their-search');
  });
});
