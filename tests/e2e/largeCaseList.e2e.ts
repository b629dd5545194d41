// The case list on a station holding 10,000 cases: server-side paging, sorting and every filter, in Chromium.
// (Speed is measured in bench/foundation.bench.ts; here the times are only printed for the record.)
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from './support/browser.ts';
import { seedStation, seededCase } from './support/seed.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { SignInPage } from './pages/AuthPages.ts';
import { CaseListPage, choose } from './pages/CasePages.ts';
import { field } from './pages/field.ts';

const total = 10_000;
const admin = { username: 'admin', displayName: 'Ada Admin', password: 'correct horse battery' };
const all = Array.from({ length: total }, (_, i) => seededCase(i));

describe('case list with 10,000 cases', { timeout: 180_000 }, () => {
  let station: RunningStation;
  let browser: Browser;
  let page: Page;
  let list: CaseListPage;

  before(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'casebench-e2e-10k-'));
    const seeding = performance.now();
    await seedStation(dataDir, { cases: total, admin });
    console.log(`seeded ${total} cases in ${Math.round(performance.now() - seeding)} ms`);
    [station, browser] = await Promise.all([startStation({ dataDir }), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' });
    page.setDefaultTimeout(10_000);
    await page.goto(station.url);
    await new SignInPage(page).signIn(admin.username, admin.password);
    list = new CaseListPage(page);
    await list.heading().waitFor();
  });

  after(async () => {
    await browser?.close();
    await station?.stop();
  });

  /** Waits until the pager reports `expected`, and returns how long that took. */
  async function pagerShows(expected: string): Promise<number> {
    const started = performance.now();
    await page.getByText(expected, { exact: true }).waitFor();
    return Math.round(performance.now() - started);
  }

  const firstCell = () => list.table().locator('tbody tr').first().locator('td').first();

  it('pages through all of them from the server', async () => {
    await pagerShows(`1–50 of ${total}`);
    assert.equal(await list.table().locator('tbody tr').count(), 50);
    await page.getByRole('button', { name: '200' }).click();
    const last = await pagerShows(`9951–10000 of ${total}`);
    console.log(`last page shown ${last} ms after the click`);
    await screenshot(page, '10-case-list-10k');
  });

  it('sorts by lab case number on the server', async () => {
    // Sortable headers are buttons: sort from the keyboard.
    const header = list.table().getByRole('button', { name: /^Lab case number/ });
    await header.focus();
    await page.keyboard.press('Enter');
    await pagerShows(`1–50 of ${total}`);
    const sorted = all.map((c) => c.labCaseNumber).sort();
    const ends = [sorted[0]!, sorted.at(-1)!];
    const firstIs = (want: string[]) =>
      page.waitForFunction(
        (w) => w.includes(document.querySelector('table[aria-label="Cases"] tbody tr td')?.textContent ?? ''),
        want,
      );
    await firstIs(ends);
    const first = await firstCell().innerText();
    await page.keyboard.press('Enter'); // the other direction
    await firstIs(ends.filter((e) => e !== first));
    assert.notEqual(await firstCell().innerText(), first);
  });

  it('filters by status, agency and received dates, keeps them in the address, and finds one case by number', async () => {
    await choose(page, page.getByRole('combobox', { name: 'Status' }), 'Closed');
    const closed = all.filter((c) => c.status === 'closed').length;
    await pagerShows(`1–50 of ${closed}`);

    await field(page.locator('body'), 'Agency').fill('Metro PD');
    const metroClosed = all.filter((c) => c.status === 'closed' && c.agency === 'Metro PD').length;
    await pagerShows(`1–50 of ${metroClosed}`);

    await field(page.locator('body'), 'Received from').fill('2026-01-01');
    await field(page.locator('body'), 'Received to').fill('2026-12-31');
    const dated = all.filter(
      (c) => c.status === 'closed' && c.agency === 'Metro PD' && c.receivedDate >= '2026-01-01',
    ).length;
    await pagerShows(`1–${Math.min(50, dated)} of ${dated}`);

    // The filters are in the address: it survives a reload, and pasted into the address bar it shows the same list.
    const address = await page.evaluate(() => location.hash);
    for (const part of ['status=closed', 'agency=Metro+PD', 'from=2026-01-01', 'to=2026-12-31'])
      assert.ok(address.includes(part), `${part} in ${address}`);
    await page.reload();
    await list.heading().waitFor();
    await pagerShows(`1–${Math.min(50, dated)} of ${dated}`);
    assert.equal(await page.getByRole('combobox', { name: 'Status' }).inputValue(), 'Closed');
    assert.equal(await field(page.locator('body'), 'Agency').inputValue(), 'Metro PD');
    // Pasted into the address bar of a fresh tab of this browser: the same list.
    const url = page.url();
    await page.goto('about:blank');
    await page.goto(url);
    await pagerShows(`1–${Math.min(50, dated)} of ${dated}`);
    // The side bar's Cases link is the plain list again.
    await page
      .getByRole('navigation')
      .getByRole('link', { name: /^Cases/ })
      .click();
    await pagerShows(`1–50 of ${total}`);
    assert.equal(await page.getByRole('combobox', { name: 'Status' }).inputValue(), '');
    const target = all[4321]!.labCaseNumber;
    await page.locator('body').press('/');
    await page.keyboard.type(target);
    const took = await pagerShows('1–1 of 1');
    console.log(`search for ${target} answered ${took} ms after typing`);
    assert.equal(await firstCell().innerText(), target);
  });
});
