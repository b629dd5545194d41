// What the comparison view draws: both scans in one display frame (A's), B rotated and shifted by the coarse
// registration so that A(p) ≈ B_display(p), and every cell of both directions as a polygon on each scan.
// Kept beside the engine because the mapping follows its conventions exactly (registration.ts, cells.ts):
//   rotateRaster: out(p) = src(R(−θ)(p − c) + c);  registration: A(p) ≈ B_θ(p + t);  cell: ref(p) ≈ target_θc(p + d).
import { downsampleMean, sampleRotated, type Raster } from '../raster.ts';
import type { CmcResult } from './compare.ts';

export type Point = [number, number];

/** A scan as the view shows it, downsampled by `factor` from the working resolution. */
export interface ScanView {
  width: number;
  height: number;
  factor: number;
  /** Display pixel size in micrometres. */
  pixelUm: number;
  /** Heights in micrometres, row-major; NaN = no data. */
  heights: Float32Array;
}

export interface CellOverlay {
  index: number;
  col: number;
  row: number;
  x: number;
  y: number;
  width: number;
  height: number;
  thetaDeg: number;
  dx: number;
  dy: number;
  corr: number;
  congruent: boolean;
  /** Corners (working-resolution pixels, display frame) of the cell on its reference scan and where it matched on the target. */
  reference: Point[];
  target: Point[];
}

interface Frame {
  width: number;
  height: number;
  /** Rotation (degrees) and shift applied to the scan's own coordinates to reach the display frame. */
  rotateDeg: number;
  shift: Point;
}

const rotate = (deg: number, [x, y]: Point): Point => {
  const t = (deg * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  return [c * x - s * y, s * x + c * y];
};

/** Display position of point s given in a scan's own coordinates: R(φ)(s − c) + c − shift. */
function toDisplay(frame: Frame, s: Point): Point {
  const cx = (frame.width - 1) / 2;
  const cy = (frame.height - 1) / 2;
  const [x, y] = rotate(frame.rotateDeg, [s[0] - cx, s[1] - cy]);
  return [x + cx - frame.shift[0], y + cy - frame.shift[1]];
}

/** Scan coordinates of point q given in the scan rotated by θ (rotateRaster's frame): R(−θ)(q − c) + c. */
function fromRotated(frame: Frame, thetaDeg: number, q: Point): Point {
  const cx = (frame.width - 1) / 2;
  const cy = (frame.height - 1) / 2;
  const [x, y] = rotate(-thetaDeg, [q[0] - cx, q[1] - cy]);
  return [x + cx, y + cy];
}

/** Both directions' cells as polygons in the display frame (A as measured, B registered onto it). */
export function cellOverlays(
  result: CmcResult,
  sizeA: { width: number; height: number },
  sizeB: { width: number; height: number },
): [CellOverlay[], CellOverlay[]] {
  const r = result.registration;
  const frameA: Frame = { ...sizeA, rotateDeg: 0, shift: [0, 0] };
  const frameB: Frame = { ...sizeB, rotateDeg: r.thetaDeg, shift: [r.tx, r.ty] };
  const frames = [
    [frameA, frameB],
    [frameB, frameA],
  ] as const;
  return result.directions.map((direction, i) => {
    const [ref, target] = frames[i];
    return direction.cells.map((cell) => {
      const corners: Point[] = [
        [cell.x0, cell.y0],
        [cell.x0 + cell.width, cell.y0],
        [cell.x0 + cell.width, cell.y0 + cell.height],
        [cell.x0, cell.y0 + cell.height],
      ];
      const matched = Number.isFinite(cell.dx) && Number.isFinite(cell.thetaDeg);
      return {
        index: cell.index,
        col: cell.col,
        row: cell.row,
        x: cell.x0,
        y: cell.y0,
        width: cell.width,
        height: cell.height,
        thetaDeg: cell.thetaDeg,
        dx: cell.dx,
        dy: cell.dy,
        corr: cell.corr,
        congruent: cell.congruent,
        reference: corners.map((p) => toDisplay(ref, p)),
        target: matched
          ? corners.map((p) => toDisplay(target, fromRotated(target, cell.thetaDeg, [p[0] + cell.dx, p[1] + cell.dy])))
          : [],
      };
    });
  }) as [CellOverlay[], CellOverlay[]];
}

/** The factor that brings the larger side of a raster to at most maxSide. */
export function viewFactor(width: number, height: number, maxSide: number): number {
  return Math.max(1, Math.ceil(Math.max(width, height) / maxSide));
}

function toView(raster: Raster, factor: number, pixelSize: number): ScanView {
  const small = factor > 1 ? downsampleMean(raster, factor) : raster;
  const heights = new Float32Array(small.data.length);
  for (let i = 0; i < heights.length; i++) heights[i] = small.data[i] * 1e6;
  return { width: small.width, height: small.height, factor, pixelUm: pixelSize * factor * 1e6, heights };
}

/** A as measured and B resampled into A's frame by the registration, both downsampled to at most maxSide. */
export function registeredViews(
  a: Raster,
  b: Raster,
  registration: { thetaDeg: number; tx: number; ty: number },
  pixelSize: number,
  maxSide: number,
): { a: ScanView; b: ScanView } {
  const factor = viewFactor(a.width, a.height, maxSide);
  // B_θ(p + t) over A's extent: the window of B rotated by θ that starts at t.
  const bInA = sampleRotated(
    b,
    registration.thetaDeg,
    registration.tx,
    registration.ty,
    a.width,
    a.height,
    new Float64Array(a.width * a.height),
  );
  return {
    a: toView(a, factor, pixelSize),
    b: toView({ width: a.width, height: a.height, data: bInA }, factor, pixelSize),
  };
}
