// Testing mode end to end (issue 12 item 6), in Chromium against casebench serve on real Fadul scans: a manager
// builds a test set from the Examinations page — a known match and a known non-match, the truth hidden — for one
// examiner; the examiner finds the test pairs in the worklist, works one in the same workspace and records a
// conclusion, never shown the truth (nor able to ask the host for it); the manager reads the result against the truth.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from './support/browser.ts';
import { rawCalls } from './support/rawCalls.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { storySteps, text, until, visible } from './support/steps.ts';
import { SignInPage } from './pages/AuthPages.ts';
import { ExaminationPage, WorklistPage } from './pages/ExaminationPages.ts';
import { createHost } from '../../electron/host/createHost.ts';
import { hashPassword } from '../../electron/host/services/passwords.ts';
import { seedScans } from '../fixtures/searchData.ts';

const password = 'correct horse battery';
const people = {
  admin: { username: 'admin', displayName: 'Ada Admin', role: 'admin' },
  examiner: { username: 'eve.examiner', displayName: 'Eve Examiner', role: 'examiner' },
  manager: { username: 'mona.manager', displayName: 'Mona Manager', role: 'manager' },
} as const;
type Person = keyof typeof people;

async function seed(dataDir: string) {
  const host = createHost({ dataDir, log: () => {} });
  try {
    const passwordHash = await hashPassword(password);
    const admin = host.auth.createUser({ userId: null, username: 'seed' }, { ...people.admin, passwordHash });
    for (const p of [people.examiner, people.manager])
      host.auth.createUser({ userId: admin.id, username: admin.username }, { ...p, passwordHash });
    // Acquisitions 1 and 2 come from one slide (a known match), 3 from another.
    seedScans(host, admin.id, [
      { scan: '1-1', caseNumber: 'LAB-2026-0100', exhibit: 'Q1' },
      { scan: '1-2', caseNumber: 'LAB-2025-0007', exhibit: 'K1' },
      { scan: '2-1', caseNumber: 'LAB-2024-0033', exhibit: 'X1' },
    ]);
  } finally {
    await host.close();
  }
}

