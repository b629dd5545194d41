// Layouts from 1024 × 700 up: the main screens at 1440 × 900 and 1024 × 700 (screenshots 9x-layout-*), none wider
// than the window (no sideways scrolling of the page), and the rig's live view a real picture at the small size
// (it was a strip 195 px wide beside a fixed 380 px control column).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openPage, launchBrowser, screenshot } from './support/browser.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { FirstRunPage } from './pages/AuthPages.ts';
import { CaseDetailPage, CaseListPage } from './pages/CasePages.ts';
import { ItemAcquisitionsPanel } from './pages/AcquisitionPages.ts';
import { RigPanelPage } from './pages/RigPages.ts';
import { ExaminationPage } from './pages/ExaminationPages.ts';
import { axeViolations, describeProblems } from './support/axe.ts';
import { translator } from '../fixtures/translator.ts';
import { sharedDataPath } from '../fixtures/sharedData.ts';
import { storySteps, until, visible } from './support/steps.ts';
import { rawCalls } from './support/rawCalls.ts';
import { decodePng } from '../../electron/analysis/calibration/png.ts';

const demoRig = JSON.parse(readFileSync(new URL('../../resources/rigs/demo.json', import.meta.url), 'utf8')) as {
  names: Record<string, string>;
};
const admin = { username: 'admin', displayName: 'Ada Admin', password: 'correct horse battery' };
const caseNumber = 'LAB-2026-0700';

let page: Page;
let pageErrors: string[] = [];
let compareHash = '';

const step = storySteps(async () => {
  await screenshot(page, '99-layouts-failure');
});

/**
 * The top rows of the comparison field as composited on screen: the share of each of the first rows that is a flat
 * strip (pure black, or near white) rather than the field's own drawing. Chromium used to crop the WebGL canvas's
 * picture wrongly where an opaque element (the fixed footer or header) covered part of it: the picture slid down
 * with a black band 2–3 px high along the field's top (Arabic at 1024 × 700, where the field's foot lay under the
 * footer). Field.tsx composites the field as a surface of its own.
 */
async function fieldTopStrip(rows = 4): Promise<{ shares: number[]; boxes: string }> {
  const box = (await page.getByTestId('field').boundingBox())!;
  // The whole window as composited (a clipped screenshot is drawn again and may not show what a person sees).
  const png = decodePng(await page.screenshot());
  const channels = png.data.length / (png.width * png.height);
  const shares: number[] = [];
  const [x0, x1] = [Math.ceil(box.x) + 2, Math.floor(box.x + box.width) - 2];
  for (let y = Math.ceil(box.y); y < Math.ceil(box.y) + rows; y++) {
    let flat = 0;
    for (let x = x0; x < x1; x++) {
      const i = (y * png.width + x) * channels;
      const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
      if (Math.max(r, g, b) <= 2 || Math.min(r, g, b) >= 235) flat++;
    }
    shares.push(Math.round((100 * flat) / (x1 - x0)) / 100);
  }
  const boxes = await page.evaluate(() => {
    const f = document.querySelector('[data-testid="field"]')!;
    const c = f.querySelector('canvas');
    const r = (e: Element | null) => {
      const b = e?.getBoundingClientRect();
      return b ? `${b.x.toFixed(2)},${b.y.toFixed(2)} ${b.width.toFixed(2)}×${b.height.toFixed(2)}` : 'none';
    };
    return `field ${r(f)} canvas ${r(c)} buffer ${c?.width}×${c?.height} frames ${c?.dataset.framesSubmitted}/${c?.dataset.framesCompleted}`;
  });
  return { shares, boxes };
}

/** How far the page is wider than the window (0 = no sideways scrolling), and the widest culprit. */
async function overflow(): Promise<{ by: number; culprit: string }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    let culprit = '';
    let widest = width;
    for (const el of document.querySelectorAll<HTMLElement>('main *')) {
      const right = el.getBoundingClientRect().right;
      if (right > widest + 1 && getComputedStyle(el).position !== 'fixed') {
        widest = right;
        culprit = `${el.tagName.toLowerCase()}.${[...el.classList].slice(0, 2).join('.')} "${(el.textContent ?? '').slice(0, 40)}"`;
      }
    }
    return { by: document.documentElement.scrollWidth - width, culprit };
  });
}

