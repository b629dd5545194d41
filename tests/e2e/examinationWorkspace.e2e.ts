// The comparison microscope's tools as an examiner uses them, with the mouse and the keyboard, in Chromium against
// casebench serve on two real Fadul breech-face scans (one slide: a known match). Every check reads a real outcome:
// the field's pixels as composited on screen, the snapshot PNG as stored (decoded), the records the host keeps.
//   - the comparison is opened from an item's acquisitions list (the compare picker);
//   - a snapshot: a PNG with a scale bar of a round length at the view's scale and a caption band naming both items,
//     stored as evidence (hash) with its view; "Show this view" puts that exact view back;
//   - the lock: unlocked, one side moves alone; locked again, the offset stays and a pan moves both;
//   - overlay modes against the blend of the two (difference, checkerboard), false colour by height, enhanced
//     contrast and relief exaggeration each change the picture measurably, and going back restores it;
//   - a line profile drawn across both surfaces: one plot, two traces.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from './support/browser.ts';
import {
  bestShift,
  changedShare,
  detailEnergy,
  settledPixels,
  shiftError,
  surfaceGrey,
} from './support/fieldCompare.ts';
import { pixelStats, type ShownPixels } from './support/fieldPixels.ts';
import { rawCalls, type RawBytes } from './support/rawCalls.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { storySteps, text, until, visible } from './support/steps.ts';
import { SignInPage } from './pages/AuthPages.ts';
import { CaseDetailPage } from './pages/CasePages.ts';
import { ExaminationPage } from './pages/ExaminationPages.ts';
import { createHost } from '../../electron/host/createHost.ts';
import { hashPassword } from '../../electron/host/services/passwords.ts';
import { decodePng } from '../../electron/analysis/calibration/png.ts';
import type { SnapshotView, Workspace } from '../../electron/contract/index.ts';
import { seedImportedPicture, seedScans } from '../fixtures/searchData.ts';

const password = 'correct horse battery';
const examiner = { username: 'eve.examiner', displayName: 'Eve Examiner', role: 'examiner' } as const;
const nameA = 'LAB-2026-0300 / Q1';
const nameB = 'LAB-2025-0301 / K1';

async function seed(dataDir: string) {
  const host = createHost({ dataDir, log: () => {} });
  try {
    const passwordHash = await hashPassword(password);
    const admin = host.auth.createUser(
      { userId: null, username: 'seed' },
      { username: 'admin', displayName: 'Ada Admin', role: 'admin', passwordHash },
    );
    host.auth.createUser({ userId: admin.id, username: admin.username }, { ...examiner, passwordHash });
    seedScans(host, admin.id, [
      { scan: '1-1', caseNumber: 'LAB-2026-0300', exhibit: 'Q1' },
      { scan: '1-2', caseNumber: 'LAB-2025-0301', exhibit: 'K1' },
      { scan: '2-1', caseNumber: 'LAB-2024-0302', exhibit: 'X1', unsuitable: 'Breech face too damaged' },
    ]);
    // A 2D ring-light picture imported as a user imports one (no topography): the picker offers it too.
    seedImportedPicture(host, admin.id, 'LAB-2026-0303');
  } finally {
    await host.close();
  }
}

/** The snapshot PNG decoded to RGB. */
function decodeRgb(bytes: Uint8Array): ShownPixels {
  const png = decodePng(bytes);
  assert.equal(png.bitDepth, 8);
  const channels = png.data.length / (png.width * png.height);
  const rgb = new Uint8Array(png.width * png.height * 3);
  for (let i = 0; i < png.width * png.height; i++)
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = png.data[i * channels + (channels >= 3 ? c : 0)]!;
  return { width: png.width, height: png.height, rgb };
}

const rgbAt = (p: ShownPixels, x: number, y: number) => {
  const i = (y * p.width + x) * 3;
  return [p.rgb[i]!, p.rgb[i + 1]!, p.rgb[i + 2]!] as const;
};
const white = (p: ShownPixels, x: number, y: number) => rgbAt(p, x, y).every((v) => v >= 250);

/** The longest run of white pixels per row in [y0, y1) × [0, x1): the scale bar's length and thickness. */
function scaleBar(p: ShownPixels, y0: number, y1: number, x1: number): { length: number; rows: number; x: number } {
  const runs: Array<{ length: number; x: number }> = [];
  for (let y = y0; y < y1; y++) {
    let best = { length: 0, x: 0 };
    let start = -1;
    for (let x = 0; x <= x1; x++) {
      if (x < x1 && white(p, x, y)) {
        if (start < 0) start = x;
      } else if (start >= 0) {
        if (x - start > best.length) best = { length: x - start, x: start };
        start = -1;
      }
    }
    runs.push(best);
  }
  const length = Math.max(...runs.map((r) => r.length));
  const bar = runs.filter((r) => r.length >= length - 2);
  return { length, rows: bar.length, x: bar[0]?.x ?? -1 };
}

