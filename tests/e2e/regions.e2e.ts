// Regions end to end: a real `casebench serve`, Debian's Chromium, a real Fadul breech-face scan imported as X3P;
// the detected primer, firing pin and breech-face annulus drawn on the relief; an edit by mouse (drag a handle)
// and by keyboard (numeric fields), saved with a reason, shown as manual, and found in the case history; regions
// without a firing pin edited without inventing one (it stays "not placed" until the examiner places it).
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openPage, launchBrowser, screenshot } from './support/browser.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { FirstRunPage } from './pages/AuthPages.ts';
import { CaseDetailPage, CaseListPage } from './pages/CasePages.ts';
import { ItemAcquisitionsPanel } from './pages/AcquisitionPages.ts';
import { sharedDataPath } from '../fixtures/sharedData.ts';
import { storySteps, visible } from './support/steps.ts';
import { accessibilityViolations } from './support/axe.ts';

const admin = { username: 'admin', displayName: 'Ada Admin', password: 'correct horse battery' };
const caseNumber = 'LAB-2026-0505';

let page: Page;
let pageErrors: string[] = [];

const circleOf = async (key: string) => {
  const g = page.getByTestId(`region-${key}`);
  await visible(g);
  return {
    cx: Number(await g.getAttribute('data-cx')),
    cy: Number(await g.getAttribute('data-cy')),
    r: Number(await g.getAttribute('data-r')),
  };
};

const step = storySteps(async () => {
  await screenshot(page, '39-regions-failure');
  if (pageErrors.length > 0) console.error(`page errors so far:\n${pageErrors.join('\n')}`);
});

