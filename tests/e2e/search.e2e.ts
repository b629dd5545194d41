// Searching the database and opening a pair, in Chromium against casebench serve, on real Fadul scans recorded
// as acquisitions: from a case's item to the ranked list, then the pair view with its cells drawn.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from './support/browser.ts';
import { framesCompleted } from './support/fieldPixels.ts';
import { text, until, visible } from './support/steps.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { SignInPage } from './pages/AuthPages.ts';
import { Shell } from './pages/Shell.ts';
import { createHost } from '../../electron/host/createHost.ts';
import { hashPassword } from '../../electron/host/services/passwords.ts';
import { seedScans } from '../fixtures/searchData.ts';

const admin = { username: 'admin', displayName: 'Ada Admin', password: 'correct horse battery' };

async function seed(dataDir: string) {
  const host = createHost({ dataDir, log: () => {} });
  try {
    const user = host.auth.createUser(
      { userId: null, username: 'seed' },
      {
        username: admin.username,
        displayName: admin.displayName,
        role: 'admin',
        passwordHash: await hashPassword(admin.password),
      },
    );
    seedScans(host, user.id, [
      { scan: '1-1', caseNumber: 'LAB-2026-0100', exhibit: 'Q1' },
      { scan: '2-1', caseNumber: 'LAB-2025-0007', exhibit: 'K2' },
      { scan: '1-2', caseNumber: 'LAB-2025-0007', exhibit: 'K1' },
      { scan: '3-1', caseNumber: 'LAB-2024-0033', exhibit: 'X1' },
    ]);
  } finally {
    await host.close();
  }
}

