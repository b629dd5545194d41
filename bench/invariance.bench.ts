// The full cross-condition development set (issue 13 §1): all 40 Fadul casings under six conditions — as NIST
// processed them, raw measurements at 6.25 / 3.125 / 1.5625 µm (crater, primer gap, case head, form, tilt,
// noise, spikes, drop-outs, unmasked), another lab's pipeline (8–800 µm band, tighter mask, cropped), and
// photometric stereo on the demo rig — each stored as X3P in another layout and orientation, then compared by
// the station's own path (worker pool, files) for every pair of conditions. Every known match must outscore
// every known non-match across conditions. Also: every casing re-stored in all 15 X3P layouts reads back the same.
// Run: npx node bench/invariance.bench.ts   (DEVSET_KNM=all compares all 717 non-matches per condition pair,
// DEVSET_KNM=200 a sample of 200; default: all 63 matches and a fixed sample of 60 non-matches per pair of
// conditions — 2,583 comparisons, about 45 min on this shared machine.)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBenchReport, type BenchRow } from './report.ts';
import { repoRoot, sharedDataPath } from '../tests/fixtures/sharedData.ts';
import { applyCondition, conditions, type Condition } from '../tests/fixtures/crossCondition/conditions.ts';
import {
  layoutTolerance,
  storeInLayout,
  x3pLayouts,
  type X3PLayout,
} from '../tests/fixtures/crossCondition/layouts.ts';
import { seedOf } from '../tests/fixtures/crossCondition/devSet.ts';
import { loadOpenCv } from '../electron/analysis/opencv.ts';
import { readX3P, readX3PFile } from '../electron/analysis/x3p/index.ts';
import { createAnalysisPool } from '../electron/analysis/pool/pool.ts';
import { likelihoodRatioFor } from '../electron/analysis/reference/index.ts';
import { cmcPreprocessDefaults } from '../electron/analysis/cmc/params.ts';
import { cllr, cllrMin, misleading } from '../electron/analysis/lr/performance.ts';
import { seededRandom } from '../electron/analysis/random.ts';

