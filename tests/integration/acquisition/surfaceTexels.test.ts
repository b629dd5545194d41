// What the GPU is given to shade a real breech-face scan (Fadul, X3P): every unmeasured point, and only those,
// is marked missing; the stored slopes decode to the scan's own slopes; a 2048² map (the largest preview) is prepared.
// How the light then shades them is checked in the browser (tests/e2e: acquisition and examination).
import { beforeAll, describe, expect, it } from 'vitest';
import { readX3PFile } from '../../../electron/analysis/x3p/index.ts';
import { decodeSlope, surfaceTexels, type HeightGrid } from '../../../renderer/shared/field/surfaceTexture.ts';
import { sharedDataPath } from '../../fixtures/sharedData.ts';

let grid: HeightGrid;

beforeAll(async () => {
  const { surface } = await readX3PFile(sharedDataPath('fadul', 'fadul_1-1.x3p'));
  grid = {
    width: surface.width,
    height: surface.height,
    heights: Float32Array.from(surface.z, (v) => v * 1e6),
    spacingUm: surface.dx * 1e6,
  };
});

describe('surface texels of a Fadul breech-face scan', () => {
  it('marks exactly the unmeasured points missing and keeps the slopes', () => {
    const { width: w, height: h, heights: z, spacingUm } = grid;
    const t = surfaceTexels(grid);
    let missing = 0;
    for (let i = 0; i < w * h; i++) {
      const measured = z[i] === z[i];
      if (!measured) missing++;
      expect(t.rgba[i * 4 + 3]).toBe(measured ? 255 : 0);
    }
    expect(missing).toBeGreaterThan(0);
    expect(t.validPoints).toBe(w * h - missing);
    // Interior points with measured neighbours: the decoded slope is the central difference, within the encoding's step.
    let checked = 0;
    let worst = 0;
    for (let y = 1; y < h - 1; y += 7) {
      for (let x = 1; x < w - 1; x += 7) {
        const i = y * w + x;
        if ([i, i - 1, i + 1].some((j) => z[j] !== z[j])) continue;
        const truth = (z[i + 1]! - z[i - 1]!) / 2 / spacingUm;
        const decoded = decodeSlope(t.rgba[i * 4]!, t.slopeScale);
        // One byte step near the slope, relative to the typical slope, is the worst the encoding can do.
        worst = Math.max(worst, Math.abs(decoded - truth) / (t.slopeScale * (1 + (truth / t.slopeScale) ** 2)));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect(worst).toBeLessThan(0.03);
  });

  it('prepares a 2048 × 2048 map, the largest the workspace is given', () => {
    const size = 2048;
    const heights = new Float32Array(size * size);
    for (let y = 0; y < size; y++) {
      const sy = Math.floor((y * grid.height) / size);
      for (let x = 0; x < size; x++)
        heights[y * size + x] = grid.heights[sy * grid.width + Math.floor((x * grid.width) / size)]!;
    }
    const t0 = performance.now();
    const t = surfaceTexels({ width: size, height: size, heights, spacingUm: (grid.spacingUm * grid.width) / size });
    const ms = performance.now() - t0;
    console.log(`surface texels 2048²: ${ms.toFixed(0)} ms`);
    // Its time is logged here and measured in bench/examination.bench.ts (no timing assertion in tests).
    expect(t.rgba.length).toBe(size * size * 4);
    expect(t.validPoints).toBeGreaterThan(size * size * 0.2);
  });
});
