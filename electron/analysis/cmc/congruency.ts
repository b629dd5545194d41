// The congruency rule of Song (2013): a cell is a congruent matching cell when its correlation reaches the
// threshold and its registration (θ, x, y) agrees with the consensus of all cells within the thresholds.
// The consensus is the median over the participating cells, as in cmcR's "original method".
import type { CellMatch } from './cells.ts';
import type { CmcParams } from './params.ts';

export interface CongruentCell extends CellMatch {
  congruent: boolean;
}

export interface Consensus {
  thetaDeg: number;
  dx: number;
  dy: number;
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
}

export function applyCongruency(
  matches: CellMatch[],
  params: Pick<CmcParams, 'corrThreshold' | 'translationThresholdPx' | 'angleThresholdDeg'>,
): {
  cells: CongruentCell[];
  consensus: Consensus;
  count: number;
} {
  const scored = matches.filter((m) => Number.isFinite(m.corr));
  const consensus: Consensus = {
    thetaDeg: median(scored.map((m) => m.thetaDeg)),
    dx: median(scored.map((m) => m.dx)),
    dy: median(scored.map((m) => m.dy)),
  };
  let count = 0;
  const cells = matches.map((m) => {
    const congruent =
      Number.isFinite(m.corr) &&
      m.corr >= params.corrThreshold &&
      Math.abs(m.dx - consensus.dx) <= params.translationThresholdPx &&
      Math.abs(m.dy - consensus.dy) <= params.translationThresholdPx &&
      Math.abs(m.thetaDeg - consensus.thetaDeg) <= params.angleThresholdDeg;
    if (congruent) count++;
    return { ...m, congruent };
  });
  return { cells, consensus, count };
}
