// Text people typed, in any script, as a user meets it: a case number hiding a right-to-left override is shown
// with the control spelled out and flagged (it cannot pass for another name), Arabic and Chinese text stays
// isolated, and the case list's search finds a two-character Chinese word inside a longer one.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createHost } from '../../electron/host/createHost.ts';
import { hashPassword } from '../../electron/host/services/passwords.ts';
import { caseCreateSchema, itemFieldsSchema } from '../../electron/contract/cases.ts';
import { launchBrowser, openPage, screenshot } from './support/browser.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { seedStation } from './support/seed.ts';
import { field } from './pages/field.ts';
import { CaseDetailPage, CaseListPage } from './pages/CasePages.ts';
import { AdminPage, AuditViewerPage } from './pages/AdminPages.ts';
import { storySteps, text, visible } from './support/steps.ts';
import { accessibilityViolations } from './support/axe.ts';

const admin = { username: 'admin', displayName: 'Ada Admin', password: 'correct horse battery' };
const disguised = 'PD-\u202egnp.exe'; // shows as "PD-exe.png" where the override is obeyed

describe('user text in every script', { timeout: 180_000 }, () => {
  let station: RunningStation;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  const step = storySteps((name) => screenshot(page, `failed-usertext-${name.slice(0, 40)}`));

  before(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'casebench-e2e-usertext-'));
    await seedStation(dataDir, { cases: 3, admin });
    const host = createHost({ dataDir, log: () => {} });
    try {
      const actor = { userId: 1, username: admin.username };
      for (const fields of [
        { labCaseNumber: 'LAB-2026-BD1', agencyCaseNumber: disguised, agency: 'Metro PD', offence: 'Shooting' },
        { labCaseNumber: 'LAB-2026-CN1', agency: '北京市公安局', offence: '枪击案' },
        { labCaseNumber: 'LAB-2026-AR1', agency: 'شرطة دبي', offence: 'إطلاق نار' },
      ])
        host.cases.createCase(actor, caseCreateSchema.parse(fields));
      // An exhibit number is free text too: the same override, where sentences and labels are built around it.
      const bd1 = host.cases.createCase(
        actor,
        caseCreateSchema.parse({ labCaseNumber: 'LAB-2026-BD2', agency: 'Metro PD', offence: 'Shooting' }),
      );
      host.cases.createItem(
        actor,
        bd1.id,
        itemFieldsSchema.parse({
          kind: 'cartridge_case',
          exhibitNumber: 'Q1-\u202egnp.exe',
          calibre: '9 mm \u202eregul',
        }),
      );
      // A person's full name is typed text too: it must not pass for another name in the list of users or the header.
      host.auth.createUser(actor, {
        username: 'clerk',
        displayName: 'Tom \u202eliveD',
        role: 'technician',
        passwordHash: await hashPassword('a first password'),
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

  step('flags an agency reference holding a right-to-left override and spells the control out', async () => {
    await page.goto(station.url);
    const form = page.getByRole('form', { name: 'Sign in' });
    await field(form, 'User name').fill(admin.username);
    await field(form, 'Password').fill(admin.password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    const list = new CaseListPage(page);
    await visible(list.heading());
    const row = list.row('LAB-2026-BD1');
    await visible(row);
    // The agency's reference is drawn twice (its own column when wide, under the agency when narrow): the one shown.
    await visible(row.getByTestId('bidi-flag').filter({ visible: true }));
    assert.equal(await text(row.getByTestId('bidi-revealed').filter({ visible: true })), 'PD-[RLO]gnp.exe');
    // Only that row is flagged; Arabic and Chinese text is ordinary text.
    assert.equal(await list.table().getByTestId('bidi-flag').filter({ visible: true }).count(), 1);
    await visible(list.row('LAB-2026-AR1').getByText('شرطة دبي'));
    assert.deepEqual(await accessibilityViolations(page), []);
    await screenshot(page, '75-bidi-flagged');
    await row.getByRole('link').click();
    await visible(new CaseDetailPage(page).heading('LAB-2026-BD1'));
    await visible(page.getByTestId('bidi-flag'));
    assert.equal(await text(page.getByTestId('bidi-revealed')), 'PD-[RLO]gnp.exe');
  });

  step('finds a two-character Chinese word inside the offence', async () => {
    await page.goBack();
    const list = new CaseListPage(page);
    await visible(list.heading());
    await list.search().fill('枪击');
    await visible(list.row('LAB-2026-CN1'));
    await list.table().getByRole('row').filter({ hasText: 'LAB-2026-AR1' }).waitFor({ state: 'detached' });
    assert.equal(await list.table().getByRole('row').count(), 2, 'the header and one case');
    await list.search().fill('دبي');
    await visible(list.row('LAB-2026-AR1'));
    await list.row('LAB-2026-AR1').getByRole('link').click();
    await visible(new CaseDetailPage(page).heading('LAB-2026-AR1'));
    await visible(page.getByText('إطلاق نار'));
  });

  step('draws Chinese, Japanese and Korean as characters, not as boxes', async () => {
    // A character no font has (a private-use code point) is drawn as the missing-glyph box; a CJK character drawn
    // the same way means the machine has no font for it (.ci/run installs fonts-noto-cjk when it is missing).
    const font = await page.evaluate(() => getComputedStyle(document.body).font);
    const boxes = await page.evaluate(
      ({ font, samples }) => {
        const draw = (text: string) => {
          const canvas = document.createElement('canvas');
          canvas.width = 64;
          canvas.height = 64;
          const ctx = canvas.getContext('2d')!;
          ctx.font = font.replace(/\d+(\.\d+)?px/, '40px');
          ctx.fillText(text, 4, 48);
          return Array.from(ctx.getImageData(0, 0, 64, 64).data).join(',');
        };
        const missing = draw('\u{10FFFD}');
        return samples.filter((sample) => draw(sample) === missing);
      },
      { font, samples: ['枪', 'あ', '한'] },
    );
    assert.deepEqual(boxes, [], `drawn as the missing-glyph box in "${font}"`);
  });

  step(
    'spells the override out where an exhibit number is built into a sentence: audit trail, item amend title',
    async () => {
      await page.goto(`${station.origin}/#/audit`);
      const audit = new AuditViewerPage(page);
      const entry = audit.table().locator('tbody tr').filter({ hasText: 'Item added' });
      await visible(entry);
      // Without it the line reads "Item LAB-2026-BD1 / Q1-exe.png" and whatever follows it is turned around.
      assert.match(await text(entry), /Item LAB-2026-BD2 \/ Q1-\[RLO\]gnp\.exe/);
      assert.doesNotMatch(await text(audit.table()), /[\u202a-\u202e\u2066-\u2069]/);
      await page.goto(`${station.origin}/#/cases`);
      await new CaseListPage(page).row('LAB-2026-BD2').getByRole('link').click();
      await visible(new CaseDetailPage(page).heading('LAB-2026-BD2'));
      await page.getByRole('button', { name: 'Edit Q1-[RLO]gnp.exe' }).click();
      await visible(page.getByRole('dialog', { name: /Q1-\[RLO\]gnp\.exe/ }));
      await screenshot(page, '76-bidi-exhibit-in-sentences');
      await page.keyboard.press('Escape');
    },
  );

  step('flags a disguised calibre and full name, and names the flagged exhibit by what it shows', async () => {
    await visible(new CaseDetailPage(page).heading('LAB-2026-BD2'));
    const item = new CaseDetailPage(page).itemsTable().getByRole('row').filter({ hasText: 'Q1-[RLO]gnp.exe' });
    // Exhibit and calibre each flagged: "9 mm luger" would pass for an ordinary calibre.
    assert.equal(await item.getByTestId('bidi-flag').count(), 2);
    assert.deepEqual(await item.getByTestId('bidi-revealed').allInnerTexts(), ['Q1-[RLO]gnp.exe', '9 mm [RLO]regul']);
    // The button that opens the item says what it shows, its flag included (axe: label-content-name-mismatch).
    await visible(item.getByRole('button', { name: 'Show every field of Q1-[RLO]gnp.exe hidden direction marks' }));
    assert.deepEqual(await accessibilityViolations(page), []);
    await page.goto(`${station.origin}/#/admin`);
    const users = new AdminPage(page).usersTable();
    const clerk = users.getByRole('row').filter({ hasText: 'clerk' });
    await visible(clerk);
    assert.equal(await text(clerk.getByTestId('bidi-revealed')), 'Tom [RLO]liveD');
    await visible(clerk.getByTestId('bidi-flag'));
    assert.equal(await users.getByTestId('bidi-flag').count(), 1, 'only the disguised name is flagged');
  });

  step('ran without page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
