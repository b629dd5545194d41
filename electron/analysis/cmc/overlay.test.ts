import { describe, expect, it } from 'vitest';
import { cellOverlays, registeredViews, viewFactor } from './overlay.ts';
import { rotateRaster } from '../raster.ts';
import type { CmcResult } from './compare.ts';

const size = { width: 101, height: 81 };

function resultWith(
  registration: { thetaDeg: number; tx: number; ty: number },
  cell: { thetaDeg: number; dx: number; dy: number },
): CmcResult {
  const match = {
    index: 0,
    col: 0,
    row: 0,
    x0: 10,
    y0: 20,
    width: 30,
    height: 15,
    validFraction: 1,
    corr: 0.8,
    congruent: true,
    ...cell,
  };
  const direction = {
    reference: 'a',
    target: 'b',
    validCells: 1,
    cmcCount: 1,
    consensus: { thetaDeg: 0, dx: 0, dy: 0 },
    start: registration,
    cells: [match],
    cellWidth: 30,
    cellHeight: 15,
  };
  return {
    registration: { ...registration, score: 1, angleScores: [] },
    directions: [direction, { ...direction, cells: [] }],
  } as unknown as CmcResult;
}

const close = (a: [number, number][], b: [number, number][]) =>
  a.forEach((p, i) => {
    expect(p[0]).toBeCloseTo(b[i]![0], 6);
    expect(p[1]).toBeCloseTo(b[i]![1], 6);
  });

describe('cell overlays in the display frame', () => {
  it('puts a cell matched exactly at the registration onto itself', () => {
    // B rotated by 30° and shifted: the cell found at the registration (same θ, shift = t) lands where it started.
    const reg = { thetaDeg: 30, tx: 7, ty: -4 };
    const [ab] = cellOverlays(resultWith(reg, { thetaDeg: 30, dx: 7, dy: -4 }), size, size);
    expect(ab[0]!.reference).toEqual([
      [10, 20],
      [40, 20],
      [40, 35],
      [10, 35],
    ]);
    close(ab[0]!.target, ab[0]!.reference);
  });

  it('draws a cell matched at another angle rotated by the difference, about its own matched place', () => {
    const [ab] = cellOverlays(resultWith({ thetaDeg: 0, tx: 0, ty: 0 }, { thetaDeg: 90, dx: 0, dy: 0 }), size, size);
    const target = ab[0]!.target;
    // Edge lengths are kept and the first edge turns by −90° (rotating B by +90° to match means the cell sits at −90° in B's own frame).
    expect(Math.hypot(target[1]![0] - target[0]![0], target[1]![1] - target[0]![1])).toBeCloseTo(30, 6);
    expect(target[1]![0] - target[0]![0]).toBeCloseTo(0, 6);
    expect(target[1]![1] - target[0]![1]).toBeCloseTo(-30, 6);
  });

  it("resamples B into A's frame so that a rotated copy comes back onto A", () => {
    const a = { width: 64, height: 64, data: new Float64Array(64 * 64).map((_, i) => Math.sin(i / 7) + (i % 64) / 10) };
    const b = { ...a, data: rotateRaster(a, -20) };
    const views = registeredViews(a, b, { thetaDeg: 20, tx: 0, ty: 0 }, 6.25e-6, 32);
    expect(views.a.factor).toBe(viewFactor(64, 64, 32));
    expect(views.a.pixelUm).toBeCloseTo(12.5, 6);
    let n = 0;
    let sa = 0,
      sb = 0,
      saa = 0,
      sbb = 0,
      sab = 0;
    for (let i = 0; i < views.a.heights.length; i++) {
      const [p, q] = [views.a.heights[i]!, views.b.heights[i]!];
      if (p === p && q === q) {
        n++;
        sa += p;
        sb += q;
        saa += p * p;
        sbb += q * q;
        sab += p * q;
      }
    }
    expect(n).toBeGreaterThan(400);
    expect((sab - (sa * sb) / n) / Math.sqrt((saa - (sa * sa) / n) * (sbb - (sb * sb) / n))).toBeGreaterThan(0.99);
  });
});
