// A USB (UVC) microscope through getUserMedia, in Debian's Chromium with its fake camera (a moving test
// pattern): list, open, live frames with focus and histogram computed in the page, zoom and pan from the
// keyboard, close; then the "no camera" and "access denied" states in browsers without a camera or permission.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openPage, fakeCameraFlags, launchBrowser, screenshot } from './support/browser.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { FirstRunPage } from './pages/AuthPages.ts';
import { CaseListPage } from './pages/CasePages.ts';
import { RigPage } from './pages/RigPages.ts';
import { storySteps, visible, until } from './support/steps.ts';

const admin = { username: 'admin', displayName: 'Ada Admin', password: 'correct horse battery' };

/** Opens the station in a new context of `browser`, signing in (or setting up the administrator the first time). */
async function openRigPage(
  browser: Browser,
  station: RunningStation,
  firstRun: boolean,
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const { context, page, pageErrors: errors } = await openPage(browser);
  await page.goto(station.url);
  if (firstRun) {
    const setup = new FirstRunPage(page);
    await visible(setup.heading());
    await setup.setUp(admin);
  } else {
    const form = page.getByRole('form', { name: 'Sign in' });
    await visible(form);
    await form.getByLabel(/^User name/).fill(admin.username);
    await form.getByLabel(/^Password/).fill(admin.password);
    await form.getByRole('button', { name: 'Sign in' }).click();
  }
  await visible(new CaseListPage(page).heading());
  await page.keyboard.press('g');
  await page.keyboard.press('2');
  await visible(new RigPage(page).heading());
  await new RigPage(page).tab('USB microscope').click();
  return { context, page, errors };
}

const step = storySteps();

describe('USB microscope (UVC) through getUserMedia', { timeout: 180_000 }, () => {
  let station: RunningStation;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  before(async () => {
    [station, browser] = await Promise.all([startStation(), launchBrowser(fakeCameraFlags)]);
    ({ context, page, errors: pageErrors } = await openRigPage(browser, station, true));
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await station?.stop();
  });

  step('lists the fake camera and opens it', async () => {
    const rig = new RigPage(page);
    await visible(rig.openCamera());
    await until('the camera list', async () => (await rig.cameraSelect().inputValue()) !== '');
    await rig.openCamera().click();
    await visible(rig.closeCamera());
    // After access is granted the browser reveals the device's own name.
    await until('the camera name', async () => /fake/i.test(await rig.cameraSelect().inputValue()));
  });

  step('shows live frames with a frame rate, a focus value and a histogram computed in the page', async () => {
    const live = new RigPage(page).live();
    await until('frames drawn', async () => (await live.framesDrawn()) > 10);
    const fps = await live.measureFps(3000);
    console.log(`UVC fake camera: ${fps.toFixed(1)} frames/s drawn`);
    assert.ok(fps > 5, `the fake camera's frames reach the screen (${fps.toFixed(1)} frames/s)`);
    assert.match(await live.fps().innerText(), /\d+\.\d frames\/s/);
    const focus = await live.focusValue();
    assert.ok(Number.isFinite(focus) && focus > 0, `focus measure ${focus}`);
    assert.match(await live.focus().innerText(), /^\d/);
    assert.match(await live.saturation().innerText(), /% of pixels at 255/);
    await screenshot(page, '53-uvc-live');
  });

  step('zooms and pans from the keyboard and returns to fit', async () => {
    const rig = new RigPage(page);
    const image = rig.live().image('Live image: USB microscope');
    await image.focus();
    const fitted = await rig.live().zoom().innerText();
    await page.keyboard.press('1');
    await until('1:1', async () => (await rig.live().zoom().innerText()) === '100 %');
    await page.keyboard.press('+');
    await until('zoomed in', async () => (await rig.live().zoom().innerText()) === '125 %');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('0');
    await until('fit again', async () => (await rig.live().zoom().innerText()) === fitted);
  });

  step('closes the camera and stops drawing', async () => {
    const rig = new RigPage(page);
    await rig.closeCamera().click();
    await visible(rig.openCamera());
    const frames = await rig.live().framesDrawn();
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(await rig.live().framesDrawn(), frames, 'no frames after closing');
    assert.deepEqual(pageErrors, []);
  });

  step('says "No camera" in a browser without one', async () => {
    const plain = await launchBrowser();
    try {
      const { page: p, errors } = await openRigPage(plain, station, false);
      const rig = new RigPage(p);
      await visible(rig.uvcProblem());
      assert.match(await rig.uvcProblem().innerText(), /No camera/);
      assert.ok(await rig.openCamera().isDisabled(), 'nothing to open');
      assert.deepEqual(errors, []);
    } finally {
      await plain.close();
    }
  });

  step('says access was denied when the camera permission is refused', async () => {
    // A fake camera, but no automatic "allow": the headless browser refuses the permission request.
    const denying = await launchBrowser(['--use-fake-device-for-media-stream']);
    try {
      const { page: p } = await openRigPage(denying, station, false);
      const rig = new RigPage(p);
      await visible(rig.openCamera());
      await until('the camera list', async () => (await rig.cameraSelect().inputValue()) !== '');
      await rig.openCamera().click();
      await visible(rig.uvcProblem());
      assert.match(await rig.uvcProblem().innerText(), /Camera access denied/);
      await screenshot(p, '54-uvc-denied');
    } finally {
      await denying.close();
    }
  });
});
