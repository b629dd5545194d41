// What a WebGL view really shows: its canvas as composited on screen (a screenshot of the element), decoded, so a
// test checks drawn pixels rather than what the page asked for. Debian's Chromium draws WebGL in software
// (SwiftShader, see browser.ts), so these are the pixels a user would see.
import type { Locator, Page } from 'playwright-core';
import { decodePng } from '../../../electron/analysis/calibration/png.ts';

export interface ShownPixels {
  width: number;
  height: number;
  /** RGB, row-major. */
  rgb: Uint8Array;
}

/**
 * The pixels on screen where `locator` is. Overlays drawn over a field (labels, handles, cells, annotations) are
 * hidden for the shot unless `withOverlays`, so what is measured is the GPU's picture.
 */
export async function shownPixels(locator: Locator, withOverlays = false): Promise<ShownPixels> {
  const shot = await locator.screenshot({
    animations: 'disabled',
    // Without overlays: neither the drawn overlays, nor a focus ring (the field is a keyboard stop; Chromium shows
    // its ring once a key is pressed while it holds the focus), nor a notification over the field's corner ("Snapshot
    // 3 stored as evidence." fades out seconds later, so two shots of one picture differed by its ~1,000 pixels when
    // the machine was slow) count as the field's pixels.
    style: withOverlays
      ? undefined
      : '[data-field-overlay], .mantine-Notifications-root { visibility: hidden !important; } ' +
        '* { outline: none !important; }',
  });
  const png = decodePng(new Uint8Array(shot));
  const { width, height } = png;
  // The decoder gives RGB (alpha dropped) or grey samples.
  const channels = png.colour === 'rgb' ? 3 : 1;
  const shift = png.bitDepth === 16 ? 8 : 0;
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++)
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = Number(png.data[i * channels + (channels === 1 ? 0 : c)]) >> shift;
  return { width, height, rgb };
}

/** Distinct grey levels, pixels in the missing-data hatch (dark reds), and clearly coloured pixels. */
export function pixelStats(p: ShownPixels): { greys: number; hatched: number; coloured: number } {
  const greys = new Set<number>();
  let hatched = 0;
  let coloured = 0;
  for (let i = 0; i < p.width * p.height; i++) {
    const r = p.rgb[i * 3]!;
    const g = p.rgb[i * 3 + 1]!;
    const b = p.rgb[i * 3 + 2]!;
    if (r === g && g === b) greys.add(r);
    else if (r > g + 10 && r > b && g < 40) hatched++;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured++;
  }
  return { greys: greys.size, hatched, coloured };
}

/** Pearson correlation of the grey levels of two same-sized pictures (e.g. one view under two lights). */
export function greyCorrelation(a: ShownPixels, b: ShownPixels): number {
  let n = 0;
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  for (let i = 0; i < Math.min(a.rgb.length, b.rgb.length); i += 3) {
    const x = a.rgb[i]!;
    const y = b.rgb[i]!;
    // Only pixels grey in both: the shaded surface, not the background, hatch or overlays.
    if (x !== a.rgb[i + 1] || y !== b.rgb[i + 1] || x < 20 || y < 20) continue;
    n++;
    sa += x;
    sb += y;
    saa += x * x;
    sbb += y * y;
    sab += x * y;
  }
  if (n < 100) return NaN;
  const cov = sab / n - (sa / n) * (sb / n);
  return cov / Math.sqrt((saa / n - (sa / n) ** 2) * (sbb / n - (sb / n) ** 2));
}

/** Waits until the field under `testId` has completed (GPU-finished) at least `frames` frames. */
export async function framesCompleted(page: Page, testId: string, frames = 1, timeout = 30_000): Promise<number> {
  const handle = await page.waitForFunction(
    ([id, n]) => {
      const canvas = document.querySelector(`[data-testid="${id}-canvas"]`);
      const done = Number(canvas?.getAttribute('data-frames-completed') ?? 0);
      return done >= n ? done : false;
    },
    [testId, frames] as const,
    { timeout },
  );
  return (await handle.jsonValue()) as number;
}
