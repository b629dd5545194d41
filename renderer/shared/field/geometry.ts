// Plane geometry of the comparison field: 2D affine maps between screen pixels, the shared "world" frame (where
// both specimens lie on the virtual stage, micrometres) and each side's own frame (its scan's micrometres, origin
// at the scan's top-left corner, y down). Pure, so every move of the field can be tested without a browser.

export type Point = [number, number];

/** x' = a·x + c·y + e, y' = b·x + d·y + f (the layout of canvas' setTransform and SVG's matrix()). */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

export const identity: Affine = { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 };

export function apply(m: Affine, [x, y]: Point): Point {
  return [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f];
}

/** Applies only the linear part (for directions and shifts). */
export function applyLinear(m: Affine, [x, y]: Point): Point {
  return [m.a * x + m.c * y, m.b * x + m.d * y];
}

/** `outer ∘ inner`: first inner, then outer. */
export function compose(outer: Affine, inner: Affine): Affine {
  return {
    a: outer.a * inner.a + outer.c * inner.b,
    b: outer.b * inner.a + outer.d * inner.b,
    c: outer.a * inner.c + outer.c * inner.d,
    d: outer.b * inner.c + outer.d * inner.d,
    e: outer.a * inner.e + outer.c * inner.f + outer.e,
    f: outer.b * inner.e + outer.d * inner.f + outer.f,
  };
}

export function invert(m: Affine): Affine {
  const det = m.a * m.d - m.b * m.c;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-300) throw new RangeError('the map cannot be inverted');
  const a = m.d / det;
  const b = -m.b / det;
  const c = -m.c / det;
  const d = m.a / det;
  return { a, b, c, d, e: -(a * m.e + c * m.f), f: -(b * m.e + d * m.f) };
}

export function translation(dx: number, dy: number): Affine {
  return { a: 1, b: 0, c: 0, d: 1, e: dx, f: dy };
}

/**
 * Rotation by `deg` about `centre`. With y pointing down (screen and scan frames) a positive angle turns
 * clockwise on screen; this is the convention of the analysis (overlay.ts: R(θ)(x, y) = (cos x − sin y, sin x + cos y)).
 */
export function rotationAbout(deg: number, [cx, cy]: Point): Affine {
  const t = (deg * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  return { a: cos, b: sin, c: -sin, d: cos, e: cx - cos * cx + sin * cy, f: cy - sin * cx - cos * cy };
}

export function scaleAbout(factor: number, [cx, cy]: Point): Affine {
  return { a: factor, b: 0, c: 0, d: factor, e: cx - factor * cx, f: cy - factor * cy };
}

/** The rotation (degrees, −180…180], uniform scale and shift of a similarity map, for display and records. */
export function decompose(m: Affine): { rotationDeg: number; scale: number; shift: Point } {
  return {
    rotationDeg: (Math.atan2(m.b, m.a) * 180) / Math.PI,
    scale: Math.hypot(m.a, m.b),
    shift: [m.e, m.f],
  };
}

/** Angle in (−180, 180]. */
export function normaliseDeg(deg: number): number {
  const r = ((((deg + 180) % 360) + 360) % 360) - 180;
  return r === -180 ? 180 : r;
}

export function distance(p: Point, q: Point): number {
  return Math.hypot(q[0] - p[0], q[1] - p[1]);
}
