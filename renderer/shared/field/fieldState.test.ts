import { describe, expect, it } from 'vitest';
import { apply, compose, decompose, invert, type Point } from './geometry.ts';
import {
  fit,
  initialState,
  pan,
  panelAt,
  panelsOf,
  rotate,
  screenFromOwn,
  screenFromWorld,
  zoomAt,
  type FieldState,
} from './fieldState.ts';

const extentA = { widthUm: 3000, heightUm: 3000 };
const extentB = { widthUm: 2000, heightUm: 2400 };
const close = (p: Point, q: Point, digits = 6) => {
  expect(p[0]).toBeCloseTo(q[0], digits);
  expect(p[1]).toBeCloseTo(q[1], digits);
};

describe('comparison field', () => {
  const panels = panelsOf('side', 1000, 600);
  const start = fit(initialState(extentA, extentB), [extentA, extentB], panels[0]!);

  it('starts with both centres on the middle of their panels, at one scale', () => {
    const middle = (i: number): Point => [panels[i]!.x + panels[i]!.width / 2, 300];
    close(apply(screenFromOwn(start, panels[0]!, 0), [1500, 1500]), middle(0));
    close(apply(screenFromOwn(start, panels[1]!, 1), [1000, 1200]), middle(1));
    expect(panelAt(panels, [100, 10])).toBe(0);
    expect(panelAt(panels, [900, 10])).toBe(1);
  });

  it('moves both sides together when locked', () => {
    const moved = pan(start, 30, -10);
    for (const side of [0, 1] as const) {
      const p: Point = [700, 800];
      const before = apply(screenFromOwn(start, panels[side]!, side), p);
      const after = apply(screenFromOwn(moved, panels[side]!, side), p);
      close([after[0] - before[0], after[1] - before[1]], [30, -10]);
    }
  });

  it('keeps the offset made while unlocked once locked again (pan, rotation and zoom)', () => {
    let s: FieldState = { ...start, locked: false, active: 1 };
    s = pan(s, 25, 5);
    s = rotate(s, 7);
    const offset = compose(invert(s.placement[0]), s.placement[1]);
    // A did not move while B did.
    close(apply(screenFromOwn(s, panels[0]!, 0), [0, 0]), apply(screenFromOwn(start, panels[0]!, 0), [0, 0]));
    s = { ...s, locked: true };
    s = rotate(pan(zoomAt(s, panels[0]!, 1.5, [100, 100]), -40, 12), -30);
    const after = compose(invert(s.placement[0]), s.placement[1]);
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f'] as const) expect(after[k]).toBeCloseTo(offset[k], 9);
    expect(decompose(offset).rotationDeg).toBeCloseTo(7, 9);
  });

  it('zooms about the pointer', () => {
    const at: Point = [123, 456];
    const world = apply(invert(screenFromWorld(start, panels[0]!)), at);
    const zoomed = zoomAt(start, panels[0]!, 2, at);
    expect(zoomed.zoom).toBeCloseTo(start.zoom * 2, 12);
    close(apply(screenFromWorld(zoomed, panels[0]!), world), at);
  });

  it('rotates the stage about the field centre', () => {
    const turned = rotate(start, 90);
    const centre = apply(screenFromWorld(start, panels[0]!), start.centre);
    close(apply(screenFromWorld(turned, panels[0]!), turned.centre), centre);
    expect(turned.rotationDeg).toBe(90);
  });

  it('fits both pictures, whatever the rotation', () => {
    const panel = panelsOf('split', 800, 800)[0]!;
    const fitted = fit(rotate(start, 45), [extentA, extentB], panel);
    const m = screenFromOwn(fitted, panel, 0);
    for (const corner of [
      [0, 0],
      [3000, 0],
      [0, 3000],
      [3000, 3000],
    ] as Point[]) {
      const [x, y] = apply(m, corner);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(800);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(800);
    }
  });
});
