// The cross-condition development set, small: four Fadul casings (two firearms) as NIST processed them, as a
// raw measurement at 3.125 µm, as another lab's pipeline leaves them, and imaged by photometric stereo on the
// demo rig. The full set (all 40 casings, six conditions) is bench/invariance.bench.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOpenCv, type OpenCv } from '../../../electron/analysis/opencv.ts';
import { createCmcEngine, type CmcEngine } from '../../../electron/analysis/cmc/compare.ts';
import { readX3P, readX3PFile } from '../../../electron/analysis/x3p/index.ts';
import { loadScan } from '../../../electron/analysis/scans.ts';
import { cutByFrame } from '../../../electron/analysis/cmc/prepared.ts';
import { normaliseAngle } from '../../../electron/analysis/cmc/registration.ts';
import { cmcPreprocessDefaults } from '../../../electron/analysis/cmc/params.ts';
import { sharedDataPath } from '../../fixtures/sharedData.ts';
import { maskedNcc } from '../../fixtures/topographyMatch.ts';
import { applyCondition, type Condition } from '../../fixtures/crossCondition/conditions.ts';
import { layoutTolerance, storeInLayout, x3pLayouts } from '../../fixtures/crossCondition/layouts.ts';
import {
  fadulPairsAmong,
  prepareVariants,
  scoreAcrossConditions,
  seedOf,
  type Variant,
} from '../../fixtures/crossCondition/devSet.ts';

const scans = ['fadul_1-1.x3p', 'fadul_1-2.x3p', 'fadul_2-1.x3p', 'fadul_2-2.x3p'];
const conditions: Condition[] = ['processed', 'raw-3.125', 'other-pipeline', 'photometric'];
let cv: OpenCv;
let engine: CmcEngine;
let variants: Map<string, Variant>;

beforeAll(async () => {
  cv = await loadOpenCv();
  engine = createCmcEngine(cv);
  variants = await prepareVariants(cv, scans, conditions);
}, 300_000);
afterAll(() => engine?.dispose());

