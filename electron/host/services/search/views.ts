// Turning the engine's comparison into what crosses the contract: JSON-safe numbers (NaN → null), the surfaces
// as little-endian Float32 bytes (one binary blob each over a WebSocket), directions named 'a' and 'b'.
import type {
  AcquisitionRef,
  CalibratedScoreView,
  CompareResultView,
  LikelihoodRatioView,
  LrModelSummaryView,
  SurfaceView,
} from '../../../contract/analysis.ts';
import type { LikelihoodRatio, LrModel } from '../../../analysis/lr/model.ts';
import { likelihoodRatioFor } from '../../../analysis/reference/index.ts';
import { eceCurve, tippett } from '../../../analysis/lr/performance.ts';
import type { CompareOutput } from '../../../analysis/pool/protocol.ts';
import type { CellOverlay, ScanView } from '../../../analysis/cmc/overlay.ts';
import type { PreprocessParams } from '../../../analysis/preprocess.ts';

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

function surfaceView(view: ScanView): SurfaceView {
  const bytes = new Uint8Array(view.heights.buffer as ArrayBuffer, view.heights.byteOffset, view.heights.byteLength);
  return { width: view.width, height: view.height, factor: view.factor, pixelUm: view.pixelUm, heights: bytes };
}

export function lrView(lr: LikelihoodRatio): LikelihoodRatioView {
  return {
    log10Lr: lr.log10Lr,
    interval: lr.interval,
    unclipped: lr.unclipped,
    clipped: lr.clipped,
    model: lr.model,
    population: lr.population,
    comparable: lr.comparable,
    betweenClasses: lr.betweenClasses,
    statement: lr.statement,
  };
}

export function lrModelSummary(model: LrModel): LrModelSummaryView {
  return {
    name: model.name,
    description: model.description,
    population: {
      name: model.population.name,
      description: model.population.description,
      km: model.population.km,
      knm: model.population.knm,
    },
    computedAt: model.computedAt,
    features: model.features.map((f) => f.name),
    bounds: model.bounds,
    // The curves are drawn from the model's own validation LRs (the ones its bounds and Cllr come from), computed
    // here once by the code that drew the docs' figures, so the UI draws and never recomputes them.
    validation: {
      ...model.validation,
      tippett: tippett(model.validation.km, model.validation.knm),
      ece: eceCurve(model.validation.km, model.validation.knm),
    },
  };
}

/** The comparison as the contract shows it; its likelihood ratio is computed here, so every caller gets it. */
export function toCompareView(input: {
  a: AcquisitionRef;
  b: AcquisitionRef;
  output: CompareOutput;
  overlays: [CellOverlay[], CellOverlay[]];
  calibrated: CalibratedScoreView;
  preprocess: PreprocessParams;
}): CompareResultView {
  const { result, views, sizes } = input.output;
  if (!views) throw new Error('the comparison was run without its views');
  const directions = result.directions.map((d, i) => ({
    reference: i === 0 ? ('a' as const) : ('b' as const),
    validCells: d.validCells,
    cmcCount: d.cmcCount,
    consensus: { thetaDeg: finite(d.consensus.thetaDeg), dx: finite(d.consensus.dx), dy: finite(d.consensus.dy) },
    cells: input.overlays[i].map((c) => ({
      index: c.index,
      col: c.col,
      row: c.row,
      x: c.x,
      y: c.y,
      width: c.width,
      height: c.height,
      thetaDeg: finite(c.thetaDeg),
      dx: finite(c.dx),
      dy: finite(c.dy),
      corr: finite(c.corr),
      congruent: c.congruent,
      reference: c.reference,
      target: c.target,
    })),
  })) as CompareResultView['directions'];
  const r = result.registration;
  return {
    a: input.a,
    b: input.b,
    cmc: result.cmc,
    calibrated: input.calibrated,
    lr: lrView(likelihoodRatioFor(result, input.preprocess)),
    registration: { thetaDeg: r.thetaDeg, tx: r.tx, ty: r.ty, score: r.score },
    directions,
    pixelUm: result.pixelSize * 1e6,
    frame: sizes.a,
    surfaces: { a: surfaceView(views.a), b: surfaceView(views.b) },
    parameters: { cmc: { ...result.params }, preprocess: { ...input.preprocess } },
    timing: result.timing,
  };
}
