// Keyboard-only journeys in Debian's Chromium against a real `casebench serve` (demo rig of simulators): no mouse
// click anywhere after the page opens. Each person signs in, moves with Tab / Shift+Tab / arrows / section shortcuts
// (G, then the number) and acts with Enter / Space; at every stop the focus must be visible and not covered
// (support/keyboard.ts). The outcome is checked for real: the conclusion is recorded, the package file downloaded is
// the one on the station, the calibration and the captured acquisition are stored.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from './support/browser.ts';
import { rawCalls } from './support/rawCalls.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { storySteps, text, until, visible } from './support/steps.ts';
import { expectFocusOn, focusStop, tabToNamed } from './support/keyboard.ts';
import { ExaminationPage } from './pages/ExaminationPages.ts';
import { CalibrationPage } from './pages/AcquisitionPages.ts';
import { RigPanelPage } from './pages/RigPages.ts';
import { createHost } from '../../electron/host/createHost.ts';
import { hashPassword } from '../../electron/host/services/passwords.ts';
import { caseCreateSchema, itemFieldsSchema } from '../../electron/contract/cases.ts';
import { seedScans } from '../fixtures/searchData.ts';
import { installCredentials, makeNetwork } from '../integration/packages/packageHarness.ts';

const password = 'correct horse battery';
const people = {
  admin: { username: 'ada.admin', displayName: 'Ada Admin', role: 'admin' },
  examiner: { username: 'eve.examiner', displayName: 'Eve Examiner', role: 'examiner' },
  manager: { username: 'mona.manager', displayName: 'Mona Manager', role: 'manager' },
  technician: { username: 'tom.tech', displayName: 'Tom Technician', role: 'technician' },
} as const;
type Person = keyof typeof people;
const examCase = 'LAB-2026-0100';
const captureCase = 'LAB-2026-0200';

