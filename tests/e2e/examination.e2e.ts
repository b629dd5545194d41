// Examination end to end, in Chromium against casebench serve, on real Fadul breech-face scans: an examiner opens
// a known match from search in the comparison workspace (drawn by WebGL), auto-aligns, drags the split line,
// annotates similar areas, takes a snapshot and records Identification; a manager assigns a second examiner who
// verifies blind (the host itself withholds the first conclusion from them: shown through the contract); the
// confirmed hit links both cases. A second pair goes to disagreement, a manager names an arbiter whose conclusion
// is final. A technician is refused, by the UI and by the host.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from './support/browser.ts';
import { greyCorrelation, pixelStats, shownPixels } from './support/fieldPixels.ts';
import { rawCalls, type RawBytes } from './support/rawCalls.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { storySteps, text, until, visible } from './support/steps.ts';
import { SignInPage } from './pages/AuthPages.ts';
import { ExaminationPage, WorklistPage } from './pages/ExaminationPages.ts';
import { createHost } from '../../electron/host/createHost.ts';
import { hashPassword } from '../../electron/host/services/passwords.ts';
import { seedScans } from '../fixtures/searchData.ts';
import type { Role } from '../../electron/contract/index.ts';

const password = 'correct horse battery';
const people = {
  admin: { username: 'admin', displayName: 'Ada Admin', role: 'admin' },
  examiner: { username: 'eve.examiner', displayName: 'Eve Examiner', role: 'examiner' },
  verifier: { username: 'vic.verifier', displayName: 'Vic Verifier', role: 'examiner' },
  arbiter: { username: 'ari.arbiter', displayName: 'Ari Arbiter', role: 'examiner' },
  manager: { username: 'mona.manager', displayName: 'Mona Manager', role: 'manager' },
  technician: { username: 'tom.tech', displayName: 'Tom Technician', role: 'technician' },
} as const satisfies Record<string, { username: string; displayName: string; role: Role }>;
type Person = keyof typeof people;

async function seed(dataDir: string) {
  const host = createHost({ dataDir, log: () => {} });
  try {
    const passwordHash = await hashPassword(password);
    const admin = host.auth.createUser({ userId: null, username: 'seed' }, { ...people.admin, passwordHash });
    for (const p of Object.values(people).slice(1))
      host.auth.createUser({ userId: admin.id, username: admin.username }, { ...p, passwordHash });
    // Q1 and K1 come from one slide (a known match), X1 from another.
    seedScans(host, admin.id, [
      { scan: '1-1', caseNumber: 'LAB-2026-0100', exhibit: 'Q1' },
      { scan: '1-2', caseNumber: 'LAB-2025-0007', exhibit: 'K1' },
      { scan: '2-1', caseNumber: 'LAB-2024-0033', exhibit: 'X1' },
    ]);
  } finally {
    await host.close();
  }
}