/** Boxes inside the page that scroll sideways (a table wider than its frame), with how far. */
async function sidewaysScrollers(): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('main *')]
      .filter((el) => /auto|scroll/.test(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + 1)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}.${[...el.classList].slice(0, 2).join('.')}: ${el.scrollWidth - el.clientWidth} px`,
      ),
  );
}

/**
 * Text cut inside `root` (a selector): an element holding text wider than itself that hides the rest ("…" or plain
 * clipping), or text that runs past the edge of a box that clips it. Boxes that scroll are not cutting (the page's
 * own width is checked by overflow()).
 */
async function clippedText(root: string): Promise<string[]> {
  return page.evaluate((selector) => {
    const cut: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(`${selector}, ${selector} *`)) {
      const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
      // Text hidden on purpose for screen readers (a 1 px clipped box) is not cut text.
      if (!ownText || el.getClientRects().length === 0 || el.clientWidth <= 1) continue;
      const style = getComputedStyle(el);
      const said = `"${el.textContent!.trim().slice(0, 50)}"`;
      if (/hidden|clip/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
        cut.push(`${said} (${el.scrollWidth} px in ${el.clientWidth})`);
        continue;
      }
      const box = el.getBoundingClientRect();
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        const overflowX = getComputedStyle(up).overflowX;
        if (/auto|scroll/.test(overflowX)) break;
        if (!/hidden|clip/.test(overflowX)) continue;
        const frame = up.getBoundingClientRect();
        if (box.right > frame.right + 1 || box.left < frame.left - 1) {
          cut.push(
            `${said} runs past the edge of ${up.tagName.toLowerCase()}.${[...up.classList].slice(0, 2).join('.')}`,
          );
          break;
        }
      }
    }
    return cut;
  }, root);
}

/**
 * Buttons and links inside `root` that sit closer than `least` px to a neighbour on the same line: two controls a
 * hair apart read as one ("Import fileCapture") and invite the wrong click.
 */
async function crampedControls(root: string, least = 8): Promise<string[]> {
  return page.evaluate(
    ([selector, min]) => {
      const controls = [...document.querySelectorAll<HTMLElement>(`${selector} :is(a, button)`)]
        .map((el) => ({ text: el.innerText.trim(), box: el.getBoundingClientRect() }))
        .filter((c) => c.box.width > 0 && c.text);
      const cramped: string[] = [];
      for (const [i, a] of controls.entries())
        for (const b of controls.slice(i + 1)) {
          const sameLine =
            Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top) >
            Math.min(a.box.height, b.box.height) / 2;
          const apart = Math.max(b.box.left - a.box.right, a.box.left - b.box.right);
          if (sameLine && apart < min) cramped.push(`"${a.text}" and "${b.text}" ${apart.toFixed(1)} px apart`);
        }
      return cramped;
    },
    [root, least] as const,
  );
}

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width - 1 && b.x < a.x + a.width - 1 && a.y < b.y + b.height - 1 && b.y < a.y + a.height - 1;

/** The longest values a case takes (the contract's limits), with no spaces where a reference has none. */
const longCase = {
  labCaseNumber: 'LAB-2026-0701-REFERRED-FROM-NORTHERN-DIS', // 40, the most allowed
  agency:
    'Metropolitan Police Department of the Greater Northern District, Firearms and Toolmarks Unit, Evidence Intake Section',
  agencyCaseNumber: 'MPD-GND-FTU-2026-000123456789-SUPPLEMENTARY-REFERENCE-00017', // 60, no space to break at
  offence:
    'Aggravated assault with a firearm and discharge of a firearm in a public place, followed by unlawful possession',
  receivedDate: '2026-11-21',
};

describe('layouts from 1024 × 700 up', { timeout: 900_000 }, () => {
  let station: RunningStation;
  let browser: Browser;
  let context: BrowserContext;
  /** Each main screen: its address, when it is ready in English, and in Arabic when a level-one heading is not enough. */
  const screens: { name: string; hash: string; ready: () => Promise<unknown>; rtlReady?: () => Promise<unknown> }[] =
    [];

  before(async () => {
    [station, browser] = await Promise.all([startStation({ timeoutMs: 60_000 }), launchBrowser()]);
    ({ context, page, pageErrors } = await openPage(browser, { timeoutMs: 15_000 }));
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await station?.stop();
  });

  step('sets up a station with a case, an item and an imported scan', async () => {
    await page.goto(station.url);
    await new FirstRunPage(page).setUp(admin);
    const list = new CaseListPage(page);
    await visible(list.heading());
    await list.createCase({ labCaseNumber: caseNumber, agency: 'Metro Police', receivedDate: '2026-11-20' });
    const detail = new CaseDetailPage(page);
    await visible(detail.heading(caseNumber));
    await detail.addItem({ kind: 'Cartridge case', exhibitNumber: 'Q1', calibre: '9mm Luger' });
    await detail.itemDetails('Q1');
    const panel = new ItemAcquisitionsPanel(page, 'Q1');
    await panel.importFile(sharedDataPath('fadul', 'fadul_1-1.x3p'));
    await visible(panel.importResult(), 60_000);
    const caseHash = await page.evaluate(() => location.hash);
    await panel.importResult().getByRole('link', { name: 'Open the viewer' }).click();
    await visible(page.getByTestId('relief'), 30_000);
    const viewerHash = await page.evaluate(() => location.hash);
    // A second casing, for the comparison workspace.
    await page.evaluate((hash) => (location.hash = hash), caseHash);
    await visible(detail.heading(caseNumber));
    await detail.addItem({ kind: 'Cartridge case', exhibitNumber: 'Q2', calibre: '9mm Luger' });
    await detail.itemDetails('Q2');
    const second = new ItemAcquisitionsPanel(page, 'Q2');
    await second.importFile(sharedDataPath('fadul', 'fadul_1-2.x3p'));
    await visible(second.importResult(), 60_000);
    const [sources] = await rawCalls(page, [{ method: 'search.sources', input: {} }]);
    const ids = (sources as { output: { acquisitionId: number; exhibitNumber: string }[] }).output;
    const idOf = (exhibit: string) => ids.find((s) => s.exhibitNumber === exhibit)!.acquisitionId;
    compareHash = `#/compare/${idOf('Q1')}/${idOf('Q2')}`;
    const heading = (name: RegExp | string) => () => visible(page.getByRole('heading', { name }).first());
    const same = <T>(ready: T) => ({ ready, rtlReady: ready }); // ready in any language
    screens.push(
      { name: 'case-list', hash: '#/cases', ready: heading('Cases') },
      { name: 'case-detail', hash: caseHash, ...same(heading(caseNumber)) },
      { name: 'acquisition', hash: viewerHash, ...same(() => visible(page.getByTestId('relief'), 30_000)) },
      { name: 'rig', hash: '#/rig', ...same(() => visible(new RigPanelPage(page).profile(), 30_000)) },
      { name: 'search', hash: '#/search', ready: heading(/Search/) },
      { name: 'calibration', hash: '#/calibration', ready: heading(/Calibration/) },
      { name: 'queue', hash: '#/queue', ready: heading(/queue/i) },
      { name: 'packages', hash: '#/packages', ready: heading(/packages/i) },
      { name: 'audit', hash: '#/audit', ready: heading(/Audit/) },
      { name: 'dashboard', hash: '#/dashboard', ready: heading(/dashboard/i) },
      { name: 'admin', hash: '#/admin', ready: heading(/Administration/) },
      { name: 'compare', hash: compareHash, ...same(() => new ExaminationPage(page).drawn()) },
      {
        name: 'search-results',
        hash: `#/search/acquisition/${idOf('Q1')}?dates=acquired&k=20&ran=1`,
        ...same(() => visible(page.getByTestId('search-banner'), 300_000)),
      },
      {
        name: 'case-item-open',
        hash: caseHash,
        ...same(async () => {
          await heading(caseNumber)();
          const table = page.getByTestId('acquisitions-Q1').getByRole('table');
          await page.waitForTimeout(300);
          if (!(await table.isVisible())) {
            // Opened by its button in the page's language (it stays open once opened).
            const words = await translator((await page.locator('html').getAttribute('lang')) ?? 'en');
            await page
              .getByRole('button', { name: words('items.showDetails', { exhibit: 'Q1' }), exact: true })
              .click();
          }
          await visible(table);
        }),
      },
    );
  });

  for (const [width, height] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    step(`every main screen fits ${width} × ${height} without sideways scrolling`, async () => {
      await page.setViewportSize({ width, height });
      const problems: string[] = [];
      for (const screen of screens) {
        await page.evaluate((hash) => (location.hash = hash), screen.hash);
        await screen.ready();
        await page.waitForTimeout(300);
        await screenshot(page, `9x-layout-${screen.name}-${width}`);
        const { by, culprit } = await overflow();
        if (by > 0) problems.push(`${screen.name}: ${by} px too wide (${culprit})`);
        // Badges, labels and names whole: nothing cut to "…" (the source badge read "IMPO…" at 1024 px).
        for (const cut of await clippedText('main')) problems.push(`${screen.name}: text cut ${cut}`);
      }
      assert.deepEqual(problems, []);
    });
  }

  step(
    'the comparison workspace from 1024 × 700 up: side pickers clear of the analysis panel, no name cut',
    async () => {
      const exam = new ExaminationPage(page);
      for (const [width, height] of [
        [1024, 700],
        [1440, 900],
      ] as const) {
        await page.setViewportSize({ width, height });
        await page.evaluate(() => (location.hash = '#/cases'));
        await page.evaluate((hash) => (location.hash = hash), compareHash);
        await exam.drawn();
        // The CMC figure beside the field: the analysis has arrived.
        await exam.analysed(300_000);
        await visible(page.getByTestId('workspace-panel').getByText('CMC', { exact: true }));
        await page.waitForTimeout(300);
        await screenshot(page, `9x-layout-compare-analysed-${width}`);
        const top = await fieldTopStrip();
        assert.ok(Math.max(...top.shares) < 0.5, `a flat strip along the field's top at ${width} px: ${top.boxes}`);
        // The page scrolled so that the field's foot lies a few pixels under the window's footer: its top stays whole.
        const footer = (await page.locator('footer').boundingBox())!;
        const field0 = (await exam.field().boundingBox())!;
        const by = Math.round(field0.y + field0.height - footer.y - 5);
        if (by > 0) {
          await page.evaluate((dy) => window.scrollBy(0, dy), by);
          await page.waitForTimeout(300);
          const scrolled = await fieldTopStrip();
          await page.evaluate(() => window.scrollTo(0, 0));
          assert.ok(
            Math.max(...scrolled.shares) < 0.5,
            `a flat strip along the field's top with its foot under the footer at ${width} px: ${scrolled.boxes}`,
          );
        }
        const panel = (await page.getByTestId('workspace-panel').boundingBox())!;
        const field = (await exam.field().boundingBox())!;
        for (const [letter, exhibit] of [
          ['A', 'Q1'],
          ['B', 'Q2'],
        ] as const) {
          const picker = (await page.getByTestId(`side-picker-${letter}`).boundingBox())!;
          const choice = (await page.getByTestId(`side-picture-${letter}`).boundingBox())!;
          for (const [what, box] of [
            ['picker', picker],
            ['picture choice', choice],
          ] as const) {
            assert.ok(
              !overlaps(box, panel),
              `${letter}'s ${what} ${JSON.stringify(box)} over the panel ${JSON.stringify(panel)}`,
            );
            assert.ok(box.x + box.width <= field.x + field.width + 1, `${letter}'s ${what} inside the field's column`);
          }
          const name = (await page.getByTestId(`side-name-${letter}`).innerText()).replace(/\s+/g, ' ');
          assert.equal(name, `${letter} ${caseNumber} / ${exhibit}`, `at ${width} px`);
        }
        // A on the left, B on the right, as drawn.
        const [a, b] = [
          (await page.getByTestId('side-picker-A').boundingBox())!,
          (await page.getByTestId('side-picker-B').boundingBox())!,
        ];
        assert.ok(a.x < b.x, 'A’s picker left of B’s');
        assert.deepEqual(
          await clippedText('[data-testid="workspace"]'),
          [],
          `no text cut in the workspace at ${width} px`,
        );
        assert.deepEqual((await overflow()).by, 0);
      }
      assert.deepEqual(pageErrors, []);
    },
  );

  step(
    'in Arabic (right to left) every main screen and dialog: screenshots, axe clean, nothing cut or mirrored wrongly',
    async () => {
      const ar = await translator('ar');
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.evaluate(() => (location.hash = '#/cases'));
      await page.getByRole('combobox', { name: 'Language' }).selectOption('ar');
      await until('the page right to left', async () => (await page.locator('html').getAttribute('dir')) === 'rtl');
      const caseHash = screens.find((s) => s.name === 'case-detail')!.hash;
      // The dialogs a person opens from these screens: guided capture and the package export.
      const dialogs = [
        {
          name: 'capture',
          hash: caseHash,
          open: () =>
            page
              .getByTestId('acquisitions-Q1')
              .getByRole('button', { name: ar('acquisition.capture'), exact: true })
              .click(),
        },
        { name: 'package-export', hash: caseHash, open: () => page.getByTestId('export-package').click() },
      ];
      const problems: string[] = [];
      for (const [width, height] of [
        [1440, 900],
        [1024, 700],
      ] as const) {
        await page.setViewportSize({ width, height });
        for (const screen of screens) {
          await page.evaluate(() => (location.hash = '#/cases'));
          await page.evaluate((hash) => (location.hash = hash), screen.hash);
          await (screen.rtlReady ?? (() => visible(page.locator('main h1').first(), 30_000)))();
          await page.waitForTimeout(300);
          await screenshot(page, `7x-ar-${screen.name}-${width}`);
          const nav = (await page.getByRole('navigation').first().boundingBox())!;
          const main = (await page.locator('main').boundingBox())!;
          if (!(nav.x > main.x)) problems.push(`${screen.name} ${width}: the navigation is not on the right`);
          const { by, culprit } = await overflow();
          if (by > 0) problems.push(`${screen.name} ${width}: ${by} px too wide (${culprit})`);
          for (const cut of await clippedText('main')) problems.push(`${screen.name} ${width}: text cut ${cut}`);
          if (width === 1440) problems.push(...describeProblems(`${screen.name} (ar)`, await axeViolations(page)));
          // The demo rig's name in Arabic, as its profile gives it (it stayed English).
          if (screen.name === 'rig' && (await page.getByTestId('rig-profile').innerText()) !== demoRig.names.ar)
            problems.push(`rig ${width}: profile named "${await page.getByTestId('rig-profile').innerText()}"`);
          if (screen.name === 'case-item-open')
            for (const cramped of await crampedControls('[data-testid="acquisitions-Q1"]'))
              problems.push(`${screen.name} ${width}: ${cramped}`);
          if (screen.name === 'compare') {
            // The stage draws A on the left in every language: its picker stays over it.
            const [a, b] = [
              (await page.getByTestId('side-picker-A').boundingBox())!,
              (await page.getByTestId('side-picker-B').boundingBox())!,
            ];
            if (!(a.x < b.x)) problems.push(`compare ${width}: A's picker is not on the left`);
            // The field's top whole in Arabic too (a black band lay along it at 1024 × 700).
            const top = await fieldTopStrip();
            if (Math.max(...top.shares) >= 0.5)
              problems.push(
                `compare ${width}: a flat strip along the field's top (${top.shares.join(', ')}): ${top.boxes}`,
              );
          }
        }
        for (const dialog of dialogs) {
          await page.evaluate(() => (location.hash = '#/cases'));
          await page.evaluate((hash) => (location.hash = hash), dialog.hash);
          await screens.find((s) => s.name === 'case-item-open')!.rtlReady!(); // the case, with Q1 opened
          await dialog.open();
          const shown = page.getByRole('dialog');
          await visible(shown);
          await page.waitForTimeout(500);
          await screenshot(page, `7x-ar-${dialog.name}-${width}`);
          for (const cut of await clippedText('[role="dialog"]'))
            problems.push(`${dialog.name} ${width}: text cut ${cut}`);
          if (width === 1440) problems.push(...describeProblems(`${dialog.name} (ar)`, await axeViolations(page)));
          await page.keyboard.press('Escape');
          await shown.waitFor({ state: 'detached' });
        }
      }
      await page.getByRole('combobox', { name: ar('shell.language') }).selectOption('en');
      await until('the page left to right', async () => (await page.locator('html').getAttribute('dir')) === 'ltr');
      await page.setViewportSize({ width: 1440, height: 900 });
      assert.deepEqual(problems, []);
    },
  );

  step('the case list fits 1024 × 700 with the longest values: no sideways scrolling, references kept', async () => {
    const [created] = await rawCalls(page, [{ method: 'cases.create', input: longCase }]);
    assert.equal(created?.t, 'result', JSON.stringify(created));
    const rowOf = () => page.getByRole('row').filter({ hasText: longCase.labCaseNumber });
    const agencyColumn = () => page.getByRole('columnheader', { name: 'Agency case number' });
    for (const [width, height] of [
      [1024, 700],
      [1440, 900],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.evaluate(() => (location.hash = '#/cases'));
      // A fresh list: the case was made over another connection, which a list already shown may not have heard of.
      await page.reload();
      await visible(rowOf(), 20_000);
      await page.waitForTimeout(300);
      await screenshot(page, `9x-layout-case-list-long-${width}`);
      assert.deepEqual(await sidewaysScrollers(), [], `at ${width} × ${height}`);
      assert.deepEqual((await overflow()).by, 0);
      // Every value is there to read, nothing cut: the agency's reference under the agency when its column folds.
      const row = await rowOf().innerText();
      for (const value of [longCase.labCaseNumber, longCase.agencyCaseNumber])
        assert.ok(row.replace(/\s+/g, '').includes(value), `${value} shown at ${width} px: ${row}`);
      if (width === 1024) {
        assert.equal(await agencyColumn().isVisible(), false, 'the agency reference column folds at 1024 px');
        await visible(rowOf().getByTestId('agency-reference'));
      } else {
        await visible(agencyColumn());
        assert.equal(await rowOf().getByTestId('agency-reference').isVisible(), false);
      }
    }
  });

  step('the rig live view is a real picture at 1024 × 700', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.evaluate(() => (location.hash = '#/rig'));
    const rig = new RigPanelPage(page);
    await visible(rig.profile(), 30_000);
    await until(
      'the live image laid out',
      async () => ((await page.getByTestId('live-canvas').boundingBox())?.width ?? 0) > 0,
    );
    const box = (await page.getByTestId('live-canvas').boundingBox())!;
    console.log(`live view at 1024 × 700: ${Math.round(box.width)} × ${Math.round(box.height)} px`);
    assert.ok(box.width >= 440, `live view ${Math.round(box.width)} px wide`);
    assert.ok(box.height >= 300, `live view ${Math.round(box.height)} px high`);
    assert.deepEqual(pageErrors, []);
  });

  // Known defect, found by review-ux (issue 16): marked todo so the suite stays green until it is fixed; remove the
  // todo then. The nine-screen check above opens the case page with its items closed, so it never saw this.
  it(
    'the case page with an item opened fits 1024 × 700: no sideways scrolling, every button inside the window',
    {},
    async () => {
      await page.setViewportSize({ width: 1024, height: 700 });
      await page.evaluate((hash) => (location.hash = hash), screens.find((s) => s.name === 'case-detail')!.hash);
      const detail = new CaseDetailPage(page);
      await visible(detail.heading(caseNumber));
      const table = new ItemAcquisitionsPanel(page, 'Q1').table();
      await page.waitForTimeout(300);
      if (!(await table.isVisible())) await detail.itemDetails('Q1'); // it stays open once opened
      await visible(table);
      const outside = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('main button')]
          .filter((b) => b.getBoundingClientRect().width > 0 && b.getBoundingClientRect().right > innerWidth)
          .map((b) => b.innerText),
      );
      await screenshot(page, '9x-layout-case-item-open-1024');
      assert.deepEqual({ scrollers: await sidewaysScrollers(), outside }, { scrollers: [], outside: [] });
    },
  );
});
