// Turning decoded points into a Surface: a matrix keeps its order; a point list must lie on a regular grid.
import type { Surface } from '../surface.ts';
import { X3PError } from './errors.ts';
import type { DecodedPoints } from './points.ts';
import type { X3PAxis } from './types.ts';

/** Spacing of absolute coordinates along one matrix direction: the median step between neighbours. */
function spacingFromCoordinates(
  values: Float64Array,
  width: number,
  height: number,
  along: 'x' | 'y',
): number | undefined {
  const steps: number[] = [];
  const outer = along === 'x' ? height : width;
  const inner = along === 'x' ? width : height;
  for (let o = 0; o < outer && steps.length < 10_000; o++) {
    for (let i = 1; i < inner; i++) {
      const a = along === 'x' ? values[o * width + i - 1] : values[(i - 1) * width + o];
      const b = along === 'x' ? values[o * width + i] : values[i * width + o];
      if (Number.isFinite(a) && Number.isFinite(b)) steps.push(Math.abs(b - a));
    }
  }
  if (steps.length === 0) return undefined;
  steps.sort((p, q) => p - q);
  const median = steps[steps.length >> 1];
  return median > 0 ? median : undefined;
}

export function matrixSurface(
  points: DecodedPoints,
  width: number,
  height: number,
  cx: X3PAxis,
  cy: X3PAxis,
  corrections: string[],
): Surface {
  const dx = cx.axisType === 'I' ? cx.increment : spacingFromCoordinates(points.x!, width, height, 'x');
  const dy = cy.axisType === 'I' ? cy.increment : spacingFromCoordinates(points.y!, width, height, 'y');
  if (cx.axisType === 'A')
    corrections.push(`CX is stored as absolute coordinates; column spacing derived from them: ${dx ?? 'unknown'} m`);
  if (cy.axisType === 'A')
    corrections.push(`CY is stored as absolute coordinates; row spacing derived from them: ${dy ?? 'unknown'} m`);
  const spacingX = dx ?? dy ?? 1;
  const spacingY = dy ?? dx ?? 1;
  if (dx === undefined || dy === undefined)
    corrections.push(
      `spacing along ${dx === undefined ? 'x' : 'y'} could not be derived; assumed equal to the other axis`,
    );
  return { width, height, dx: spacingX, dy: spacingY, z: points.z };
}

function gridOf(values: Float64Array, valid: (i: number) => boolean, count: number, axis: string) {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    if (!valid(i)) continue;
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  const range = max - min;
  if (range === 0) return { min, step: 0, size: 1 };
  // The step is the smallest gap between distinct sorted coordinates (tolerant to float noise).
  const sorted = Float64Array.from({ length: count }, (_, i) => (valid(i) ? values[i] : NaN))
    .filter((v) => !Number.isNaN(v))
    .sort();
  const tolerance = range * 1e-9;
  let step = Infinity;
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i] - sorted[i - 1];
    if (gap > tolerance && gap < step) step = gap;
  }
  for (let i = 0; i < sorted.length; i++) {
    const k = (sorted[i] - min) / step;
    if (Math.abs(k - Math.round(k)) > 1e-3) {
      throw new X3PError(
        'unsupported',
        `point list: ${axis} coordinates are not on a regular grid (step ${step} m); irregular point clouds cannot become a height map`,
      );
    }
  }
  // Coordinates like 0.1 + 1e-6 carry float noise; ten significant digits are far below any instrument's.
  return { min, step: Number(step.toPrecision(10)), size: Math.round(range / step) + 1 };
}

export function pointListSurface(points: DecodedPoints, cx: X3PAxis, cy: X3PAxis, maxPoints: number): Surface {
  const { count } = points;
  const x = points.x ?? Float64Array.from({ length: count }, (_, i) => i * cx.increment + cx.offset);
  const y = points.y ?? Float64Array.from({ length: count }, () => cy.offset);
  const valid = (i: number) => Number.isFinite(x[i]) && Number.isFinite(y[i]) && !Number.isNaN(points.z[i]);
  const gx = gridOf(x, valid, count, 'x');
  const gy = gridOf(y, valid, count, 'y');
  const cells = gx.size * gy.size;
  // A sparse cloud spread over a huge grid would allocate far more than the file holds.
  if (cells > maxPoints || cells > 16 * count + 1024) {
    throw new X3PError(
      'limits',
      `point list: ${count} points span a ${gx.size} × ${gy.size} grid; too sparse or too large to become a height map`,
    );
  }
  const z = new Float64Array(cells).fill(NaN);
  for (let i = 0; i < count; i++) {
    if (!valid(i)) continue;
    const col = gx.step === 0 ? 0 : Math.round((x[i] - gx.min) / gx.step);
    const row = gy.step === 0 ? 0 : Math.round((y[i] - gy.min) / gy.step);
    const at = row * gx.size + col;
    if (!Number.isNaN(z[at]))
      throw new X3PError('unsupported', `point list: two points at the same grid position (${x[i]}, ${y[i]})`);
    z[at] = points.z[i];
  }
  const dx = gx.step || gy.step || 1;
  const dy = gy.step || gx.step || 1;
  return { width: gx.size, height: gy.size, dx, dy, z };
}
