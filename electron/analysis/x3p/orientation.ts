// Orientation of a stored matrix: every convention ISO 5436-2 allows (negative increments, absolute coordinates
// running either way, a matrix stored transposed, an Axes/Rotation matrix) and the ones tools write in practice
// all describe the same physical surface. The reader turns the stored matrix into one canonical frame — x
// increasing with the column, y with the row, heights up — so that a comparison never depends on how a scan
// was stored. Axis-aligned turns and mirrors are applied exactly (re-indexing, no resampling); a residual
// in-plane rotation is reported and left alone, because comparisons search every rotation anyway.
import type { Surface } from '../surface.ts';
import { correct } from './corrections.ts';

/** Physical step (x, y) per column and per row of the stored matrix: [[xPerCol, xPerRow], [yPerCol, yPerRow]]. */
export type StepMatrix = [[number, number], [number, number]];

const turnNames: Record<string, string> = {
  '1,0,0,1': '',
  '-1,0,0,1': 'mirrored in x',
  '1,0,0,-1': 'mirrored in y',
  '-1,0,0,-1': 'turned 180°',
  '0,-1,1,0': 'turned 90°',
  '0,1,-1,0': 'turned −90°',
  '0,1,1,0': 'transposed (x and y swapped)',
  '0,-1,-1,0': 'transposed and turned 180°',
};

/** The signed permutation nearest to a 2×2 matrix (the dominant entry of each column, with its sign). */
function nearestTurn(t: StepMatrix): [[number, number], [number, number]] | undefined {
  const q: [[number, number], [number, number]] = [
    [0, 0],
    [0, 0],
  ];
  for (let k = 0; k < 2; k++) {
    const row = Math.abs(t[0][k]) >= Math.abs(t[1][k]) ? 0 : 1;
    q[row][k] = Math.sign(t[row][k]) || 1;
  }
  // Both columns dominated by the same axis (a 45° turn): no permutation fits.
  if ((q[0][0] !== 0 && q[0][1] !== 0) || (q[1][0] !== 0 && q[1][1] !== 0)) return undefined;
  return q;
}

/**
 * Re-indexes a stored matrix into the canonical frame. `steps` says where a column / row step goes physically
 * (from increments or absolute coordinates); `rotation` is Axes/Rotation (row-major 3×3) or undefined.
 */
export function orientSurface(
  stored: Surface,
  steps: StepMatrix,
  rotation: number[] | undefined,
  corrections: string[],
): Surface {
  // Physical = R · stored: the in-plane part of R composed with the stored steps.
  const r = rotation ?? [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const t: StepMatrix = [
    [r[0] * steps[0][0] + r[1] * steps[1][0], r[0] * steps[0][1] + r[1] * steps[1][1]],
    [r[3] * steps[0][0] + r[4] * steps[1][0], r[3] * steps[0][1] + r[4] * steps[1][1]],
  ];
  let z = stored.z;
  if (rotation) {
    const tilt = Math.hypot(r[2], r[5], r[6], r[7]);
    if (tilt > 1e-6)
      correct(
        corrections,
        `Axes: the Rotation tilts the surface out of plane (${((Math.asin(Math.min(1, tilt)) * 180) / Math.PI).toFixed(2)}°); not applied (levelling removes a tilt)`,
        'rotation_tilt',
        { degrees: Number(((Math.asin(Math.min(1, tilt)) * 180) / Math.PI).toFixed(2)) },
      );
    if (r[8] < 0) {
      z = Float64Array.from(z, (v) => -v);
      correct(corrections, 'Axes: the Rotation turns the surface upside down; heights negated', 'rotation_flip');
    }
  }
  let q = nearestTurn(t);
  if (!q) {
    // A 45° frame: keep the stored order, mirrored if the frame is, and report the rotation left.
    const det = t[0][0] * t[1][1] - t[0][1] * t[1][0];
    q =
      det < 0
        ? [
            [-1, 0],
            [0, 1],
          ]
        : [
            [1, 0],
            [0, 1],
          ];
  }
  // Rotation left after the turn: the angle between the turned column axis and physical x.
  const colAxis = q[0][0] !== 0 ? 0 : 1;
  const xColumn = [t[0][colAxis] * q[0][colAxis], t[1][colAxis] * q[0][colAxis]];
  const residual = (Math.atan2(xColumn[1], xColumn[0]) * 180) / Math.PI;
  const name = turnNames[[q[0][0], q[0][1], q[1][0], q[1][1]].join(',')];
  const source = rotation ? 'the axes and the Rotation matrix' : 'the axes';
  if (name)
    correct(
      corrections,
      `the stored matrix is ${name} by ${source}; turned to x along columns, y along rows`,
      'matrix_turned',
    );
  if (Math.abs(residual) > 0.01)
    correct(
      corrections,
      `the surface is rotated by ${residual.toFixed(2)}° in its plane by ${source}; kept as stored (comparisons search every rotation)`,
      'in_plane_rotation',
      { degrees: Number(residual.toFixed(2)) },
    );
  const rowAxis = 1 - colAxis;
  const dx = Math.hypot(t[0][colAxis], t[1][colAxis]);
  const dy = Math.hypot(t[0][rowAxis], t[1][rowAxis]);
  if (!name) return { ...stored, z, dx, dy };

  const { width: w, height: h } = stored;
  const width = q[0][0] !== 0 ? w : h;
  const height = q[0][0] !== 0 ? h : w;
  // New position of stored (c, r): (q·(c, r)) shifted so the smallest index is 0.
  const x0 = Math.min(0, q[0][0] * (w - 1)) + Math.min(0, q[0][1] * (h - 1));
  const y0 = Math.min(0, q[1][0] * (w - 1)) + Math.min(0, q[1][1] * (h - 1));
  const out = new Float64Array(w * h);
  for (let row = 0; row < h; row++) {
    for (let col = 0; col < w; col++) {
      const x = q[0][0] * col + q[0][1] * row - x0;
      const y = q[1][0] * col + q[1][1] * row - y0;
      out[y * width + x] = z[row * w + col];
    }
  }
  return { width, height, dx, dy, z: out };
}
