import { describe, expect, it } from 'vitest';
import { apply, compose, decompose, invert, normaliseDeg, rotationAbout, scaleAbout, translation } from './geometry.ts';

const close = (p: [number, number], q: [number, number]) => {
  expect(p[0]).toBeCloseTo(q[0], 9);
  expect(p[1]).toBeCloseTo(q[1], 9);
};

describe('field geometry', () => {
  it('rotates clockwise on screen (y down) about the given centre, as the analysis does', () => {
    const r = rotationAbout(90, [10, 10]);
    close(apply(r, [10, 10]), [10, 10]);
    // A point to the right of the centre goes below it: clockwise with y pointing down.
    close(apply(r, [20, 10]), [10, 20]);
  });

  it('composes first inner, then outer, and inverts', () => {
    const m = compose(translation(5, -3), rotationAbout(30, [1, 2]));
    const p: [number, number] = [7, 11];
    close(apply(m, p), apply(translation(5, -3), apply(rotationAbout(30, [1, 2]), p)));
    close(apply(invert(m), apply(m, p)), p);
    close(apply(compose(invert(m), m), [3, 4]), [3, 4]);
  });

  it('decomposes a similarity into rotation, scale and shift', () => {
    const m = compose(scaleAbout(2, [0, 0]), rotationAbout(-20, [0, 0]));
    const d = decompose(compose(translation(4, 6), m));
    expect(d.rotationDeg).toBeCloseTo(-20, 9);
    expect(d.scale).toBeCloseTo(2, 9);
    close(d.shift, [4, 6]);
  });

  it('refuses to invert a degenerate map', () => {
    expect(() => invert({ a: 0, b: 0, c: 0, d: 0, e: 1, f: 1 })).toThrow(RangeError);
  });

  it('normalises angles into (−180, 180]', () => {
    expect(normaliseDeg(190)).toBe(-170);
    expect(normaliseDeg(-180)).toBe(180);
    expect(normaliseDeg(720 + 45)).toBe(45);
  });
});
