// The device panel on the demo rig (every device a simulator behind a real pty or the USB3 Vision emulator,
// driven by the real drivers in `casebench serve`), in Debian's Chromium: connect, live view at full size with
// its frame rate measured in the page, focus stage moves change the image and its focus measure, a ring-light
// segment changes the image, exposure and gain within their limits, snap, and a simulator killed mid-stream
// shown disconnected within a second.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openPage, launchBrowser, screenshot } from './support/browser.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { descendants, treeCpuUse, type ProcessInfo } from './support/processes.ts';
import { FirstRunPage } from './pages/AuthPages.ts';
import { CaseListPage, choose } from './pages/CasePages.ts';
import { RigPage, RigPanelPage } from './pages/RigPages.ts';
import { storySteps, text, visible, until } from './support/steps.ts';

const admin = { username: 'admin', displayName: 'Ada Admin', password: 'correct horse battery' };
const demoProfile = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'resources', 'rigs', 'demo.json'), 'utf8'),
) as { geometry: { bestFocus: number } };
const bestFocus = demoProfile.geometry.bestFocus;

let pageForFailure: Page | undefined;

/** Mean of a live-view number over the next `frames` frames drawn, so one noisy frame does not decide a test. */
async function settled(page: Page, attribute: 'focus' | 'mean', frames = 4): Promise<number> {
  return page.getByTestId('live-canvas').evaluate(
    (canvas, { attribute, frames }) =>
      new Promise<number>((resolve, reject) => {
        const el = canvas as HTMLCanvasElement;
        const values: number[] = [];
        let last = el.dataset.frames;
        const timer = setTimeout(() => reject(new Error(`only ${values.length} frames in 10 s`)), 10_000);
        const poll = () => {
          if (el.dataset.frames !== last) {
            last = el.dataset.frames;
            values.push(Number(el.dataset[attribute]));
          }
          if (values.length >= frames) {
            clearTimeout(timer);
            resolve(values.reduce((a, b) => a + b, 0) / values.length);
          } else requestAnimationFrame(poll);
        };
        requestAnimationFrame(poll);
      }),
    { attribute, frames },
  );
}

const step = storySteps(async () => {
  if (pageForFailure) await screenshot(pageForFailure, 'rig-failed-step');
});

