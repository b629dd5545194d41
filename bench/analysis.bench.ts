// Analysis benchmark: all 780 Fadul pairs, both directions, full 360° — accuracy against ground truth and NIST's
// per-pair counts, total and per-stage time on this machine (wall and CPU), the likelihood-ratio model validated
// by firearm (Cllr, Cllr-min, ELUB bounds), screening throughput and ranking, WASM vs native primitives.
// Run: npx node bench/analysis.bench.ts [--write-reference]   (--write-reference refreshes the Fadul KNM
// population and the LR model in electron/analysis/reference/, and the Tippett and ECE figures in docs/figures/).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { percentile, writeBenchReport, type BenchRow } from './report.ts';
import { sharedDataPath } from '../tests/fixtures/sharedData.ts';
import { createAnalysisPool } from '../electron/analysis/pool/pool.ts';
import { cmcPreprocessDefaults, resolveCmcParams } from '../electron/analysis/cmc/params.ts';
import { resolvePreprocessParams, preprocessSurface } from '../electron/analysis/preprocess.ts';
import { readX3PFile } from '../electron/analysis/x3p/index.ts';
import { loadOpenCv } from '../electron/analysis/opencv.ts';
import { prepareScan } from '../electron/analysis/cmc/prepared.ts';
import { createCorrelator } from '../electron/analysis/cmc/correlator.ts';
import { compareSignatures, screeningSignature, type ScreeningSignature } from '../electron/analysis/screening.ts';
import { analysisEngineVersion, type ReferencePopulation } from '../electron/analysis/calibratedScore.ts';
import { trainLrModel, type TrainingPair } from '../electron/analysis/lr/train.ts';
import { cllr, eceCurve } from '../electron/analysis/lr/performance.ts';
import type { LrModel } from '../electron/analysis/lr/model.ts';
import { loadScan } from '../electron/analysis/scans.ts';
import { detectBreechFace } from '../electron/analysis/breechFace.ts';
import { createCmcEngine } from '../electron/analysis/cmc/compare.ts';
import { registerCoarse, invertRegistration } from '../electron/analysis/cmc/registration.ts';
import { searchCells } from '../electron/analysis/cmc/cells.ts';
import { eceSvg, tippettSvg } from './plots.ts';

interface PairRow {
  a: string;
  b: string;
  truth: 'KM' | 'KNM';
  nistCmcs: number;
}

