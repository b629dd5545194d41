// The workspace on awkward inputs (issue 12, bad input and faults), in Chromium against casebench serve:
//   - two acquisitions of different pixel sizes (Fadul 1-2 re-sampled to twice its pixel) are drawn at one scale in
//     micrometres and the screen says which one is resampled;
//   - the same annotation amended at once from two windows: the second save meets the row-version conflict, is
//     shown what is stored now, keeps what was typed, and saves it on top; every revision stays in the history;
//   - one side 2D only (a ring-light PNG against an X3P): both are drawn and compared, the 3D tools are off and the
//     screen says why.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from './support/browser.ts';
import { pixelStats, shownPixels, type ShownPixels } from './support/fieldPixels.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { storySteps, text, until, visible } from './support/steps.ts';
import { SignInPage } from './pages/AuthPages.ts';
import { ExaminationPage } from './pages/ExaminationPages.ts';
import { createHost } from '../../electron/host/createHost.ts';
import { hashPassword } from '../../electron/host/services/passwords.ts';
import { readX3P } from '../../electron/analysis/x3p/index.ts';
import { writeX3P } from '../../electron/analysis/x3p/write.ts';
import type { Surface } from '../../electron/analysis/surface.ts';
import { fadulFile, seedImportedPicture, seedScans } from '../fixtures/searchData.ts';

const password = 'correct horse battery';
const examiner = { username: 'eve.examiner', displayName: 'Eve Examiner', role: 'examiner' } as const;

/** A scan with every 2 × 2 block of points averaged into one (missing where all four are): twice the pixel size. */
function halved(surface: Surface): Surface {
  const width = Math.floor(surface.width / 2);
  const height = Math.floor(surface.height / 2);
  const z = new Float64Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let sum = 0;
      let n = 0;
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        const v = surface.z[(2 * y + dy) * surface.width + 2 * x + dx]!;
        if (v === v) {
          sum += v;
          n++;
        }
      }
      z[y * width + x] = n ? sum / n : NaN;
    }
  return { width, height, dx: surface.dx * 2, dy: surface.dy * 2, z };
}

async function seed(dataDir: string) {
  const host = createHost({ dataDir, log: () => {} });
  try {
    const passwordHash = await hashPassword(password);
    const admin = host.auth.createUser(
      { userId: null, username: 'seed' },
      { username: 'admin', displayName: 'Ada Admin', role: 'admin', passwordHash },
    );
    const coarse = writeX3P(halved(readX3P(readFileSync(fadulFile('1-2'))).surface), {
      record2: {
        date: '2026-01-01T00:00:00Z',
        creator: 'casebench e2e',
        instrument: { manufacturer: 'NIST', model: '2 × 2 block average', serial: '-', version: '-' },
        calibrationDate: '2026-01-01T00:00:00Z',
        probingSystem: { type: 'Software', identification: 'block average' },
        comment: 'Fadul 1-2 at twice its pixel size',
      },
      dataType: 'F',
    });
    // 1 and 2: one slide at two pixel sizes; 3: an X3P to set against the 2D picture (4).
    seedScans(host, admin.id, [
      { scan: '1-1', caseNumber: 'LAB-2026-0200', exhibit: 'Q1' },
      { scan: coarse, caseNumber: 'LAB-2026-0201', exhibit: 'K1' },
      { scan: '2-1', caseNumber: 'LAB-2026-0202', exhibit: 'X1' },
    ]);
    // A 2D ring-light picture, imported as a user imports one (no pixel size, no topography).
    seedImportedPicture(host, admin.id, 'LAB-2026-0203');
    host.auth.createUser({ userId: admin.id, username: admin.username }, { ...examiner, passwordHash });
  } finally {
    await host.close();
  }
}

const background = new Set(['18,18,20', '26,27,30']);

/** Width of what is drawn (not the field's background) in the left and the right half of a side-by-side field. */
function drawnWidths(p: ShownPixels): [number, number] {
  const half = Math.floor(p.width / 2);
  return [0, 1].map((side) => {
    let min = Infinity;
    let max = -Infinity;
    for (let y = 0; y < p.height; y += 4)
      for (let x = side * half; x < (side + 1) * half; x++) {
        const i = (y * p.width + x) * 3;
        if (background.has(`${p.rgb[i]},${p.rgb[i + 1]},${p.rgb[i + 2]}`)) continue;
        min = Math.min(min, x);
        max = Math.max(max, x);
      }
    return max - min;
  }) as [number, number];
}

