// The lab's calibration validity in Chromium against a real `casebench serve` (demo rig of simulators): a
// technician sees the period read-only (the host configuration's default) and finds capture blocked by an
// expired calibration; a manager sets a shorter period with a reason; the next calibration run's record expires
// by it, and the capture wizard shows that expiry.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { caseCreateSchema, itemFieldsSchema } from '../../electron/contract/cases.ts';
import { createHost } from '../../electron/host/createHost.ts';
import { hashPassword } from '../../electron/host/services/passwords.ts';
import { demoProfilePath } from '../../electron/host/services/acquisition/rigAccess.ts';
import { loadRigProfile } from '../../native/rig/profile.ts';
import { formatDateTime } from '../../renderer/app/format.ts';
import { openPage, launchBrowser, screenshot } from './support/browser.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { SignInPage } from './pages/AuthPages.ts';
import { Shell } from './pages/Shell.ts';
import { CalibrationPage, ItemAcquisitionsPanel } from './pages/AcquisitionPages.ts';
import { CaseDetailPage } from './pages/CasePages.ts';
import { storySteps, text, visible } from './support/steps.ts';

const password = 'correct horse battery';
const caseNumber = 'LAB-2026-0511';
const day = 86_400_000;
const people = [
  { username: 'admin', displayName: 'Ada Admin', role: 'admin' as const },
  { username: 'mona', displayName: 'Mona Manager', role: 'manager' as const },
  { username: 'ted', displayName: 'Ted Technician', role: 'technician' as const },
];

let page: Page;
let pageErrors: string[] = [];
const step = storySteps(async () => {
  await screenshot(page, '59-calibration-validity-failure');
  if (pageErrors.length > 0) console.error(`page errors so far:\n${pageErrors.join('\n')}`);
});

/** "YYYY-MM-DD HH:MM" as the page shows it (local time) → a Date. */
function shownDate(shown: string): Date {
  const m = shown.match(/(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})/);
  assert.ok(m, `not a date and time: "${shown}"`);
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
}

