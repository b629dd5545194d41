// Sessions and links as a user meets them: the printed link opens the station once, then every tab, Ctrl+click and
// bookmark of that browser works without it; tabs share the sign-in; a link from another browser, a wrong token and
// a restarted station each say what happened and what to do (no endless "trying again"); unknown addresses show a
// not-found page; a hostile page elsewhere on this machine cannot use the browser's access.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, describe } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from './support/browser.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { FirstRunPage, LockScreen, SignInPage } from './pages/AuthPages.ts';
import { Shell } from './pages/Shell.ts';
import { CaseDetailPage, CaseListPage } from './pages/CasePages.ts';
import { AuditViewerPage } from './pages/AdminPages.ts';
import { storySteps, text, until, visible } from './support/steps.ts';

const admin = { username: 'admin', displayName: 'Ada Admin', password: 'correct horse battery' };
const caseNumber = 'LAB-2026-0101';

describe('sessions, links and addresses', { timeout: 240_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casebench-e2e-sessions-'));
  let station: RunningStation;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let secondTab: Page;
  let hostile: Server;
  const step = storySteps((name) => screenshot(page, `failed-sessions-${name.slice(0, 40)}`));

  before(async () => {
    [station, browser] = await Promise.all([startStation({ dataDir }), launchBrowser()]);
    ({ context, page } = await openPage(browser));
  });

  after(async () => {
    hostile?.close();
    await context?.close();
    await browser?.close();
    await station?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  step(
    'the printed link gives this browser an HttpOnly, SameSite=Strict access cookie and leaves the address clean',
    async () => {
      await page.goto(station.url);
      await visible(new FirstRunPage(page).heading());
      assert.ok(!page.url().includes('token'), `no token in the address: ${page.url()}`);
      const cookies = await context.cookies(station.origin);
      assert.equal(cookies.length, 1, JSON.stringify(cookies));
      assert.equal(cookies[0]!.httpOnly, true);
      assert.equal(cookies[0]!.sameSite, 'Strict');
      assert.equal(await page.evaluate(() => document.cookie), '', 'the page itself cannot read the access cookie');
      await new FirstRunPage(page).setUp(admin);
      await visible(new CaseListPage(page).heading());
      assert.match(await text(new Shell(page).statusBar()), /Database: OK/);
      await new CaseListPage(page).createCase({ labCaseNumber: caseNumber });
      await visible(new CaseDetailPage(page).heading(caseNumber));
    },
  );

  step('Ctrl+click on a case link opens it in a second tab, signed in, with no password asked', async () => {
    await new Shell(page).open('Cases');
    const link = new CaseListPage(page).table().getByRole('link', { name: caseNumber });
    const opened = context.waitForEvent('page');
    await link.click({ modifiers: ['Control'] });
    secondTab = await opened;
    secondTab.setDefaultTimeout(10_000);
    await visible(new CaseDetailPage(secondTab).heading(caseNumber));
    assert.match(await text(new Shell(secondTab).statusBar()), /admin \(Administrator\)/);
  });

  step('a bookmarked address opens in a new tab of this browser', async () => {
    const bookmark = await context.newPage();
    await bookmark.goto(`${station.origin}/#/cases`);
    await visible(new CaseListPage(bookmark).row(caseNumber));
    await bookmark.close();
  });

  step('a filtered audit trail is an address too: it opens filtered in another tab', async () => {
    const first = await context.newPage();
    await first.goto(`${station.origin}/#/audit`);
    await visible(new AuditViewerPage(first).heading());
    await first.getByRole('textbox', { name: 'Lab case number' }).fill(caseNumber);
    await until('the filter in the address', async () => first.url().endsWith(`#/audit?case=${caseNumber}`));
    const address = first.url();
    await first.close();
    const other = await context.newPage();
    await other.goto(address);
    const audit = new AuditViewerPage(other);
    await visible(audit.table().locator('tbody tr').filter({ hasText: 'Case created' }));
    assert.equal(await other.getByRole('textbox', { name: 'Lab case number' }).inputValue(), caseNumber);
    await other.close();
  });

  step('locking one tab locks the other; unlocking either unlocks both', async () => {
    await new Shell(page).lock();
    await visible(new LockScreen(secondTab).heading());
    await new LockScreen(secondTab).unlock(admin.password);
    await visible(new CaseDetailPage(secondTab).heading(caseNumber));
    await visible(new CaseListPage(page).heading());
  });

  step('every address with an id shows the not-found page for an unknown id and for a malformed one', async () => {
    // Every route of the station that names a record, each with a record the station does not have and an id that
    // is not one (letters, zero, a fraction): none may load forever, show an empty form or a raw error.
    const unknownPage = /no page of the station/;
    const cases: Array<[string, RegExp]> = [
      ['/#/nowhere/at/all', unknownPage],
      ['/#/cases/abc', unknownPage],
      ['/#/cases/0', unknownPage],
      ['/#/cases/1.5', unknownPage],
      ['/#/cases/999999', /no case at this address/],
      ['/#/cases/1/acquisitions/77', /no acquisition at this address/],
      ['/#/cases/1/acquisitions/abc', unknownPage],
      ['/#/cases/abc/acquisitions/1', unknownPage],
      ['/#/examinations/999', /comparison does not exist/],
      ['/#/examinations/abc', unknownPage],
      ['/#/tests/999', /no test set at this address/],
      ['/#/tests/-1', unknownPage],
      ['/#/search/item/999', /no item at this address/],
      ['/#/search/item/abc', unknownPage],
      ['/#/search/acquisition/999', /no acquisition at this address/],
      ['/#/search/acquisition/abc', unknownPage],
      ['/#/compare/5/5', /the same acquisition twice/],
      ['/#/compare/998/999', /acquisitions this address names does not exist/],
      ['/#/compare/a/b', unknownPage],
      ['/#/calibration/77', /no calibration at this address/],
      ['/#/calibration/abc', unknownPage],
    ];
    for (const [address, reason] of cases) {
      // From a page that is not the not-found page, so the one checked below is this address's own.
      await secondTab.goto(`${station.origin}/#/cases`);
      await visible(new CaseListPage(secondTab).heading());
      await secondTab.goto(`${station.origin}${address}`);
      const heading = secondTab.getByRole('heading', { name: 'Page not found', level: 1 });
      await visible(heading).catch((error: unknown) => {
        throw new Error(`${address}: no not-found page`, { cause: error });
      });
      assert.match(await text(secondTab.getByRole('alert')), reason, address);
    }
    await screenshot(secondTab, '12-not-found');
    await secondTab.getByRole('link', { name: 'the case list' }).click();
    await visible(new CaseListPage(secondTab).row(caseNumber));
  });

  step('a hostile page elsewhere on this machine cannot reach the station with this browser’s cookie', async () => {
    hostile = createServer((_req, res) => res.end('<!doctype html><title>elsewhere</title>'));
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    const evilPage = await context.newPage();
    await evilPage.goto(`http://127.0.0.1:${(hostile.address() as AddressInfo).port}/`);
    const stationPort = new URL(station.origin).port;
    const outcome = await evilPage.evaluate(async (port) => {
      const socket = await new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc`);
        ws.onopen = () => resolve('opened');
        ws.onerror = () => resolve('refused');
      });
      const access = await fetch(`http://127.0.0.1:${port}/access`).then(
        (r) => r.text(),
        () => 'unreadable',
      );
      return { socket, access };
    }, stationPort);
    assert.deepEqual(outcome, { socket: 'refused', access: 'unreadable' });
    await evilPage.close();
  });

  step('another browser given a shared link is told to open the printed link, not retried forever', async () => {
    const { context: other, page: colleague } = await openPage(browser);
    try {
      await colleague.goto(`${station.origin}/#/cases/1`);
      const alert = colleague.getByRole('alert').filter({ hasText: 'This browser has no access to the station' });
      await visible(alert);
      assert.match(await text(alert), /Open the link the station printed/);
      assert.equal(await colleague.getByText('Connection to the station lost').count(), 0);
      await screenshot(colleague, '13-no-access');
      await colleague.goto(`${station.origin}/?token=not-this-runs-token#/cases`);
      await visible(colleague.getByRole('alert').filter({ hasText: 'This link is not the station’s current one' }));
      assert.ok(!colleague.url().includes('token'), 'a refused token is taken out of the address too');
    } finally {
      await other.close();
    }
  });

  step('signing out in one tab signs the other out, saying the session ended', async () => {
    await new Shell(secondTab).signOut();
    await visible(new SignInPage(page).heading());
    await visible(page.getByText('Your session ended. Sign in again to continue.'));
  });

  step(
    'after the station restarts, an open tab says so and what to do, then works again with the new link',
    async () => {
      const port = Number(new URL(station.origin).port);
      await station.stop();
      station = await startStation({ dataDir, port });
      const alert = page.getByRole('alert').filter({ hasText: 'The station was restarted' });
      await visible(alert, 20_000);
      assert.match(await text(alert), /Open the link the station printed when it started/);
      await screenshot(page, '14-station-restarted');

      // The new link, opened in this browser, renews its access; the old tab then connects with "Try again".
      const fresh = await context.newPage();
      await fresh.goto(station.url);
      await visible(new SignInPage(fresh).heading());
      await alert.getByRole('button', { name: 'Try again' }).click();
      await visible(new SignInPage(page).heading());
      // Signing in on one tab signs in the tab that was waiting on the sign-in page.
      await new SignInPage(fresh).signIn(admin.username, admin.password);
      await visible(new CaseListPage(page).row(caseNumber));
      await fresh.close();
    },
  );
});
