// Comparing what a field shows before and after an action: waiting until the field has finished drawing, how many
// pixels changed, whether a region moved by a given shift, and simple image measures. Only pixels that are grey in
// both pictures count where it matters: the missing-data hatch and the background are drawn in screen space (they
// do not move with the specimen) and are coloured, so leaving them out compares the specimens themselves.
import type { Locator, Page } from 'playwright-core';
import { shownPixels, type ShownPixels } from './fieldPixels.ts';

/**
 * The field's pixels once what was asked has been drawn: two animation frames (the field redraws on the next one
 * after a change), every submitted frame completed on the GPU, then two identical screenshots in a row.
 */
export async function settledPixels(page: Page, canvas: Locator, timeoutMs = 30_000): Promise<ShownPixels> {
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(null)))),
  );
  await page.waitForFunction(
    () => {
      const c = document.querySelector<HTMLCanvasElement>('[data-testid="field-canvas"]');
      return !!c && Number(c.dataset.framesCompleted) >= Number(c.dataset.framesSubmitted);
    },
    null,
    { timeout: timeoutMs },
  );
  const end = Date.now() + timeoutMs;
  let last = await shownPixels(canvas);
  for (;;) {
    const next = await shownPixels(canvas);
    if (sameSize(next, last) && changedShare(next, last, 0) === 0) return next;
    if (Date.now() > end) throw new Error(`the field was still changing after ${timeoutMs} ms`);
    last = next;
  }
}

function sameSize(a: ShownPixels, b: ShownPixels): boolean {
  return a.width === b.width && a.height === b.height;
}

const isGrey = (p: ShownPixels, i: number) => p.rgb[i] === p.rgb[i + 1] && p.rgb[i + 1] === p.rgb[i + 2];

/** Share of pixels whose largest channel difference exceeds `tolerance`, within an optional region [x0, x1). */
export function changedShare(
  a: ShownPixels,
  b: ShownPixels,
  tolerance = 2,
  region: { x0: number; x1: number } = { x0: 0, x1: a.width },
): number {
  if (!sameSize(a, b)) return 1;
  let changed = 0;
  let n = 0;
  for (let y = 0; y < a.height; y++)
    for (let x = region.x0; x < region.x1; x++) {
      const i = (y * a.width + x) * 3;
      n++;
      for (let c = 0; c < 3; c++)
        if (Math.abs(a.rgb[i + c]! - b.rgb[i + c]!) > tolerance) {
          changed++;
          break;
        }
    }
  return n ? changed / n : 0;
}

/**
 * Mean absolute grey difference between `after` and `before` moved by (dx, dy) screen pixels, over the pixels of
 * [x0, x1) × all rows that are grey in both (and lie inside both pictures).
 */
export function shiftError(
  before: ShownPixels,
  after: ShownPixels,
  dx: number,
  dy: number,
  region: { x0: number; x1: number },
): { error: number; pixels: number } {
  let sum = 0;
  let n = 0;
  for (let y = Math.max(0, dy); y < Math.min(after.height, before.height + dy); y += 2)
    for (let x = Math.max(region.x0, region.x0 + dx); x < Math.min(region.x1, region.x1 + dx); x += 2) {
      const i = (y * after.width + x) * 3;
      const j = ((y - dy) * before.width + (x - dx)) * 3;
      if (!isGrey(after, i) || !isGrey(before, j) || after.rgb[i]! < 20 || before.rgb[j]! < 20) continue;
      sum += Math.abs(after.rgb[i]! - before.rgb[j]!);
      n++;
    }
  return { error: n ? sum / n : Infinity, pixels: n };
}

/** The best shift within ±`slack` pixels of (dx, dy): how well `after` is `before` moved there. */
export function bestShift(
  before: ShownPixels,
  after: ShownPixels,
  dx: number,
  dy: number,
  region: { x0: number; x1: number },
  slack = 2,
): { dx: number; dy: number; error: number; pixels: number } {
  let best = { dx, dy, error: Infinity, pixels: 0 };
  for (let sy = -slack; sy <= slack; sy++)
    for (let sx = -slack; sx <= slack; sx++) {
      const e = shiftError(before, after, dx + sx, dy + sy, region);
      if (e.error < best.error) best = { dx: dx + sx, dy: dy + sy, ...e };
    }
  return best;
}

/** Grey level of pixel i (RGB index) when grey and not background/hatch, else null. */
export function surfaceGrey(p: ShownPixels, i: number): number | null {
  return isGrey(p, i) && p.rgb[i]! >= 20 ? p.rgb[i]! : null;
}

/** Mean absolute difference between horizontally neighbouring surface pixels: how much fine detail is shown. */
export function detailEnergy(p: ShownPixels): number {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < p.height; y++)
    for (let x = 0; x + 1 < p.width; x++) {
      const i = (y * p.width + x) * 3;
      const g0 = surfaceGrey(p, i);
      const g1 = surfaceGrey(p, i + 3);
      if (g0 === null || g1 === null) continue;
      sum += Math.abs(g1 - g0);
      n++;
    }
  return n ? sum / n : 0;
}
