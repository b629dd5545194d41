// Languages as a user meets them: the sign-in page in the browser's language, a switch in the header that the
// station keeps for the user (another browser signs them in in that language), Arabic laid out right to left with
// the navigation mirrored and lab references kept left to right, and screenshots in Arabic at both window sizes.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from './support/browser.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { createHost } from '../../electron/host/createHost.ts';
import { seedStation, seededCase } from './support/seed.ts';
import { field } from './pages/field.ts';
import { storySteps, text, visible } from './support/steps.ts';

const admin = { username: 'admin', displayName: 'Ada Admin', password: 'correct horse battery' };

async function signIn(page: Page, names: { form: string; user: string; password: string; submit: string }) {
  const form = page.getByRole('form', { name: names.form });
  await field(form, names.user).fill(admin.username);
  await field(form, names.password).fill(admin.password);
  await form.getByRole('button', { name: names.submit }).click();
}

describe('languages and right-to-left layout', { timeout: 180_000 }, () => {
  let station: RunningStation;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  const step = storySteps((name) => screenshot(page, `failed-languages-${name.slice(0, 40)}`));

  before(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'casebench-e2e-languages-'));
    await seedStation(dataDir, { cases: 12, admin });
    // A spatial-scale calibration of the demo rig, as the station records it: the profile's name as written (English).
    const host = createHost({ dataDir, log: () => {} });
    try {
      host.acquisitions.calibrations.insert({
        kind: 'scale',
        rigProfile: 'Demo rig (simulated devices)',
        deviceSerials: {},
        operatorId: 1,
        performedAt: new Date().toISOString(),
        expiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
        results: { passed: true, problems: [], messages: [] },
        reportSha256: null,
      });
    } finally {
      await host.close();
    }
    [station, browser] = await Promise.all([startStation({ dataDir }), launchBrowser()]);
    ({ context, page, pageErrors } = await openPage(browser));
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await station?.stop();
  });

  step(
    'signs in in English, switches to Arabic: the page turns right to left, the navigation moves right',
    async () => {
      await page.goto(station.url);
      await signIn(page, { form: 'Sign in', user: 'User name', password: 'Password', submit: 'Sign in' });
      await visible(page.getByRole('heading', { name: 'Cases', exact: true }));
      await page.getByRole('combobox', { name: 'Language' }).selectOption('ar');
      await visible(page.getByRole('heading', { name: 'القضايا', exact: true }));
      assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
      assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
      const nav = await page.getByRole('navigation').boundingBox();
      const main = await page.locator('main').boundingBox();
      assert.ok(nav && main && nav.x > main.x, `the navigation is on the right: nav ${nav?.x}, main ${main?.x}`);
      await screenshot(page, '70-ar-case-list');
    },
  );

  step('keeps lab references left to right inside Arabic text', async () => {
    const number = seededCase(3).labCaseNumber;
    const link = page.getByRole('link', { name: number });
    await visible(link);
    assert.equal(await link.evaluate((el) => getComputedStyle(el).direction), 'ltr');
    await link.click();
    await visible(page.getByRole('heading', { name: number }));
    await screenshot(page, '71-ar-case-detail');
  });

  step('the station keeps the choice: another browser signs the user in in Arabic', async () => {
    const { context: other, page: elsewhere } = await openPage(browser);
    try {
      await elsewhere.goto(station.url);
      await signIn(elsewhere, { form: 'Sign in', user: 'User name', password: 'Password', submit: 'Sign in' });
      await visible(elsewhere.getByRole('heading', { name: 'القضايا', exact: true }));
      assert.equal(await elsewhere.locator('html').getAttribute('dir'), 'rtl');
    } finally {
      await other.close();
    }
  });

  step('Arabic at 1024 × 700', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.goto(`${station.origin}/#/cases`);
    await visible(page.getByRole('heading', { name: 'القضايا', exact: true }));
    await screenshot(page, '72-ar-case-list-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  step('the dashboard and the calibration list word a calibration in Arabic: its kind and the demo rig', async () => {
    await page.goto(`${station.origin}/#/dashboard`);
    const calibrations = page.getByTestId('dash-calibrations');
    await visible(calibrations.getByText('المقياس المكاني', { exact: false }));
    const shown = await text(calibrations);
    assert.match(shown, /منصة العرض التوضيحي \(أجهزة محاكاة\) · المقياس المكاني/);
    assert.doesNotMatch(shown, /Demo rig|scale/);
    await page.goto(`${station.origin}/#/calibration`);
    const row = page.getByRole('row', { name: /CAL-\d{4}-0001/ });
    await visible(row);
    assert.match(await text(row), /منصة العرض التوضيحي/);
    assert.doesNotMatch(await text(row), /Demo rig/);
    await page.goto(`${station.origin}/#/cases`);
    await visible(page.getByRole('heading', { name: 'القضايا', exact: true }));
  });

  step('French and Spanish too; back to English', async () => {
    const language = page.getByRole('combobox', { name: 'اللغة' });
    await language.selectOption('fr');
    await visible(page.getByRole('heading', { name: 'Affaires', exact: true }));
    assert.equal(await page.locator('html').getAttribute('dir'), 'ltr');
    await page.getByRole('combobox', { name: 'Langue' }).selectOption('es');
    await visible(page.getByRole('heading', { name: 'Casos', exact: true }));
    assert.match(await text(page.getByTestId('status-bar')), /Base de datos/);
    await page.getByRole('combobox', { name: 'Idioma' }).selectOption('en');
    await visible(page.getByRole('heading', { name: 'Cases', exact: true }));
  });

  step('ran without page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
