// WCAG 2.2 AA, measured with axe-core on every signed-in screen in both themes. The screens are found, not listed:
// every entry of the side navigation, then every in-app link those pages show, one page per kind of address
// (/cases/7 and /cases/9 are one kind), two links deep, so a screen another team adds is checked as soon as it is
// reachable. The target: no serious or critical violation anywhere.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from './support/browser.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { SignInPage } from './pages/AuthPages.ts';
import { axeViolations, describeProblems } from './support/axe.ts';
import { storySteps, until, visible } from './support/steps.ts';
import { createHost } from '../../electron/host/createHost.ts';
import { hashPassword } from '../../electron/host/services/passwords.ts';
import { seedScans } from '../fixtures/searchData.ts';

const admin = { username: 'admin', displayName: 'Ada Admin', password: 'correct horse battery' };

async function seed(dataDir: string) {
  const host = createHost({ dataDir, log: () => {} });
  try {
    const user = host.auth.createUser(
      { userId: null, username: 'seed' },
      { ...admin, role: 'admin', passwordHash: await hashPassword(admin.password) },
    );
    seedScans(host, user.id, [
      { scan: '1-1', caseNumber: 'LAB-2026-0100', exhibit: 'Q1' },
      { scan: '1-2', caseNumber: 'LAB-2025-0007', exhibit: 'K1' },
    ]);
    host.acquisitions.calibrations.insert({
      kind: 'suite',
      rigProfile: 'demo',
      deviceSerials: {},
      operatorId: user.id,
      performedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      results: { passed: true, messages: [] },
      reportSha256: null,
    });
  } finally {
    await host.close();
  }
}

