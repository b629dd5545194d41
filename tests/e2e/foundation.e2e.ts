// The station foundation end to end: a real `casebench serve` on a fresh data folder, Debian's Chromium,
// and a user's path through first run, cases, items, amendments, the audit trail, users and roles.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openPage, launchBrowser, screenshot } from './support/browser.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { FirstRunPage, LockScreen, SignInPage } from './pages/AuthPages.ts';
import { Shell } from './pages/Shell.ts';
import { CaseDetailPage, CaseListPage } from './pages/CasePages.ts';
import { AdminPage, AuditViewerPage } from './pages/AdminPages.ts';
import { field } from './pages/field.ts';
import { storySteps, visible, text, until } from './support/steps.ts';

const admin = { username: 'admin', displayName: 'Ada Admin', password: 'correct horse battery' };
const technician = { username: 'tech.tom', displayName: 'Tom Technician', password: 'technician-pass-1' };
/** The password Tom chooses at his first sign-in (the administrator chose the first one). */
const technicianOwn = 'toms-own-password-1';
const caseNumber = 'LAB-2026-0042';

const step = storySteps();

describe('station foundation in Chromium against casebench serve', { timeout: 180_000 }, () => {
  let station: RunningStation;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  before(async () => {
    [station, browser] = await Promise.all([startStation(), launchBrowser()]);
    ({ context, page, pageErrors } = await openPage(browser));
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await station?.stop();
  });

  step('opens the printed URL, hides the token and asks for the first administrator', async () => {
    await page.goto(station.url);
    const firstRun = new FirstRunPage(page);
    await visible(firstRun.heading());
    assert.equal(new URL(page.url()).searchParams.get('token'), null, 'the token is removed from the address bar');
    await screenshot(page, '01-first-run');
  });

  step('refuses a first-run form with field errors, then creates the administrator', async () => {
    const firstRun = new FirstRunPage(page);
    await firstRun.setUp({ username: 'A', displayName: '', password: 'short', confirm: 'other' });
    const form = page.getByRole('form', { name: 'Set up this station' });
    await visible(form.getByText('At least 3 characters.'));
    await visible(form.getByText('At least 10 characters.'));
    await visible(form.getByText('The two passwords differ.'));
    await firstRun.setUp(admin);
    await visible(new CaseListPage(page).heading());
    const status = await text(new Shell(page).statusBar());
    assert.match(status, /admin \(Administrator\)/);
    assert.match(status, /Database: OK/);
  });

  step('creates a case from the keyboard and refuses a duplicate case number', async () => {
    const list = new CaseListPage(page);
    await list.createCase({
      labCaseNumber: caseNumber,
      agency: 'Metro Police',
      agencyCaseNumber: 'MP-77-1',
      offence: 'Robbery',
      receivedDate: '2026-11-02',
    });
    const detail = new CaseDetailPage(page);
    await visible(detail.heading(caseNumber));

    await new Shell(page).open('Cases');
    await visible(list.row(caseNumber));
    await list.createCase({ labCaseNumber: caseNumber });
    await visible(list.newCaseForm().getByText(`lab case number ${caseNumber} already exists`));
    await page.keyboard.press('Escape');
    await list.newCaseForm().waitFor({ state: 'detached' });
    await screenshot(page, '02-case-list');
  });

  step('searches the list with "/" and opens the case', async () => {
    const list = new CaseListPage(page);
    await page.locator('body').press('/');
    await page.keyboard.type('LAB-2026');
    await visible(list.row(caseNumber));
    await list.table().getByRole('link', { name: caseNumber }).click();
    await visible(new CaseDetailPage(page).heading(caseNumber));
  });

  step('lists the shortcuts with "?", closes with Esc, and moves between sections with G then a number', async () => {
    await page.locator('body').press('Shift+?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await visible(dialog);
    assert.match(await text(dialog), /New case/);
    // The sections of the side bar, numbered in its order (an administrator sees them all).
    const navigation = page.getByRole('navigation', { name: 'Main navigation' });
    const sections = await navigation.getByRole('link').allInnerTexts();
    assert.ok(sections.length >= 5);
    const rows = await dialog.getByRole('row').allInnerTexts();
    // G 1…9 number the first nine (the sections past them, G 0 and G -, are checked in keyboard.e2e.ts).
    sections.slice(0, 9).forEach((section, k) => {
      const label = section.replace(/G\s*\d\s*$/, '').trim();
      assert.ok(
        rows.some((row) => row.replace(/\s+/g, ' ').includes(`G ${k + 1} ${label}`)),
        `G ${k + 1} ${label} in ${rows.join(' | ')}`,
      );
    });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // The ninth section: where its side-bar link goes is where G 9 must go.
    const last = Math.min(9, sections.length) - 1;
    const target = (await navigation.getByRole('link').nth(last).getAttribute('href'))!;
    const at = () => page.evaluate(() => location.hash);
    // Alt+digit belongs to the browser (Chromium switches tabs with it on Linux): the station leaves it alone.
    await page.keyboard.press(`Alt+${last + 1}`);
    await visible(new CaseDetailPage(page).heading(caseNumber));
    await page.keyboard.press('g');
    await page.keyboard.press(String(last + 1));
    await until(`G ${last + 1} opens ${sections[last]}`, async () => (await at()) === target);
    await page.goBack();
    await visible(new CaseDetailPage(page).heading(caseNumber));
    await page.keyboard.press('g');
    await page.keyboard.press('1');
    await visible(new CaseListPage(page).heading());
    // Typed into a field, G and a digit are text, not a shortcut.
    await page.keyboard.press('/');
    await page.keyboard.type(`g${last + 1}`);
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value), `g${last + 1}`);
    assert.notEqual(await at(), target);
    await page.keyboard.press('Escape');
    await page.goBack();
    await visible(new CaseDetailPage(page).heading(caseNumber));
  });

  step('adds a firearm, a questioned cartridge case and a test fire linked to the firearm', async () => {
    const detail = new CaseDetailPage(page);
    await detail.addItem({
      kind: 'Firearm',
      exhibitNumber: 'F1',
      calibre: '9mm Luger',
      text: { Make: 'Ruger', Model: 'P95', 'Serial number': '312-45678' },
      choices: { 'Firearm type': 'Pistol' },
    });
    await detail.addItem({
      kind: 'Cartridge case',
      exhibitNumber: 'Q1',
      calibre: '9mm Luger',
      text: { 'Cartridge brand': 'PMC', Headstamp: 'PMC 9mm LUGER', 'Recovered at': 'Elm St. 12' },
      choices: { 'Firing-pin shape': 'Hemispherical', 'Breech-face class': 'Granular', 'Primer material': 'Brass' },
    });
    await detail.addItem({
      kind: 'Cartridge case',
      exhibitNumber: 'T1',
      calibre: '9mm Luger',
      choices: { Origin: 'Test fire', 'Fired from (firearm exhibit)': 'F1 · Ruger P95' },
    });
    const items = await text(detail.itemsTable());
    assert.match(items, /F1.*Firearm.*Ruger · P95 · serial 312-45678/);
    assert.match(items, /Q1.*Cartridge case.*Questioned.*PMC · “PMC 9mm LUGER” · Hemispherical · Granular/);
    assert.match(items, /T1.*Test fire from F1/);
    const t1 = await text(detail.itemsTable().getByRole('row').filter({ hasText: 'T1' }));
    assert.ok(!t1.includes('PMC'), `a new item starts empty, not with the previous item's values: ${t1}`);
    const q1 = await text(await detail.itemDetails('Q1'));
    for (const shown of [
      'Exhibit number Q1',
      'Primer material Brass',
      'Recovered at Elm St. 12',
      'Headstamp PMC 9mm LUGER',
    ])
      assert.ok(q1.includes(shown), `Q1 details show "${shown}": ${q1}`);
    await screenshot(page, '03-case-detail');
  });

  step('amends an item with a reason and clears a field', async () => {
    const detail = new CaseDetailPage(page);
    await detail.amendItem(
      'Q1',
      { Headstamp: 'PMC 9mm LUGER +P', 'Recovered at': '' },
      'Headstamp re-read under the stereo microscope',
    );
    const q1 = await text(detail.page.getByTestId('item-details-Q1'));
    assert.ok(q1.includes('Headstamp PMC 9mm LUGER +P'), q1);
    assert.ok(!q1.includes('Recovered at'), `the cleared field is gone: ${q1}`);
  });

  step('amends the case only with a reason, and the history shows before and after', async () => {
    const detail = new CaseDetailPage(page);
    await page.getByRole('button', { name: 'Amend case' }).click();
    const form = detail.amendForm(caseNumber);
    await field(form, 'Offence').fill('Armed robbery');
    await form.getByRole('button', { name: 'Save amendment' }).click();
    await visible(form.getByText('Required.'));
    await form.getByLabel('Reason for the amendment').fill('Offence corrected from the agency request form');
    await form.getByRole('button', { name: 'Save amendment' }).click();
    await form.waitFor({ state: 'detached' });
    await visible(page.getByText('Armed robbery'));

    await detail.showHistory();
    const history = detail.historyTable();
    const rows = await text(history);
    // Every action in words, every record by the lab's own reference (never an internal id).
    for (const action of ['Case created', 'Item added', 'Case amended', 'Item amended'])
      assert.ok(rows.includes(action), `history lists ${action}: ${rows}`);
    assert.ok(rows.includes(`Item ${caseNumber} / Q1`), `items named by case and exhibit: ${rows}`);
    assert.ok(!/\b(case|item)\.(create|update)\b/.test(rows), `no internal action codes: ${rows}`);
    await history.getByRole('row').filter({ hasText: 'Case amended' }).first().click();
    await visible(history.getByText('Reason: Offence corrected from the agency request form'));
    const expanded = await text(history);
    assert.match(expanded, /Offence\s*Robbery\s*Armed robbery/);
    await screenshot(page, '04-case-history');
  });

  step('shows the whole trail in the audit viewer, filtered by action', async () => {
    const shell = new Shell(page);
    await shell.open('Audit trail');
    const audit = new AuditViewerPage(page);
    await visible(audit.heading());
    await audit.filterByAction('Item added');
    await page.waitForFunction(() => {
      const table = document.querySelector('table[aria-label="Audit entries"] tbody');
      return !!table && table.textContent!.includes('Item added') && !table.textContent!.includes('Case amended');
    });
    assert.equal(await audit.table().locator('tbody tr').filter({ hasText: 'Item added' }).count(), 3);
    // An entry's values in words: each field labelled, codes worded, the firearm named by its exhibit (not its id);
    // the entry as recorded (JSON) only behind its own disclosure.
    const testFire = audit
      .table()
      .locator('tbody tr')
      .filter({ hasText: `Item ${caseNumber} / T1` });
    await testFire.getByRole('button', { name: /^Show the values recorded in entry \d+$/ }).click();
    const values = page.getByRole('table', { name: /^Values recorded in entry \d+$/ });
    await visible(values);
    const words = (await text(values)).replace(/\s+/g, ' ');
    for (const shown of ['Kind Cartridge case', 'Exhibit number T1', 'Origin Test fire', `exhibit) ${caseNumber} / F1`])
      assert.ok(words.includes(shown), `"${shown}" in ${words}`);
    assert.doesNotMatch(words, /cartridge_case|test_fire|firearmItemId|[{}"]/, 'no codes, keys or JSON');
    const recorded = page.getByRole('button', { name: 'The entry as recorded' });
    const json = page.getByText(/"firearmItemId": \d+/);
    assert.equal(await json.isVisible(), false, 'the JSON stays closed until asked for');
    await recorded.click();
    await visible(json);
    await screenshot(page, '05-audit-entry-values');
    // The case filter takes the lab case number, as people name cases.
    await field(page.getByRole('search', { name: 'Audit filters' }), 'Lab case number').fill(caseNumber);
    await visible(audit.table().getByRole('link', { name: caseNumber }).first());
    await screenshot(page, '05-audit-viewer');
  });

  step('creates a technician account and verifies the audit chain', async () => {
    await new Shell(page).open('Administration');
    const adminPage = new AdminPage(page);
    await visible(adminPage.heading());
    // The form asks for the password twice and refuses two that differ.
    await page.getByRole('button', { name: 'New user' }).click();
    const newUser = page.getByRole('form', { name: 'New user' });
    await field(newUser, 'Password').fill(technician.password);
    await field(newUser, 'Repeat the password').fill('something else 1');
    await newUser.getByRole('button', { name: 'Create user' }).click();
    await visible(newUser.getByText('The two passwords differ.'));
    assert.equal(await newUser.getByRole('checkbox', { name: /choose their own password/ }).isChecked(), true);
    await page.keyboard.press('Escape');
    await newUser.waitFor({ state: 'detached' });
    await adminPage.createUser({ ...technician, role: 'Technician' });
    await visible(adminPage.usersTable().getByText(technician.username));
    const result = await adminPage.verifyAudit();
    assert.match(await text(result), /The audit trail is intact: \d+ entries checked/);
    await screenshot(page, '06-admin');
  });

  step('locks and unlocks with the password', async () => {
    const shell = new Shell(page);
    await shell.lock();
    const lock = new LockScreen(page);
    await visible(lock.heading());
    await lock.unlock('wrong password here');
    await visible(page.getByRole('alert').filter({ hasText: 'wrong user name or password' }));
    await screenshot(page, '07-lock');
    await lock.unlock(admin.password);
    await visible(shell.nav());
  });

  step('signs the technician in: manager screens are hidden, refused by the host when forced', async () => {
    const shell = new Shell(page);
    await shell.signOut();
    const signIn = new SignInPage(page);
    await visible(signIn.heading());
    await signIn.signIn(technician.username, 'not the password');
    await visible(signIn.alert().filter({ hasText: 'wrong user name or password' }));
    await screenshot(page, '08-sign-in');
    await signIn.signIn(technician.username, technician.password);
    // The administrator chose this password: Tom must choose his own before anything else.
    const own = page.getByRole('form', { name: 'Change password' });
    await visible(page.getByRole('heading', { name: 'Choose your own password' }));
    assert.equal(await shell.nav().count(), 0);
    await own.getByLabel('Password you were given').fill(technician.password);
    await own.getByLabel('New password').fill(technician.password);
    await own.getByLabel('Repeat the password').fill(technician.password);
    await own.getByRole('button', { name: 'Change password' }).click();
    await visible(own.getByText('Choose a password other than the one you have now.'));
    await screenshot(page, '15-first-sign-in-password');
    await own.getByLabel('New password').fill(technicianOwn);
    await own.getByLabel('Repeat the password').fill(technicianOwn);
    await own.getByRole('button', { name: 'Change password' }).click();
    await visible(shell.navLink('Cases'));
    assert.equal(await shell.navLink('Audit trail').count(), 0);
    assert.equal(await shell.navLink('Administration').count(), 0);
    assert.equal(await shell.navLink('Packages').count(), 0);
    assert.equal(await shell.navLink('Dashboard').count(), 0);
    assert.match(await text(shell.statusBar()), /tech\.tom \(Technician\)/);

    // The technician may amend a case but not close it: the form offers only open and active.
    await new CaseListPage(page).table().getByRole('link', { name: caseNumber }).click();
    await page.getByRole('button', { name: 'Amend case' }).click();
    await page
      .getByRole('form', { name: `Amend case ${caseNumber}` })
      .getByRole('combobox', { name: 'Status' })
      .click();
    await visible(page.getByRole('option', { name: 'Active' }));
    assert.equal(await page.getByRole('option', { name: 'Closed' }).count(), 0);
    await page.keyboard.press('Escape'); // closes the list
    await page.keyboard.press('Escape'); // closes the dialog

    await page.goto(`${station.origin}/#/admin`);
    await visible(page.getByText('Your role does not give access to this page.'));

    // Force the calls through the client anyway: the host must refuse them.
    const answers = await page.evaluate(async () => {
      const session = JSON.parse(sessionStorage.getItem('casebench.session') ?? 'null') as { token: string } | null;
      const socket = new WebSocket(`ws://${location.host}/rpc`); // the page's access cookie admits it
      const replies = new Map<number, unknown>();
      await new Promise((resolve, reject) => {
        socket.onopen = resolve;
        socket.onerror = reject;
      });
      const done = new Promise<void>((resolve) => {
        socket.onmessage = (event) => {
          const message = JSON.parse(event.data as string) as { id: number };
          replies.set(message.id, message);
          if (replies.size === 3) resolve();
        };
      });
      socket.send(JSON.stringify({ t: 'call', id: 1, method: 'auth.resume', input: { token: session?.token } }));
      socket.send(JSON.stringify({ t: 'call', id: 2, method: 'audit.list', input: {} }));
      socket.send(
        JSON.stringify({
          t: 'call',
          id: 3,
          method: 'users.create',
          input: { username: 'sneaky', displayName: 'Sneaky', password: 'sneaky-password-1', role: 'admin' },
        }),
      );
      await done;
      socket.close();
      return Object.fromEntries(replies);
    });
    assert.equal((answers['1'] as { t: string }).t, 'result', 'the technician session resumes on a second connection');
    assert.deepEqual((answers['2'] as { error: { code: string } }).error.code, 'forbidden');
    assert.deepEqual((answers['3'] as { error: { code: string } }).error.code, 'forbidden');
  });

  step('lets the technician change their own password, refusing a wrong current one', async () => {
    const shell = new Shell(page);
    const form = await shell.changePassword('not my password', 'a-new-password-2');
    await visible(form.getByRole('alert'));
    await page.keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });
    await shell.changePassword(technicianOwn, 'a-new-password-2');
    await visible(page.getByText('Your password was changed.'));
  });

  step('keeps the session and the light theme over a reload', async () => {
    await page.goto(`${station.origin}/#/cases`);
    assert.equal(await page.locator('html').getAttribute('data-mantine-color-scheme'), 'dark', 'dark by default');
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();
    await page.reload();
    await visible(new CaseListPage(page).row(caseNumber));
    assert.match(await text(new Shell(page).statusBar()), /tech\.tom/);
    assert.equal(await page.locator('html').getAttribute('data-mantine-color-scheme'), 'light');
    await screenshot(page, '11-case-list-light');
  });

  step('says so when the station goes away', async () => {
    await station.stop();
    await visible(page.getByRole('alert').filter({ hasText: 'Connection to the station lost' }));
    assert.match(await text(new Shell(page).statusBar()), /Link: offline/);
    await screenshot(page, '09-connection-lost');
  });

  step('ran without page errors', () => {
    // The forced-call step deliberately fails calls and the station was stopped on purpose; nothing else may log an error.
    assert.deepEqual(
      // (asking the stopped station why the link failed, GET /access, is refused too)
      pageErrors.filter(
        (e) =>
          !e.includes('forbidden') && !e.includes('WebSocket connection to') && !e.includes('ERR_CONNECTION_REFUSED'),
      ),
      [],
    );
  });
});