describe('calibration validity in Chromium against casebench serve', { timeout: 600_000 }, () => {
  let station: RunningStation;
  let browser: Browser;
  let context: BrowserContext;
  let caseId = 0;
  let expectedExpiry = '';
  const dataDir = mkdtempSync(join(tmpdir(), 'casebench-validity-e2e-'));

  before(async () => {
    // The station's people, written through the host's own services before serve opens the folder.
    const host = createHost({ dataDir, log: () => {} });
    try {
      const passwordHash = await hashPassword(password);
      const [admin] = people.map((p) =>
        host.auth.createUser({ userId: null, username: 'setup' }, { ...p, passwordHash }),
      );
      const actor = { userId: admin!.id, username: admin!.username };
      const theCase = host.cases.createCase(actor, caseCreateSchema.parse({ labCaseNumber: caseNumber }));
      host.cases.createItem(actor, theCase.id, itemFieldsSchema.parse({ kind: 'cartridge_case', exhibitNumber: 'Q1' }));
      caseId = theCase.id;
      // A calibration of the demo rig that ran out ten days ago: capture must refuse it.
      const profile = await loadRigProfile(demoProfilePath);
      host.acquisitions.calibrations.insert({
        kind: 'suite',
        rigProfile: profile.name,
        deviceSerials: {},
        operatorId: admin!.id,
        performedAt: new Date(Date.now() - 40 * day).toISOString(),
        expiresAt: new Date(Date.now() - 10 * day).toISOString(),
        results: { passed: true, messages: [] },
        reportSha256: null,
      });
    } finally {
      await host.close();
    }
    [station, browser] = await Promise.all([startStation({ dataDir }), launchBrowser()]);
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await station?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function signInAs(username: string) {
    await context?.close();
    ({ context, page, pageErrors } = await openPage(browser, { height: 1000, timeoutMs: 15_000 }));
    await page.goto(station.url);
    await new SignInPage(page).signIn(username, password);
    await new Shell(page).navLink('Calibration').click();
    await visible(new CalibrationPage(page).heading());
  }

  step('a technician sees the validity period read-only, from the station default', async () => {
    await signInAs('ted');
    await visible(page.getByTestId('calibration-validity'));
    assert.equal(await text(page.getByTestId('calibration-validity')), 'New calibrations stay valid for 30 days.');
    assert.equal(
      await page.getByTestId('calibration-validity-source').textContent(),
      'Station default (host configuration)',
    );
    assert.equal(await page.getByRole('button', { name: 'Set validity' }).count(), 0);
    assert.equal(await page.getByLabel('Validity (days)').count(), 0);
  });

  async function openCaptureOfQ1() {
    await page.goto(`${station.url}#/cases/${caseId}`);
    const detail = new CaseDetailPage(page);
    await visible(detail.heading(caseNumber));
    await detail.itemDetails('Q1');
    return new ItemAcquisitionsPanel(page, 'Q1').openCapture();
  }

  step('an expired calibration blocks capture in the wizard, saying so', async () => {
    const dialog = await openCaptureOfQ1();
    const calibration = dialog.getByTestId('capture-calibration');
    await visible(
      calibration.getByText(
        /^Expired on \d{4}-\d{2}-\d{2} \d{2}:\d{2}\. Capture is blocked until the rig is calibrated again\.$/,
      ),
    );
    assert.equal(await dialog.getByRole('button', { name: 'Start capture' }).isDisabled(), true);
    // Why, worded by the page from the host's data (not the host's English sentence with its ISO timestamp).
    const blocks = await text(dialog.getByTestId('capture-blocks'));
    assert.match(blocks, /^Calibration CAL-\d{4}-\d{4} expired on \d{4}-\d{2}-\d{2} \d{2}:\d{2}\.$/);
    await screenshot(page, '57-capture-blocked-expired');
  });

  step('a manager sets 7 days with a reason; out-of-range and missing reason are refused in the form', async () => {
    await signInAs('mona');
    const days = page.getByLabel('Validity (days)');
    const reason = page.getByLabel('Reason for the change');
    await visible(days);
    await page.getByRole('button', { name: 'Set validity' }).click();
    await visible(page.getByText('A whole number of days from 1 to 3650'));
    await days.fill('7');
    await page.getByRole('button', { name: 'Set validity' }).click();
    await visible(page.getByText('Required.', { exact: true }));
    await reason.fill('SOP 12 rev. 3: weekly calibration');
    await page.getByRole('button', { name: 'Set validity' }).click();
    await visible(page.getByText('Validity saved; the next calibration uses it.'));
    await visible(page.getByText('New calibrations stay valid for 7 days.'));
    assert.equal(await page.getByTestId('calibration-validity-source').textContent(), 'Set for this station');
    await screenshot(page, '58-calibration-validity');
  });

  step('the next calibration run expires 7 days after it was performed', async () => {
    const calibration = new CalibrationPage(page);
    await page.getByRole('button', { name: 'Run calibration' }).click();
    // The expired record's detail is on screen already: wait for the new record's row, however slow the run.
    const row = calibration.table().getByRole('row').filter({ hasText: 'valid' });
    await visible(row, 300_000);
    const cells = await row.first().getByRole('cell').allInnerTexts();
    // The lab reference first (the year's calibrations counted), then when it was performed.
    assert.match(cells[0]!, /^CAL-\d{4}-\d{4}$/, `row: ${cells.join(' | ')}`);
    const performed = shownDate(cells[1]!);
    expectedExpiry = formatDateTime(new Date(performed.getTime() + 7 * day).toISOString());
    assert.equal(cells[5], expectedExpiry, `row: ${cells.join(' | ')}`);
  });

  step('the capture wizard now offers that calibration, valid until its new expiry', async () => {
    const dialog = await openCaptureOfQ1();
    await visible(
      dialog.getByTestId('capture-calibration').getByText(`Valid until ${expectedExpiry}`, { exact: false }),
    );
    assert.equal(await dialog.getByRole('button', { name: 'Start capture' }).isEnabled(), true);
    assert.deepEqual(pageErrors, []);
  });
});