/** Is `um` a round length (1, 2 or 5 × 10ⁿ) within `tolerance` (relative)? */
function roundLength(um: number, tolerance = 0.03): boolean {
  const p = 10 ** Math.floor(Math.log10(um));
  return [1, 2, 5, 10].some((m) => Math.abs(um / (m * p) - 1) < tolerance);
}

describe('the comparison workspace’s tools, in Chromium against casebench serve', { timeout: 900_000 }, () => {
  let station: RunningStation;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  let exam: ExaminationPage;
  let comparisonId = 0;

  const step = storySteps(async (name) => {
    if (page) await screenshot(page, `79-workspace-failure-${name.slice(0, 30).replace(/\W+/g, '-')}`);
  });

  before(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'casebench-e2e-exam-workspace-'));
    await seed(dataDir);
    [station, browser] = await Promise.all([startStation({ dataDir }), launchBrowser()]);
    const opened = await openPage(browser, { height: 1000, timeoutMs: 20_000 });
    page = opened.page;
    errors = opened.pageErrors;
    exam = new ExaminationPage(page);
    await page.goto(station.url);
    await new SignInPage(page).signIn(examiner.username, password);
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await station?.stop();
  });

  const pixels = () => settledPixels(page, exam.canvas());
  const workspace = async (): Promise<Workspace> => {
    const [answer] = await rawCalls(page, [{ method: 'examinations.get', input: { comparisonId } }]);
    assert.equal(answer!.t, 'result', JSON.stringify(answer));
    return (answer as { output: Workspace }).output;
  };
  /** A snapshot's PNG read back through the contract, checked against its evidence hash, decoded. */
  const storedPng = async (record: SnapshotView): Promise<ShownPixels> => {
    const [content] = await rawCalls(page, [{ method: 'snapshots.content', input: { id: record.id } }], {
      whole: true,
    });
    assert.equal(content!.t, 'result', JSON.stringify(content));
    const stored = (content as { output: { bytes: RawBytes } }).output.bytes;
    const bytes = new Uint8Array(Buffer.from(stored.base64!, 'base64'));
    assert.equal(bytes.length, stored.len);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), record.sha256, 'the evidence hash is the PNG’s');
    return decodeRgb(bytes);
  };
  const press = async (key: string, times = 1) => {
    for (let i = 0; i < times; i++) await page.keyboard.press(key);
  };
  const mode = async (wanted: string) => {
    for (let i = 0; i < 5 && (await exam.field().getAttribute('data-mode')) !== wanted; i++) await press('v');
    assert.equal(await exam.field().getAttribute('data-mode'), wanted);
  };
  /** A mouse drag on the field from (x, y) (field pixels) by (dx, dy) pixels. */
  const dragPx = async (x: number, y: number, dx: number, dy: number) => {
    const box = (await exam.field().boundingBox())!;
    await page.mouse.move(box.x + x, box.y + y);
    await page.mouse.down();
    await page.mouse.move(box.x + x + dx, box.y + y + dy, { steps: 8 });
    await page.mouse.up();
  };
  /** The same from (fx, fy), shares of the field's size. */
  const drag = async (fx: number, fy: number, dx: number, dy: number) => {
    const box = (await exam.field().boundingBox())!;
    await dragPx(Math.round(box.width * fx), Math.round(box.height * fy), dx, dy);
  };

  step('opens the comparison from an item’s acquisitions list with the compare picker', async () => {
    await page.evaluate(() => (location.hash = '/cases/1'));
    const detail = new CaseDetailPage(page);
    await detail.itemDetails('Q1');
    const panel = page.getByTestId('acquisitions-Q1');
    await panel.getByRole('button', { name: 'Compare acquisition 1 with another' }).click();
    const picker = page.getByRole('form', { name: 'Compare two acquisitions' });
    await visible(picker);
    // A is the acquisition the picker was opened from; only B is chosen.
    assert.equal(await picker.getByRole('combobox', { name: 'Acquisition A' }).count(), 0);
    const open = picker.getByRole('button', { name: 'Open the workspace' });
    assert.equal(await open.isDisabled(), true, 'nothing to open before B is chosen');
    await picker.getByRole('combobox', { name: 'Acquisition B' }).click();
    // This case's acquisition is not offered against itself.
    await visible(page.getByRole('option', { name: /LAB-2025-0301 \/ K1 · acquisition 2/ }));
    assert.equal(await page.getByRole('option', { name: /LAB-2026-0300 \/ Q1 · acquisition 1/ }).count(), 0);
    // Every acquisition the workspace can show, saying which has no topography and which was judged unsuitable.
    assert.equal(
      await text(page.getByRole('option', { name: /acquisition 3/ })),
      'LAB-2024-0302 / X1 · acquisition 3 · marked unsuitable',
    );
    assert.equal(
      await text(page.getByRole('option', { name: /acquisition 4/ })),
      'LAB-2026-0303 / P1 · acquisition 4 · 2D pictures only',
    );
    assert.equal(await text(page.getByRole('option', { name: /acquisition 2/ })), 'LAB-2025-0301 / K1 · acquisition 2');
    await page.getByRole('option', { name: /LAB-2025-0301 \/ K1 · acquisition 2/ }).click();
    await open.click();
    await until('the workspace address', async () => /#\/compare\/1\/2\?from=item$/.test(page.url()));
    await exam.drawn();
    assert.match(await text(page.getByRole('heading', { name: /^Comparison:/ })), new RegExp(`${nameA} and ${nameB}`));
    const [answer] = await rawCalls(page, [{ method: 'examinations.open', input: { a: 1, b: 2, origin: 'manual' } }]);
    assert.equal(answer!.t, 'result');
    const opened = (answer as { output: Workspace }).output;
    comparisonId = opened.comparison.id;
    assert.equal(opened.comparison.origin, 'item', 'the comparison records that it was opened from an item');
    assert.ok(pixelStats(await pixels()).greys > 60, 'both surfaces drawn');
  });

  let snapshotView: SnapshotView['view'] | null = null;
  let shownAtSnapshot: ShownPixels | null = null;
  let stateAtSnapshot = '';

  step('takes a snapshot: a PNG with a scale bar and a caption naming both items, stored with its view', async () => {
    // A view of its own: split line, zoomed in, moved, the stage turned, the light and the relief changed.
    await mode('split');
    await press('+', 2);
    await press('ArrowLeft', 2);
    await press('e', 3);
    await press('d'); // light 315° → 330°
    await press('w', 2); // light height 35° → 45°
    await press('r', 2); // relief ×3 → ×5
    await until('the light turned', async () =>
      /Light direction: 330°/.test(await text(page.locator('#exam-light-azimuth'))),
    );
    shownAtSnapshot = await pixels();
    stateAtSnapshot = await text(exam.fieldState());
    assert.match(stateAtSnapshot, /stage 3\.0°/);
    const zoomShown = Number(stateAtSnapshot.match(/zoom ([\d.]+)×/)![1]);
    const stageZoom = Number(await exam.field().getAttribute('data-zoom'));

    await press('t');
    await visible(page.getByText(/Snapshot \d+ stored as evidence\./), 60_000);
    await until('one snapshot listed', async () => /Snapshots \(1\)/.test(await exam.tab(/^Snapshots/).innerText()));

    // The record: the caption names both items and the view; the view parameters are the ones on screen.
    const [record] = (await workspace()).snapshots;
    assert.ok(record, 'the snapshot is stored on the comparison');
    assert.match(record.caption, new RegExp(`A: ${nameA}\\s+B: ${nameB}`));
    assert.match(record.caption, /Split line · light 330°\/45° · relief ×5 · stage 3\.0°/);
    const view = record.view;
    assert.equal(view.layout, 'split');
    assert.deepEqual(view.light, { azimuthDeg: 330, elevationDeg: 45 });
    assert.equal(view.reliefExaggeration, 5);
    assert.equal(view.locked, true);
    assert.ok(Math.abs(view.a.rotationDeg - 3) < 1e-6, `stage turned 3°: ${view.a.rotationDeg}`);
    assert.ok(Math.abs(view.a.zoom - zoomShown) < 0.006, `zoom ${view.a.zoom} as shown (${zoomShown})`);
    snapshotView = view;

    // The picture as stored, opened from the snapshots list and fetched as the page shows it.
    await exam.tab(/^Snapshots/).click();
    await page.getByRole('button', { name: 'Open the picture' }).click();
    const dialog = page.getByRole('dialog');
    const image = dialog.getByRole('img', { name: record.caption.split('\n')[0]! });
    await visible(image, 30_000);
    // What the user sees is the stored picture, whole.
    await until('the picture loaded', async () =>
      image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
    );
    assert.equal(await image.evaluate((img: HTMLImageElement) => img.naturalWidth), record.width);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    const png = await storedPng(record);
    assert.deepEqual([png.width, png.height], [record.width, record.height]);

    // Higher resolution than the screen; the field part keeps the screen's proportions; a caption band below it.
    const scale = png.width / view.viewport.width;
    assert.ok(png.width >= 2000 && scale >= 1.5, `snapshot ${png.width} px wide for a ${view.viewport.width} px field`);
    const fieldHeight = Math.round(view.viewport.height * scale);
    const band = png.height - fieldHeight;
    assert.ok(Math.abs(band - (12 + 2 * 18) * scale) <= 3, `a caption band of two lines: ${band} px`);
    // The band: its dark background, and white text on each of its two lines.
    const lineTop = (line: number) => fieldHeight + Math.round(6 * scale) + line * Math.round(18 * scale);
    for (const line of [0, 1]) {
      let inked = 0;
      for (let y = lineTop(line); y < lineTop(line) + Math.round(13 * scale); y++)
        for (let x = 0; x < png.width; x++) if (rgbAt(png, x, y)[0] > 180) inked++;
      assert.ok(inked > 200 * scale, `caption line ${line + 1} is written: ${inked} inked pixels`);
    }
    assert.deepEqual(rgbAt(png, png.width - 3, png.height - 3), [20, 21, 23], 'the band’s background');

    // The scale bar, bottom left of the field: a white bar of a round length in micrometres at the view's scale.
    const bar = scaleBar(png, fieldHeight - Math.round(40 * scale), fieldHeight, Math.round(png.width / 2));
    // A sits unmoved on the stage: its screen pixels per micrometre are the stage's zoom.
    const cssPixelsPerUm = stageZoom;
    const barUm = bar.length / (cssPixelsPerUm * scale);
    assert.ok(roundLength(barUm), `the bar is ${barUm.toFixed(1)} µm (${bar.length} px): a round length`);
    assert.ok(bar.length <= 162 * scale && bar.length >= 60 * scale, `bar ${bar.length} px long`);
    assert.ok(Math.abs(bar.rows - 4 * scale) <= 2, `bar ${bar.rows} px thick`);
    assert.ok(Math.abs(bar.x - 16 * scale) <= 2, `bar starts at ${bar.x} px`);

    // The field part is the view on screen, drawn again at a higher resolution.
    let n = 0;
    let sa = 0;
    let sb = 0;
    let saa = 0;
    let sbb = 0;
    let sab = 0;
    const shown = shownAtSnapshot;
    for (let y = 0; y < shown.height - 45; y += 2)
      for (let x = 0; x < shown.width; x += 2) {
        const i = (y * shown.width + x) * 3;
        const [r, g, b] = rgbAt(png, Math.floor((x + 0.5) * scale), Math.floor((y + 0.5) * scale));
        const s = shown.rgb[i]!;
        if (s !== shown.rgb[i + 1] || r !== g || g !== b || s < 20 || r < 20) continue;
        n++;
        sa += s;
        sb += r;
        saa += s * s;
        sbb += r * r;
        sab += s * r;
      }
    const correlation =
      (sab / n - (sa / n) * (sb / n)) / Math.sqrt((saa / n - (sa / n) ** 2) * (sbb / n - (sb / n) ** 2));
    assert.ok(n > 10_000 && correlation > 0.8, `snapshot and screen agree: r = ${correlation.toFixed(3)} over ${n}`);
    await screenshot(page, '89-exam-snapshot-view');
  });

  step('“Show this view” puts back the exact view of the snapshot: pan, zoom, rotation, light', async () => {
    // Somewhere else entirely: fitted, turned back, relit, less relief, another mode.
    await press('0');
    await press('q', 8);
    await press('a', 2);
    await press('s', 3);
    await press('f', 3);
    await mode('blend');
    const elsewhere = await pixels();
    assert.notEqual(await text(exam.fieldState()), stateAtSnapshot);
    assert.ok(changedShare(elsewhere, shownAtSnapshot!) > 0.3, 'the view changed');

    await exam.tab(/^Snapshots/).click();
    await page.getByRole('button', { name: 'Show this view' }).click();
    await until('the split line back', async () => (await exam.field().getAttribute('data-mode')) === 'split');
    await until('zoom, stage and B on A back', async () => (await text(exam.fieldState())) === stateAtSnapshot);
    assert.match(await text(page.locator('#exam-light-azimuth')), /Light direction: 330°/);
    assert.match(await text(page.locator('#exam-light-elevation')), /45°/);
    assert.match(await text(page.locator('#exam-relief')), /× 5/);
    const restored = await pixels();
    const changed = changedShare(restored, shownAtSnapshot!, 3);
    assert.ok(changed < 0.01, `the same picture on screen: ${(changed * 100).toFixed(2)} % of pixels differ`);

    // A second snapshot of the restored view records the same view.
    await press('t');
    await until('two snapshots listed', async () => /Snapshots \(2\)/.test(await exam.tab(/^Snapshots/).innerText()));
    const second = (await workspace()).snapshots.at(-1)!.view;
    const first = snapshotView!;
    assert.equal(second.layout, first.layout);
    assert.deepEqual(second.light, first.light);
    assert.equal(second.reliefExaggeration, first.reliefExaggeration);
    for (const side of ['a', 'b'] as const)
      for (const key of ['centerX', 'centerY', 'zoom', 'rotationDeg'] as const)
        assert.ok(
          Math.abs(second[side][key] - first[side][key]) < 1e-3 * Math.max(1, Math.abs(first[side][key])),
          `${side}.${key}: ${second[side][key]} against ${first[side][key]}`,
        );
    assert.ok(Math.abs(second.split - first.split) < 1e-9);
  });

  step('the lock: unlocked one side moves alone; locked again the offset stays and a pan moves both', async () => {
    await mode('side');
    await press('0');
    const width = (await pixels()).width;
    const half = Math.floor(width / 2);
    const left = { x0: 20, x1: half - 20 };
    const right = { x0: width - half + 20, x1: width - 20 };
    const lockButton = page.getByTestId('lock-toggle');
    assert.equal(await exam.field().getAttribute('data-locked'), 'true');
    const before = await pixels();
    const stateBefore = await text(exam.fieldState());

    // Unlocked with the mouse, B dragged on its own (the side under the pointer moves).
    await lockButton.click();
    await until('unlocked', async () => (await exam.field().getAttribute('data-locked')) === 'false');
    assert.equal((await lockButton.textContent())?.trim(), 'Unlocked (L)');
    await drag(0.75, 0.5, 48, 30);
    const moved = await pixels();
    assert.equal(changedShare(moved, before, 0, left), 0, 'A did not move');
    const b = bestShift(before, moved, 48, 30, right);
    assert.ok(b.error < 3 && b.dx === 48 && b.dy === 30, `B moved by the drag: ${JSON.stringify(b)}`);
    assert.notEqual(await text(exam.fieldState()), stateBefore, 'B sits elsewhere on A');
    // Turned on its own with the keys (the dragged side is the active one).
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await press('e', 5);
    await until('B turned on A', async () => /B on A: 5\.0°/.test(await text(exam.fieldState())));
    const turned = await pixels();
    // B's centre moved by the drag (screen pixels over the stage's zoom, in micrometres).
    const centres = (words: string) =>
      words
        .match(/centres \((-?\d+), (-?\d+)\) µm apart/)!
        .slice(1)
        .map(Number);
    const [ox, oy] = centres(await text(exam.fieldState()));
    const [bx, by] = centres(stateBefore);
    const zoom = Number(await exam.field().getAttribute('data-zoom'));
    assert.ok(
      Math.abs(Math.hypot(ox! - bx!, oy! - by!) - Math.hypot(48, 30) / zoom) < 2,
      `B moved ${Math.hypot(ox! - bx!, oy! - by!)} µm for a drag of ${Math.hypot(48, 30) / zoom} µm`,
    );
    assert.equal(changedShare(turned, moved, 0, left), 0, 'A did not turn');
    assert.ok(changedShare(turned, moved, 2, right) > 0.05, 'B turned');
    const offset = await text(exam.fieldState());

    // Locked again with the key: nothing moves, the offset stays.
    await press('l');
    await until('locked', async () => (await exam.field().getAttribute('data-locked')) === 'true');
    assert.equal(await text(exam.fieldState()), offset);
    const locked = await pixels();
    assert.equal(changedShare(locked, turned, 0), 0, 'locking moves nothing');

    // A synchronised pan with the mouse (from A's side) moves both by the drag, the offset kept.
    await drag(0.25, 0.5, -40, 24);
    const panned = await pixels();
    for (const [name, region] of [
      ['A', left],
      ['B', right],
    ] as const) {
      const s = bestShift(locked, panned, -40, 24, region);
      const still = shiftError(locked, panned, 0, 0, region);
      assert.ok(s.error < 3 && s.dx === -40 && s.dy === 24, `${name} moved with the pan: ${JSON.stringify(s)}`);
      assert.ok(still.error > 3 * s.error + 5, `${name} did move: ${still.error} unmoved against ${s.error}`);
    }
    assert.equal(await text(exam.fieldState()), offset, 'the offset is kept through the pan');
    // A snapshot now records the offset as a manual alignment, as the screen states it.
    const count = (await workspace()).snapshots.length;
    await press('t');
    await until('the snapshot of the offset', async () => (await workspace()).snapshots.length === count + 1);
    const { alignment } = (await workspace()).snapshots.at(-1)!.view;
    assert.equal(alignment.from, 'manual');
    assert.ok(Math.abs(alignment.rotationDeg - 5) < 1e-6, `B on A turned 5°: ${alignment.rotationDeg}`);
    assert.deepEqual([Math.round(alignment.dxUm), Math.round(alignment.dyUm)], [ox, oy]);
    // And with the keys: a locked pan keeps it too, and a locked turn turns the stage, not B on A.
    await press('ArrowUp', 2);
    assert.equal(await text(exam.fieldState()), offset);
    await press('q', 4);
    await until('the stage turned', async () => /stage -?\d+\.\d°/.test(await text(exam.fieldState())));
    const stage = await text(exam.fieldState());
    assert.notEqual(stage, offset);
    assert.equal(stage.replace(/stage -?[\d.]+°/, ''), offset.replace(/stage -?[\d.]+°/, ''), 'B on A unchanged');
    assert.doesNotMatch(await text(exam.fieldState()), /magnification/, 'both at one magnification so far');

    // Zoomed unlocked (the wheel over B), B is shown at another magnification than A: the screen says so, and so
    // does a snapshot's caption.
    await press('l');
    await until('unlocked', async () => (await exam.field().getAttribute('data-locked')) === 'false');
    const box = (await exam.field().boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2);
    await page.mouse.wheel(0, -100);
    const magnified = 'B shown at 1.250 × the magnification of A (zoomed unlocked)';
    await until('B’s magnification stated', async () => (await text(exam.fieldState())).endsWith(magnified));
    await press('t');
    await until('the snapshot of the magnified B', async () => (await workspace()).snapshots.length === count + 2);
    assert.equal((await workspace()).snapshots.at(-1)!.caption.split('\n')[2], magnified);
    await press('l');
    await until('locked', async () => (await exam.field().getAttribute('data-locked')) === 'true');
    await screenshot(page, '90-exam-lock-offset');
  });

  let blendA: ShownPixels;
  let blendB: ShownPixels;
  let blendHalf: ShownPixels;

  step('blend, difference and checkerboard show A and B as each mode should', async () => {
    await press('x'); // B back on A's centre: both overlap over most of the field
    await until('one magnification again', async () => !/magnification/.test(await text(exam.fieldState())));
    await mode('blend');
    blendHalf = await pixels();
    await press(',', 10); // all A
    blendA = await pixels();
    await press('.', 20); // all B
    blendB = await pixels();
    await press(',', 10); // half and half again
    assert.equal(changedShare(await pixels(), blendHalf, 1), 0, 'the mix is back at one half');

    const both: number[] = [];
    for (let i = 0; i < blendA.rgb.length; i += 3) {
      const a = blendA.rgb[i]!;
      const b = blendB.rgb[i]!;
      if (a === blendA.rgb[i + 1] && a === blendA.rgb[i + 2] && b === blendB.rgb[i + 1] && b === blendB.rgb[i + 2])
        if (a >= 20 && b >= 20) both.push(i);
    }
    assert.ok(both.length > 50_000, `both surfaces overlap on ${both.length} pixels`);
    const apart = both.filter((i) => Math.abs(blendA.rgb[i]! - blendB.rgb[i]!) > 10).length / both.length;
    assert.ok(apart > 0.3, `A and B differ on ${(apart * 100).toFixed(1)} % of their overlap`);
    const within = (p: ShownPixels, expected: (a: number, b: number) => number, tol: number) =>
      both.filter((i) => Math.abs(p.rgb[i]! - expected(blendA.rgb[i]!, blendB.rgb[i]!)) <= tol).length / both.length;
    const half = within(blendHalf, (a, b) => (a + b) / 2, 1.5);
    assert.ok(half > 0.95, `blend is the mean of A and B on ${(half * 100).toFixed(1)} %`);

    await mode('difference');
    const difference = await pixels();
    const diff = within(difference, (a, b) => Math.min(255, 2 * Math.abs(a - b)), 3);
    assert.ok(diff > 0.95, `difference is 2·|A − B| on ${(diff * 100).toFixed(1)} %`);
    assert.ok(changedShare(difference, blendHalf) > 0.5, 'difference is not the blend');

    await mode('checker');
    const checker = await pixels();
    const square = 48;
    let agree = 0;
    let informative = 0;
    let showsB = 0;
    for (const i of both) {
      const a = blendA.rgb[i]!;
      const b = blendB.rgb[i]!;
      if (Math.abs(a - b) < 30) continue;
      const p = i / 3;
      const x = p % checker.width;
      const y = Math.floor(p / checker.width);
      // The shader's squares count from the bottom-left corner (gl_FragCoord): even squares show A.
      const parity = (Math.floor((x + 0.5) / square) + Math.floor((checker.height - y - 0.5) / square)) % 2;
      const c = checker.rgb[i]!;
      const seen = Math.abs(c - a) < Math.abs(c - b) ? 0 : 1;
      informative++;
      if (seen === parity) agree++;
      if (seen === 1) showsB++;
    }
    assert.ok(informative > 5_000, `${informative} pixels tell A from B`);
    assert.ok(
      agree / informative > 0.97,
      `checkerboard squares of ${square} px: ${agree} of ${informative} as expected`,
    );
    assert.ok(showsB / informative > 0.3 && showsB / informative < 0.7, 'about half the squares show B');
    await screenshot(page, '91-exam-checkerboard');
  });

  step('false colour, enhanced contrast and relief change the picture measurably; going back restores it', async () => {
    await mode('blend');
    const plain = await pixels();
    const plainStats = pixelStats(plain);
    assert.ok(plainStats.coloured < 0.01 * plain.width * plain.height, 'grey shading to begin with');

    await press('c');
    const coloured = await pixels();
    const colouredStats = pixelStats(coloured);
    let surface = 0;
    for (let i = 0; i < plain.rgb.length; i += 3) if (surfaceGrey(plain, i) !== null) surface++;
    assert.ok(
      colouredStats.coloured > 0.6 * surface && colouredStats.greys < 10,
      `false colour over the ${surface} pixels of the surfaces: ${JSON.stringify(colouredStats)}`,
    );
    await press('c');
    assert.ok(changedShare(await pixels(), plain, 1) < 0.001, 'false colour off restores the picture');

    await press('k');
    const contrasted = await pixels();
    const contrastChange = changedShare(contrasted, plain);
    assert.ok(
      contrastChange > (0.5 * surface) / (plain.width * plain.height),
      `enhanced contrast changes the surfaces: ${contrastChange} of the field, ${surface} surface pixels`,
    );
    const [d0, d1] = [detailEnergy(plain), detailEnergy(contrasted)];
    assert.ok(d1 > 1.2 * d0, `enhanced contrast shows more fine detail: ${d0.toFixed(2)} → ${d1.toFixed(2)}`);
    await press('k');
    assert.ok(changedShare(await pixels(), plain, 1) < 0.001, 'contrast off restores the picture');

    const relief = () => text(page.locator('#exam-relief'));
    const reliefBefore = Number((await relief()).match(/× (\d+)/)![1]);
    await press('r', 4);
    await until('more relief', async () => new RegExp(`× ${reliefBefore + 4}$`).test(await relief()));
    const steep = await pixels();
    const d2 = detailEnergy(steep);
    assert.ok(d2 > 1.3 * d0, `more relief, stronger shading: ${d0.toFixed(2)} → ${d2.toFixed(2)}`);
    await press('f', 4);
    await until('the relief back', async () => new RegExp(`× ${reliefBefore}$`).test(await relief()));
    assert.ok(changedShare(await pixels(), plain, 1) < 0.001, 'relief back restores the picture');
  });

  step('a line profile drawn across both surfaces: one plot, two traces', async () => {
    await exam.tab('Profile').click();
    const panel = page.getByRole('tabpanel');
    assert.match(await text(panel), /Choose the profile tool/);
    // Along the longest stretch of the field where both surfaces show (grey in the blend: both measured).
    const blend = await pixels();
    let line = { x: 0, y: 0, length: 0 };
    for (let y = 10; y < blend.height - 10; y += 4) {
      let start = -1;
      for (let x = 0; x <= blend.width; x++) {
        const both = x < blend.width && surfaceGrey(blend, (y * blend.width + x) * 3) !== null;
        if (both && start < 0) start = x;
        if (!both && start >= 0) {
          if (x - start > line.length) line = { x: start, y, length: x - start };
          start = -1;
        }
      }
    }
    assert.ok(line.length > 100, `both surfaces overlap along ${line.length} px`);
    await press('p');
    const zoom = Number(await exam.field().getAttribute('data-zoom'));
    const length = line.length - 10;
    await dragPx(line.x + 5, line.y, length, 0);
    const plot = page.getByTestId('profile-plot');
    await visible(plot);
    const traces = plot.locator('path');
    assert.equal(await traces.count(), 2, 'one trace per side');
    const [dA, dB] = await Promise.all([traces.nth(0).getAttribute('d'), traces.nth(1).getAttribute('d')]);
    const points = (d: string) => d.match(/[ML][\d.]+ [\d.]+/g) ?? [];
    const span = (d: string) => {
      const xs = points(d).map((p) => Number(p.slice(1).split(' ')[0]));
      return Math.max(...xs) - Math.min(...xs);
    };
    const step = Number((await text(page.getByTestId('profile-facts'))).match(/a sample every ([\d.]+) µm/)![1]);
    const samples = Math.floor(length / zoom / step) + 1;
    for (const [side, d] of [
      ['A', dA!],
      ['B', dB!],
    ] as const) {
      assert.ok(points(d).length > 0.9 * samples, `${side}: ${points(d).length} points of ${samples} samples`);
      assert.ok(span(d) > 0.9 * (340 - 52), `${side}'s trace runs along the line: ${span(d)}`);
    }
    assert.notEqual(dA, dB, 'two different surfaces');
    const label = (await plot.getAttribute('aria-label'))!;
    const lengthUm = Number(label.match(/along a (\d+) µm line/)![1]);
    assert.ok(Math.abs(lengthUm - length / zoom) < 0.02 * lengthUm + 1, `${lengthUm} µm for ${length} px at ${zoom}`);
    assert.match(await text(page.getByTestId('profile-facts')), /correlation at this alignment -?[\d.]+/);
    // The line is drawn over the field where it was dragged.
    const drawn = page.locator('[data-testid="field"] [data-shape="profile"] line').last();
    const ends = await Promise.all(['x1', 'y1', 'x2', 'y2'].map(async (a) => Number(await drawn.getAttribute(a))));
    const expected = [line.x + 5, line.y, line.x + 5 + length, line.y];
    ends.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 2, `profile line ends ${ends} (${expected})`));
    await press('Escape');
    await screenshot(page, '92-exam-profile');

    // A snapshot keeps the line: drawn in the PNG where it is on screen, and recorded in the view.
    const count = (await workspace()).snapshots.length;
    await press('t');
    await until('the snapshot with the line', async () => (await workspace()).snapshots.length === count + 1);
    const record = (await workspace()).snapshots.at(-1)!;
    assert.equal(record.view.profiles.length, 1, 'the profile line is part of the recorded view');
    const png = await storedPng(record);
    const scale = png.width / record.view.viewport.width;
    let onLine = 0;
    for (let k = 1; k < 20; k++) {
      const x = Math.round((expected[0]! + ((expected[2]! - expected[0]!) * k) / 20) * scale);
      const y = Math.round(expected[1]! * scale);
      let cyan = false;
      for (let dy = -3; dy <= 3; dy++) {
        const [r, g, b] = rgbAt(png, x, y + dy);
        if (r < 90 && g > 150 && b > 170) cyan = true;
      }
      if (cyan) onLine++;
    }
    assert.ok(onLine >= 18, `the profile line is in the snapshot at ${onLine} of 19 places`);

    // Another view without the line, then this one: the line comes back where it was.
    await exam.tab(/^Snapshots/).click();
    await page.getByRole('button', { name: 'Show this view' }).first().click();
    await until('the line gone', async () => (await page.locator('[data-shape="profile"]').count()) === 0);
    await page.getByRole('button', { name: 'Show this view' }).last().click();
    await until('the line back', async () => (await page.locator('[data-shape="profile"]').count()) > 0);
    const back = await Promise.all(['x1', 'y1', 'x2', 'y2'].map(async (a) => Number(await drawn.getAttribute(a))));
    back.forEach((v, i) => assert.ok(Math.abs(v - ends[i]!) < 0.5, `restored line ${back} against ${ends}`));
  });

  step('right to left (Arabic): each side’s name stays over the panel that shows that side', async () => {
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ar');
    await until('right to left', async () => (await page.evaluate(() => document.documentElement.dir)) === 'rtl');
    await mode('side');
    const field = (await exam.field().boundingBox())!;
    const middle = field.x + field.width / 2;
    const centreX = async (locator: ReturnType<Page['locator']>) => {
      const box = (await locator.boundingBox())!;
      return box.x + box.width / 2;
    };
    // The field draws A on the left and B on the right in every language (a stage, not text).
    const badgeA = page.getByText(`A · ${nameA}`, { exact: true });
    const badgeB = page.getByText(`B · ${nameB}`, { exact: true });
    assert.ok((await centreX(badgeA)) < middle, 'A’s name over the left panel');
    assert.ok((await centreX(badgeB)) > middle, 'B’s name over the right panel');
    // So do the pickers of each side's picture.
    assert.ok((await centreX(page.getByTestId('side-picture-A'))) < middle, 'A’s picture picker on the left');
    assert.ok((await centreX(page.getByTestId('side-picture-B'))) > middle, 'B’s picture picker on the right');
    await screenshot(page, '93-exam-workspace-rtl');
    await page.getByRole('combobox', { name: 'اللغة' }).selectOption('en');
    await until('left to right', async () => (await page.evaluate(() => document.documentElement.dir)) === 'ltr');
  });

  step('ran without page errors', () => {
    assert.deepEqual(errors, []);
  });
});