describe('examination in Chromium against casebench serve', { timeout: 900_000 }, () => {
  let station: RunningStation;
  let browser: Browser;
  const contexts = new Map<Person, { context: BrowserContext; page: Page; errors: string[] }>();
  let current: Page | null = null;

  /** A signed-in page per person, each in its own browser context (its own session). */
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
    if (current) await screenshot(current, `79-examination-failure-${name.slice(0, 30).replace(/\W+/g, '-')}`);
  });

  before(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'casebench-e2e-examination-'));
    await seed(dataDir);
    [station, browser] = await Promise.all([startStation({ dataDir }), launchBrowser()]);
  });

  after(async () => {
    await browser?.close();
    await station?.stop();
  });

  let comparisonUrl = '';

  step('an examiner opens a Fadul known match from search and sees both surfaces drawn', async () => {
    const page = await as('examiner');
    await page.evaluate(() => (location.hash = '/cases/1'));
    await page.getByRole('link', { name: 'Search the database for Q1' }).click();
    const form = page.getByRole('form', { name: 'Search' });
    await form.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('search-banner').waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Compare with LAB-2025-0007 / K1' }).click();
    const exam = new ExaminationPage(page);
    await exam.drawn();
    comparisonUrl = page.url();
    assert.equal(await exam.stateText(), 'Open');
    assert.match(
      await text(page.getByRole('heading', { name: /^Comparison:/ })),
      /LAB-2026-0100 \/ Q1 and LAB-2025-0007 \/ K1/,
    );
    // What the screen shows: two shaded reliefs (many grey levels) and their unmeasured areas hatched.
    const shown = pixelStats(await shownPixels(exam.canvas()));
    assert.ok(shown.greys > 60, `shaded surfaces on screen: ${JSON.stringify(shown)}`);
    assert.ok(shown.hatched > 1000, `unmeasured areas hatched: ${JSON.stringify(shown)}`);
    await screenshot(page, '80-exam-workspace-side');
  });

  step('auto-aligns B on A from the analysis registration, and relights both with one light', async () => {
    const page = current!;
    const exam = new ExaminationPage(page);
    await exam.analysed();
    assert.equal(await exam.rotationOnA(), 0, 'B sits unrotated before alignment');
    await page.keyboard.press('m');
    // The registration of this known match turns B by about −23° (the analysis' own figure is shown beside it).
    await until('B rotated onto A', async () => Math.abs(await exam.rotationOnA()) > 5);
    const registration = (await text(page.getByText(/^Registration of B onto A/))).match(/θ = (-?[\d.]+)°/)![1];
    assert.ok(Math.abs((await exam.rotationOnA()) - Number(registration)) < 0.11, 'placed by the registration');
    // One light over both: turned half a circle, light and shadow swap on the screen.
    await page.waitForTimeout(300);
    const before = await shownPixels(exam.canvas());
    for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+D'); // 4 × 45°
    await until('the light turned', async () =>
      /Light direction: 135°/.test(await text(page.getByText(/^Light direction: /))),
    );
    await page.waitForTimeout(400);
    const swapped = greyCorrelation(before, await shownPixels(exam.canvas()));
    assert.ok(swapped < -0.3, `opposite light swaps light and shadow on both surfaces: ${swapped}`);
    for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+A');
  });

  step('drags the split line over one merged field', async () => {
    const page = current!;
    const exam = new ExaminationPage(page);
    await page.keyboard.press('v'); // side by side → split line
    await page.waitForFunction(
      () => document.querySelector('[data-testid="field"]')?.getAttribute('data-mode') === 'split',
    );
    const handle = exam.splitHandle();
    await visible(handle);
    assert.equal(await handle.getAttribute('aria-valuenow'), '50');
    const box = (await handle.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 150, box.y + box.height / 2, { steps: 6 });
    await page.mouse.up();
    const moved = Number(await handle.getAttribute('aria-valuenow'));
    assert.ok(moved < 40 && moved > 20, `split line dragged left: ${moved} %`);
    // The keyboard moves it too (PageUp: 10 %).
    await handle.focus();
    await page.keyboard.press('PageUp');
    assert.equal(Number(await handle.getAttribute('aria-valuenow')), moved + 10);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('y'); // the CMC cells over the merged field
    await until('cells drawn', async () => (await page.locator('[data-testid="field"] path[data-cell]').count()) > 9);
    await screenshot(page, '81-exam-workspace-split');
  });

  step(
    'explains the likelihood ratio: Tippett and cross-entropy plots of the model, this comparison marked',
    async () => {
      const page = current!;
      const exam = new ExaminationPage(page);
      // The LR sits beside the CMC count in the analysis tab, and its own tab explains it.
      const line = await text(page.getByTestId('compare-lr'));
      const log10Lr = Number(line.match(/log₁₀ LR (-?[\d.]+)/)![1]);
      assert.ok(log10Lr > 0, `a known match's LR favours one firearm: ${line}`);
      await exam.tab('Likelihood ratio').click();
      assert.match(
        await text(page.getByTestId('lr-value')),
        new RegExp(`log₁₀ likelihood ratio ${log10Lr.toFixed(2)} `),
      );
      await visible(page.getByTestId('lr-model'));
      assert.match(await text(page.getByTestId('lr-model')), /63 known-match and 717 known-non-match pairs/);
      for (const [plot, at] of [
        ['lr-tippett', log10Lr],
        ['lr-ece', -log10Lr],
      ] as const) {
        const svg = page.getByTestId(plot);
        await visible(svg);
        // Curves drawn (known matches, non-matches / the LRs, PAV, LR = 1) and the marker at this comparison's value,
        // inside the plotted area.
        assert.ok((await svg.locator('path').count()) >= 2, `${plot}: curves drawn`);
        const marker = page.getByTestId(`${plot}-marker`);
        assert.ok(Math.abs(Number(await marker.getAttribute('data-value')) - at) < 0.006, `${plot}: marker at ${at}`);
        const x = Number(await marker.getAttribute('x1'));
        const [, , width] = (await svg.getAttribute('viewBox'))!.split(' ').map(Number);
        assert.ok(x > 0 && x < width!, `${plot}: marker inside the plot (x = ${x} of ${width})`);
        assert.match((await svg.getAttribute('aria-label'))!, /marked/);
      }
      // The reading of the Tippett plot at this LR: no known non-match of the validation reached it.
      assert.match(await text(page.getByTestId('lr-tippett-reading')), /and 0\.0 % of the known non-matches/);
      await screenshot(page, '88-exam-likelihood-ratio');
      await exam.tab('Analysis').click();
    },
  );

  step('annotates a similar area on B and on A, each saved with its layer and note', async () => {
    const page = current!;
    const exam = new ExaminationPage(page);
    const box = (await exam.field().boundingBox())!;
    const draw = async (side: '1' | '2', corners: Array<[number, number]>, note: string) => {
      await page.keyboard.press(side);
      await page.keyboard.press('o');
      for (const [x, y] of corners) await page.mouse.click(box.x + box.width * x, box.y + box.height * y);
      await page.keyboard.press('Enter');
      const dialog = exam.annotationDialog();
      await visible(dialog);
      await dialog.getByText('Similar', { exact: true }).click();
      await dialog.getByRole('textbox', { name: 'Note' }).fill(note);
      await dialog.getByRole('button', { name: 'Save annotation' }).click();
      await dialog.waitFor({ state: 'detached' });
    };
    await draw(
      '2',
      [
        [0.62, 0.35],
        [0.72, 0.33],
        [0.74, 0.45],
        [0.63, 0.47],
      ],
      'Parallel breech-face marks, upper right',
    );
    await draw(
      '1',
      [
        [0.22, 0.55],
        [0.3, 0.52],
        [0.32, 0.62],
        [0.24, 0.64],
      ],
      'Same marks continue on Q1',
    );
    await page.keyboard.press('Escape');
    await until('two annotations listed', async () =>
      /Annotations \(2\)/.test(await exam.tab(/^Annotations/).innerText()),
    );
    await exam.tab(/^Annotations/).click();
    const panel = page.getByTestId('annotations-panel');
    assert.match(await text(panel), /Parallel breech-face marks, upper right/);
    assert.match(await text(panel), /Similar on B/i);
    assert.match(await text(panel), /Similar on A/i);
    assert.equal((await page.locator('[data-testid="field"] path[data-shape^="annotation-"]').count()) >= 2, true);
    await screenshot(page, '82-exam-annotated');
  });

  step('takes a high-resolution snapshot, stored as evidence with its view', async () => {
    const page = current!;
    const exam = new ExaminationPage(page);
    await page.keyboard.press('t');
    await visible(page.getByText(/Snapshot \d+ stored as evidence\./), 60_000);
    await until('one snapshot listed', async () => /Snapshots \(1\)/.test(await exam.tab(/^Snapshots/).innerText()));
    await exam.tab(/^Snapshots/).click();
    const meta = await text(page.getByTestId('snapshots-panel'));
    assert.match(meta, /A: LAB-2026-0100 \/ Q1\s+B: LAB-2025-0007 \/ K1/);
    const size = meta.match(/(\d+) × (\d+) px/)!;
    assert.ok(Number(size[1]) >= 2000, `snapshot wider than the screen: ${size[0]}`);
    // The stored picture is a PNG of that size (read back through the contract: signature and header).
    const [content] = await rawCalls(page, [{ method: 'snapshots.content', input: { id: 1 } }]);
    assert.equal(content!.t, 'result');
    const head = (content as { output: { bytes: RawBytes } }).output.bytes.head;
    assert.deepEqual(head.slice(1, 4), [0x50, 0x4e, 0x47]); // "PNG"
    const width = (head[16]! << 24) | (head[17]! << 16) | (head[18]! << 8) | head[19]!;
    assert.equal(width, Number(size[1]));
  });

  step('records Identification with its basis; the policy sends it to blind verification', async () => {
    const page = current!;
    const exam = new ExaminationPage(page);
    await exam.conclude(
      'Identification',
      'Agreement of the breech-face marks across the split line at the registration found by the analysis; both annotated areas correspond.',
    );
    await exam.waitForState('Awaiting verification');
    const records = await text(page.getByTestId('conclusions'));
    assert.match(records, /Examination\s*Identification/i);
    assert.match(records, /1 snapshot\(s\), 2 annotation\(s\)/);
    assert.match(records, /Score shown: \d+ CMC/);
    await screenshot(page, '83-exam-conclusion');
  });

  step('a manager assigns a second examiner as blind verifier from the worklist', async () => {
    const page = await as('manager');
    await page.evaluate(() => (location.hash = '/examinations'));
    await new WorklistPage(page).open('Assign a verifier');
    const exam = new ExaminationPage(page);
    await exam.tab('Conclusion').click();
    const select = page.getByTestId('assign-verifier');
    await select.click();
    // The examiner is offered but not eligible (the host says why); the second examiner is.
    await visible(page.getByRole('option', { name: /Eve Examiner — / }));
    await page.getByRole('option', { name: 'Vic Verifier' }).click();
    await page.getByRole('button', { name: 'Assign verifier' }).click();
    await until(
      'verifier assigned',
      async () => (await page.getByTestId('verification-state').getAttribute('data-state')) === 'assigned',
    );
    await screenshot(page, '85-exam-manager-assigns');
  });

  step(
    'the verifier works blind: nothing of the first examination reaches them, not even through the contract',
    async () => {
      const page = await as('verifier');
      await page.evaluate(() => (location.hash = '/examinations'));
      await new WorklistPage(page).open('Verify');
      const exam = new ExaminationPage(page);
      await exam.drawn();
      await visible(page.getByTestId('blind-banner'));
      assert.match(await exam.tab(/^Annotations/).innerText(), /\(0\)/);
      assert.match(await exam.tab(/^Snapshots/).innerText(), /\(0\)/);
      await exam.tab('Conclusion').click();
      assert.equal(await page.getByTestId('conclusions').count(), 0);
      assert.equal(await page.getByTestId('comparison-conclusion').count(), 0);
      // Straight to the host: the workspace, the annotation and the snapshot of the first examination are withheld.
      const [workspace, annotation, snapshot, records] = await rawCalls(page, [
        { method: 'examinations.get', input: { comparisonId: 1 } },
        { method: 'annotations.history', input: { id: 1 } },
        { method: 'snapshots.content', input: { id: 1 } },
        { method: 'audit.forCase', input: { caseId: 1, limit: 200 } },
      ]);
      assert.equal(workspace!.t, 'result');
      const w = (
        workspace as {
          output: {
            conclusions: unknown[];
            annotations: unknown[];
            snapshots: unknown[];
            comparison: { conclusion: unknown };
          };
        }
      ).output;
      assert.deepEqual(
        [w.conclusions.length, w.annotations.length, w.snapshots.length, w.comparison.conclusion],
        [0, 0, 0, null],
      );
      assert.equal(annotation!.t, 'error', 'the first examiner’s annotation is refused');
      assert.equal(snapshot!.t, 'error', 'the first examiner’s snapshot is refused');
      // The case history is readable to them (case.read), without the first conclusion.
      assert.equal(records!.t, 'result', 'the verifier reads the case history');
      assert.doesNotMatch(
        JSON.stringify((records as { output: unknown }).output),
        /identification/i,
        'no conclusion in the case history either',
      );
      await screenshot(page, '84-exam-blind-verifier');
    },
  );

  step('the verifier records an independent Identification: agreement closes it, and the first is shown', async () => {
    const page = current!;
    const exam = new ExaminationPage(page);
    await exam.conclude('Identification', 'Independent comparison: breech-face marks agree over most of the annulus.');
    await exam.waitForState('Verified');
    await until(
      'both conclusions shown',
      async () => (await page.locator('[data-testid="conclusions"] [data-conclusion]').count()) === 2,
    );
    assert.equal(await page.getByTestId('blind-banner').count(), 0);
  });

  step('the examiner confirms the hit, and both case pages show the linked case with the conclusion', async () => {
    const page = await as('examiner');
    await page.goto(comparisonUrl);
    const exam = new ExaminationPage(page);
    await exam.tab('Conclusion').click();
    await page.getByRole('button', { name: 'Confirm hit' }).click();
    await visible(page.getByTestId('hit'));
    for (const [caseId, other] of [
      [1, 'LAB-2025-0007 / K1'],
      [2, 'LAB-2026-0100 / Q1'],
    ] as const) {
      await page.evaluate((id) => (location.hash = `/cases/${id}`), caseId);
      const linked = page.getByTestId('linked-cases');
      await visible(linked);
      const words = await text(linked);
      assert.match(words, new RegExp(other.replace('/', '\\/')));
      assert.match(words, /Identification/i);
    }
    await screenshot(page, '86-case-linked');
  });

  step('a disagreement goes to a manager, who names an arbiter whose conclusion is final', async () => {
    // The examiner eliminates Q1 against X1 (another slide).
    const examiner = await as('examiner');
    await examiner.evaluate(() => (location.hash = '/compare/1/3?from=manual'));
    const exam = new ExaminationPage(examiner);
    await exam.drawn();
    await exam.conclude('Elimination', 'The breech-face marks disagree over the whole annulus.');
    await exam.waitForState('Awaiting verification');
    const pairUrl = examiner.url();
    // The manager assigns the verifier, who disagrees (Inconclusive C).
    const manager = await as('manager');
    await manager.goto(pairUrl);
    await new ExaminationPage(manager).tab('Conclusion').click();
    await manager.getByTestId('assign-verifier').click();
    await manager.getByRole('option', { name: 'Vic Verifier' }).click();
    await manager.getByRole('button', { name: 'Assign verifier' }).click();
    const verifier = await as('verifier');
    await verifier.goto(pairUrl);
    const vexam = new ExaminationPage(verifier);
    await vexam.conclude('Inconclusive C', 'Some disagreement, not enough for an elimination in my view.');
    await vexam.waitForState('Disputed');
    // Why they cannot conclude again, in words (the host sends a code).
    assert.equal(
      (await text(verifier.getByTestId('cannot-conclude'))).trim(),
      'The verifier disagreed: a manager assigns an arbiter.',
    );
    // The manager sees the dispute in the worklist and names a third examiner as arbiter.
    await manager.evaluate(() => (location.hash = '/examinations'));
    await new WorklistPage(manager).open('Assign an arbiter');
    const mexam = new ExaminationPage(manager);
    await mexam.tab('Conclusion').click();
    await manager.getByTestId('assign-arbiter').click();
    await manager.getByRole('option', { name: 'Ari Arbiter' }).click();
    await manager.getByRole('button', { name: 'Assign arbiter' }).click();
    await until(
      'arbiter assigned',
      async () => (await manager.getByTestId('verification-state').getAttribute('data-state')) === 'arbitrating',
    );
    // The arbiter concludes; that conclusion is final.
    const arbiter = await as('arbiter');
    await arbiter.evaluate(() => (location.hash = '/examinations'));
    await new WorklistPage(arbiter).open('Arbitrate');
    const aexam = new ExaminationPage(arbiter);
    await aexam.conclude('Elimination', 'Arbitration: the class and individual marks disagree.');
    await aexam.waitForState('Verified');
    assert.equal((await arbiter.getByTestId('comparison-conclusion').textContent())?.trim(), 'Elimination');
    assert.equal(await arbiter.getByTestId('verification-state').getAttribute('data-state'), 'arbitrated');
  });

  step('a technician is refused: no examinations in the menu, the page and the host say no', async () => {
    const page = await as('technician');
    assert.equal(await page.getByRole('link', { name: 'Examinations' }).count(), 0);
    await page.evaluate(() => (location.hash = '/examinations/1'));
    await visible(page.getByText('Your role does not give access to this page.'));
    const answers = await rawCalls(page, [
      { method: 'examinations.get', input: { comparisonId: 1 } },
      { method: 'examinations.open', input: { a: 1, b: 2 } },
      { method: 'conclusions.record', input: { comparisonId: 1, conclusion: 'identification', basis: 'no' } },
    ]);
    for (const a of answers) assert.equal(a.t === 'error' && a.error.code, 'forbidden');
  });

  step('ran without page errors', async () => {
    const errors = [...contexts.entries()].flatMap(([who, c]) => c.errors.map((e) => `${who}: ${e}`));
    assert.deepEqual(errors, []);
  });
});