describe('rig device panel on the demo rig', { timeout: 300_000 }, () => {
  let station: RunningStation;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  let rig: RigPanelPage;
  let ringPair: ProcessInfo | undefined;
  let ringSimulator: ProcessInfo | undefined;
  /** Processes this test started itself (the re-plugged ring light); stopped by pid at the end. */
  const plugged: ChildProcess[] = [];

  before(async () => {
    [station, browser] = await Promise.all([startStation({ timeoutMs: 60_000 }), launchBrowser()]);
    ({ context, page, pageErrors } = await openPage(browser));
    pageForFailure = page;
    rig = new RigPanelPage(page);
  });

  after(async () => {
    for (const child of plugged.reverse())
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await context?.close();
    await browser?.close();
    await station?.stop();
  });

  step('opens the device panel with G 2 and shows the demo rig connected', async () => {
    await page.goto(station.url);
    const setup = new FirstRunPage(page);
    await visible(setup.heading());
    await setup.setUp(admin);
    await visible(new CaseListPage(page).heading());
    await page.keyboard.press('g');
    await page.keyboard.press('2');
    await visible(new RigPage(page).heading());
    await visible(rig.profile());
    // Discovery finds no rig hardware here and chooses the demo rig; the first status may still be 'starting'.
    await until('the demo rig profile', async () => /Demo rig/.test(await rig.profile().innerText()), 30_000);
    // The host connects the demo rig at start-up; connect explicitly if it has not finished or gave up.
    if ((await rig.state().getAttribute('data-state')) !== 'ready') await rig.connectAll().click();
    await until('every device ready', async () => (await rig.state().getAttribute('data-state')) === 'ready', 30_000);
    // In words, not the USB scan's diagnostics (those stay in the tooltip).
    assert.match(await page.getByTestId('rig-message').innerText(), /^Every device is simulated/);
    assert.doesNotMatch(await page.getByTestId('rig-message').innerText(), /errno|getDevices/);
    for (const label of ['camera', 'stage', 'ring', 'coax'])
      assert.match((await rig.deviceStateValue(label)) ?? '', /ready|busy/, label);
  });

  step('words every device, axis and unit: no profile label, no "deg"', async () => {
    for (const words of ['Camera', 'Focus and rotation stage', 'Ring light', 'Coaxial light'])
      await visible(rig.deviceHeading(words));
    const controls = await text(page.locator('main'));
    // The profile's internal labels ('Camera (camera)', 'Light (ring)') and axis letters ('Focus (z)') are gone.
    assert.doesNotMatch(controls, /\((camera|stage|ring|coax|z|r)\)/);
    assert.doesNotMatch(controls, /\bdeg\b/);
    assert.match(await rig.jog().innerText(), /Rotation[\s\S]*-?360° to 0°/);
    assert.equal(await rig.stepSelect('Rotation').inputValue(), '15°');
    await visible(page.getByRole('button', { name: 'Move Rotation by +15°' }));
    assert.match(await text(page.getByTestId('device-camera')), /Camera USB3 Vision/);
  });

  step('runs live view at full size and measures the frame rate in the browser', async () => {
    // Every light starts off: live view switches the coaxial light on by itself, so the first image is not black.
    assert.equal(await rig.lightThumb('Coaxial light').getAttribute('aria-valuenow'), '0');
    await rig.startLive().click();
    await visible(rig.stopLive());
    const live = rig.live();
    await until('frames drawn', async () => (await live.framesDrawn()) > 5, 20_000);
    assert.equal(await rig.lightThumb('Coaxial light').getAttribute('aria-valuenow'), '50');
    assert.ok((await settled(page, 'mean')) > 20, 'the first live image is lit');
    assert.equal(await live.darkHint().count(), 0);
    await rig.lightThumb('Coaxial light').focus();
    await page.keyboard.press('End');
    // Frame rates, the station's CPU (host with the camera emulator, plus the serial simulators) and the page's
    // main-thread busy time, all over the same five seconds.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskSeconds = async () =>
      (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
    const task0 = await taskSeconds();
    const t0 = performance.now();
    const [rates, stationCpu] = await Promise.all([live.measureRates(5000), treeCpuUse(station.pid, 5000)]);
    const pageBusy = ((await taskSeconds()) - task0) / ((performance.now() - t0) / 1000);
    await cdp.detach();
    const fps = rates.drawnFps;
    const latency = await page.getByTestId('live-latency').innerText();
    console.log(
      `rig live view (1024 × 1024, 8-bit): ${rates.receivedFps.toFixed(1)} frames/s received, ${fps.toFixed(1)} drawn in the browser, ` +
        `${rates.drawMs.toFixed(1)} ms UI-thread time per frame drawn, camera → screen ${latency}; ${await rig.liveState().innerText()}; ` +
        `CPU: station ${(stationCpu * 100).toFixed(0)} % of a core, page main thread busy ${(pageBusy * 100).toFixed(0)} %`,
    );
    assert.match(await page.locator('main').innerText(), /1024 × 1024/);
    // The target is ≥ 15 frames/s; on a loaded 2-core test machine we only insist that live view really streams.
    assert.ok(fps >= 5, `live view streams (${fps.toFixed(1)} frames/s)`);
  });

  step('homes the stage from the keyboard (GRBL starts in alarm and refuses to move before)', async () => {
    await rig.jog().focus();
    await page.keyboard.press('ArrowDown');
    await visible(rig.error());
    assert.match(await rig.error().innerText(), /alarm/i);
    await rig.jog().focus();
    await page.keyboard.press('Home');
    await until('homed', async () => !(await page.getByText('not homed since connect').isVisible()), 30_000);
    await until('z position known', async () => Number.isFinite(await rig.positionValue('z')));
  });

  step('moves the focus stage from the keyboard and the image sharpens towards best focus', async () => {
    await choose(page, rig.stepSelect('Focus'), '1 mm');
    const start = await rig.positionValue('z');
    const far = await settled(page, 'focus');
    const jog = rig.jog();
    let position = start;
    // Whole millimetres towards best focus, each jog waited for, until within half a millimetre of it.
    while (Math.abs(position - bestFocus) > 0.5) {
      const key = bestFocus < position ? 'ArrowDown' : 'ArrowUp';
      const expected = position + (bestFocus < position ? -1 : 1);
      await jog.focus();
      await page.keyboard.press(key);
      await until(`z at ${expected}`, async () => Math.abs((await rig.positionValue('z')) - expected) < 0.01, 15_000);
      position = expected;
    }
    await choose(page, rig.stepSelect('Focus'), `${Math.abs(bestFocus - position) >= 0.05 ? 0.1 : 0.01} mm`);
    const near = await settled(page, 'focus', 6);
    console.log(
      `focus measure: ${far.toFixed(1)} at z = ${start} mm, ${near.toFixed(1)} at z = ${position} mm (best focus ${bestFocus} mm)`,
    );
    assert.ok(near > far * 1.5, `sharper near best focus (${far.toFixed(1)} → ${near.toFixed(1)})`);
    // And away again: one millimetre off blurs it.
    await choose(page, rig.stepSelect('Focus'), '1 mm');
    await jog.focus();
    await page.keyboard.press('ArrowUp');
    await until(
      'z one millimetre up',
      async () => Math.abs((await rig.positionValue('z')) - (position + 1)) < 0.01,
      15_000,
    );
    const off = await settled(page, 'focus', 6);
    assert.ok(off < near / 1.5, `blurred again off focus (${near.toFixed(1)} → ${off.toFixed(1)})`);
    await jog.focus();
    await page.keyboard.press('ArrowDown');
    await until('back at best focus', async () => Math.abs((await rig.positionValue('z')) - position) < 0.01, 15_000);
  });

  step('a ring-light segment changes the image', async () => {
    const before = await settled(page, 'mean');
    await rig.lightThumb('Ring light: Light from 0° (right)').focus();
    await page.keyboard.press('End');
    await until('ring segment 0 at 100 %', async () =>
      /100 %/.test(await page.getByTestId('light-ring-0').locator('..').innerText()),
    );
    // Frames already on their way when the light changed still show the old light (many of them on a loaded
    // machine): the image is watched until frames taken with the segment on arrive.
    let after = before;
    await until(
      `brighter with a ring segment on (mean grey level ${before.toFixed(1)} before)`,
      async () => {
        after = await settled(page, 'mean');
        return after > before + 2;
      },
      15_000,
    );
    console.log(
      `mean grey level: ${before.toFixed(1)} with the coaxial light, ${after.toFixed(1)} with ring segment 0° added`,
    );
  });

  step('warns in red when the image saturates', async () => {
    // Both lights at full power with the default exposure clip part of the specimen; raise the gain to be sure.
    await rig.gain().fill('12');
    await rig.gain().press('Enter');
    await until(
      'saturation warning',
      async () => (await rig.live().saturation().getAttribute('data-saturated')) === 'true',
      10_000,
    );
    assert.match(await rig.live().saturation().innerText(), /^Saturated: \d+(\.\d)? % of pixels at 255/);
    await screenshot(page, '52-rig-saturated');
    await rig.gain().fill('0');
    await rig.gain().press('Enter');
  });

  step('refuses an exposure outside the camera limits in place and applies one inside', async () => {
    const exposure = rig.exposure();
    await exposure.fill('99999999');
    await exposure.press('Enter');
    await visible(page.getByText(/Must be between/));
    await exposure.fill('4000');
    await exposure.press('Enter');
    await until('exposure applied', async () => (await exposure.inputValue()).replace(/\D/g, '') === '4000');
    await until(
      'no longer saturated',
      async () => (await rig.live().saturation().getAttribute('data-saturated')) === 'false',
      10_000,
    );
    await screenshot(page, '50-rig-live');
  });

  step('kills the ring-light simulator mid-stream and shows it disconnected', async () => {
    const processes = descendants(station.pid);
    const ring = processes.find((p) => /serialSimulator\.ts .*--device ring\b/.test(p.args));
    assert.ok(ring, `the ring simulator runs under the station:\n${processes.map((p) => p.args).join('\n')}`);
    ringPair = processes.find((p) => /^socat .*link=\S*\/ring\b/.test(p.args));
    ringSimulator = ring;
    const t0 = Date.now();
    process.kill(ring.pid, 'SIGKILL');
    await until(
      'ring disconnected',
      async () => /disconnected|error/.test((await rig.deviceStateValue('ring')) ?? ''),
      5_000,
      25,
    );
    const shownAfter = Date.now() - t0;
    console.log(`ring simulator killed: shown ${await rig.deviceStateValue('ring')} after ${shownAfter} ms`);
    // The delay is logged, not asserted: on a loaded machine it varies (GUIDE: no timing in tests).
    await visible(rig.deviceError('ring'));
    // Named at the top of the panel, where it is seen without scrolling to the device list.
    await visible(page.getByTestId('device-down-ring'));
    assert.match(await page.getByTestId('device-down-ring').innerText(), /^Ring light (is disconnected|has failed)/);
    assert.notEqual(await rig.state().getAttribute('data-state'), 'ready');
    // The camera keeps streaming: one device gone does not take the live view with it.
    const frames = await rig.live().framesDrawn();
    await until('more frames', async () => (await rig.live().framesDrawn()) > frames + 3, 10_000);
    await screenshot(page, '51-rig-device-lost');
  });

  step('plugs the ring light back in and it reconnects by itself', async () => {
    // The same pty pair and simulator the station had, started again by the test: a device plugged back in.
    assert.ok(ringPair && ringSimulator, 'the ring pty pair and simulator were seen');
    const socatArgs = ringPair.args.split(/\s+/).slice(1);
    const links = socatArgs.map((a) => a.match(/link=(\S+)/)?.[1]).filter((l): l is string => !!l);
    for (const link of links) rmSync(link, { force: true });
    plugged.push(spawn('socat', socatArgs, { stdio: 'ignore' }));
    await until('the pty links', async () => links.every((l) => existsSync(l)));
    const [nodeBinary, ...simulatorArgs] = ringSimulator.args.split(/\s+/);
    const companion = simulatorArgs.indexOf('--companion-pid');
    if (companion >= 0) simulatorArgs[companion + 1] = String(plugged[0]!.pid);
    const simulator = spawn(nodeBinary!, simulatorArgs, { stdio: ['pipe', 'pipe', 'inherit'] });
    plugged.push(simulator);
    await new Promise((resolve) => simulator.stdout!.once('data', resolve));
    const t0 = Date.now();
    await until('ring ready again', async () => (await rig.deviceStateValue('ring')) === 'ready', 15_000);
    console.log(`ring light plugged back in: ready again after ${Date.now() - t0} ms`);
    await until('rig ready', async () => (await rig.state().getAttribute('data-state')) === 'ready', 10_000);
    await page.getByTestId('device-down-ring').waitFor({ state: 'detached' });
  });

  step('stops live view, snaps one frame, and the page ran clean', async () => {
    await rig.stopLive().click();
    await visible(rig.startLive());
    await until('frames stop', async () => /stopped/.test(await rig.liveState().innerText()));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const frames = await rig.live().framesDrawn();
    await rig.snap().click();
    await until('the snapped frame drawn', async () => (await rig.live().framesDrawn()) === frames + 1, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(await rig.live().framesDrawn(), frames + 1, 'one snap, one frame');
  });

  step('says when the image is black, and stops live view when the page is left', async () => {
    await rig.startLive().click();
    await visible(rig.stopLive());
    for (const light of ['Coaxial light', 'Ring light: Light from 0° (right)']) {
      await rig.lightThumb(light).focus();
      await page.keyboard.press('Home');
      await until(`${light} off`, async () => (await rig.lightThumb(light).getAttribute('aria-valuenow')) === '0');
    }
    await visible(rig.live().darkHint());
    assert.match(await rig.live().darkHint().innerText(), /The image is black: switch on a light/);
    // Another section: the page stops watching, and the station stops the stream (the camera is not left busy).
    await page.keyboard.press('g');
    await page.keyboard.press('1');
    await visible(new CaseListPage(page).heading());
    // The station waits 3 s for the page to come back (a reload) before it stops the stream; come back after 6.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    await page.keyboard.press('g');
    await page.keyboard.press('2');
    await visible(rig.startLive());
    await until('live view shown stopped', async () => /stopped/.test(await rig.liveState().innerText()));
    assert.equal(await rig.live().framesDrawn(), 0, 'no frame arrives after coming back');
    assert.deepEqual(pageErrors, []);
  });
});