const pairs: PairRow[] = readFileSync(sharedDataPath('fadul', 'pairs.csv'), 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((line) => {
    const [a, b, truth, , nist] = line.split(',');
    return { a, b, truth: truth as 'KM' | 'KNM', nistCmcs: Number(nist) };
  });
const fadul = (name: string) => sharedDataPath('fadul', name);
/** Firearm (slide) of every scan, from scans.csv. */
const slideOf = new Map(
  readFileSync(sharedDataPath('fadul', 'scans.csv'), 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => {
      const [file, , slide] = line.split(',').map((c) => c.trim());
      return [file, slide] as [string, string];
    }),
);
const writeReference = process.argv.includes('--write-reference');

function summary(values: number[]) {
  return { min: Math.min(...values), median: percentile(values, 50), max: Math.max(...values) };
}

/** Probability that a random KM outranks a random KNM (ties count half). */
function auc(km: number[], knm: number[]): number {
  let wins = 0;
  for (const a of km) for (const b of knm) wins += a > b ? 1 : a === b ? 0.5 : 0;
  return wins / (km.length * knm.length);
}

function spearman(x: number[], y: number[]): number {
  const rank = (v: number[]) => {
    const order = v.map((value, i) => ({ value, i })).sort((p, q) => p.value - q.value);
    const ranks = new Array<number>(v.length);
    for (let s = 0; s < order.length;) {
      let e = s;
      while (e + 1 < order.length && order[e + 1].value === order[s].value) e++;
      for (let k = s; k <= e; k++) ranks[order[k].i] = (s + e) / 2;
      s = e + 1;
    }
    return ranks;
  };
  const rx = rank(x);
  const ry = rank(y);
  const mx = rx.reduce((s, v) => s + v, 0) / rx.length;
  const my = ry.reduce((s, v) => s + v, 0) / ry.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < rx.length; i++) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) ** 2;
    syy += (ry[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

// ---- 1. All pairs, both directions, full 360° ----
const workers = Math.min(2, cpus().length);
const cpuBefore = process.cpuUsage();
const started = performance.now();
const pool = createAnalysisPool({ size: workers });
let lastReport = 0;
const outcomes = await pool.scorePairs(
  pairs.map((p) => ({ a: { path: fadul(p.a) }, b: { path: fadul(p.b) } })),
  {
    onProgress: ({ done, total }) => {
      if (performance.now() - lastReport > 5000 || done === total) {
        lastReport = performance.now();
        process.stderr.write(`  ${done}/${total} pairs, ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      }
    },
  },
);
const totalSeconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
await pool.close();
const failed = outcomes.filter((o) => !o.result);
if (failed.length) throw new Error(`${failed.length} pairs failed: ${failed[0].error?.message}`);

const results = outcomes.map((o, i) => ({ ...pairs[i], r: o.result! }));
const km = results.filter((x) => x.truth === 'KM');
const knm = results.filter((x) => x.truth === 'KNM');
const combinedKm = km.map((x) => x.r.cmc.combined);
const combinedKnm = knm.map((x) => x.r.cmc.combined);
const accuracy = {
  combined: { km: summary(combinedKm), knm: summary(combinedKnm) },
  ab: { km: summary(km.map((x) => x.r.cmc.ab)), knm: summary(knm.map((x) => x.r.cmc.ab)) },
  ba: { km: summary(km.map((x) => x.r.cmc.ba)), knm: summary(knm.map((x) => x.r.cmc.ba)) },
  nist: { km: summary(km.map((x) => x.nistCmcs)), knm: summary(knm.map((x) => x.nistCmcs)) },
  validCells: summary(results.flatMap((x) => x.r.directions.map((d) => d.validCells))),
};
const aucCombined = auc(combinedKm, combinedKnm);
const maxKnm = Math.max(...combinedKnm);
const minKm = Math.min(...combinedKm);
const ratio = maxKnm === 0 ? Infinity : minKm / maxKnm;
const rhoAll = spearman(
  results.map((x) => x.r.cmc.combined),
  results.map((x) => x.nistCmcs),
);
const rhoKm = spearman(
  combinedKm,
  km.map((x) => x.nistCmcs),
);
const pairMs = results.map((x) => x.r.timing.totalMs);

const cmcParams = resolveCmcParams();
const referenceCmcParams = {
  cellsX: cmcParams.cellsX,
  cellsY: cmcParams.cellsY,
  minCellValidFraction: cmcParams.minCellValidFraction,
  corrThreshold: cmcParams.corrThreshold,
  translationThresholdPx: cmcParams.translationThresholdPx,
  angleThresholdDeg: cmcParams.angleThresholdDeg,
  fineOffsetsDeg: cmcParams.fineOffsetsDeg,
  searchMarginPx: cmcParams.searchMarginPx,
  combine: cmcParams.combine,
};
if (writeReference) {
  const population: ReferencePopulation = {
    name: 'Fadul 2011 known non-matches (717 pairs)',
    description:
      'Combined (minimum of both directions) CMC counts of the 717 known non-matching pairs among the 40 Fadul et al. (2011) Ruger P95 breech-face scans (10 consecutively manufactured slides; NanoFocus confocal; 6.25 µm/px).',
    source: 'shared/data/fadul (CSAFE-ISU/cartridgeCaseScans 57db259), scored by bench/analysis.bench.ts',
    computedAt: new Date().toISOString(),
    engine: analysisEngineVersion,
    cmcParams: referenceCmcParams,
    preprocess: resolvePreprocessParams({ ...cmcPreprocessDefaults }),
    counts: combinedKnm,
  };
  const file = fileURLToPath(new URL('../electron/analysis/reference/fadul-knm.json', import.meta.url));
  const { counts, ...head } = population;
  writeFileSync(file, `${JSON.stringify(head, null, 2).slice(0, -2)},\n  "counts": ${JSON.stringify(counts)}\n}\n`);
  process.stderr.write(`wrote ${file}\n`);
}

// ---- 2. The likelihood-ratio model: trained on all pairs, validated by firearm ----
const trainingPairs: TrainingPair[] = results.map((x) => ({
  firearmA: slideOf.get(x.a)!,
  firearmB: slideOf.get(x.b)!,
  features: x.r.features,
}));
const lrStarted = performance.now();
const trained = trainLrModel(trainingPairs, { replicates: 200, seed: 1 });
const lrMs = performance.now() - lrStarted;
const lrModel: LrModel = {
  name: 'Casebench breech-face LR 1 (logistic regression on CMC and registration features)',
  description:
    "Logistic regression (L2 0.05, classes weighted equally, so the fitted log-odds is ln LR) on six features of a comparison: CMC share, full-scan correlation after registration, mean cell correlation, largest cluster of agreeing cells, gap between the two directions' registrations, coarse registration correlation. 90 % interval from 200 firearm-level bootstrap refits; values clipped to the ELUB bounds of the cross-validated LRs.",
  population: {
    name: 'Fadul 2011 (NIST): 10 consecutively manufactured Ruger P95 slides, 40 casings, 63 KM + 717 KNM pairs',
    description:
      'Breech-face topographies measured at NIST (NanoFocus µsurf confocal), processed as in the CMC literature, 6.25 µm/px; one gun model, one ammunition, one instrument.',
    source: 'shared/data/fadul (CSAFE-ISU/cartridgeCaseScans 57db259), scored by bench/analysis.bench.ts',
    km: km.length,
    knm: knm.length,
  },
  computedAt: new Date().toISOString(),
  engine: analysisEngineVersion,
  features: trained.core.features,
  coefficients: trained.core.coefficients,
  l2: trained.core.l2,
  bootstrap: trained.bootstrap,
  bounds: trained.bounds,
  cmcParams: referenceCmcParams,
  preprocess: resolvePreprocessParams({ ...cmcPreprocessDefaults }),
  validation: trained.validation,
};
const cvKm = trained.validation.km;
const cvKnm = trained.validation.knm;
// For contrast: the CMC count alone, as an LR by PAV on itself (what a count-only system could be calibrated to).
const countOnlyAuc = aucCombined;
if (writeReference) {
  const file = fileURLToPath(new URL('../electron/analysis/reference/fadul-lr.json', import.meta.url));
  writeFileSync(file, `${JSON.stringify(lrModel)}\n`);
  process.stderr.write(`wrote ${file}\n`);
  const figures = fileURLToPath(new URL('../docs/figures/', import.meta.url));
  mkdirSync(figures, { recursive: true });
  const notes = [
    `Cllr ${trained.validation.cllr.toFixed(3)}, Cllr-min ${trained.validation.cllrMin.toFixed(3)}`,
    `LRs clipped to [${trained.bounds.lower}, ${trained.bounds.upper}] (ELUB)`,
  ];
  writeFileSync(
    `${figures}lr-tippett.svg`,
    tippettSvg(cvKm, cvKnm, 'Tippett plot: Fadul pairs, cross-validated by firearm', notes),
  );
  writeFileSync(
    `${figures}lr-ece.svg`,
    eceSvg(eceCurve(cvKm, cvKnm), 'Empirical cross-entropy: Fadul pairs, cross-validated by firearm', notes),
  );
  process.stderr.write(`wrote ${figures}lr-tippett.svg and lr-ece.svg\n`);
}

// ---- 3. Per-stage CPU time on one thread (machine-independent shares; the machine is shared) ----
const stageNames = [...new Set(pairs.flatMap((p) => [p.a, p.b]))].sort().slice(0, 12);
const cpuMs = (fn: () => void) => {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
};
const stageCv = await loadOpenCv();
const surfaces = await Promise.all(stageNames.map(async (n) => (await readX3PFile(fadul(n))).surface));
// Awaited before anything else runs: process CPU time counts every thread's work in between.
const readMs = await (async () => {
  const before = process.cpuUsage();
  for (const n of stageNames) await readX3PFile(fadul(n));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / stageNames.length;
})();
const detectMs = cpuMs(() => surfaces.forEach((s) => detectBreechFace(s))) / surfaces.length;
const preprocessMs =
  cpuMs(() => surfaces.forEach((s) => preprocessSurface(stageCv, s, cmcPreprocessDefaults))) / surfaces.length;
const prepared = await Promise.all(
  stageNames.map(async (n) => (await loadScan(stageCv, { path: fadul(n) }, { ...cmcPreprocessDefaults })).scan),
);
const stagePairs: [number, number][] = [];
for (let i = 0; i < prepared.length; i++) for (let j = i + 1; j < prepared.length; j++) stagePairs.push([i, j]);
const engine = createCmcEngine(stageCv);
for (const [i, j] of stagePairs) engine.compare(prepared[i], prepared[j]); // caches warm, as in a run
const correlators = new Map<number, ReturnType<typeof createCorrelator>>();
const correlatorFor = (n: number) => {
  if (!correlators.has(n)) correlators.set(n, createCorrelator(stageCv, n));
  return correlators.get(n)!;
};
const registrations = stagePairs.map(([i, j]) => registerCoarse(prepared[i], prepared[j], cmcParams, correlatorFor));
const registrationCpu =
  cpuMs(() => stagePairs.forEach(([i, j]) => registerCoarse(prepared[i], prepared[j], cmcParams, correlatorFor))) /
  stagePairs.length;
const fineCpu =
  cpuMs(() =>
    stagePairs.forEach(([i, j], k) => {
      searchCells(prepared[i], prepared[j], registrations[k], cmcParams, correlatorFor);
      searchCells(
        prepared[j],
        prepared[i],
        invertRegistration(registrations[k], prepared[i].raster, prepared[j].raster),
        cmcParams,
        correlatorFor,
      );
    }),
  ) / stagePairs.length;
const compareCpu =
  cpuMs(() => stagePairs.forEach(([i, j]) => engine.compare(prepared[i], prepared[j]))) / stagePairs.length;
const stages = {
  readMsPerScan: readMs,
  breechFaceMsPerScan: detectMs,
  preprocessMsPerScan: preprocessMs,
  registrationMsPerPair: registrationCpu,
  fineMsPerPair: fineCpu,
  congruencyAndFeaturesMsPerPair: Math.max(0, compareCpu - registrationCpu - fineCpu),
  compareMsPerPair: compareCpu,
  pairsMeasured: stagePairs.length,
};
for (const c of correlators.values()) c.dispose();
engine.dispose();

// ---- 4. Screening signature: throughput and ranking ----
const cv = await loadOpenCv();
const names = [...new Set(pairs.flatMap((p) => [p.a, p.b]))].sort();
const signatures = new Map<string, ScreeningSignature>();
const sigStarted = performance.now();
for (const name of names) {
  const surface = (await readX3PFile(fadul(name))).surface;
  const prepared = prepareScan(name, preprocessSurface(cv, surface, cmcPreprocessDefaults).surface);
  signatures.set(name, screeningSignature(prepared));
}
const signatureMs = (performance.now() - sigStarted) / names.length;
const screenKm: number[] = [];
const screenKnm: number[] = [];
for (const p of pairs)
  (p.truth === 'KM' ? screenKm : screenKnm).push(compareSignatures(signatures.get(p.a)!, signatures.get(p.b)!).score);
const reps = 40;
const screenStarted = performance.now();
let sink = 0;
for (let r = 0; r < reps; r++)
  for (const p of pairs) sink += compareSignatures(signatures.get(p.a)!, signatures.get(p.b)!).score;
const screenPerSecond = (reps * pairs.length) / ((performance.now() - screenStarted) / 1000);
// Two-stage search as the station runs it: each scan as the query against the 39 others; is its mate in the top K?
const mates = new Map<string, Set<string>>();
for (const p of pairs)
  if (p.truth === 'KM') {
    mates.set(p.a, (mates.get(p.a) ?? new Set()).add(p.b));
    mates.set(p.b, (mates.get(p.b) ?? new Set()).add(p.a));
  }
const recallAt = (k: number) => {
  let found = 0;
  let total = 0;
  for (const q of names) {
    const ranked = names
      .filter((n) => n !== q)
      .sort(
        (x, y) =>
          compareSignatures(signatures.get(q)!, signatures.get(y)!).score -
          compareSignatures(signatures.get(q)!, signatures.get(x)!).score,
      );
    const top = new Set(ranked.slice(0, k));
    for (const m of mates.get(q) ?? []) {
      total++;
      if (top.has(m)) found++;
    }
  }
  return found / total;
};
const screening = {
  auc: auc(screenKm, screenKnm),
  recallTop5: recallAt(5),
  recallTop10: recallAt(10),
  recallTop20: recallAt(20),
  signatureMs,
  sink,
};

// ---- 5. OpenCV-WASM vs native OpenCV (Debian python3-opencv, one thread) on the primitives we use ----
function wasmTimings() {
  const size = 128;
  const corr = createCorrelator(cv, size);
  const image = Float32Array.from({ length: size * size }, (_, i) => Math.sin(i * 0.37));
  const spectrum = corr.spectrum(image);
  const out = new Float32Array(size * size);
  const time = (fn: () => void, n: number) => {
    for (let i = 0; i < 5; i++) fn();
    const samples: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      fn();
      samples.push(performance.now() - t);
    }
    return percentile(samples, 50);
  };
  const dftRoundTrip = time(() => corr.correlate(spectrum, image, out), 200);
  corr.dispose();
  const src = new cv.Mat(545, 545, cv.CV_32F);
  const dst = new cv.Mat();
  src.data32F.set(Float32Array.from({ length: 545 * 545 }, (_, i) => Math.sin(i * 0.11)));
  const blur = time(() => cv.GaussianBlur(src, dst, new cv.Size(91, 91), 15, 15, cv.BORDER_CONSTANT), 20);
  src.delete();
  dst.delete();
  return { dftRoundTripMs: dftRoundTrip, gaussianBlur545Sigma15Ms: blur };
}
function nativeTimings(): { dftRoundTripMs: number; gaussianBlur545Sigma15Ms: number } | { unavailable: string } {
  const script = `
import cv2, numpy as np, time, json
cv2.setNumThreads(1)
def med(fn, n):
    for _ in range(5): fn()
    s = []
    for _ in range(n):
        t = time.perf_counter(); fn(); s.append((time.perf_counter() - t) * 1000)
    return sorted(s)[len(s)//2]
img = np.sin(np.arange(128*128, dtype=np.float32) * 0.37).reshape(128, 128)
spec = cv2.dft(img, flags=cv2.DFT_COMPLEX_OUTPUT)
def rt():
    s = cv2.dft(img, flags=cv2.DFT_COMPLEX_OUTPUT)
    p = cv2.mulSpectrums(s, spec, 0, conjB=True)
    cv2.dft(p, flags=cv2.DFT_INVERSE | cv2.DFT_REAL_OUTPUT | cv2.DFT_SCALE)
big = np.sin(np.arange(545*545, dtype=np.float32) * 0.11).reshape(545, 545)
print(json.dumps({"dftRoundTripMs": med(rt, 200), "gaussianBlur545Sigma15Ms": med(lambda: cv2.GaussianBlur(big, (91, 91), 15, borderType=cv2.BORDER_CONSTANT), 20), "version": cv2.__version__}))
`;
  // Debian's python3-opencv lives under the system interpreter, which a pyenv shim may hide.
  let lastError = '';
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      return JSON.parse(execFileSync(python, ['-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    } catch (error) {
      lastError = (error as Error).message.split('\n')[0];
    }
  }
  return { unavailable: `python3-opencv not usable: ${lastError}` };
}
const wasm = wasmTimings();
const native = nativeTimings();

const rows: BenchRow[] = [
  {
    metric: 'all 780 pairs, both directions, 360° (wall, incl. worker start and per-scan preprocessing)',
    value: totalSeconds,
    unit: 's',
    target: '≤ 25',
    pass: totalSeconds <= 25,
  },
  {
    metric: 'CPU time of the run (all threads) / workers = wall time on an idle machine',
    value: cpuSeconds / workers,
    unit: 's',
    target: '≤ 25',
    pass: cpuSeconds / workers <= 25,
  },
  { metric: 'per pair (both directions), median wall in a worker', value: percentile(pairMs, 50), unit: 'ms' },
  { metric: 'stage CPU: read X3P (per scan)', value: stages.readMsPerScan, unit: 'ms' },
  { metric: 'stage CPU: find breech face (per scan)', value: stages.breechFaceMsPerScan, unit: 'ms' },
  { metric: 'stage CPU: preprocess (per scan)', value: stages.preprocessMsPerScan, unit: 'ms' },
  { metric: 'stage CPU: 360° registration (per pair)', value: stages.registrationMsPerPair, unit: 'ms' },
  { metric: 'stage CPU: cells, both directions (per pair)', value: stages.fineMsPerPair, unit: 'ms' },
  { metric: 'stage CPU: congruency + features (per pair)', value: stages.congruencyAndFeaturesMsPerPair, unit: 'ms' },
  { metric: 'stage CPU: whole comparison (per pair)', value: stages.compareMsPerPair, unit: 'ms' },
  {
    metric: 'AUC (combined CMC, 63 KM vs 717 KNM)',
    value: aucCombined,
    unit: '',
    target: '= 1',
    pass: aucCombined === 1,
  },
  { metric: 'min KM / max KNM (combined)', value: ratio, unit: '×', target: '≥ 3', pass: ratio >= 3 },
  { metric: 'KM combined CMC min', value: accuracy.combined.km.min, unit: 'cells' },
  { metric: 'KM combined CMC median', value: accuracy.combined.km.median, unit: 'cells' },
  { metric: 'KM combined CMC max', value: accuracy.combined.km.max, unit: 'cells' },
  { metric: 'KNM combined CMC min', value: accuracy.combined.knm.min, unit: 'cells' },
  { metric: 'KNM combined CMC median', value: accuracy.combined.knm.median, unit: 'cells' },
  { metric: 'KNM combined CMC max', value: accuracy.combined.knm.max, unit: 'cells' },
  {
    metric: 'LR: Cllr (cross-validated by firearm)',
    value: trained.validation.cllr,
    unit: 'bits',
    target: '< 0.2',
    pass: trained.validation.cllr < 0.2,
  },
  { metric: 'LR: Cllr-min (after PAV)', value: trained.validation.cllrMin, unit: 'bits' },
  { metric: 'LR: Cllr of the unclipped CV LRs', value: cllr(cvKm, cvKnm), unit: 'bits' },
  { metric: 'LR: ELUB lower bound', value: trained.bounds.lower, unit: 'log10' },
  { metric: 'LR: ELUB upper bound', value: trained.bounds.upper, unit: 'log10' },
  { metric: 'LR: KM with LR < 1', value: trained.validation.misleading.km, unit: 'fraction' },
  { metric: 'LR: KNM with LR > 1', value: trained.validation.misleading.knm, unit: 'fraction' },
  { metric: 'LR: smallest KM log10 LR (CV)', value: Math.min(...cvKm), unit: 'log10' },
  { metric: 'LR: largest KNM log10 LR (CV)', value: Math.max(...cvKnm), unit: 'log10' },
  { metric: 'LR: training + CV + 200 bootstrap refits', value: lrMs, unit: 'ms' },
  { metric: 'Spearman ρ with NIST nist_cmcs (all pairs)', value: rhoAll, unit: '' },
  { metric: 'Spearman ρ with NIST nist_cmcs (KM only)', value: rhoKm, unit: '' },
  {
    metric: 'screening throughput',
    value: screenPerSecond,
    unit: 'candidates/s',
    target: '≥ 5000',
    pass: screenPerSecond >= 5000,
  },
  { metric: 'screening AUC (KM vs KNM)', value: screening.auc, unit: '' },
  { metric: 'screening: mate in top 10 of 39', value: screening.recallTop10, unit: 'fraction' },
  { metric: 'WASM dft 128² round trip (fwd + product + inverse)', value: wasm.dftRoundTripMs, unit: 'ms' },
  { metric: 'WASM GaussianBlur 545² σ=15 px', value: wasm.gaussianBlur545Sigma15Ms, unit: 'ms' },
];
if ('dftRoundTripMs' in native) {
  rows.push(
    {
      metric: 'native/WASM ratio: dft round trip (WASM time ÷ native time)',
      value: wasm.dftRoundTripMs / native.dftRoundTripMs,
      unit: '×',
    },
    {
      metric: 'native/WASM ratio: GaussianBlur (WASM time ÷ native time)',
      value: wasm.gaussianBlur545Sigma15Ms / native.gaussianBlur545Sigma15Ms,
      unit: '×',
    },
  );
}

writeBenchReport('analysis', rows, {
  workers,
  totalSeconds,
  cpuSeconds,
  loadAverageNote: 'the machine is shared; wall time includes other processes, CPU time / workers does not',
  accuracy,
  auc: aucCombined,
  countOnlyAuc,
  stages,
  lr: {
    cllr: trained.validation.cllr,
    cllrMin: trained.validation.cllrMin,
    bounds: trained.bounds,
    misleading: trained.validation.misleading,
    coefficients: trained.core.coefficients,
    features: trained.core.features.map((f) => f.name),
  },
  loadAverage: loadavg(),
  ratio,
  spearman: { all: rhoAll, km: rhoKm },
  screening,
  wasm,
  native,
  params: { cmc: resolveCmcParams(), preprocess: resolvePreprocessParams({ ...cmcPreprocessDefaults }) },
  lowestKm: km
    .sort((x, y) => x.r.cmc.combined - y.r.cmc.combined)
    .slice(0, 5)
    .map((x) => ({ a: x.a, b: x.b, cmc: x.r.cmc, nist: x.nistCmcs })),
  highestKnm: knm
    .sort((x, y) => y.r.cmc.combined - x.r.cmc.combined)
    .slice(0, 5)
    .map((x) => ({ a: x.a, b: x.b, cmc: x.r.cmc, nist: x.nistCmcs })),
});
