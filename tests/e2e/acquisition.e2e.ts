// Acquisition and calibration end to end: a real `casebench serve` (its demo rig of simulators), Debian's Chromium,
// a real Fadul breech-face scan imported as X3P and viewed as a shaded relief, a hostile file refused, a calibration
// run, a guided capture canceled and then completed, and an acquisition marked unsuitable.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { zipSync } from 'fflate';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openPage, launchBrowser, screenshot } from './support/browser.ts';
import { greyCorrelation, framesCompleted, shownPixels } from './support/fieldPixels.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { FirstRunPage } from './pages/AuthPages.ts';
import { Shell } from './pages/Shell.ts';
import { CaseDetailPage, CaseListPage } from './pages/CasePages.ts';
import { AcquisitionViewer, CalibrationPage, ItemAcquisitionsPanel } from './pages/AcquisitionPages.ts';
import { sharedDataPath } from '../fixtures/sharedData.ts';
import { storySteps, visible, text, until } from './support/steps.ts';
import { accessibilityViolations } from './support/axe.ts';

const admin = { username: 'admin', displayName: 'Ada Admin', password: 'correct horse battery' };
const caseNumber = 'LAB-2026-0404';

let page: Page;
let pageErrors: string[] = [];

const step = storySteps(async () => {
  await screenshot(page, '49-acquisition-failure');
  if (pageErrors.length > 0) console.error(`page errors so far:\n${pageErrors.join('\n')}`);
});

/** Waits until the image viewer's canvas shows a picture (over 50 grey levels), not a blank or a flat frame. */
function lightImageDrawn(timeout?: number) {
  return page.waitForFunction(
    () => {
      const canvas = document.querySelector('[data-testid="light-image"] canvas') as HTMLCanvasElement | null;
      if (!canvas || canvas.width === 0) return false;
      const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const greys = new Set<number>();
      for (let i = 0; i < d.length; i += 16) if (d[i + 3]) greys.add(d[i]!);
      return greys.size > 50;
    },
    undefined,
    timeout === undefined ? undefined : { timeout },
  );
}

