// The CMC cells of compare.run as shapes on each side's own frame, so they stay on their specimen when the
// examiner moves one side by hand. The engine gives every corner in its display frame (A's working pixels, B
// registered onto it); registration.ts takes each back to the side it lies on.
import type { StoredAnalysis } from '../../../../electron/contract/index.ts';
import type { Point } from '../../../shared/field/geometry.ts';
import type { SideExtent, SideIndex } from '../../../shared/field/fieldState.ts';
import { displayToA, displayToB } from './registration.ts';

export interface CellShape {
  index: number;
  col: number;
  row: number;
  congruent: boolean;
  corr: number | null;
  thetaDeg: number | null;
  /** Shift at which the cell matched, micrometres. */
  dxUm: number | null;
  dyUm: number | null;
  /** 'reference': the cell as cut from its scan; 'target': where it matched on the other scan. */
  role: 'reference' | 'target';
  polygon: Point[];
}

/** Cells of one direction (0: A's cells searched in B, 1: B's in A) as shapes on side A and side B. */
export function cellShapes(
  result: Pick<StoredAnalysis, 'directions' | 'pixelUm' | 'registration'>,
  direction: 0 | 1,
  sourceExtentB: SideExtent,
): [CellShape[], CellShape[]] {
  const pixel = result.pixelUm;
  const toSide = (side: SideIndex, p: Point): Point =>
    side === 0 ? displayToA(pixel, p) : displayToB(result.registration, pixel, sourceExtentB, p);
  const referenceSide: SideIndex = direction === 0 ? 0 : 1;
  const shapes: [CellShape[], CellShape[]] = [[], []];
  for (const cell of result.directions[direction].cells) {
    const base = {
      index: cell.index,
      col: cell.col,
      row: cell.row,
      congruent: cell.congruent,
      corr: cell.corr,
      thetaDeg: cell.thetaDeg,
      dxUm: cell.dx === null ? null : cell.dx * pixel,
      dyUm: cell.dy === null ? null : cell.dy * pixel,
    };
    shapes[referenceSide].push({
      ...base,
      role: 'reference',
      polygon: cell.reference.map((p) => toSide(referenceSide, p as Point)),
    });
    if (cell.target.length > 0) {
      const other: SideIndex = referenceSide === 0 ? 1 : 0;
      shapes[other].push({ ...base, role: 'target', polygon: cell.target.map((p) => toSide(other, p as Point)) });
    }
  }
  return shapes;
}