describe('cross-condition development set (4 casings × 4 conditions)', () => {
  const separation = (among: Condition[]) => {
    const scores = scoreAcrossConditions(engine, variants, pairs, among);
    expect(scores).toHaveLength(pairs.length * among.length ** 2);
    const km = scores.filter((s) => s.km);
    const knm = scores.filter((s) => !s.km);
    const weakestKm = km.reduce((w, s) => (s.cmc < w.cmc ? s : w));
    const strongestKnm = knm.reduce((w, s) => (s.cmc > w.cmc ? s : w));
    return { km, knm, weakestKm, strongestKnm };
  };
  let pairs: { a: string; b: string; km: boolean }[];
  beforeAll(async () => {
    pairs = await fadulPairsAmong(scans);
  });

  it('every known match outscores every known non-match, in CMC count and in LR, for any condition against any other', () => {
    expect(pairs.filter((p) => p.km)).toHaveLength(2);
    const { km, knm, weakestKm, strongestKnm } = separation(conditions.filter((c) => c !== 'other-pipeline'));
    expect(weakestKm.cmc, JSON.stringify({ weakestKm, strongestKnm })).toBeGreaterThan(strongestKnm.cmc);
    expect(Math.min(...km.map((s) => s.log10Lr))).toBeGreaterThan(Math.max(...knm.map((s) => s.log10Lr)));
    // Non-matches keep LR < 1 under every condition (how often matches fall below 1 is a bench figure: the model
    // is calibrated on scans of one instrument and pipeline).
    expect(Math.max(...knm.map((s) => s.log10Lr))).toBeLessThan(0);
  }, 300_000);

  // A scan cropped to 80–90 % of each side by another pipeline whose mask is tighter keeps as little as a third of
  // the breech face. The sweep's plain correlation then missed the angle against a full scan of the mate (the
  // match scored 0 cells); the screening signatures' rotation as a hint, and registering both ways when one scan
  // holds under half the other's points, find it (cmc/compare.ts register).
  it('a strongly cropped scan from another pipeline is separated too', () => {
    const { weakestKm, strongestKnm } = separation(conditions);
    expect(weakestKm.cmc, JSON.stringify({ weakestKm, strongestKnm })).toBeGreaterThan(strongestKnm.cmc);
  }, 300_000);

  it('the breech face of a raw scan is found in its heights; a scan masked by its own pipeline is left as stored', () => {
    for (const scan of scans) {
      expect(variants.get(`${scan}@raw-3.125`)!.loaded.area.source).toBe('auto');
      expect(variants.get(`${scan}@photometric`)!.loaded.area.source).toBe('auto');
      expect(variants.get(`${scan}@processed`)!.loaded.area.source).toBe('scan');
      expect(variants.get(`${scan}@other-pipeline`)!.loaded.area.source).toBe('scan');
      const notes = variants.get(`${scan}@raw-3.125`)!.loaded.area.notes.join('; ');
      expect(notes).toMatch(/firing-pin impression: a crater in the heights/);
      expect(notes).toMatch(/primer edge: seen in the heights/);
    }
  });

  it('a raw measurement prepares to the processed scan within tolerance: NCC ≥ 0.9 over ≥ 70 % of its area', () => {
    for (const scan of scans) {
      const processed = variants.get(`${scan}@processed`)!.loaded.scan.raster;
      const raw = variants.get(`${scan}@raw-3.125`)!.loaded.scan.raster;
      // Same casing, same grid after resampling to 6.25 µm: compared point by point, no registration.
      expect([raw.width, raw.height]).toEqual([processed.width, processed.height]);
      const { r, n } = maskedNcc(processed.data, raw.data);
      let valid = 0;
      for (const v of processed.data) if (v === v) valid++;
      expect(r, scan).toBeGreaterThanOrEqual(0.9);
      expect(n / valid, scan).toBeGreaterThanOrEqual(0.7);
    }
  });

  it('re-applying the pipeline to its own output keeps the surface (NCC ≥ 0.95, < 0.5 % of points dropped) and the verdict', async () => {
    const once = variants.get('fadul_1-1.x3p@processed')!.loaded.scan;
    const twice = await loadScan(
      cv,
      {
        id: 'again',
        surface: {
          width: once.raster.width,
          height: once.raster.height,
          dx: once.pixelSize,
          dy: once.pixelSize,
          z: once.raster.data,
        },
      },
      { ...cmcPreprocessDefaults },
    );
    const { r, n } = maskedNcc(once.raster.data, twice.scan.raster.data);
    expect(r).toBeGreaterThanOrEqual(0.95);
    expect(n / once.validPoints).toBeGreaterThan(0.995);
    const mate = variants.get('fadul_1-2.x3p@processed')!.loaded.scan;
    const other = variants.get('fadul_2-1.x3p@processed')!.loaded.scan;
    const [kmOnce, kmTwice] = [engine.compare(once, mate), engine.compare(twice.scan, mate)];
    expect(Math.abs(kmOnce.cmc.combined - kmTwice.cmc.combined)).toBeLessThanOrEqual(2);
    expect(engine.compare(twice.scan, other).cmc.combined).toBeLessThan(kmTwice.cmc.combined);
  });

  it('every X3P layout and orientation of a Fadul scan reads back as the same surface', async () => {
    const source = (await readX3PFile(sharedDataPath('fadul', 'fadul_2-2.x3p'))).surface;
    for (const layout of x3pLayouts) {
      if (layout === 'point-list') continue; // the list spans the measured points only (tested on a small surface)
      const read = readX3P(storeInLayout(source, layout)).surface;
      expect([read.width, read.height], layout).toEqual([source.width, source.height]);
      let worst = 0;
      let maskDiffers = 0;
      for (let i = 0; i < source.z.length; i++) {
        const u = source.z[i];
        const v = read.z[i];
        if (Number.isNaN(v) !== Number.isNaN(u)) maskDiffers++;
        else if (u === u) worst = Math.max(worst, Math.abs(u - v));
      }
      expect(maskDiffers, layout).toBe(0);
      expect(worst, layout).toBeLessThanOrEqual(layoutTolerance(layout, source));
    }
  });
});