/** '#/cases/12/acquisitions/3?x=1' → '/cases/:id/acquisitions/:id': one check per kind of address. */
function addressKind(hash: string): string {
  return hash
    .replace(/^#/, '')
    .split('?')[0]!
    .split('/')
    .map((segment) => (/^\d+$/.test(segment) ? ':id' : segment))
    .join('/');
}

/** Waits until the screen has stopped loading (no "Loading…", no spinner) so axe sees what a person sees. */
async function settled(page: Page) {
  await until(
    'the screen to finish loading',
    async () =>
      (await page.getByText('Loading…').count()) === 0 &&
      (await page.locator('main .mantine-Loader-root, main [data-loading="true"]').count()) === 0,
    15_000,
  );
}

describe('accessibility of every signed-in screen (axe-core, WCAG 2.2 AA)', { timeout: 600_000 }, () => {
  let station: RunningStation;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const step = storySteps((name) => screenshot(page, `failed-a11y-${name.slice(0, 40)}`));
  const checked: string[] = [];
  const problems: string[] = [];

  before(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'casebench-e2e-a11y-'));
    await seed(dataDir);
    [station, browser] = await Promise.all([startStation({ dataDir }), launchBrowser()]);
    ({ context, page } = await openPage(browser, { timeoutMs: 15_000 }));
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await station?.stop();
  });

  step('the sign-in page', async () => {
    await page.goto(station.url);
    await visible(new SignInPage(page).heading());
    assert.deepEqual(describeProblems('sign-in', await axeViolations(page)), []);
    await new SignInPage(page).signIn(admin.username, admin.password);
    await visible(page.getByRole('navigation', { name: 'Main navigation' }));
  });

  for (const theme of ['dark', 'light'] as const) {
    step(`every screen reachable from the navigation, ${theme} theme`, async () => {
      problems.length = 0;
      if ((await page.locator('html').getAttribute('data-mantine-color-scheme')) !== theme)
        await page.getByRole('button', { name: `Switch to the ${theme} theme` }).click();
      const nav = page.getByRole('navigation', { name: 'Main navigation' });
      const queue: Array<{ hash: string; depth: number }> = (
        await nav.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))
      ).map((hash) => ({ hash, depth: 0 }));
      assert.ok(queue.length >= 5, `navigation entries: ${queue.map((q) => q.hash).join(', ')}`);
      const seen = new Set(queue.map((q) => addressKind(q.hash)));
      while (queue.length > 0) {
        const { hash, depth } = queue.shift()!;
        await page.goto(`${station.origin}/${hash}`);
        await visible(page.locator('main'));
        await settled(page);
        problems.push(...describeProblems(`${theme} ${hash}`, await axeViolations(page)));
        checked.push(`${theme} ${hash}`);
        if (depth >= 2) continue;
        const links = await page
          .locator('main a[href^="#/"]')
          .evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
        for (const link of links) {
          const kind = addressKind(link);
          if (seen.has(kind)) continue;
          seen.add(kind);
          queue.push({ hash: link, depth: depth + 1 });
        }
      }
      // Screens behind a click or a long computation: each tab of the acquisition viewer, a pair compared, a search's
      // results (from its address), and the dialogs people open most.
      const deeper: Array<{ hash: string; then?: (page: Page) => Promise<void> }> = [
        { hash: '#/cases/1/acquisitions/1', then: eachTab },
        // The comparison workspace once its analysis is in (scores, cells and every panel shown).
        { hash: '#/compare/1/2', then: async (p) => visible(p.getByTestId('compare-combined'), 90_000) },
        // Its likelihood-ratio tab: the LR explained, with the model's Tippett and cross-entropy plots.
        {
          hash: '#/compare/1/2',
          then: async (p) => {
            await visible(p.getByTestId('compare-combined'), 90_000);
            await p.getByRole('tab', { name: 'Likelihood ratio' }).click();
            await visible(p.getByTestId('lr-ece'), 30_000);
          },
        },
        {
          hash: '#/search/acquisition/1?dates=acquired&k=20&ran=1',
          then: async (p) => visible(p.getByTestId('search-banner'), 60_000),
        },
        { hash: '#/cases', then: (p) => dialog(p, () => p.locator('body').press('n')) },
        { hash: '#/cases/1', then: (p) => dialog(p, () => p.locator('body').press('i')) },
        { hash: '#/cases/1', then: (p) => dialog(p, () => p.locator('body').press('Shift+?')) },
      ];
      for (const { hash, then } of deeper) {
        await page.goto(`${station.origin}/${hash}`);
        await visible(page.locator('main'));
        await settled(page);
        if (then) await then(page);
        problems.push(...describeProblems(`${theme} ${hash}`, await axeViolations(page)));
        checked.push(`${theme} ${hash}`);
        await page.keyboard.press('Escape');
        // A dialog closes through a 200 ms transition; the next screen is checked without it.
        await page.getByRole('dialog').first().waitFor({ state: 'hidden' });
      }
      assert.deepEqual(problems, []);
    });
  }

  /**
   * Opens a dialog and waits for it, so axe checks it with the page behind. It waits for the dialog's name too: the
   * dialog is labelled by its title one render after it appears (the title registers itself in an effect).
   */
  async function dialog(p: Page, open: () => Promise<void>) {
    await open();
    await visible(p.getByRole('dialog', { name: /\S/ }));
  }

  /** Checks every tab of a tabbed screen, leaving the last one open for the caller's check. */
  async function eachTab(p: Page) {
    const tabs = p.getByRole('tab', { disabled: false });
    const count = await tabs.count();
    for (let i = 0; i < count - 1; i++) {
      await tabs.nth(i).click();
      await settled(p);
      problems.push(...describeProblems(`tab ${await tabs.nth(i).innerText()}`, await axeViolations(p)));
    }
    await tabs.nth(count - 1).click();
    await settled(p);
  }

  step('the check itself finds a low-contrast text and an unnamed button', async () => {
    await page.goto(`${station.origin}/#/cases`);
    await settled(page);
    await page.evaluate(() => {
      const probe = document.createElement('div');
      probe.id = 'a11y-probe';
      probe.innerHTML = '<p style="color:#777;background:#888">faint</p><button></button>';
      document.querySelector('main')!.append(probe);
    });
    const rules = (await axeViolations(page)).map((p) => p.rule).sort();
    await page.evaluate(() => document.getElementById('a11y-probe')!.remove());
    assert.deepEqual(rules, ['button-name', 'color-contrast']);
  });

  step('covered the screens a lab uses', () => {
    const kinds = new Set(checked.map((c) => addressKind(c.split(' ')[1]!)));
    for (const kind of [
      '/cases',
      '/cases/:id',
      '/cases/:id/acquisitions/:id',
      '/rig',
      '/search',
      '/calibration',
      '/audit',
      '/admin',
    ])
      assert.ok(kinds.has(kind), `checked ${kind}: ${[...kinds].join(', ')}`);
  });
});
