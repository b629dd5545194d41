// The CMC comparison engine: coarse 360° registration once per pair, then the fine per-cell search and the
// congruency rule in both directions (A's cells in B, B's cells in A). One engine per thread owns its
// OpenCV correlators; dispose() frees every Mat.
import { AnalysisError, throwIfAborted } from '../errors.ts';
import type { OpenCv } from '../opencv.ts';
import { createCorrelator, type Correlator } from './correlator.ts';
import { searchCells } from './cells.ts';
import { applyCongruency, type CongruentCell, type Consensus } from './congruency.ts';
import { resolveCmcParams, type CmcParams, type CmcParamsInput } from './params.ts';
import { cached, cutByFrame, type PreparedScan } from './prepared.ts';
import { invertRegistration, registerCoarse, type Registration } from './registration.ts';
import { compareSignatures, screeningSignature } from '../screening.ts';
import { comparisonFeatures, type ComparisonFeatures } from './features.ts';

export interface CmcDirection {
  /** Ids of the scan whose cells were searched (reference) and the scan searched in (target). */
  reference: string;
  target: string;
  /** Cells with enough valid data to take part. */
  validCells: number;
  cmcCount: number;
  consensus: Consensus;
  /** The registration the fine search started from, in this direction's frame. */
  start: { thetaDeg: number; tx: number; ty: number };
  cells: CongruentCell[];
  cellWidth: number;
  cellHeight: number;
}

export interface CmcResult {
  a: string;
  b: string;
  /** CMC counts A→B, B→A and combined (per params.combine). */
  cmc: { ab: number; ba: number; combined: number };
  registration: Registration;
  directions: [CmcDirection, CmcDirection];
  /** Registration- and cell-based features beyond the count (the likelihood-ratio model's input). */
  features: ComparisonFeatures;
  params: CmcParams;
  pixelSize: number;
  timing: { registrationMs: number; fineMs: number; featuresMs: number; totalMs: number };
}

export interface CmcEngine {
  compare(a: PreparedScan, b: PreparedScan, params?: CmcParamsInput, signal?: AbortSignal): CmcResult;
  /** The coarse 360° registration alone (compare's first stage, about a quarter of its time): B onto A. */
  register(a: PreparedScan, b: PreparedScan, params?: CmcParamsInput, signal?: AbortSignal): Registration;
  dispose(): void;
}

export function createCmcEngine(cv: OpenCv): CmcEngine {
  const correlators = new Map<number, Correlator>();
  const correlatorFor = (n: number) => {
    let c = correlators.get(n);
    if (!c) {
      c = createCorrelator(cv, n);
      correlators.set(n, c);
    }
    return c;
  };
  return {
    compare(a, b, input = {}, signal) {
      const params = resolveCmcParams(input);
      checkCompatible(a, b);
      throwIfAborted(signal);
      const t0 = performance.now();
      const registration = register(a, b, params, correlatorFor, signal);
      const t1 = performance.now();
      const ab = direction(a, b, registration, params, correlatorFor, signal);
      const ba = direction(b, a, invertRegistration(registration, a.raster, b.raster), params, correlatorFor, signal);
      const t2 = performance.now();
      // The B→A consensus expressed as A→B, to see whether both directions register the same way.
      const baAsAb = invertRegistration(
        { thetaDeg: ba.consensus.thetaDeg, tx: ba.consensus.dx, ty: ba.consensus.dy },
        b.raster,
        a.raster,
      );
      const features = comparisonFeatures(a, b, [ab, ba], baAsAb, registration.score, ab.cellWidth, params);
      const t3 = performance.now();
      return {
        a: a.id,
        b: b.id,
        cmc: { ab: ab.cmcCount, ba: ba.cmcCount, combined: combine(ab.cmcCount, ba.cmcCount, params.combine) },
        registration,
        directions: [ab, ba],
        features,
        params,
        pixelSize: a.pixelSize,
        timing: { registrationMs: t1 - t0, fineMs: t2 - t1, featuresMs: t3 - t2, totalMs: t3 - t0 },
      };
    },
    register(a, b, input = {}, signal) {
      const params = resolveCmcParams(input);
      checkCompatible(a, b);
      throwIfAborted(signal);
      return register(a, b, params, correlatorFor, signal);
    },
    dispose() {
      for (const c of correlators.values()) c.dispose();
      correlators.clear();
    },
  };
}

