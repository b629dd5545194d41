// The analysis registration (compare.run) as a placement of B on the stage. The engine states it in working
// pixels: A(p) ≈ B_θ(p + t), B rotated by θ about its centre (electron/analysis/cmc/overlay.ts). In micrometres
// (a working pixel's centre at (i + 0.5) · pixel), a point s of B's own frame lies over A's point
//   p = R(θ)(s − c_B) + c_B − t · pixel,   c_B = B's centre.
import { compose, rotationAbout, translation, type Affine, type Point } from '../../../shared/field/geometry.ts';
import type { SideExtent } from '../../../shared/field/fieldState.ts';

export interface Registration {
  thetaDeg: number;
  /** Working pixels. */
  tx: number;
  ty: number;
}

/** B's own frame → A's own frame. */
export function aFromB(registration: Registration, workingPixelUm: number, extentB: SideExtent): Affine {
  const centre: Point = [extentB.widthUm / 2, extentB.heightUm / 2];
  return compose(
    translation(-registration.tx * workingPixelUm, -registration.ty * workingPixelUm),
    rotationAbout(registration.thetaDeg, centre),
  );
}

/** The point of the display frame the analysis used (A's working pixels) in B's own frame, micrometres. */
export function displayToB(registration: Registration, workingPixelUm: number, extentB: SideExtent, d: Point): Point {
  const centre: Point = [extentB.widthUm / 2, extentB.heightUm / 2];
  const p: Point = [(d[0] + 0.5) * workingPixelUm, (d[1] + 0.5) * workingPixelUm];
  const back = compose(
    rotationAbout(-registration.thetaDeg, centre),
    translation(registration.tx * workingPixelUm, registration.ty * workingPixelUm),
  );
  const [x, y] = p;
  return [back.a * x + back.c * y + back.e, back.b * x + back.d * y + back.f];
}

/** A point of the display frame (A's working pixels) in A's own frame, micrometres. */
export function displayToA(workingPixelUm: number, d: Point): Point {
  return [(d[0] + 0.5) * workingPixelUm, (d[1] + 0.5) * workingPixelUm];
}
