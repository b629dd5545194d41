// Layouts from 1024 × 700 up: the main screens at 1440 × 900 and 1024 × 700 (screenshots 9x-layout-*), none wider
// than the window (no sideways scrolling of the page), and the rig's live view a real picture at the small size
// (it was a strip 195 px wide beside a fixed 380 px control column).
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openPage, launchBrowser, screenshot } from './support/browser.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { FirstRunPage } from './pages/AuthPages.ts';
import { CaseDetailPage, CaseListPage } from './pages/CasePages.ts';
import { ItemAcquisitionsPanel } from './pages/AcquisitionPages.ts';
import { RigPanelPage } from './pages/RigPages.ts';
import { sharedDataPath } from '../fixtures/sharedData.ts';
import { storySteps, until, visible } from './support/steps.ts';

const admin = { username: 'admin', displayName: 'Ada Admin', password: 'correct horse battery' };
const caseNumber = 'LAB-2026-0700';

let page: Page;
let pageErrors: string[] = [];

const step = storySteps(async () => {
  await screenshot(page, '99-layouts-failure');
});

/** How far the page is wider than the window (0 = no sideways scrolling), and the widest culprit. */
async function overflow(): Promise<{ by: number; culprit: string }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    let culprit = '';
    let widest = width;
    for (const el of document.querySelectorAll<HTMLElement>('main *')) {
      const right = el.getBoundingClientRect().right;
      if (right > widest + 1 && getComputedStyle(el).position !== 'fixed') {
        widest = right;
        culprit = `${el.tagName.toLowerCase()}.${[...el.classList].slice(0, 2).join('.')} "${(el.textContent ?? '').slice(0, 40)}"`;
      }
    }
    return { by: document.documentElement.scrollWidth - width, culprit };
  });
}

describe('layouts from 1024 × 700 up', { timeout: 600_000 }, () => {
  let station: RunningStation;
  let browser: Browser;
  let context: BrowserContext;
  const screens: { name: string; hash: string; ready: () => Promise<unknown> }[] = [];

  before(async () => {
    [station, browser] = await Promise.all([startStation({ timeoutMs: 60_000 }), launchBrowser()]);
    ({ context, page, pageErrors } = await openPage(browser, { timeoutMs: 15_000 }));
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await station?.stop();
  });

  step('sets up a station with a case, an item and an imported scan', async () => {
    await page.goto(station.url);
    await new FirstRunPage(page).setUp(admin);
    const list = new CaseListPage(page);
    await visible(list.heading());
    await list.createCase({ labCaseNumber: caseNumber, agency: 'Metro Police', receivedDate: '2026-11-20' });
    const detail = new CaseDetailPage(page);
    await visible(detail.heading(caseNumber));
    await detail.addItem({ kind: 'Cartridge case', exhibitNumber: 'Q1', calibre: '9mm Luger' });
    await detail.itemDetails('Q1');
    const panel = new ItemAcquisitionsPanel(page, 'Q1');
    await panel.importFile(sharedDataPath('fadul', 'fadul_1-1.x3p'));
    await visible(panel.importResult(), 60_000);
    const caseHash = await page.evaluate(() => location.hash);
    await panel.importResult().getByRole('link', { name: 'Open the viewer' }).click();
    await visible(page.getByTestId('relief'), 30_000);
    const viewerHash = await page.evaluate(() => location.hash);
    const heading = (name: RegExp | string) => () => visible(page.getByRole('heading', { name }).first());
    screens.push(
      { name: 'case-list', hash: '#/cases', ready: heading('Cases') },
      { name: 'case-detail', hash: caseHash, ready: heading(caseNumber) },
      { name: 'acquisition', hash: viewerHash, ready: () => visible(page.getByTestId('relief'), 30_000) },
      { name: 'rig', hash: '#/rig', ready: () => visible(new RigPanelPage(page).profile(), 30_000) },
      { name: 'search', hash: '#/search', ready: heading(/Search/) },
      { name: 'calibration', hash: '#/calibration', ready: heading(/Calibration/) },
      { name: 'audit', hash: '#/audit', ready: heading(/Audit/) },
      { name: 'dashboard', hash: '#/dashboard', ready: heading(/dashboard/i) },
      { name: 'admin', hash: '#/admin', ready: heading(/Administration/) },
    );
  });

  for (const [width, height] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    step(`every main screen fits ${width} × ${height} without sideways scrolling`, async () => {
      await page.setViewportSize({ width, height });
      const problems: string[] = [];
      for (const screen of screens) {
        await page.evaluate((hash) => (location.hash = hash), screen.hash);
        await screen.ready();
        await page.waitForTimeout(300);
        await screenshot(page, `9x-layout-${screen.name}-${width}`);
        const { by, culprit } = await overflow();
        if (by > 0) problems.push(`${screen.name}: ${by} px too wide (${culprit})`);
      }
      assert.deepEqual(problems, []);
    });
  }

  step('the rig live view is a real picture at 1024 × 700', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.evaluate(() => (location.hash = '#/rig'));
    const rig = new RigPanelPage(page);
    await visible(rig.profile(), 30_000);
    await until(
      'the live image laid out',
      async () => ((await page.getByTestId('live-canvas').boundingBox())?.width ?? 0) > 0,
    );
    const box = (await page.getByTestId('live-canvas').boundingBox())!;
    console.log(`live view at 1024 × 700: ${Math.round(box.width)} × ${Math.round(box.height)} px`);
    assert.ok(box.width >= 440, `live view ${Math.round(box.width)} px wide`);
    assert.ok(box.height >= 300, `live view ${Math.round(box.height)} px high`);
    assert.deepEqual(pageErrors, []);
  });
});