describe('keyboard-only journeys in Chromium against casebench serve', { timeout: 1_200_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casebench-e2e-keyboard-'));
  const downloads = mkdtempSync(join(tmpdir(), 'casebench-e2e-keyboard-downloads-'));
  let station: RunningStation;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let page: Page;
  let pageErrors: string[] = [];
  let captureItemId = 0;

  const step = storySteps(async (name) => {
    await screenshot(page, `89-keyboard-failure-${name.slice(0, 30).replace(/\W+/g, '-')}`);
    if (pageErrors.length > 0) console.error(`page errors so far:\n${pageErrors.join('\n')}`);
  });

  before(async () => {
    const host = createHost({ dataDir, log: () => {} });
    try {
      const passwordHash = await hashPassword(password);
      const admin = host.auth.createUser({ userId: null, username: 'seed' }, { ...people.admin, passwordHash });
      const actor = { userId: admin.id, username: admin.username };
      for (const p of [people.examiner, people.manager, people.technician])
        host.auth.createUser(actor, { ...p, passwordHash });
      // Q1 and K1 come from one slide (a known match), X1 from another.
      seedScans(host, admin.id, [
        { scan: '1-1', caseNumber: examCase, exhibit: 'Q1' },
        { scan: '1-2', caseNumber: 'LAB-2025-0007', exhibit: 'K1' },
        { scan: '2-1', caseNumber: 'LAB-2024-0033', exhibit: 'X1' },
      ]);
      const theCase = host.cases.createCase(actor, caseCreateSchema.parse({ labCaseNumber: captureCase }));
      captureItemId = host.cases.createItem(
        actor,
        theCase.id,
        itemFieldsSchema.parse({ kind: 'cartridge_case', exhibitNumber: 'Q7' }),
      ).id;
    } finally {
      await host.close();
    }
    // Network credentials: a case package is signed with the station's key.
    const network = await makeNetwork();
    installCredentials(dataDir, network.ca.certificate, network.lab1);
    [station, browser] = await Promise.all([startStation({ dataDir, timeoutMs: 60_000 }), launchBrowser()]);
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await station?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(downloads, { recursive: true, force: true });
  });

  /** A fresh browser session for `person`, signed in with the keyboard (typed, Tab, Enter). */
  async function signInAs(person: Person) {
    await context?.close();
    ({ context, page, pageErrors } = await openPage(browser, { height: 900, timeoutMs: 20_000 }));
    await page.goto(station.url);
    await visible(page.getByRole('heading', { name: 'Sign in' }));
    // The sign-in form puts the focus in its first field.
    await until('the user name field focused', async () => (await focusStop(page)).said.includes('User name'));
    await expectFocusOn(page, 'User name');
    await page.keyboard.type(people[person].username);
    await tabToNamed(page, 'Password');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
    await visible(page.getByRole('navigation', { name: 'Main navigation' }));
  }

  /** The side bar's sections as the user reads them: label and the shortcut shown beside it ('G 1' … 'G -'). */
  async function sideBar(): Promise<Array<{ label: string; keys: string; href: string }>> {
    const links = page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link');
    const rows = [];
    for (const link of await links.all()) {
      const said = (await link.innerText()).replace(/\s+/g, ' ').trim();
      const keys = / (G \S)$/.exec(said)?.[1] ?? '';
      rows.push({
        label: said.slice(0, said.length - keys.length).trim(),
        keys,
        href: (await link.getAttribute('href'))!,
      });
    }
    return rows;
  }

  /** Presses a section shortcut as written on screen ('G 0', 'G -'): G, then that key of the number row. */
  async function pressShortcut(keys: string) {
    const key = keys.slice(2);
    await page.keyboard.press('g');
    await page.keyboard.press(key === '-' ? 'Minus' : key === '=' ? 'Equal' : key);
  }

  /** Opens a section with its shortcut: G, then the key shown beside it in the side bar. */
  async function openSection(label: string) {
    const section = (await sideBar()).find((row) => row.label === label);
    assert.ok(section?.keys, `section ${label} with a shortcut in ${JSON.stringify(await sideBar())}`);
    await pressShortcut(section.keys);
  }

  step('an administrator opens every section with its shortcut, listed in menu order in the help', async () => {
    await signInAs('admin');
    const sections = await sideBar();
    // An administrator sees every section, Audit trail and Administration past the ninth included.
    assert.ok(sections.length >= 11, JSON.stringify(sections));
    assert.ok(
      sections.every((s) => s.keys !== ''),
      `every section shows a shortcut: ${JSON.stringify(sections)}`,
    );
    assert.deepEqual(sections.map((s) => s.keys).slice(0, 11), [
      'G 1',
      'G 2',
      'G 3',
      'G 4',
      'G 5',
      'G 6',
      'G 7',
      'G 8',
      'G 9',
      'G 0',
      'G -',
    ]);
    assert.ok(sections.some((s) => s.label === 'Audit trail') && sections.some((s) => s.label === 'Administration'));
    // The help lists the same shortcuts, in the side bar's order.
    await page.keyboard.press('Shift+?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await visible(help);
    const listed = (await help.getByRole('row').allInnerTexts())
      .map((row) => row.replace(/\s+/g, ' ').trim())
      .filter((row) => row.startsWith('G '));
    assert.deepEqual(
      listed,
      sections.map((s) => `${s.keys} ${s.label}`),
    );
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    // Each shortcut opens its section (from the last to the first, so every one is a real move).
    for (const section of [...sections].reverse()) {
      await pressShortcut(section.keys);
      await until(
        `${section.keys} opens ${section.label}`,
        async () => (await page.evaluate(() => location.hash)) === section.href,
      );
    }
    assert.deepEqual(pageErrors, []);
  });

  /** Tabs to a control and presses Enter (or Space) on it. */
  async function activate(name: string | RegExp, key: 'Enter' | 'Space' = 'Enter', options = {}) {
    await tabToNamed(page, name, options);
    await page.keyboard.press(key);
  }

  step('an examiner searches for Q1 and opens the comparison with K1, keyboard only', async () => {
    await signInAs('examiner');
    await openSection('Cases');
    await visible(page.getByRole('heading', { name: 'Cases' }));
    await activate(examCase);
    await visible(page.getByRole('heading', { name: examCase }));
    await activate('Search the database for Q1');
    const form = page.getByRole('form', { name: 'Search' });
    await visible(form);
    await activate(/button\S* "Search"/);
    await visible(page.getByTestId('search-banner'), 180_000);
    await activate('Compare with LAB-2025-0007 / K1');
    const exam = new ExaminationPage(page);
    await exam.drawn();
    await screenshot(page, '89-keyboard-comparison');
  });

  step('the examiner marks an area on B with the keyboard: the field as a stop, points at the crosshair', async () => {
    const exam = new ExaminationPage(page);
    // The field is a stop of its own, named and with its focus seen; the workspace keys act on it.
    await tabToNamed(page, /Comparison field: A/);
    await page.keyboard.press('2'); // side B
    await page.keyboard.press('o'); // the polygon tool: a crosshair on B's centre
    // The focus stays on the field (seen), whose name now says the tool and the points placed.
    const fieldName = async () => (await exam.field().getAttribute('aria-label')) ?? '';
    await expectFocusOn(page, /Comparison field/);
    await until('the field names the tool', async () => /Polygon tool, points placed: 0\./.test(await fieldName()));
    // A corner at the crosshair, then the arrows move the specimen under it for the next one.
    for (const move of ['ArrowRight', 'ArrowDown', 'ArrowLeft']) {
      await page.keyboard.press('Space');
      for (let i = 0; i < 4; i++) await page.keyboard.press(move);
    }
    await expectFocusOn(page, /Comparison field/);
    assert.match(await fieldName(), /points placed: 3\./);
    await page.keyboard.press('Enter');
    const dialog = exam.annotationDialog();
    await visible(dialog);
    await expectFocusOn(page, 'Note'); // the note takes the focus
    await page.keyboard.type('Marks agree in this area (placed from the keyboard)');
    await activate('Save annotation');
    await dialog.waitFor({ state: 'detached' });
    await page.keyboard.press('Escape'); // back to moving the stage
    await until('the annotation listed', async () =>
      /Annotations \(1\)/.test(await exam.tab(/^Annotations/).innerText()),
    );
    // Stored on the station with its shape on B and its note.
    const [listed] = await rawCalls(page, [{ method: 'examinations.list', input: { caseId: 1 } }]);
    const comparisonId = (listed as { output: { id: number }[] }).output[0]!.id;
    const [workspace] = await rawCalls(page, [{ method: 'examinations.get', input: { comparisonId } }]);
    const annotations = (
      workspace as { output: { annotations: { side: string; note: string; shape: { points?: unknown[] } }[] } }
    ).output.annotations;
    assert.equal(annotations.length, 1, JSON.stringify(annotations));
    assert.equal(annotations[0]!.side, 'b');
    assert.match(annotations[0]!.note, /placed from the keyboard/);
    assert.equal(annotations[0]!.shape.points?.length, 3);
    await screenshot(page, '89-keyboard-annotation');
  });

  step('the examiner records a conclusion with the keyboard, and it is stored', async () => {
    const exam = new ExaminationPage(page);
    // The tab list: reach the selected tab, then move along it with the arrows.
    await tabToNamed(page, /\[tab\]/);
    for (let i = 0; i < 12 && !/"Conclusion/.test((await focusStop(page)).said); i++)
      await page.keyboard.press('ArrowRight');
    await expectFocusOn(page, /\[tab\] "Conclusion/);
    await page.keyboard.press('Enter');
    const form = exam.conclusionForm();
    await visible(form);
    await tabToNamed(page, /\[radio\]/);
    for (let i = 0; i < 8 && !/"Identification/.test((await focusStop(page)).said); i++)
      await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    assert.equal(await form.getByRole('radio', { name: 'Identification', exact: true }).isChecked(), true);
    await tabToNamed(page, 'Basis');
    await page.keyboard.type('Breech-face marks agree over the registration the analysis found.');
    await activate('Record conclusion');
    await until('the conclusion recorded', async () => (await exam.stateText()) !== 'Open', 20_000, 200);
    assert.match(await text(page.getByTestId('conclusions')), /Identification/);
    // Stored on the station, not only shown: the comparison of the case holds the examiner's conclusion.
    const [listed] = await rawCalls(page, [{ method: 'examinations.list', input: { caseId: 1 } }]);
    assert.equal(listed?.t, 'result', JSON.stringify(listed));
    const comparisons = (listed as { output: { id: number }[] }).output;
    assert.equal(comparisons.length, 1, JSON.stringify(comparisons));
    const [workspace] = await rawCalls(page, [
      { method: 'examinations.get', input: { comparisonId: comparisons[0]!.id } },
    ]);
    const conclusions = (workspace as { output: { conclusions: { conclusion: string; basis: string }[] } }).output
      .conclusions;
    assert.equal(conclusions.length, 1, JSON.stringify(workspace));
    assert.match(JSON.stringify(conclusions[0]), /identification/i);
    assert.match(JSON.stringify(conclusions[0]), /registration the analysis found/);
    await screenshot(page, '89-keyboard-conclusion');
    assert.deepEqual(pageErrors, []);
  });

  step('a manager exports the case package with the keyboard and downloads the signed file', async () => {
    await signInAs('manager');
    await openSection('Cases');
    await visible(page.getByRole('heading', { name: 'Cases' }));
    await activate(examCase);
    await visible(page.getByRole('heading', { name: examCase }));
    await activate('Export package…');
    const form = page.getByRole('form', { name: `Export a package of case ${examCase}` });
    await visible(form);
    await tabToNamed(page, 'Reason for the export');
    await page.keyboard.type('Requested by the State Crime Lab (keyboard journey)');
    await activate(/button\S* "Export"/);
    const result = page.getByTestId('export-result');
    await until(
      'the package written (or a reason why not)',
      async () => (await result.isVisible()) || (await form.getByRole('alert').isVisible()),
      180_000,
      250,
    );
    assert.match(await text(result), /Package written and signed/);
    await tabToNamed(page, 'Download', { max: 20 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    const saved = join(downloads, download.suggestedFilename());
    await download.saveAs(saved);
    const onStation = readFileSync(join(dataDir, 'exports', download.suggestedFilename()));
    assert.ok(readFileSync(saved).equals(onStation), 'the download is the package on the station, byte for byte');
    await activate('Close');
    await form.waitFor({ state: 'detached' });
    assert.deepEqual(pageErrors, []);
  });

  step('the manager calibrates the demo rig with the keyboard', async () => {
    await openSection('Calibration');
    const calibration = new CalibrationPage(page);
    await visible(calibration.heading());
    await activate('Run calibration');
    const row = calibration.table().getByRole('row').filter({ hasText: 'valid' });
    await visible(row, 480_000);
    assert.deepEqual(pageErrors, []);
  });

  step('a technician reconnects the rig with the keyboard', async () => {
    await signInAs('technician');
    await openSection('Rig');
    const rig = new RigPanelPage(page);
    await visible(rig.profile(), 30_000);
    await until('every device ready', async () => (await rig.state().getAttribute('data-state')) === 'ready', 60_000);
    await activate('Disconnect all');
    await until('the rig disconnected', async () => (await rig.state().getAttribute('data-state')) !== 'ready');
    await activate('Connect all', 'Enter', { backwards: true });
    await until('every device ready', async () => (await rig.state().getAttribute('data-state')) === 'ready', 60_000);
  });

  step('the technician captures a breech face with the keyboard, stored as an acquisition', async () => {
    await openSection('Cases');
    await visible(page.getByRole('heading', { name: 'Cases' }));
    await activate(captureCase);
    await visible(page.getByRole('heading', { name: captureCase }));
    await activate('Show every field of Q7', 'Space');
    await visible(page.getByTestId('acquisitions-Q7'));
    await activate(/button\S* "Capture"/);
    const dialog = page.getByRole('dialog', { name: 'Guided capture of Q7' });
    await visible(dialog);
    await until(
      'the capture can start',
      async () => await dialog.getByRole('button', { name: 'Start capture' }).isEnabled(),
      30_000,
    );
    // The focus is in the dialog, on the first region; breech face only: Firing pin off with Space.
    await expectFocusOn(page, 'Breech face');
    await tabToNamed(page, 'Firing pin', { max: 3 });
    await page.keyboard.press('Space');
    assert.equal(await dialog.getByRole('checkbox', { name: 'Firing pin' }).isChecked(), false);
    await activate('Start capture');
    // The start button goes away: the focus moves to what can be done now (cancel), not behind the dialog.
    const result = dialog.getByTestId('capture-result');
    await until(
      'the focus on Cancel capture while capturing',
      async () =>
        (await result.isVisible()) ||
        (/Cancel capture/.test((await focusStop(page)).said) && (await focusStop(page)).unseen === null),
      30_000,
      100,
    );
    await until(
      'the capture to finish (or a reason why not)',
      async () => (await result.isVisible()) || (await dialog.getByRole('alert').isVisible()),
      600_000,
      1000,
    );
    assert.match(await text(result), /Captured 1 acquisition/);
    await screenshot(page, '89-keyboard-capture');
    await expectFocusOn(page, /button\S* "Close"/);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    const [answer] = await rawCalls(page, [{ method: 'acquisitions.list', input: { itemId: captureItemId } }]);
    assert.equal(answer?.t, 'result', JSON.stringify(answer));
    const rows = (answer as { output: { rows: { source: string; region: string }[] } }).output.rows;
    assert.equal(rows.length, 1, JSON.stringify(rows));
    assert.match(JSON.stringify(rows[0]), /capture/);
    await visible(
      page
        .getByTestId('acquisitions-Q7')
        .getByRole('row')
        .filter({ hasText: /Breech face/ }),
    );
    assert.deepEqual(pageErrors, []);
  });
});
