// Turning decoded points into a Surface: a matrix keeps its order; a point list must lie on a regular grid.
import type { Surface } from '../surface.ts';
import { X3PError } from './errors.ts';
import type { DecodedPoints } from './points.ts';
import type { X3PAxis } from './types.ts';
import type { StepMatrix } from './orientation.ts';
import { correct } from './corrections.ts';

/** Median signed step of an absolute coordinate from one point to the next along columns and along rows. */
function medianSteps(values: Float64Array, width: number, height: number): [number, number] {
  const median = (steps: number[]) => {
    if (steps.length === 0) return 0;
    steps.sort((p, q) => p - q);
    return steps[steps.length >> 1];
  };
  const alongColumns: number[] = [];
  const alongRows: number[] = [];
  // A sample of rows and columns is enough for a median of a regular grid.
  const rowStride = Math.max(1, Math.floor(height / 64));
  const colStride = Math.max(1, Math.floor(width / 64));
  for (let y = 0; y < height; y += rowStride)
    for (let x = 1; x < width; x++) {
      const a = values[y * width + x - 1];
      const b = values[y * width + x];
      if (Number.isFinite(a) && Number.isFinite(b)) alongColumns.push(b - a);
    }
  for (let x = 0; x < width; x += colStride)
    for (let y = 1; y < height; y++) {
      const a = values[(y - 1) * width + x];
      const b = values[y * width + x];
      if (Number.isFinite(a) && Number.isFinite(b)) alongRows.push(b - a);
    }
  return [median(alongColumns), median(alongRows)];
}

/**
 * A matrix in its stored order, with where each column and row step goes physically: incremental axes give
 * their (possibly negative) increment, absolute ones the median step of their coordinates. orientSurface turns
 * it into the canonical frame.
 */
export function matrixSurface(
  points: DecodedPoints,
  width: number,
  height: number,
  cx: X3PAxis,
  cy: X3PAxis,
  corrections: string[],
): { surface: Surface; steps: StepMatrix } {
  const xSteps: [number, number] = cx.axisType === 'I' ? [cx.increment, 0] : medianSteps(points.x!, width, height);
  const ySteps: [number, number] = cy.axisType === 'I' ? [0, cy.increment] : medianSteps(points.y!, width, height);
  if (cx.axisType === 'A')
    correct(corrections, `CX is stored as absolute coordinates; column spacing derived from them`, 'absolute_axis', {
      axis: 'CX',
    });
  if (cy.axisType === 'A')
    correct(corrections, `CY is stored as absolute coordinates; row spacing derived from them`, 'absolute_axis', {
      axis: 'CY',
    });
  // An axis whose coordinates never change (one row, one column): assume square pixels, on the other direction.
  let xSize = Math.hypot(...xSteps);
  let ySize = Math.hypot(...ySteps);
  if (xSize === 0 || ySize === 0) {
    correct(
      corrections,
      `spacing along ${xSize === 0 ? 'x' : 'y'} could not be derived; assumed equal to the other axis`,
      'spacing_assumed',
      { axis: xSize === 0 ? 'x' : 'y' },
    );
    const fallback = xSize || ySize || 1;
    if (xSize === 0) {
      xSteps.splice(0, 2, ...(Math.abs(ySteps[0]) > Math.abs(ySteps[1]) ? [0, fallback] : [fallback, 0]));
      xSize = fallback;
    }
    if (ySize === 0) {
      ySteps.splice(0, 2, ...(Math.abs(xSteps[1]) > Math.abs(xSteps[0]) ? [fallback, 0] : [0, fallback]));
      ySize = fallback;
    }
  }
  const steps: StepMatrix = [xSteps, ySteps];
  for (const [axis, increment] of [
    ['CX', cx],
    ['CY', cy],
  ] as const)
    if (increment.axisType === 'I' && increment.increment < 0)
      correct(
        corrections,
        `${axis} has a negative increment (${increment.increment}): that axis runs the other way`,
        'negative_increment',
        { axis },
      );
  return { surface: { width, height, dx: xSize, dy: ySize, z: points.z }, steps };
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