// Known matches of the full development set that scored 0–3 cells with engine 3 (bench/invariance.bench.ts): a raw
// measurement against the processed scan of its mate. Two causes, both general: (1) the breech-face detection
// stopped at the crater's deep core, leaving its wall in the compared area, where the band-pass turns it into a
// ring far stronger than any mark; (2) the 360° sweep ran at 100 µm/px, where a 16–250 µm band holds almost no
// marks and what a raw scan keeps of its form and edges decided which angles were looked at again.
describe('raw measurements whose mates engine 3 missed', () => {
  const cases: { processed: string; raw: string; condition: Condition }[] = [
    { processed: 'fadul_q.x3p', raw: 'fadul_x.x3p', condition: 'raw-3.125' },
    { processed: 'fadul_3-1.x3p', raw: 'fadul_z.x3p', condition: 'raw-1.5625' },
    { processed: 'fadul_2-1.x3p', raw: 'fadul_m.x3p', condition: 'raw-6.25' },
  ];
  const prepared = new Map<string, Awaited<ReturnType<typeof loadScan>>>();
  beforeAll(async () => {
    cv ??= await loadOpenCv();
    for (const c of cases) {
      const processed = (await readX3PFile(sharedDataPath('fadul', c.processed))).surface;
      prepared.set(
        c.processed,
        await loadScan(cv, { id: c.processed, surface: processed }, { ...cmcPreprocessDefaults }),
      );
      const source = (await readX3PFile(sharedDataPath('fadul', c.raw))).surface;
      const raw = applyCondition(cv, source, c.condition, seedOf(c.raw));
      prepared.set(
        c.raw,
        await loadScan(cv, { id: `${c.raw}@${c.condition}`, surface: raw }, { ...cmcPreprocessDefaults }),
      );
    }
  }, 300_000);

  it('each known match outscores every known non-match among them (each processed scan against each raw one)', () => {
    const km: { pair: string; cmc: number }[] = [];
    const knm: { pair: string; cmc: number }[] = [];
    for (const a of cases)
      for (const b of cases) {
        const r = engine.compare(prepared.get(a.processed)!.scan, prepared.get(b.raw)!.scan);
        (a === b ? km : knm).push({ pair: `${a.processed} × ${b.raw}@${b.condition}`, cmc: r.cmc.combined });
      }
    const strongestKnm = Math.max(...knm.map((s) => s.cmc));
    for (const s of km) expect(s.cmc, JSON.stringify({ km, knm })).toBeGreaterThan(Math.max(strongestKnm, 2));
  }, 300_000);
});

// Two scans cropped by another pipeline to windows of similar size (9-1: 33 000 points, k: 44 000): neither holds
// under half the other's points, so before engine 5 they got the plain sweep, which registered them 150° off
// (0 cells). Both measured areas are cut by a straight edge (`cutByFrame`), so how much they overlap is unknown
// before registration and the sweep scores the overlap only.
describe('two cropped scans of similar size', () => {
  const names = ['fadul_9-1.x3p', 'fadul_k.x3p'];
  let pair: Map<string, Variant>;
  beforeAll(async () => {
    cv ??= await loadOpenCv();
    pair = await prepareVariants(cv, names, ['processed', 'other-pipeline']);
  }, 300_000);

  it('are seen as cut by a straight edge, the whole NIST scans are not', () => {
    for (const name of names) {
      expect(cutByFrame(pair.get(`${name}@other-pipeline`)!.loaded.scan), name).toBe(true);
      expect(cutByFrame(pair.get(`${name}@processed`)!.loaded.scan), name).toBe(false);
    }
  });

  it('register at the angle their whole scans give and find congruent cells', () => {
    const [a, b] = names.map((name) => pair.get(`${name}@other-pipeline`)!.loaded.scan);
    const whole = engine.compare(
      pair.get(`${names[0]}@processed`)!.loaded.scan,
      pair.get(`${names[1]}@processed`)!.loaded.scan,
    );
    const cropped = engine.compare(a, b);
    const off = Math.abs(normaliseAngle(cropped.registration.thetaDeg - whole.registration.thetaDeg));
    expect(
      off,
      JSON.stringify({ cropped: cropped.registration.thetaDeg, whole: whole.registration.thetaDeg }),
    ).toBeLessThan(2);
    expect(cropped.cmc.combined).toBeGreaterThanOrEqual(2);
  }, 300_000);
});
