// Features of one comparison beyond the CMC count, after the published ACES work (Zemmels, VanderPlas &
// Hofmann 2023: registration-based, cell-based and density-based features combined in a statistical model).
// Every feature is symmetric in the two scans (both directions are combined) and dimensionless, so a model
// trained on one population can be applied to scans of another resolution or measured area.
import { sampleRotated } from '../raster.ts';
import type { CongruentCell, Consensus } from './congruency.ts';
import type { CmcParams } from './params.ts';
import { levelOf, type PreparedScan } from './prepared.ts';

export interface ComparisonFeatures {
  /** CMCs as a share of the cells that took part, mean of both directions. */
  cmcFraction: number;
  /** Pearson correlation of the whole overlap after registration by the cells' consensus (both directions' mean). */
  fullCorrelation: number;
  /** Mean of every participating cell's best correlation (both directions). */
  cellCorrelationMean: number;
  /** Largest group of cells agreeing in (θ, x, y) within the congruency thresholds, whatever their correlation,
   * as a share of the participating cells (both directions' mean): matches agree in where cells go. */
  clusterFraction: number;
  /** How far the two directions' consensus translations disagree, relative to the cell size. A match registers
   * the same way both ways; a non-match's cells scatter, and so do their medians. */
  directionTranslationGap: number;
  /** Coarse 360° registration correlation (50 µm/px). */
  registrationCorrelation: number;
}

export const featureNames: (keyof ComparisonFeatures)[] = [
  'cmcFraction',
  'fullCorrelation',
  'cellCorrelationMean',
  'clusterFraction',
  'directionTranslationGap',
  'registrationCorrelation',
];

interface DirectionCells {
  cells: CongruentCell[];
  validCells: number;
  cmcCount: number;
  consensus: Consensus;
}

/** Largest set of cells within the thresholds of one of them (a one-pass DBSCAN-like density count). */
function largestCluster(cells: CongruentCell[], params: CmcParams): number {
  const scored = cells.filter((c) => Number.isFinite(c.corr));
  let best = 0;
  for (const centre of scored) {
    let n = 0;
    for (const c of scored)
      if (
        Math.abs(c.dx - centre.dx) <= params.translationThresholdPx &&
        Math.abs(c.dy - centre.dy) <= params.translationThresholdPx &&
        Math.abs(c.thetaDeg - centre.thetaDeg) <= params.angleThresholdDeg
      )
        n++;
    best = Math.max(best, n);
  }
  return best;
}

/**
 * Pearson correlation of the reference and the target registered onto it (A(p) ≈ B_θ(p + d)), on the ×2 level:
 * at 12.5 µm/px the 16–250 µm band is intact and the cost is a fraction of a millisecond per 10⁵ points.
 */
export function registeredCorrelation(
  reference: PreparedScan,
  target: PreparedScan,
  consensus: Consensus,
  factor = 2,
): number {
  if (![consensus.thetaDeg, consensus.dx, consensus.dy].every(Number.isFinite)) return 0;
  const a = levelOf(reference, factor);
  const b = levelOf(target, factor);
  // Registration at full resolution → at the level: shifts scale by 1/f, and the rotation centres move as in
  // coarseToFull (both levels map pixel p to f·p + (f−1)/2).
  const theta = (consensus.thetaDeg * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const ex = (target.raster.width - 1) / 2 - (factor * b.width - 1) / 2;
  const ey = (target.raster.height - 1) / 2 - (factor * b.height - 1) / 2;
  const tx = (consensus.dx - (ex - (cos * ex - sin * ey))) / factor;
  const ty = (consensus.dy - (ey - (sin * ex + cos * ey))) / factor;
  // The rotated target over A's frame, shifted: sample window starts at (tx, ty) (sampleRotated takes integers,
  // so the sub-pixel rest is dropped: under half a level pixel).
  const window = new Float64Array(a.width * a.height);
  sampleRotated(b, consensus.thetaDeg, Math.round(tx), Math.round(ty), a.width, a.height, window);
  let n = 0;
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  for (let i = 0; i < window.length; i++) {
    const u = a.data[i];
    const v = window[i];
    if (u !== u || v !== v) continue;
    n++;
    sa += u;
    sb += v;
    saa += u * u;
    sbb += v * v;
    sab += u * v;
  }
  if (n < 64) return 0;
  const cov = sab - (sa * sb) / n;
  const va = saa - (sa * sa) / n;
  const vb = sbb - (sb * sb) / n;
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
}

export function comparisonFeatures(
  a: PreparedScan,
  b: PreparedScan,
  directions: [DirectionCells, DirectionCells],
  inverseOfBa: { thetaDeg: number; tx: number; ty: number },
  registrationScore: number,
  cellSize: number,
  params: CmcParams,
): ComparisonFeatures {
  const [ab, ba] = directions;
  const share = (count: number, of: number) => (of > 0 ? count / of : 0);
  const correlations = [...ab.cells, ...ba.cells].map((c) => c.corr).filter(Number.isFinite);
  const gap = Math.hypot(ab.consensus.dx - inverseOfBa.tx, ab.consensus.dy - inverseOfBa.ty);
  return {
    cmcFraction: (share(ab.cmcCount, ab.validCells) + share(ba.cmcCount, ba.validCells)) / 2,
    fullCorrelation: (registeredCorrelation(a, b, ab.consensus) + registeredCorrelation(b, a, ba.consensus)) / 2,
    cellCorrelationMean: correlations.length ? correlations.reduce((s, v) => s + v, 0) / correlations.length : 0,
    clusterFraction:
      (share(largestCluster(ab.cells, params), ab.validCells) +
        share(largestCluster(ba.cells, params), ba.validCells)) /
      2,
    // No consensus (no cell took part) counts as a gap of ten cells.
    directionTranslationGap: Number.isFinite(gap) ? gap / cellSize : 10,
    registrationCorrelation: registrationScore,
  };
}