/**
 * B registered onto A, with the screening signatures' rotation as hints. When the two scans may share only part of
 * their measured areas — one holds less than half the other's points, or either was cut by a straight edge (a
 * field of view or another pipeline's crop, `cutByFrame`), which two scans of similar size can both be — the
 * sweep's plain correlation misses the angle too often: the sweep scores the overlap only, both ways round, and
 * the better overlap-normalised score wins (the reverse expressed as B onto A). Whole breech faces of similar area
 * register once, with the plain sweep.
 */
function register(
  a: PreparedScan,
  b: PreparedScan,
  params: CmcParams,
  correlatorFor: (n: number) => Correlator,
  signal?: AbortSignal,
): Registration {
  const hints = rotationHints(a, b);
  const smaller = Math.min(a.validPoints, b.validPoints);
  const partial = smaller < partialAreaRatio * Math.max(a.validPoints, b.validPoints) || cutByFrame(a) || cutByFrame(b);
  const forward = registerCoarse(a, b, params, correlatorFor, signal, hints, partial);
  if (!partial) return forward;
  const reverse = registerCoarse(
    b,
    a,
    params,
    correlatorFor,
    signal,
    hints.map((h) => -h),
    true,
  );
  if (reverse.score <= forward.score) return forward;
  const steps = reverse.angleScores.length;
  return {
    ...invertRegistration(reverse, b.raster, a.raster),
    score: reverse.score,
    // The sweep of B onto A at angle i·step is the reverse's at −i·step.
    angleScores: reverse.angleScores.map((_, i) => reverse.angleScores[(steps - i) % steps]),
  };
}

/** Below this ratio of measured points, registration runs both ways (see register). */
const partialAreaRatio = 0.5;

/**
 * The rotation of B onto A the screening signatures suggest, both ways round (a magnitude spectrum is symmetric:
 * the signature knows the angle modulo 180°). It does not depend on how much of each breech face was measured,
 * which is where the sweep's plain correlation is weakest (a scan cropped by another pipeline).
 */
function rotationHints(a: PreparedScan, b: PreparedScan): number[] {
  const signatureOf = (scan: PreparedScan) => cached(scan, 'screening', () => screeningSignature(scan));
  const { angleDeg } = compareSignatures(signatureOf(a), signatureOf(b));
  return [-angleDeg, 180 - angleDeg];
}

function direction(
  reference: PreparedScan,
  target: PreparedScan,
  start: { thetaDeg: number; tx: number; ty: number },
  params: CmcParams,
  correlatorFor: (n: number) => Correlator,
  signal?: AbortSignal,
): CmcDirection {
  const { geometry, matches } = searchCells(reference, target, start, params, correlatorFor, signal);
  const { cells, consensus, count } = applyCongruency(matches, params);
  return {
    reference: reference.id,
    target: target.id,
    validCells: matches.length,
    cmcCount: count,
    consensus,
    start: { thetaDeg: start.thetaDeg, tx: start.tx, ty: start.ty },
    cells,
    cellWidth: geometry.cellWidth,
    cellHeight: geometry.cellHeight,
  };
}

function combine(ab: number, ba: number, how: CmcParams['combine']): number {
  if (how === 'max') return Math.max(ab, ba);
  if (how === 'mean') return (ab + ba) / 2;
  return Math.min(ab, ba);
}

function checkCompatible(a: PreparedScan, b: PreparedScan): void {
  if (Math.abs(a.pixelSize - b.pixelSize) > 1e-3 * Math.max(a.pixelSize, b.pixelSize)) {
    throw new AnalysisError(
      'pixel_size_mismatch',
      `pixel sizes differ: ${a.id} ${(a.pixelSize * 1e6).toFixed(3)} µm, ${b.id} ${(b.pixelSize * 1e6).toFixed(3)} µm; ` +
        'prepare both at the same working resolution (preprocessSurface resamples)',
      { a: a.pixelSize, b: b.pixelSize },
    );
  }
}