const cv = await loadOpenCv();
const pairs = readFileSync(sharedDataPath('fadul', 'pairs.csv'), 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((line) => {
    const [a, b, truth] = line.split(',').map((c) => c.trim());
    return { a, b, km: truth === 'KM' };
  });
const names = [...new Set(pairs.flatMap((p) => [p.a, p.b]))].sort();

// ---- 1. Every layout of every casing reads back as the same surface ----
let layoutChecks = 0;
let layoutFailures: string[] = [];
const layoutStarted = performance.now();
for (const name of names) {
  const source = (await readX3PFile(sharedDataPath('fadul', name))).surface;
  for (const layout of x3pLayouts) {
    if (layout === 'point-list') continue; // spans the measured points only: checked on a small surface in tests
    const read = readX3P(storeInLayout(source, layout)).surface;
    layoutChecks++;
    let ok = read.width === source.width && read.height === source.height;
    const tolerance = layoutTolerance(layout, source);
    for (let i = 0; ok && i < source.z.length; i++) {
      const u = source.z[i];
      const v = read.z[i];
      if (Number.isNaN(u) !== Number.isNaN(v) || (u === u && Math.abs(u - v) > tolerance)) ok = false;
    }
    if (!ok) layoutFailures.push(`${name} ${layout}`);
  }
}
layoutFailures = layoutFailures.slice(0, 20);
const layoutSeconds = (performance.now() - layoutStarted) / 1000;

// ---- 2. The development set as files (cached between runs: generation takes minutes) ----
// Each condition is stored in its own layout, so the reader's invariance is exercised on the way.
const storedAs: Record<Condition, X3PLayout> = {
  processed: 'float64',
  'raw-6.25': 'y-reversed',
  'raw-3.125': 'int16',
  'raw-1.5625': 'float32',
  'other-pipeline': 'rotation-90',
  photometric: 'root-without-namespace',
};
// Keyed by the generating code, so a changed condition never reuses files made by an older one.
const fixtureSource = ['conditions.ts', 'layouts.ts'].map((f) =>
  readFileSync(join(repoRoot, 'tests/fixtures/crossCondition', f)),
);
const dir = join(
  tmpdir(),
  `casebench-devset-${createHash('sha256').update(Buffer.concat(fixtureSource)).digest('hex').slice(0, 12)}`,
);
mkdirSync(dir, { recursive: true });
const fileOf = (name: string, c: Condition) => join(dir, `${name.replace('.x3p', '')}@${c}.x3p`);
const generationStarted = performance.now();
let generated = 0;
for (const name of names) {
  const processed = (await readX3PFile(sharedDataPath('fadul', name))).surface;
  for (const condition of conditions) {
    const file = fileOf(name, condition);
    if (existsSync(file)) continue;
    writeFileSync(file, storeInLayout(applyCondition(cv, processed, condition, seedOf(name)), storedAs[condition]));
    generated++;
    process.stderr.write(`  generated ${name} ${condition}\n`);
  }
}
const generationSeconds = (performance.now() - generationStarted) / 1000;

// ---- 3. Every pair of conditions ----
const knmWanted = process.env.DEVSET_KNM === 'all' ? Infinity : Number(process.env.DEVSET_KNM ?? 60);
const random = seededRandom(13);
const kmPairs = pairs.filter((p) => p.km);
const knmPool = pairs.filter((p) => !p.km);
const knmSample = [...knmPool].sort(() => random() - 0.5).slice(0, knmWanted);
const combos: [Condition, Condition][] = [];
for (let i = 0; i < conditions.length; i++)
  for (let j = i; j < conditions.length; j++) combos.push([conditions[i], conditions[j]]);
const workers = Math.min(2, cpus().length);
const pool = createAnalysisPool({ size: workers });
const cpuBefore = process.cpuUsage();
const started = performance.now();
interface Row {
  ca: Condition;
  cb: Condition;
  km: boolean;
  cmc: number;
  log10Lr: number;
  /** Clipped to the model's bounds (what a user is told; Cllr is computed on it). */
  reported: number;
  /** Between the validation's strongest KNM and weakest KM: reported as inconclusive (lr/model.ts). */
  betweenClasses: boolean;
  a: string;
  b: string;
}
const rows: Row[] = [];
const failures: string[] = [];
let done = 0;
const total = combos.length * (kmPairs.length + knmSample.length);
for (const [ca, cb] of combos) {
  const set = [...kmPairs, ...knmSample];
  const outcomes = await pool.scorePairs(
    set.map((p) => ({ a: { path: fileOf(p.a, ca) }, b: { path: fileOf(p.b, cb) } })),
    { onProgress: () => void done++ },
  );
  outcomes.forEach((o, k) => {
    const p = set[k];
    if (!o.result) {
      failures.push(`${p.a}@${ca} ${p.b}@${cb}: ${o.error?.message}`);
      return;
    }
    const lr = likelihoodRatioFor(o.result, { ...cmcPreprocessDefaults });
    rows.push({
      ca,
      cb,
      km: p.km,
      a: p.a,
      b: p.b,
      cmc: o.result.cmc.combined,
      log10Lr: lr.unclipped,
      reported: lr.log10Lr,
      betweenClasses: lr.betweenClasses,
    });
  });
  // Each pair of conditions as it finishes, so a long run shows its figures on the way.
  const these = rows.filter((r) => r.ca === ca && r.cb === cb);
  const kmCmc = these.filter((r) => r.km).map((r) => r.cmc);
  const knmCmc = these.filter((r) => !r.km).map((r) => r.cmc);
  const kmLr = these.filter((r) => r.km).map((r) => r.log10Lr);
  const knmLr = these.filter((r) => !r.km).map((r) => r.log10Lr);
  process.stderr.write(
    `  ${ca} × ${cb}: KM CMC min ${Math.min(...kmCmc)}, KNM CMC max ${Math.max(...knmCmc)}, ` +
      `KM log10 LR min ${Math.min(...kmLr).toFixed(2)}, KNM log10 LR max ${Math.max(...knmLr).toFixed(2)}, ` +
      `KM with LR < 1: ${kmLr.filter((l) => l < 0).length}/${kmLr.length}; ` +
      `${done}/${total} comparisons, ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
  );
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
await pool.close();

const auc = (km: number[], knm: number[]) => {
  let wins = 0;
  for (const a of km) for (const b of knm) wins += a > b ? 1 : a === b ? 0.5 : 0;
  return wins / (km.length * knm.length);
};
const perCombo = combos.map(([ca, cb]) => {
  const these = rows.filter((r) => r.ca === ca && r.cb === cb);
  const km = these.filter((r) => r.km);
  const knm = these.filter((r) => !r.km);
  return {
    conditions: `${ca} × ${cb}`,
    kmMin: Math.min(...km.map((r) => r.cmc)),
    kmMedian: km.map((r) => r.cmc).sort((x, y) => x - y)[km.length >> 1],
    knmMax: Math.max(...knm.map((r) => r.cmc)),
    aucCmc: auc(
      km.map((r) => r.cmc),
      knm.map((r) => r.cmc),
    ),
    aucLr: auc(
      km.map((r) => r.log10Lr),
      knm.map((r) => r.log10Lr),
    ),
    cllr: cllr(
      km.map((r) => r.reported),
      knm.map((r) => r.reported),
    ),
    misleading: misleading(
      km.map((r) => r.log10Lr),
      knm.map((r) => r.log10Lr),
    ),
  };
});
const km = rows.filter((r) => r.km);
const knm = rows.filter((r) => !r.km);
const minKm = Math.min(...km.map((r) => r.cmc));
const maxKnm = Math.max(...knm.map((r) => r.cmc));
const minKmLr = Math.min(...km.map((r) => r.log10Lr));
const maxKnmLr = Math.max(...knm.map((r) => r.log10Lr));
const weakest = km.reduce((w, r) => (r.cmc < w.cmc ? r : w));
const strongest = knm.reduce((w, r) => (r.cmc > w.cmc ? r : w));

const rowsOut: BenchRow[] = [
  {
    metric: 'X3P layouts × casings read back identical',
    value: layoutChecks - layoutFailures.length,
    unit: `of ${layoutChecks}`,
    target: `= ${layoutChecks}`,
    pass: layoutFailures.length === 0,
  },
  {
    metric: 'comparisons across conditions',
    value: rows.length,
    unit: `of ${total}`,
    target: `= ${total}`,
    pass: failures.length === 0,
  },
  {
    metric: 'every KM outscores every KNM (CMC), across all condition pairs',
    value: minKm - maxKnm,
    unit: 'min KM − max KNM',
    target: '> 0',
    pass: minKm > maxKnm,
  },
  {
    metric: 'every KM outscores every KNM (log10 LR), across all condition pairs',
    value: minKmLr - maxKnmLr,
    unit: 'min KM − max KNM',
    target: '> 0',
    pass: minKmLr > maxKnmLr,
  },
  {
    metric: 'Cllr / Cllr-min, all condition pairs (LR as reported)',
    value: cllr(
      km.map((r) => r.reported),
      knm.map((r) => r.reported),
    ),
    unit: `bits / ${cllrMin(
      km.map((r) => r.reported),
      knm.map((r) => r.reported),
    ).toFixed(3)}`,
  },
  {
    metric: 'KM with LR < 1 (all condition pairs)',
    value: misleading(
      km.map((r) => r.log10Lr),
      knm.map((r) => r.log10Lr),
    ).km,
    unit: 'fraction',
  },
  {
    metric: 'KM with LR < 1 not reported inconclusive (all condition pairs)',
    value: km.filter((r) => r.log10Lr < 0 && !r.betweenClasses).length,
    unit: `of ${km.length}`,
    target: '= 0',
    pass: km.every((r) => r.log10Lr >= 0 || r.betweenClasses),
  },
  {
    metric: 'reported inconclusive (between the validation classes): KM / KNM',
    value: km.filter((r) => r.betweenClasses).length,
    unit: `of ${km.length} / ${knm.filter((r) => r.betweenClasses).length} of ${knm.length}`,
  },
  {
    metric: 'KNM with LR > 1 (all condition pairs)',
    value: misleading(
      km.map((r) => r.log10Lr),
      knm.map((r) => r.log10Lr),
    ).knm,
    unit: 'fraction',
  },
  ...perCombo.flatMap((c) => [
    { metric: `${c.conditions}: KM min / median CMC`, value: c.kmMin, unit: `/ ${c.kmMedian}` },
    { metric: `${c.conditions}: KNM max CMC`, value: c.knmMax, unit: 'cells' },
    { metric: `${c.conditions}: AUC (LR)`, value: c.aucLr, unit: '' },
    { metric: `${c.conditions}: Cllr`, value: c.cllr, unit: 'bits' },
    { metric: `${c.conditions}: KM with LR < 1`, value: c.misleading.km, unit: 'fraction' },
  ]),
  { metric: 'comparison wall time', value: seconds, unit: 's' },
  { metric: 'comparison CPU / workers', value: (cpu.user + cpu.system) / 1e6 / workers, unit: 's' },
];
writeBenchReport('invariance', rowsOut, {
  conditions,
  storedAs,
  knm: `${knmSample.length} of 717 per condition pair (seed 13)`,
  perCombo,
  weakestKm: weakest,
  strongestKnm: strongest,
  failures: failures.slice(0, 20),
  layoutFailures,
  layoutSeconds,
  generated,
  generationSeconds,
  cache: dir,
  loadAverage: loadavg(),
  note: 'the machine is shared; wall times include other processes',
});