describe('search and pair view', { timeout: 180_000 }, () => {
  let station: RunningStation;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  before(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'casebench-e2e-search-'));
    await seed(dataDir);
    [station, browser] = await Promise.all([startStation({ dataDir }), launchBrowser()]);
    ({ page, pageErrors } = await openPage(browser, { height: 1000, timeoutMs: 15_000 }));
    await page.goto(station.url);
    await new SignInPage(page).signIn(admin.username, admin.password);
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await station?.stop();
  });

  it('searches from a case item and ranks the known match first, saying what was screened and scored', async () => {
    await page.evaluate(() => (location.hash = '/cases/1'));
    await page.getByRole('link', { name: 'Search the database for Q1' }).click();
    const form = page.getByRole('form', { name: 'Search' });
    // The item's topography is chosen, and its calibre becomes the first filter.
    const source = form.getByLabel('Search for');
    await page.waitForFunction(
      (el) => (el as HTMLInputElement).value.includes('LAB-2026-0100 / Q1 · breech face'),
      await source.elementHandle(),
    );
    assert.equal(await form.getByLabel('Calibre').inputValue(), '9 mm Luger');
    // Stopped at once, the search says so and ranks nothing.
    await form.getByRole('button', { name: 'Search' }).click();
    await form.getByRole('button', { name: 'Stop' }).click();
    await page.getByText('The search was stopped; nothing was ranked.').waitFor();
    assert.equal(await page.getByTestId('search-banner').count(), 0);
    await form.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('progressbar', { name: 'Search progress' }).waitFor();
    const banner = page.getByTestId('search-banner');
    await banner.waitFor({ timeout: 90_000 });
    const text = (await banner.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Screened 3 of 3 candidates, fully scored 3 \(top 20\)/);
    assert.match(text, /No screening cut: all 3 candidates went on to full comparison\./);
    assert.match(text, /Compared: breech face against breech face; calibre 9 mm Luger; any date\./);
    assert.equal(text.match(/717 pairs/g)?.length ?? 0, 0, `the population's size is said once, in words: ${text}`);
    assert.match(text, /calibrated against 717 known non-match pairs \(“Fadul 2011 known non-matches”\)/);
    const table = page.getByRole('table', { name: 'Ranked candidates' });
    const first = table.locator('tbody tr').first();
    const firstText = (await first.innerText()).replace(/\s+/g, ' ');
    assert.match(firstText, /LAB-2025-0007 \/ K1/);
    assert.match(firstText, /or more occurred in 0 of 717 known non-match pairs/);
    // The likelihood ratio beside the count: a known match's favours one firearm.
    const lr = Number((await first.getByTestId('search-lr').innerText()).split(' ')[0]);
    assert.ok(lr > 1, `the known match has log10 LR > 1: ${lr}`);
    // Pictures beside the figures: the searched casing in the banner and each candidate in its row.
    await visible(banner.getByRole('img', { name: 'Relief of LAB-2026-0100 / Q1' }));
    await visible(first.getByRole('img', { name: 'Relief of LAB-2025-0007 / K1' }));
    await page.waitForFunction(() =>
      [...document.querySelectorAll('canvas[data-testid^="relief-"]')].every((c) => (c as HTMLCanvasElement).width > 0),
    );
    await screenshot(page, '30-search-results');
  });

  it('keeps the search in its address: opened in another tab, the same search shows the same ranking', async () => {
    const address = new URL(page.url()).hash;
    assert.match(address, /^#\/search\/acquisition\/\d+\?calibre=9\+mm\+Luger&dates=acquired&k=20&ran=1$/);
    const other = await page.context().newPage();
    try {
      other.setDefaultTimeout(15_000);
      await other.goto(`${station.origin}/${address}`);
      await other.getByTestId('search-banner').waitFor({ timeout: 90_000 });
      const first = other.getByRole('table', { name: 'Ranked candidates' }).locator('tbody tr').first();
      assert.match((await first.innerText()).replace(/\s+/g, ' '), /LAB-2025-0007 \/ K1/);
      assert.equal(await other.getByRole('form', { name: 'Search' }).getByLabel('Calibre').inputValue(), '9 mm Luger');
    } finally {
      await other.close();
    }
  });

  it('opens the pair in the comparison workspace with the congruent cells drawn on both surfaces', async () => {
    await page.getByRole('button', { name: 'Compare with LAB-2025-0007 / K1' }).click();
    // Both surfaces are drawn by the GPU before the analysis arrives; then the scores and cells.
    await framesCompleted(page, 'field', 1, 60_000);
    await page.getByTestId('compare-combined').waitFor({ timeout: 90_000 });
    const combined = Number(await page.getByTestId('compare-combined').innerText());
    assert.ok(combined >= 9, `known match scores ${combined}`);
    await page.keyboard.press('y'); // the cells on the field
    const drawn = (side: 0 | 1) => page.locator(`[data-testid="field"] path[data-cell-side="${side}"]`).count();
    await until('cells drawn on both sides', async () => (await drawn(0)) >= 9 && (await drawn(1)) >= 9);
    await page.getByRole('table', { name: 'Cells' }).waitFor();
    // Every cell on request, and ] selects the next one (its correlation and offset are said).
    await page.getByRole('switch', { name: 'Show non-congruent cells' }).check();
    await page.keyboard.press(']');
    const cellText = /^Cell \d+,\d+: correlation [\d.]+, matched at θ = /;
    await until('the selected cell described', async () => cellText.test(await text(page.getByTestId('cell-hover'))));
    await screenshot(page, '31-compare-pair');
    assert.deepEqual(pageErrors, []);
  });

  it('shows the last search again on coming back, and runs it anew once the session has ended', async () => {
    // Back from the pair: the ranking is there at once, from memory (no search runs).
    await page.goBack();
    await page.getByTestId('search-banner').waitFor();
    assert.equal(await page.getByRole('progressbar', { name: 'Search progress' }).count(), 0);
    const address = new URL(page.url()).hash.slice(1);
    await new Shell(page).signOut();
    await new SignInPage(page).signIn(admin.username, admin.password);
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    // The same address after a new sign-in: nothing remembered from the last session shows; the search runs again.
    await page.evaluate((hash) => (location.hash = hash), address);
    await page.getByRole('progressbar', { name: 'Search progress' }).waitFor();
    await page.getByTestId('search-banner').waitFor({ timeout: 90_000 });
    assert.deepEqual(pageErrors, []);
  });
});
