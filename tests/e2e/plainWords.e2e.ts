// What a person reads when the station refuses something or a value could disguise itself, here for a French-speaking
// examiner: a PNG picture renamed .x3p is refused saying what it really is and nothing is stored, an empty file is
// refused saying so, a calibration out of its limits lists its findings in French (not the host's English) and its
// figures with a decimal comma, and the
// item amend form flags an exhibit number hiding a right-to-left override beside the field, and the audit check
// says in French which item was changed around the station; the X3P reader's repairs of a scan read in French.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import Database from 'better-sqlite3';
import { caseCreateSchema, itemFieldsSchema } from '../../electron/contract/cases.ts';
import { createHost } from '../../electron/host/createHost.ts';
import { hashPassword } from '../../electron/host/services/passwords.ts';
import { UserSettingsRepo } from '../../electron/host/storage/repos/userSettingsRepo.ts';
import { sharedDataPath } from '../fixtures/sharedData.ts';
import { translator } from '../fixtures/translator.ts';
import { browserDateOrder } from '../../renderer/shared/dateOrder.ts';
import { launchBrowser, openPage, screenshot } from './support/browser.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { field } from './pages/field.ts';
import { storySteps, text, visible } from './support/steps.ts';

const admin = { username: 'admin', displayName: 'Ada Admin', password: 'correct horse battery' };
const caseNumber = 'LAB-2026-0777';
const disguised = 'Q2-\u202egnp.exe'; // reads "Q2-exe.png" where the override is obeyed

