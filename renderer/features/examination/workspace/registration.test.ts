import { describe, expect, it } from 'vitest';
import { apply, compose, type Point } from '../../../shared/field/geometry.ts';
import { fit, initialState, panelsOf, screenFromOwn, withPlacement } from '../../../shared/field/fieldState.ts';
import { aFromB, displayToA, displayToB } from './registration.ts';

const extentA = { widthUm: 3000, heightUm: 3000 };
const extentB = { widthUm: 2000, heightUm: 2400 };
const close = (p: Point, q: Point, digits = 6) => {
  expect(p[0]).toBeCloseTo(q[0], digits);
  expect(p[1]).toBeCloseTo(q[1], digits);
};

describe('registration on the stage', () => {
  const panels = panelsOf('side', 1000, 600);
  const start = fit(initialState(extentA, extentB), [extentA, extentB], panels[0]!);

  it('places B by the analysis registration so that registered points coincide', () => {
    const registration = { thetaDeg: 12, tx: 14, ty: -6 };
    const pixel = 6.25;
    const m = aFromB(registration, pixel, extentB);
    // A display-frame point and its counterpart on B (overlay.ts' convention) land on the same point of A.
    const d: Point = [150, 220];
    close(apply(m, displayToB(registration, pixel, extentB, d)), displayToA(pixel, d));
    const aligned = withPlacement(start, 1, compose(start.placement[0], m));
    const panel = panelsOf('split', 1000, 600)[0]!;
    close(
      apply(screenFromOwn(aligned, panel, 1), displayToB(registration, pixel, extentB, d)),
      apply(screenFromOwn(aligned, panel, 0), displayToA(pixel, d)),
    );
  });
});