describe('testing mode in Chromium against casebench serve', { timeout: 600_000 }, () => {
  let station: RunningStation;
  let browser: Browser;
  const contexts = new Map<Person, { context: BrowserContext; page: Page; errors: string[] }>();
  let current: Page | null = null;

  async function as(person: Person): Promise<Page> {
    let entry = contexts.get(person);
    if (!entry) {
      const { context, page, pageErrors } = await openPage(browser, { height: 1000, timeoutMs: 20_000 });
      entry = { context, page, errors: pageErrors };
      contexts.set(person, entry);
      await page.goto(station.url);
      await new SignInPage(page).signIn(people[person].username, password);
      await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    }
    current = entry.page;
    return entry.page;
  }

  const step = storySteps(async (name) => {
    if (current) await screenshot(current, `79-testing-failure-${name.slice(0, 30).replace(/\W+/g, '-')}`);
  });

  before(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'casebench-e2e-testing-'));
    await seed(dataDir);
    [station, browser] = await Promise.all([startStation({ dataDir }), launchBrowser()]);
  });

  after(async () => {
    await browser?.close();
    await station?.stop();
  });

  /** Picks an option of a Mantine select or multi-select by its label. */
  async function choose(page: Page, label: string, option: string) {
    await page.getByRole('combobox', { name: label, exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  step('a manager builds a test set from the Examinations page, for an examiner', async () => {
    const page = await as('manager');
    // Test sets sit behind the Examinations page (the side bar lists Examinations only).
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Examinations' }).click();
    await page.getByRole('link', { name: 'Test sets' }).click();
    await page.getByRole('button', { name: 'New test set' }).click();
    const form = page.getByRole('form', { name: 'New test set' });
    await form.getByRole('textbox', { name: 'Name' }).fill('Proficiency 2026-Q4');
    await form.getByRole('textbox', { name: 'Instructions for the participants' }).fill('Work both pairs.');
    await choose(page, 'Pair 1: acquisition A', 'LAB-2026-0100 / Q1 · acquisition 1');
    await choose(page, 'Pair 1: acquisition B', 'LAB-2025-0007 / K1 · acquisition 2');
    await choose(page, 'Pair 1: ground truth', 'Same source');
    await form.getByRole('button', { name: 'Add a pair' }).click();
    await choose(page, 'Pair 2: acquisition A', 'LAB-2026-0100 / Q1 · acquisition 1');
    await choose(page, 'Pair 2: acquisition B', 'LAB-2024-0033 / X1 · acquisition 3');
    await choose(page, 'Pair 2: ground truth', 'Different sources');
    // Only people who can take a test are offered: managers and administrators can read the truth.
    await page.getByRole('combobox', { name: 'Participants', exact: true }).click();
    assert.equal(await page.getByRole('option', { name: 'Mona Manager' }).count(), 0);
    await page.getByRole('option', { name: 'Eve Examiner', exact: true }).click();
    await page.keyboard.press('Escape');
    await form.getByRole('button', { name: 'Create test set' }).click();
    const sets = page.getByTestId('test-sets');
    await visible(sets.getByRole('link', { name: 'Proficiency 2026-Q4' }));
    assert.match(await text(sets), /0 of 2 conclusions \(2 pairs × 1 people\)/);
  });

  step('the examiner works a test pair from the worklist without its truth, even through the contract', async () => {
    const page = await as('examiner');
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Examinations' }).click();
    const worklist = new WorklistPage(page);
    await visible(worklist.entry('Test pair'), 20_000);
    assert.equal(await worklist.entry('Test pair').count(), 2);
    // Test pairs carry neutral names: neither the lab's case numbers nor the truth.
    const entries = await text(worklist.table());
    assert.doesNotMatch(entries, /LAB-20|Same source|Different sources/);
    await worklist.open('Test pair');
    const exam = new ExaminationPage(page);
    await exam.drawn();
    assert.doesNotMatch(await text(exam.workspace()), /Same source|Different sources/);
    // The sides' neutral names are worded in the reader's language, like every other word on the page.
    const title = page.getByRole('heading', { name: /Proficiency 2026-Q4 · pair \d · A/ });
    await visible(title);
    await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    await visible(page.getByRole('heading', { name: /Proficiency 2026-Q4 · paire \d · A/ }));
    await page.getByRole('link', { name: 'Examens' }).first().click();
    await visible(worklist.table().getByText(/Proficiency 2026-Q4 · paire 1 · A/));
    assert.doesNotMatch(await text(worklist.table()), / pair \d/);
    await page.getByRole('combobox', { name: 'Langue' }).selectOption('en');
    await worklist.open('Test pair');
    await exam.drawn();
    const [set, results] = await rawCalls(page, [
      { method: 'testSets.get', input: { id: 1 } },
      { method: 'testSets.results', input: { id: 1 } },
    ]);
    assert.equal(set!.t, 'error');
    assert.equal(results!.t, 'error');
    await exam.conclude('Identification', 'Breech-face marks agree over most of the surface at one registration.');
    await until('the test pair concluded', async () => (await exam.stateText()) !== 'Open', 20_000, 200);
  });

  step('the manager reads the conclusion against the truth, with the time it took', async () => {
    const page = await as('manager');
    await page.reload();
    await page.getByRole('link', { name: 'Proficiency 2026-Q4' }).click();
    const rows = page.getByTestId('test-rows');
    await visible(rows);
    const row = rows.locator('tbody tr').filter({ hasText: 'Identification' });
    await visible(row);
    const words = await text(row);
    assert.match(words, /Eve Examiner/);
    assert.match(words, /Same source|Different sources/);
    // The outcome follows from the truth of the pair she worked.
    assert.match(words, /Same source/.test(words) ? /correct/i : /false positive/i);
    assert.match(words, /\d+ s/);
    assert.match(await text(page.getByTestId('test-summary')), /Eve Examiner|eve\.examiner/);
    await screenshot(page, '87-exam-test-results');
  });

  step('ran without page errors', () => {
    for (const [person, { errors }] of contexts) assert.deepEqual(errors, [], person);
  });
});