describe('the workspace on awkward inputs, in Chromium against casebench serve', { timeout: 600_000 }, () => {
  let station: RunningStation;
  let browser: Browser;
  const windows: Array<{ context: BrowserContext; page: Page; errors: string[] }> = [];

  /** A new window signed in as the examiner (its own session), showing `hash`. */
  async function window(hash: string): Promise<Page> {
    const { context, page, pageErrors } = await openPage(browser, { height: 1000, timeoutMs: 20_000 });
    windows.push({ context, page, errors: pageErrors });
    await page.goto(station.url);
    await new SignInPage(page).signIn(examiner.username, password);
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    await page.evaluate((h) => (location.hash = h), hash);
    return page;
  }

  const story = (prefix: string) =>
    storySteps(async (name) => {
      const page = windows.at(-1)?.page;
      if (page) await screenshot(page, `79-${prefix}-failure-${name.slice(0, 30).replace(/\W+/g, '-')}`);
    });

  before(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'casebench-e2e-exam-inputs-'));
    await seed(dataDir);
    [station, browser] = await Promise.all([startStation({ dataDir }), launchBrowser()]);
  });

  after(async () => {
    await browser?.close();
    await station?.stop();
  });

  story('pixel-sizes')('two pixel sizes are drawn at one scale, and the screen says one is resampled', async () => {
    const page = await window('/compare/1/2');
    const exam = new ExaminationPage(page);
    await exam.drawn();
    const notice = await text(page.getByTestId('notice-resampled'));
    const [, a, b] = notice.match(/Different pixel sizes: A ([\d.]+) µm, B ([\d.]+) µm/) ?? [];
    assert.ok(a && b, `the notice names both pixel sizes: ${notice}`);
    assert.ok(Math.abs(Number(b) / Number(a) - 2) < 0.02, `B has twice A's pixel: ${notice}`);
    assert.match(notice, /LAB-2026-0200 \/ Q1 is resampled on screen/);
    // One scale in micrometres: the two casings (one slide, same extent) take the same width on screen, although
    // B has half as many points a side.
    const [wa, wb] = drawnWidths(await shownPixels(exam.canvas()));
    assert.ok(wa > 100 && Math.abs(wb / wa - 1) < 0.1, `drawn widths A ${wa} px, B ${wb} px`);
  });

  story('annotation-conflict')(
    'the same annotation amended from two windows: the conflict is shown, nothing typed is lost',
    async () => {
      const first = await window('/compare/1/2');
      const exam = new ExaminationPage(first);
      await exam.drawn();
      // A polygon on B, saved as a similar area.
      const box = (await exam.field().boundingBox())!;
      await first.keyboard.press('2');
      await first.keyboard.press('o');
      for (const [x, y] of [
        [0.62, 0.35],
        [0.72, 0.33],
        [0.74, 0.45],
        [0.63, 0.47],
      ])
        await first.mouse.click(box.x + box.width * x, box.y + box.height * y);
      await first.keyboard.press('Enter');
      const created = exam.annotationDialog();
      await visible(created);
      await created.getByRole('textbox', { name: 'Note' }).fill('Parallel marks, upper right');
      await created.getByRole('button', { name: 'Save annotation' }).click();
      await created.waitFor({ state: 'detached' });
      await first.keyboard.press('Escape');

      // The same examiner in a second window, on the same comparison.
      const second = await window(new URL(first.url()).hash.slice(1));
      const exam2 = new ExaminationPage(second);
      await visible(exam2.tab(/^Annotations/), 30_000);
      const amendIn = async (page: Page) => {
        const e = new ExaminationPage(page);
        await e.tab(/^Annotations/).click();
        await page.getByTestId('annotations-panel').getByRole('button', { name: 'Amend' }).click();
        const dialog = e.annotationDialog();
        await visible(dialog);
        return dialog;
      };
      // Both open the amendment of revision 1.
      const dialog1 = await amendIn(first);
      const dialog2 = await amendIn(second);
      await dialog1.getByRole('textbox', { name: 'Note' }).fill('Parallel marks, upper right, and a firing-pin drag');
      await dialog1.getByRole('textbox', { name: 'Reason' }).fill('Extended after a second look');
      await dialog1.getByRole('button', { name: 'Amend' }).click();
      await dialog1.waitFor({ state: 'detached' });

      await dialog2.getByRole('textbox', { name: 'Note' }).fill('Parallel marks only in the upper right third');
      await dialog2.getByRole('textbox', { name: 'Reason' }).fill('Narrowed the area');
      await dialog2.getByRole('button', { name: 'Amend' }).click();
      // Refused with the row as it is now; what this window typed is still there.
      const refusal = dialog2.getByRole('alert').filter({ hasText: 'meanwhile' });
      await visible(refusal);
      assert.match(await text(refusal), /Eve Examiner changed this annotation meanwhile/);
      assert.match(await text(dialog2), /Stored now[\s\S]*and a firing-pin drag[\s\S]*revision 2/);
      assert.equal(
        await dialog2.getByRole('textbox', { name: 'Note' }).inputValue(),
        'Parallel marks only in the upper right third',
      );
      assert.equal(await dialog2.getByRole('textbox', { name: 'Reason' }).inputValue(), 'Narrowed the area');
      await screenshot(second, '87-exam-annotation-conflict');
      // Saved again: applied on top of what the first window stored.
      await dialog2.getByRole('button', { name: 'Amend' }).click();
      await dialog2.waitFor({ state: 'detached' });
      const panel = second.getByTestId('annotations-panel');
      await until('the second window shows its amendment', async () =>
        /upper right third[\s\S]*revision 3/.test(await text(panel)),
      );
      // Every revision kept: the original, the first window's, the second's.
      await panel.getByRole('button', { name: 'History' }).click();
      const history = second.getByRole('dialog');
      await visible(history);
      await until('three revisions in the history', async () => (await history.locator('tbody tr').count()) === 3);
      const rows = await text(history);
      assert.match(rows, /Parallel marks, upper right[\s\S]*and a firing-pin drag[\s\S]*upper right third/);
      assert.match(rows, /Extended after a second look[\s\S]*Narrowed the area/);
      // The first window follows.
      await until('the first window shows revision 3', async () =>
        /upper right third/.test(await text(first.getByTestId('annotations-panel'))),
      );
    },
  );

  story('two-d')('one side 2D only: both are drawn and compared, the 3D tools are off and say why', async () => {
    const page = await window('/compare/3/4');
    const exam = new ExaminationPage(page);
    await exam.drawn('topography|original');
    const off = await text(page.getByTestId('tools-3d-off'));
    assert.match(off, /LAB-2026-0203 \/ P1 has no topography: the 2D images are compared; 3D tools .* are off/);
    assert.equal(await exam.autoAlign().isDisabled(), true, 'auto-align needs both topographies');
    assert.equal(
      await page.getByRole('radiogroup', { name: 'Tool' }).getByRole('radio', { name: 'Profile' }).isDisabled(),
      true,
      'line profiles need both topographies',
    );
    await exam.tab('Analysis').click();
    assert.match(await text(page.getByRole('tabpanel')), /has no topography/);
    // The 2D comparison itself works: both pictures on screen, and a blend of the two changes with the mix.
    const sideBySide = pixelStats(await shownPixels(exam.canvas()));
    assert.ok(sideBySide.greys > 60, `both pictures drawn: ${JSON.stringify(sideBySide)}`);
    const light0 = await shownPixels(exam.canvas());
    await page.keyboard.press('d'); // the light key does nothing to a 2D comparison
    await page.waitForTimeout(300);
    const light1 = await shownPixels(exam.canvas());
    assert.deepEqual(light1.rgb, light0.rgb, 'the light key changes nothing');
    assert.equal(await text(page.locator('#exam-light-azimuth')), 'Light direction: 315°', 'the light stays');
    await exam.mode('Blend').click();
    await until('blend mode', async () => (await exam.field().getAttribute('data-mode')) === 'blend');
    const before = await shownPixels(exam.canvas());
    for (let i = 0; i < 4; i++) await page.keyboard.press('.');
    await page.waitForTimeout(300);
    const afterMix = await shownPixels(exam.canvas());
    let changed = 0;
    for (let i = 0; i < before.rgb.length; i += 3) if (before.rgb[i] !== afterMix.rgb[i]) changed++;
    assert.ok(changed > 1000, `the blend follows the mix: ${changed} pixels changed`);
    await screenshot(page, '88-exam-2d-against-3d');
  });

  story('errors')('ran without page errors', () => {
    assert.deepEqual(
      windows.flatMap((w) => w.errors),
      [],
    );
  });
});