describe('refusals and disguised values in plain French', { timeout: 300_000 }, () => {
  let station: RunningStation;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  let caseId = 0;
  let calibrationId = 0;
  const dataDir = mkdtempSync(join(tmpdir(), 'casebench-e2e-words-'));
  const scratch = mkdtempSync(join(tmpdir(), 'casebench-e2e-words-files-'));
  const step = storySteps((name) => screenshot(page, `failed-words-${name.slice(0, 40)}`));

  before(async () => {
    const host = createHost({ dataDir, log: () => {} });
    try {
      const passwordHash = await hashPassword(admin.password);
      const user = host.auth.createUser({ userId: null, username: 'setup' }, { ...admin, role: 'admin', passwordHash });
      new UserSettingsRepo(host.db).setLanguage(user.id, 'fr', new Date().toISOString());
      const actor = { userId: user.id, username: user.username };
      const theCase = host.cases.createCase(
        actor,
        caseCreateSchema.parse({ labCaseNumber: caseNumber, receivedDate: '2026-03-04' }),
      );
      caseId = theCase.id;
      for (const exhibitNumber of ['Q1', disguised])
        host.cases.createItem(actor, caseId, itemFieldsSchema.parse({ kind: 'cartridge_case', exhibitNumber }));
      // A suite that ran out of its limits: what the calibration checks record (codes and figures), and the
      // English the host keeps for its logs, which must not be what a French reader sees.
      calibrationId = host.acquisitions.calibrations.insert({
        kind: 'suite',
        rigProfile: 'demo',
        deviceSerials: {},
        operatorId: user.id,
        performedAt: new Date().toISOString(),
        expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        results: {
          passed: false,
          // The figures the dot grid gave: decimals the detail page must write with a French decimal comma.
          scale: {
            umPerPixelX: 3.125,
            umPerPixelY: 3.1249,
            rotationDeg: -0.0421,
            k1: 0.000012,
            cornerDistortionPx: 2.64,
            rmsResidualPx: 0.3125,
            dots: 1204,
            passed: false,
          },
          problems: [
            { code: 'lens_distortion', value: 2.64, limit: 2 },
            { code: 'light_misfit', channel: 'ring/2', value: 0.23, limit: 0.1 },
          ],
          messages: [
            'lens distortion moves the image corner by 2.64 px (limit 2 px)',
            'ring/2: the sphere does not look Lambertian under this light (misfit 23 %)',
          ],
        },
        reportSha256: null,
      });
    } finally {
      await host.close();
    }
    // Someone with the database file changes Q1's calibre around the station: the audit check must say so in French.
    const db = new Database(join(dataDir, 'casebench.sqlite'));
    try {
      db.prepare("UPDATE items SET calibre = '.45 ACP' WHERE exhibit_number = 'Q1'").run();
    } finally {
      db.close();
    }
    // The picture a hurried technician renamed: a PNG under an X3P scan's name. And a file with nothing in it.
    copyFileSync(sharedDataPath('nbide-2d', 'NBIDE_R_BF_118.png'), join(scratch, 'culasse-Q1.x3p'));
    writeFileSync(join(scratch, 'vide.x3p'), new Uint8Array(0));
    [station, browser] = await Promise.all([startStation({ dataDir }), launchBrowser()]);
    ({ context, page, pageErrors } = await openPage(browser, { height: 1000 }));
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await station?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  const acquisitionsOfQ1 = () => page.getByTestId('acquisitions-Q1');
  const importForm = () => page.getByRole('form', { name: 'Importer un relevé dans Q1' });

  async function importIntoQ1(fileName: string): Promise<string> {
    await acquisitionsOfQ1().getByRole('button', { name: 'Importer un fichier' }).click();
    await importForm().getByLabel('Fichier de relevé (X3P, PNG ou TIFF)').setInputFiles(join(scratch, fileName));
    await importForm().getByRole('button', { name: 'Importer', exact: true }).click();
    return text(page.getByTestId('import-error'));
  }

  step('signs in and reads the case in French', async () => {
    await page.goto(station.url);
    const form = page.getByRole('form', { name: 'Sign in' });
    await field(form, 'User name').fill(admin.username);
    await field(form, 'Password').fill(admin.password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByRole('heading', { name: 'Affaires', exact: true }));
    await page.goto(`${station.url}#/cases/${caseId}`);
    await visible(page.getByRole('heading', { name: caseNumber }));
    // Dates as French writes them, not the stored 2026-03-04.
    await visible(page.getByText('4 mars 2026', { exact: true }));
    await page.getByRole('button', { name: 'Afficher tous les champs de Q1' }).click();
    await visible(acquisitionsOfQ1());
    await visible(acquisitionsOfQ1().getByText('Aucune acquisition pour l’instant.'));
  });

  step('writes the dates of the case form out in French under the browser’s own date fields', async () => {
    const fr = await translator('fr');
    await page.getByRole('button', { name: fr('cases.edit'), exact: true }).click();
    const dialog = page.getByRole('dialog');
    await visible(dialog);
    const received = dialog.getByLabel(fr('fields.receivedDate'), { exact: true });
    const offence = dialog.getByLabel(fr('fields.offenceDate'), { exact: true });
    // The field holds 2026-03-04 in the browser's own order; with its label, the date as French writes it.
    assert.equal(await received.inputValue(), '2026-03-04');
    const describedBy = async (input: typeof received) =>
      text(dialog.locator(`[id="${await input.getAttribute('aria-describedby')}"]`));
    assert.equal(await describedBy(received), '4 mars 2026');
    // Empty, it says in French which order this browser takes (Chromium here: its own language's order).
    const order = browserDateOrder(await page.evaluate(() => navigator.language)).map((p) => fr(`dateField.${p}`));
    assert.equal(await describedBy(offence), order.join(' / '));
    await offence.fill('2026-03-05');
    await visible(dialog.getByText('5 mars 2026', { exact: true }));
    await screenshot(page, '66-fr-case-dates');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  step('refuses a PNG picture named .x3p saying what it is, and stores nothing', async () => {
    const words = await importIntoQ1('culasse-Q1.x3p');
    assert.match(
      words,
      /^Rien n’a été importé\. culasse-Q1\.x3p est une image PNG, pas un relevé X3P : son nom ne correspond pas à son contenu/,
    );
    assert.doesNotMatch(words, /named as|content is|cannot be imported/, 'no host English on screen');
    await screenshot(page, '80-fr-import-misnamed-file');
    await page.keyboard.press('Escape');
    await importForm().waitFor({ state: 'detached' });
    await visible(acquisitionsOfQ1().getByText('Aucune acquisition pour l’instant.'));
  });

  step('refuses an empty file saying it is empty and what to do', async () => {
    const words = await importIntoQ1('vide.x3p');
    assert.match(words, /^Rien n’a été importé\. vide\.x3p est vide \(0 octet\)\. Choisissez le fichier du relevé/);
    await page.keyboard.press('Escape');
    await importForm().waitFor({ state: 'detached' });
    await visible(acquisitionsOfQ1().getByText('Aucune acquisition pour l’instant.'));
  });

  step('lists what a calibration found out of its limits in French, with its light and figures', async () => {
    await page.goto(`${station.url}#/calibration/${calibrationId}`);
    const findings = page.getByTestId('calibration-detail').getByTestId('calibration-figures');
    const words = await text(findings);
    assert.match(words, /la distorsion de l’objectif déplace le coin de l’image de 2,64 px \(limite 2,00 px\)/);
    assert.match(words, /la sphère ne paraît pas mate sous cet éclairage \(écart 23 %, limite 10 %\)/);
    assert.doesNotMatch(words, /ring\/2|Lambertian|lens distortion/, 'no host English nor internal light key');
    // The list row says the same in its figures column.
    assert.match(await text(page.getByTestId(`calibration-${calibrationId}`)), /distorsion de l’objectif/);
    // Figures with decimals are written as French writes them: a decimal comma, never a point.
    const scale = await text(page.getByTestId('figures-scale'));
    assert.match(scale, /3,1250/);
    assert.match(scale, /-0,0421/);
    assert.match(scale, /2,640/);
    assert.doesNotMatch(scale, /\d\.\d/, `no decimal point in French figures: ${scale}`);
    await screenshot(page, '81-fr-calibration-findings');
  });

  step('flags the exhibit number hiding a right-to-left override beside the amend form field', async () => {
    await page.goto(`${station.url}#/cases/${caseId}`);
    await visible(page.getByRole('heading', { name: caseNumber }));
    // The table shows the value isolated and spelled out; the button that opens the form is named after it.
    await page.getByRole('button', { name: 'Modifier Q2-[RLO]gnp.exe' }).click();
    const form = page.getByRole('form', { name: /^Modifier le scellé / });
    const exhibit = field(form, 'Numéro de scellé');
    assert.equal(await exhibit.inputValue(), disguised, 'the input holds the value as stored');
    const warning = form.getByTestId('bidi-field-warning');
    assert.equal(
      await text(warning),
      'Contient des caractères de direction cachés (RLO) qui changent sa lecture ; dans l’ordre, c’est : Q2-[RLO]gnp.exe',
    );
    // Beside that field: it describes the input (read out by a screen reader with it), and no other field warns.
    const describedBy = (await exhibit.getAttribute('aria-describedby')) ?? '';
    const warningId = await warning.evaluate((el) => el.closest('[id]')?.id ?? '');
    assert.ok(warningId && describedBy.includes(warningId), `the input is described by the warning (${describedBy})`);
    assert.equal(await form.getByTestId('bidi-field-warning').count(), 1);
    // Typing the override away takes the warning away.
    await exhibit.fill('Q2');
    await form.getByTestId('bidi-field-warning').waitFor({ state: 'detached' });
    await exhibit.fill(disguised);
    await visible(form.getByTestId('bidi-field-warning'));
    await screenshot(page, '82-fr-amend-form-bidi-warning');
    await page.keyboard.press('Escape');
  });

  step('lists what the X3P reader repaired in a scan in French, not in the reader’s English', async () => {
    await page.goto(`${station.url}#/cases/${caseId}`);
    await visible(page.getByRole('heading', { name: caseNumber }));
    if (!(await acquisitionsOfQ1().isVisible()))
      await page.getByRole('button', { name: 'Afficher tous les champs de Q1' }).click();
    await acquisitionsOfQ1().getByRole('button', { name: 'Importer un fichier' }).click();
    await importForm()
      .getByLabel('Fichier de relevé (X3P, PNG ou TIFF)')
      .setInputFiles(sharedDataPath('x3p-samples', 'KautschukInfiniteFocus.x3p'));
    await importForm().getByRole('button', { name: 'Importer', exact: true }).click();
    const corrections = page.getByTestId('import-corrections');
    await visible(corrections);
    const words = await text(corrections);
    assert.match(words, /points enregistrés comme infinis ont été lus comme non mesurés/);
    assert.doesNotMatch(words, /stored as infinity|read as invalid|NaN/, 'no reader English');
    await screenshot(page, '84-fr-import-corrections');
    await page.keyboard.press('Escape');
  });

  step('says what the audit check found in French, naming the item by the lab’s reference', async () => {
    await page.goto(`${station.url}#/admin`);
    await page.getByRole('button', { name: 'Vérifier le journal d’audit' }).click();
    const problems = page.getByTestId('audit-problems');
    await visible(problems);
    const words = await text(problems);
    assert.match(
      words,
      new RegExp(
        // Both values, typed text isolated (U+2068…U+2069): audited empty, stored now ".45 ACP".
        `Scellé ${caseNumber} / Q1 : Son champ « Calibre » diffère : audité «\u2068?\u2069?», enregistré maintenant «\u2068?\\.45 ACP\u2069?» \\(modifié en contournant le poste\\)`,
      ),
    );
    assert.doesNotMatch(words, /audit entr(y|ies) says?|changed around the station|item \d+/, 'no host English');
    assert.match(
      await text(page.getByTestId('audit-verify-result')),
      /Première entrée rompue|Le journal d’audit est rompu/,
    );
    await screenshot(page, '83-fr-audit-verify-problems');
  });

  step('ran without page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