describe('acquisition and calibration in Chromium against casebench serve', { timeout: 900_000 }, () => {
  let station: RunningStation;
  let browser: Browser;
  let context: BrowserContext;
  let caseUrl: string;
  const scratch = mkdtempSync(join(tmpdir(), 'casebench-acq-e2e-'));

  before(async () => {
    [station, browser] = await Promise.all([startStation(), launchBrowser()]);
    ({ context, page, pageErrors } = await openPage(browser, { height: 1000, timeoutMs: 15_000 }));
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await station?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  const panel = () => new ItemAcquisitionsPanel(page, 'Q1');
  async function openQ1() {
    await page.goto(caseUrl);
    const detail = new CaseDetailPage(page);
    await visible(detail.heading(caseNumber));
    await detail.itemDetails('Q1');
    await visible(panel().panel());
  }

  step('sets up the station, a case and a questioned cartridge case', async () => {
    await page.goto(station.url);
    await new FirstRunPage(page).setUp(admin);
    const list = new CaseListPage(page);
    await visible(list.heading());
    await list.createCase({ labCaseNumber: caseNumber, agency: 'Metro Police', receivedDate: '2026-11-20' });
    const detail = new CaseDetailPage(page);
    await visible(detail.heading(caseNumber));
    await detail.addItem({ kind: 'Cartridge case', exhibitNumber: 'Q1', calibre: '9mm Luger' });
    caseUrl = page.url();
    await openQ1();
    // The empty list says so once it has loaded (an empty table shows while it loads).
    await until('the empty list said', async () => /No acquisitions yet/.test(await text(panel().panel())));
  });

  step('imports a Fadul X3P scan into the item and shows it as a shaded relief', async () => {
    await panel().importFile(sharedDataPath('fadul', 'fadul_1-1.x3p'));
    const result = panel().importResult();
    await visible(result, 60_000);
    const words = await text(result);
    assert.match(words, /Imported as acquisition \d+ \(X3P\)/);
    assert.match(words, /needed no corrections|corrected these deviations/);
    await result.getByRole('link', { name: 'Open the viewer' }).click();

    const viewer = new AcquisitionViewer(page);
    await visible(viewer.relief(), 30_000);
    // The relief is drawn (by the GPU: a frame completed) once the full-resolution preview has arrived.
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="relief-canvas"]')?.getAttribute('data-layers') === 'topography|' &&
        document.querySelector('[data-refining="false"] [data-testid="relief"]') !== null,
    );
    await framesCompleted(page, 'relief');
    const pixels = await viewer.reliefPixels();
    assert.ok(pixels.greys > 40, `the relief shows shading, not a flat fill: ${JSON.stringify(pixels)}`);
    assert.ok(pixels.hatched > 1000, `the unmeasured centre and corners are hatched: ${JSON.stringify(pixels)}`);
    await visible(page.getByTestId('scale-bar'));
    assert.match(await text(page.getByTestId('scale-bar')), /^\d+ µm$/);
    await screenshot(page, '40-acquisition-relief');

    // Keyboard: turn the light (what is lit changes), zoom in, fit again.
    const relief = viewer.relief();
    const label = await relief.getAttribute('aria-label');
    const before = await shownPixels(relief.locator('canvas'));
    await relief.focus();
    await page.keyboard.press('d');
    await page.waitForFunction(
      (old) => document.querySelector('[data-testid="relief"]')!.getAttribute('aria-label') !== old,
      label,
    );
    assert.match((await relief.getAttribute('aria-label'))!, /light from 330°/);
    // Light from the opposite side: light and shadow on the marks swap (negative correlation of what is shown).
    for (let i = 0; i < 12; i++) await page.keyboard.press('d');
    await page.waitForFunction(() =>
      /light from 150°/.test(document.querySelector('[data-testid="relief"]')!.getAttribute('aria-label')!),
    );
    await framesCompleted(page, 'relief', 2);
    await page.waitForTimeout(300);
    const opposite = greyCorrelation(before, await shownPixels(relief.locator('canvas')));
    assert.ok(opposite < -0.3, `opposite lights swap light and shadow: correlation ${opposite}`);
    const zoom = Number(await relief.getAttribute('data-zoom'));
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await page.waitForFunction(
      (z) => Number(document.querySelector('[data-testid="relief"]')!.getAttribute('data-zoom')) > z * 1.5,
      zoom,
    );
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('0');
    await page.waitForFunction(
      (z) => Math.abs(Number(document.querySelector('[data-testid="relief"]')!.getAttribute('data-zoom')) - z) < 1e-3,
      zoom,
    );
    // Mouse: the wheel zooms about the pointer, a drag pans.
    const box = (await relief.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await page.waitForFunction(
      (z) => Number(document.querySelector('[data-testid="relief"]')!.getAttribute('data-zoom')) > z,
      zoom,
    );
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 40, { steps: 4 });
    await page.mouse.up();
    await page.getByRole('button', { name: 'Fit (0)' }).click();
    // False colour by height, from the switch: the screen then shows coloured heights.
    await page.getByRole('switch', { name: 'False colour by height' }).check();
    await until('coloured heights on screen', async () => (await viewer.reliefPixels()).coloured > 5000, 15_000, 300);
    await screenshot(page, '41-acquisition-relief-colour');

    await viewer.tab('Provenance').click();
    const provenance = await text(viewer.provenance());
    assert.match(provenance, /Topography/);
    assert.match(provenance, /[0-9a-f]{64}/, 'files are listed with their SHA-256');
    assert.match(provenance, /fadul_1-1\.x3p/, 'the original file name is recorded');
    // The recorded settings in words; the JSON record only behind "All settings as recorded".
    const settings = await text(page.getByRole('table', { name: 'Settings' }));
    assert.match(settings, /File format X3P/);
    assert.match(settings, /Original file name fadul_1-1\.x3p/);
    assert.match(settings, /Measured points [\d,]+/);
    assert.doesNotMatch(settings, /originalName|validPoints|[{}]/);
  });

  step('imports a 2D image (NBIDE PNG) and shows it in the image viewer', async () => {
    await openQ1();
    await panel().importFile(sharedDataPath('nbide-2d', 'NBIDE_R_BF_118.png'));
    const result = panel().importResult();
    await visible(result, 60_000);
    assert.match(await text(result), /Imported as acquisition \d+ \(PNG\)/);
    await result.getByRole('link', { name: 'Open the viewer' }).click();
    const viewer = new AcquisitionViewer(page);
    await visible(page.getByRole('tablist', { name: 'Lights' }));
    assert.equal(await viewer.tab('Topography').isDisabled(), true, 'an image has no topography');
    await visible(page.getByTestId('light-image'));
    await lightImageDrawn();
    assert.match(await text(page.getByText(/^Original \d+ × \d+ px/)), /Original \d+ × \d+ px/);
    await screenshot(page, '47-acquisition-image');
  });

  step('refuses a hostile X3P (zip-slip member name) with a clear reason and imports nothing', async () => {
    const hostile = join(scratch, 'hostile.x3p');
    writeFileSync(
      hostile,
      zipSync({ 'main.xml': new TextEncoder().encode('<ISO5436_2/>'), '../../evil.bin': new Uint8Array(16) }),
    );
    await openQ1();
    assert.equal(await panel().rows().count(), 2);
    await panel().importFile(hostile);
    const error = panel().importError();
    const words = await text(error);
    assert.match(words, /Nothing was imported\./);
    assert.match(words, /refused|not|invalid|unsafe/i);
    await screenshot(page, '42-acquisition-hostile-import');
    await page.keyboard.press('Escape');
    await panel().importForm().waitFor({ state: 'detached' });
    assert.equal(await panel().rows().count(), 2, 'nothing was imported');
  });

  step('refuses an empty file, saying it is empty and what to do', async () => {
    const empty = join(scratch, 'empty.x3p');
    writeFileSync(empty, new Uint8Array(0));
    await panel().importFile(empty);
    // Not "some fields are not valid": the file, its size, and the way out.
    assert.match(
      await text(panel().importError()),
      /Nothing was imported\. empty\.x3p is empty \(0 bytes\)\. Choose the scan/,
    );
    await page.keyboard.press('Escape');
    await panel().importForm().waitFor({ state: 'detached' });
    assert.equal(await panel().rows().count(), 2, 'nothing was imported');
  });

  step('marks the imported scan unsuitable with a reason, and the badge and history show it', async () => {
    await panel().rows().filter({ hasText: '545 × 545' }).getByRole('button', { name: 'Mark unsuitable' }).click();
    const form = page.getByRole('form', { name: /Mark acquisition \d+ unsuitable/ });
    await form.getByRole('button', { name: 'Save' }).click();
    await visible(form.getByText('Required.'));
    await form.getByLabel('Reason').fill('Breech-face marks obliterated by corrosion');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    await visible(panel().rows().filter({ hasText: '545 × 545' }).getByTestId('unsuitable-badge'));
    await visible(panel().rows().filter({ hasText: '545 × 545' }).getByRole('button', { name: 'Clear unsuitable' }));
    const detail = new CaseDetailPage(page);
    await detail.showHistory();
    assert.match(await text(detail.historyTable()), /unsuitable/i);
  });

  step('runs a calibration of the demo rig with progress and files its report picture', async () => {
    await new Shell(page).navLink('Calibration').click();
    const calibration = new CalibrationPage(page);
    await visible(calibration.heading());
    await visible(page.getByText('No calibration has been recorded yet.'));
    await page.getByRole('button', { name: 'Run calibration' }).click();
    await visible(page.getByRole('progressbar', { name: 'Calibrating…' }));
    await visible(page.getByTestId('calibration-message'));
    await visible(calibration.detail(), 300_000);
    const detail = await text(calibration.detail());
    assert.match(detail, /Whole suite/);
    assert.match(detail, /valid/i);
    for (const figures of ['scale', 'flatDark', 'lights', 'uniformity'])
      await visible(page.getByTestId(`figures-${figures}`));
    // The report as a picture a person can read: each panel titled, with its key, units and limits.
    const figure = page.getByTestId('calibration-figure');
    await visible(figure.getByText('Flat field: how evenly each light covers the field of view'), 30_000);
    const tiles = figure.getByTestId('report-flat-field').getByRole('img', { name: /^Flat field under / });
    assert.ok((await tiles.count()) >= 2);
    await visible(figure.getByText(/non-uniformity [\d.]+ % \(limit 5\.0 %\)/).first());
    await visible(figure.getByTestId('report-colour-key').getByText('Response relative to the field’s mean'));
    await visible(figure.getByTestId('report-light-directions'));
    await visible(figure.getByText(/Limit: misfit 10 %/));
    await visible(figure.getByTestId('report-distortion'));
    await visible(figure.getByText(/µm per pixel/));
    await visible(figure.getByText(/distortion at the corner [\d.]+ px \(limit [\d.]+ px\)/));
    // The tiles are drawn from the stored report picture (not left blank).
    await page.waitForFunction(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="report-flat-field"] canvas');
      const pixel = canvas?.getContext('2d')?.getImageData(56, 56, 1, 1).data;
      return pixel !== undefined && pixel[3] === 255; // an undrawn canvas is transparent
    });
    assert.equal(await calibration.table().getByRole('row').filter({ hasText: 'valid' }).count(), 1);
    assert.deepEqual(await accessibilityViolations(page, '[data-testid="calibration-figure"]'), []);
    await screenshot(page, '43-calibration');
  });

  step(
    'runs a guided capture of breech face and firing pin to the end, with quality checks and the viewer',
    async () => {
      await openQ1();
      const dialog = await panel().openCapture();
      await visible(dialog.getByTestId('capture-calibration').getByText(/Valid until/));
      // The default regions: breech face and firing pin.
      assert.equal(await dialog.getByRole('checkbox', { name: 'Breech face' }).isChecked(), true);
      assert.equal(await dialog.getByRole('checkbox', { name: 'Firing pin' }).isChecked(), true);
      assert.equal(await dialog.getByRole('checkbox', { name: 'Ejector mark' }).isChecked(), false);
      // The demo rig says its camera is simulated, and which reference casing it images for this item.
      const demo = dialog.getByTestId('demo-specimen');
      assert.match(await text(demo), /Demo rig: simulated camera.*does not see the casing on the stage/s);
      const casing = demo.getByRole('combobox', { name: 'Reference casing loaded' });
      assert.equal(await casing.inputValue(), 'fadul 1-1');
      await casing.click();
      const casings = page.getByRole('listbox', { name: 'Reference casing loaded' });
      assert.equal(await casings.getByRole('option').count(), 40, 'every Fadul casing is offered');
      await casings.getByRole('option', { name: 'fadul 2-1', exact: true }).click();
      await visible(demo.getByText('Remembered for this item.'));
      await until('the chosen casing shown', async () => (await casing.inputValue()) === 'fadul 2-1');
      await dialog.getByRole('button', { name: 'Start capture' }).click();
      await visible(dialog.getByText('Capturing…', { exact: true }));
      // Each image shows as it is taken, named by region and light.
      await visible(dialog.getByRole('img', { name: /^Breech face · Light from \d+°/ }).first(), 240_000);
      const result = dialog.getByTestId('capture-result');
      // Either the result or the host's reason for failing, whichever comes first.
      const deadline = Date.now() + 480_000;
      while (!(await result.isVisible()) && !(await dialog.getByRole('alert').isVisible())) {
        assert.ok(await dialog.isVisible(), `the capture dialog went away: ${pageErrors.join('; ')}`);
        assert.ok(Date.now() < deadline, 'the capture did not finish in 8 minutes');
        await page.waitForTimeout(1000);
      }
      if (!(await result.isVisible())) assert.fail(`the capture failed: ${await text(dialog.getByRole('alert'))}`);
      const words = await text(result);
      assert.match(words, /Captured 2 acquisitions\./);
      for (const check of ['Focus', 'Saturation', 'Coverage', 'Calibration'])
        assert.match(words, new RegExp(check, 'i'));
      assert.ok(
        (await dialog.getByTestId('capture-steps').getByRole('listitem').count()) > 3,
        'the steps were shown as they ran',
      );
      // In words (the host sends codes): region names and each light as the steps list reads them.
      assert.match(
        await text(dialog.getByTestId('capture-steps')),
        /Breech face: Light from 0° \(right\).*Firing pin: quality checks/s,
      );
      // Every frame of both regions stays on show, and each acquisition has its relief beside its checks.
      const frames = dialog.getByTestId('capture-frames').getByRole('img');
      assert.ok((await frames.count()) >= 2 * 9, `frames shown: ${await frames.count()}`);
      await visible(result.getByRole('img', { name: 'Relief of Q1 · Breech face' }));
      await visible(result.getByRole('img', { name: 'Relief of Q1 · Firing pin' }));
      await screenshot(page, '45-capture-result');
      await result.getByRole('link', { name: 'Open the viewer' }).first().click();
      const viewer = new AcquisitionViewer(page);
      await visible(viewer.relief(), 60_000);
      await viewer.tab('Images').click();
      await visible(page.getByRole('tablist', { name: 'Lights' }));
      assert.ok((await page.getByRole('tablist', { name: 'Lights' }).getByRole('tab').count()) >= 3);
      await visible(page.getByTestId('light-image'));
      await page.getByRole('tablist', { name: 'Lights' }).getByRole('tab').first().focus();
      await page.keyboard.press('ArrowRight');
      assert.equal(
        await page.getByRole('tablist', { name: 'Lights' }).getByRole('tab').nth(1).getAttribute('aria-selected'),
        'true',
      );
      // The chosen light's image is drawn with real contrast, and every thumbnail arrives.
      await lightImageDrawn(60_000);
      const lights = page.getByRole('tablist', { name: 'Lights' });
      await page.waitForFunction(
        () => {
          const list = document.querySelector('[role="tablist"][aria-label="Lights"]')!;
          return list.querySelectorAll('img').length === list.querySelectorAll('[role="tab"]').length;
        },
        undefined,
        { timeout: 60_000 },
      );
      assert.match(await text(lights), /Light from 0° \(right\).*Ring light.*Coaxial light/);
      await screenshot(page, '46-acquisition-images');
      await viewer.tab('Provenance').click();
      const provenance = await text(viewer.provenance());
      assert.match(provenance, /Calibration CAL-\d{4}-\d{4}: Whole suite/);
      assert.match(provenance, /Serial/);
      assert.match(provenance, /Simulated from\s*fadul 2-1/);
      const settings = await text(page.getByRole('table', { name: 'Settings' }));
      assert.match(settings, /Focus position -?[\d.]+ mm \(autofocus, \d+ frames\)/);
      assert.match(settings, /Exposure [\d,]+ µs/);
      assert.match(settings, /Lights, one image each Light from 0° \(right\), Light from 45°/);
      assert.match(settings, /Calibrations used calibration CAL-\d{4}-\d{4}/);
      assert.doesNotMatch(settings, /exposureUs|zMm|ring\/0|[{}]/);
    },
  );

  step('cancels a guided capture: nothing is stored', async () => {
    await openQ1();
    const before = await panel().rows().count();
    const dialog = await panel().openCapture();
    await dialog.getByRole('button', { name: 'Start capture' }).click();
    // Cancel in the middle of the work (past connecting, while the region is being focused or imaged).
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="capture-message"]')?.textContent ?? '').includes('Breech face'),
      undefined,
      { timeout: 120_000 },
    );
    await screenshot(page, '44-capture-progress');
    await dialog.getByRole('button', { name: 'Cancel capture' }).click();
    await visible(dialog.getByText('Capture canceled. Nothing half-captured was stored.'), 60_000);
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await panel().rows().count(), before, 'a canceled capture adds no acquisition');
  });

  step('ran without page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