describe('regions in Chromium against casebench serve', { timeout: 600_000 }, () => {
  let station: RunningStation;
  let browser: Browser;
  let context: BrowserContext;
  let caseUrl: string;
  let outerBefore: { cx: number; cy: number; r: number };

  before(async () => {
    [station, browser] = await Promise.all([startStation(), launchBrowser()]);
    ({ context, page, pageErrors } = await openPage(browser, { height: 1000, timeoutMs: 15_000 }));
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await station?.stop();
  });

  const panel = () => new ItemAcquisitionsPanel(page, 'Q1');

  step('imports a Fadul scan and sees the detected regions drawn on its relief', async () => {
    await page.goto(station.url);
    await new FirstRunPage(page).setUp(admin);
    const list = new CaseListPage(page);
    await visible(list.heading());
    await list.createCase({ labCaseNumber: caseNumber, agency: 'Metro Police', receivedDate: '2026-11-20' });
    const detail = new CaseDetailPage(page);
    await visible(detail.heading(caseNumber));
    await detail.addItem({ kind: 'Cartridge case', exhibitNumber: 'Q1', calibre: '9mm Luger' });
    caseUrl = page.url();
    await detail.itemDetails('Q1');
    await panel().importFile(sharedDataPath('fadul', 'fadul_1-1.x3p'));
    const result = panel().importResult();
    await visible(result, 60_000);
    await result.getByRole('link', { name: 'Open the viewer' }).click();
    await page.getByRole('tab', { name: 'Regions' }).click();
    await visible(page.getByTestId('regions-picture'), 30_000);
    await page.waitForFunction(
      () =>
        ((document.querySelector('[data-testid="regions-picture"] img') as HTMLImageElement | null)?.naturalWidth ??
          0) > 0,
    );
    assert.match(await page.getByTestId('regions-in-force').innerText(), /detected/);
    for (const name of [
      'Primer (detected)',
      'Firing pin (detected)',
      'Breech face, outer (detected)',
      'Breech face, inner (detected)',
    ]) {
      await visible(page.getByTestId('regions-picture').getByText(name, { exact: true }));
    }
    const primer = await circleOf('primer');
    const pin = await circleOf('firingPin');
    assert.ok(
      primer.r > 150 && pin.r < primer.r,
      `primer ${JSON.stringify(primer)} and firing pin ${JSON.stringify(pin)}`,
    );
    outerBefore = await circleOf('outer');
    await screenshot(page, '38-regions-detected');
  });

  step('edits the annulus with the mouse and the keyboard, saves with a reason, and sees it as manual', async () => {
    await page.getByRole('button', { name: 'Edit regions' }).click();
    // At 1024 × 700 the circle chooser beside the picture shows every circle's name whole, inside the window.
    await page.setViewportSize({ width: 1024, height: 700 });
    for (const name of ['Primer', 'Firing pin', 'Breech face, outer', 'Breech face, inner']) {
      const box = (await page
        .locator('main label')
        .filter({ hasText: new RegExp(`^${name}$`) })
        .boundingBox())!;
      const main = (await page.locator('main').boundingBox())!;
      assert.ok(box.x + box.width <= main.x + main.width, `"${name}" ends at ${box.x + box.width} > ${main.width}`);
    }
    await page.setViewportSize({ width: 1440, height: 1000 });
    // Editing does not relabel: the circles stay detected until one is changed; every number has a visible label.
    await visible(page.getByTestId('regions-picture').getByText('Primer (detected)', { exact: true }));
    for (const field of ['Centre x (px)', 'Centre y (px)', 'Radius (px)'])
      assert.equal(await page.getByText(field, { exact: true }).count(), 4, field);
    // Mouse: drag the firing pin's centre handle 40 screen pixels to the right.
    await page.locator('label[for$="-firingPin"]').click();
    assert.equal(await page.getByRole('radio', { name: 'Firing pin' }).isChecked(), true);
    const pinBefore = await circleOf('firingPin');
    const handle = (await page.getByTestId('handle-firingPin-centre').boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2 + 40, handle.y + handle.height / 2, { steps: 5 });
    await page.mouse.up();
    const pinAfter = await circleOf('firingPin');
    assert.ok(pinAfter.cx > pinBefore.cx + 10, `dragging moved the firing pin: ${pinBefore.cx} → ${pinAfter.cx}`);
    assert.equal(pinAfter.r, pinBefore.r);
    // Keyboard: the outer circle's radius typed in its field, reached with Tab-able inputs.
    const radius = page.getByRole('textbox', { name: 'Breech face, outer: Radius (px)' });
    await radius.focus();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('250');
    await page.keyboard.press('Tab');
    assert.equal((await circleOf('outer')).r, 250);
    await visible(page.getByTestId('regions-picture').getByText('Breech face, outer (manual)', { exact: true }));
    await visible(page.getByTestId('regions-picture').getByText('Firing pin (manual)', { exact: true }));
    await visible(page.getByTestId('regions-picture').getByText('Primer (detected)', { exact: true }));
    await screenshot(page, '39-regions-editing');

    await page.getByRole('button', { name: 'Save regions…' }).click();
    const form = page.getByRole('form', { name: /Save the regions of acquisition \d+/ });
    await form.getByRole('button', { name: 'Save' }).click();
    await visible(form.getByText('Required.'));
    await form.getByLabel('Reason').fill('Primer edge rolled; keep the flat part of the breech face');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    await page.waitForFunction(() =>
      /manual/.test(document.querySelector('[data-testid="regions-in-force"]')?.textContent ?? ''),
    );
    assert.equal((await circleOf('outer')).r, 250);
    assert.notEqual(outerBefore.r, 250);
    await visible(page.getByTestId('regions-picture').getByText('Primer (manual)', { exact: true }));
    await visible(page.getByRole('button', { name: 'Reset to detected' }));
  });

  step('finds the amendment with its reason in the case history, and resets to detected', async () => {
    await page.goto(caseUrl);
    const detail = new CaseDetailPage(page);
    await visible(detail.heading(caseNumber));
    await detail.showHistory();
    const history = detail.historyTable();
    await visible(history.getByText('Regions of interest amended', { exact: true }));
    assert.equal(await history.getByText('acquisition.regions', { exact: true }).count(), 0, 'no raw audit code');
    assert.match(
      (await history.innerText()).replace(/\s+/g, ' '),
      /Primer edge rolled; keep the flat part of the breech face/,
    );
    // Back steps through the tabs first: the case's first tab, then the viewer the case was opened from.
    await page.goBack();
    await visible(page.getByRole('tab', { name: /^Items/, selected: true }));
    await page.goBack();
    await page.getByRole('tab', { name: 'Regions' }).click();
    await page.getByRole('button', { name: 'Reset to detected' }).click();
    const form = page.getByRole('form', { name: /Go back to the detected regions of acquisition \d+/ });
    await form.getByLabel('Reason').fill('The detected circles were right');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    await page.waitForFunction(() =>
      /detected/.test(document.querySelector('[data-testid="regions-in-force"]')?.textContent ?? ''),
    );
    assert.deepEqual(await circleOf('outer'), outerBefore);
  });

  step('regions without a firing pin: it stays "not placed" (no made-up circle) until placed', async () => {
    const picture = page.getByTestId('regions-picture');
    await page.getByRole('button', { name: 'Edit regions' }).click();
    await page.getByRole('button', { name: 'Remove the “Firing pin” circle' }).click();
    await page.getByRole('button', { name: 'Remove the “Breech face, inner” circle' }).click();
    await visible(page.getByTestId('regions-absent-firingPin'));
    assert.equal(await page.getByTestId('region-firingPin').count(), 0, 'no firing-pin circle drawn');
    await page.getByRole('button', { name: 'Save regions…' }).click();
    const form = page.getByRole('form', { name: /Save the regions of acquisition \d+/ });
    await form.getByLabel('Reason').fill('No firing-pin impression visible on this casing');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    await page.waitForFunction(() =>
      /manual/.test(document.querySelector('[data-testid="regions-in-force"]')?.textContent ?? ''),
    );
    assert.equal(await page.getByTestId('region-firingPin').count(), 0);

    // Editing regions that have no firing pin: nothing is invented at a quarter of the primer's radius.
    await page.getByRole('button', { name: 'Edit regions' }).click();
    await visible(page.getByTestId('regions-absent-firingPin'));
    await visible(page.getByTestId('regions-absent-inner'));
    assert.match(await page.getByTestId('regions-absent-firingPin').innerText(), /Not found on this picture/);
    assert.equal(await page.getByRole('textbox', { name: 'Firing pin: Radius (px)' }).count(), 0);
    assert.equal(await page.getByTestId('region-firingPin').count(), 0);
    assert.equal(await page.getByRole('radio', { name: 'Firing pin' }).isDisabled(), true);
    await visible(picture.getByText('Primer (manual)', { exact: true }));
    await screenshot(page, '39-regions-no-firing-pin');
    assert.deepEqual(await accessibilityViolations(page, 'main'), []);

    // Placed on request, with the keyboard: on the primer's centre, then typed into its labelled boxes.
    const place = page.getByRole('button', { name: 'Place the “Firing pin” circle' });
    await place.focus();
    await page.keyboard.press('Enter');
    const primer = await circleOf('primer');
    const placed = await circleOf('firingPin');
    assert.deepEqual([placed.cx, placed.cy], [primer.cx, primer.cy]);
    assert.ok(Math.abs(placed.r - primer.r / 3) <= 0.1, `placed at a third of the primer: ${placed.r} / ${primer.r}`);
    for (const field of ['Centre x (px)', 'Centre y (px)', 'Radius (px)'])
      await visible(page.getByRole('textbox', { name: `Firing pin: ${field}` }));
    await page.getByRole('textbox', { name: 'Firing pin: Radius (px)' }).focus();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('60');
    await page.keyboard.press('Tab');
    assert.equal((await circleOf('firingPin')).r, 60);
    await visible(picture.getByText('Firing pin (manual)', { exact: true }));
    await page.getByRole('button', { name: 'Cancel editing' }).click();
    assert.deepEqual(pageErrors, []);
  });

  step('the tab shown is part of the address: a reload, a second tab and a pasted link open the same tab', async () => {
    const selected = (p: Page) => p.getByRole('tab', { selected: true });
    const viewerUrl = page.url();
    assert.match(viewerUrl, /#\/cases\/\d+\/acquisitions\/\d+\?tab=regions$/);
    await page.reload();
    await visible(page.getByTestId('regions-picture'), 30_000);
    assert.equal(await selected(page).innerText(), 'Regions');
    await page.getByRole('tab', { name: 'Provenance' }).click();
    assert.match(page.url(), /\?tab=provenance$/);
    // Each tab chosen is a step in the browser's history: Back shows the tab before, Forward the one after.
    await page.getByRole('tab', { name: 'Topography' }).click();
    await visible(page.getByRole('tab', { name: 'Topography', selected: true }));
    await page.goBack();
    await visible(page.getByTestId('provenance'), 30_000);
    assert.match(page.url(), /\?tab=provenance$/);
    await page.goBack();
    await visible(page.getByTestId('regions-picture'), 30_000);
    assert.equal(await selected(page).innerText(), 'Regions');
    await page.goForward();
    await visible(page.getByTestId('provenance'), 30_000);
    assert.equal(await selected(page).innerText(), 'Provenance');
    // A second browser tab of the same station, opened on the pasted address.
    const second = await context.newPage();
    await second.goto(page.url());
    await visible(second.getByTestId('provenance'), 30_000);
    assert.equal(await selected(second).innerText(), 'Provenance');
    // A tab the page does not have: the page opens on its first tab instead of showing nothing.
    await second.goto(viewerUrl.replace(/tab=regions$/, 'tab=nonsense'));
    await second.reload();
    await visible(second.getByRole('tab', { name: 'Topography', selected: true }), 30_000);
    // The case page's tabs too.
    await second.goto(caseUrl);
    await second.getByRole('tab', { name: 'History' }).click();
    assert.match(second.url(), /#\/cases\/\d+\?tab=history$/);
    await second.goBack();
    await visible(second.getByRole('tab', { name: /^Items/, selected: true }));
    assert.equal(second.url(), caseUrl);
    await second.goForward();
    await visible(second.getByRole('tab', { name: 'History', selected: true }));
    await page.goto(second.url());
    await page.reload();
    await visible(page.getByRole('tab', { name: 'History', selected: true }));
    await visible(page.getByRole('table', { name: 'Audit entries' }).getByText('Regions of interest amended').first());
    await second.goto(caseUrl.replace(/$/, '?tab=packages-of-nobody'));
    await second.reload();
    await visible(second.getByRole('tab', { name: /^Items/, selected: true }));
    await second.close();
    assert.deepEqual(pageErrors, []);
  });
});
