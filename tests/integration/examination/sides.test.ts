// What the workspace is told about the two sides, on real files: different pixel sizes (resampled, said), one side
// 2D only (2D comparison works, 3D tools off with the reason), an acquisition marked unsuitable; and the CMC
// analysis recorded on the comparison, named in the conclusion's technical record with algorithm and parameters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAppError } from '../../fixtures/appError.ts';
import { examinationStation, sampleView, type ExaminationStation } from '../../fixtures/examinationStation.ts';
import { encodePng } from '../../fixtures/png.ts';

let s: ExaminationStation;
let fadul: number;

beforeAll(async () => {
  s = await examinationStation();
  fadul = await s.fadul('LAB-50', 'Q1', '2-1');
});
afterAll(() => s.dispose());

describe('the two sides', () => {
  it('of different pixel sizes are resampled to the coarser one, and the workspace says so', async () => {
    const other = await s.importScan('LAB-51', 'K1', 'x3p-samples', 'KautschukInfiniteFocus.x3p');
    const ws = await s.e1.call('examinations.open', { a: fadul, b: other });
    expect(ws.a.pixelUm).toBeCloseTo(6.25, 2);
    expect(ws.b.pixelUm).not.toBeNull();
    expect(ws.b.pixelUm).not.toBeCloseTo(6.25, 1);
    expect(ws.scale.resampled).toBe(true);
    expect(ws.scale.commonPixelUm).toBe(Math.max(ws.a.pixelUm!, ws.b.pixelUm!));
    expect(ws.scale.note).toMatch(/A has 6\.25 µm pixels and B .* µm: both are shown resampled to/);
    expect(ws.tools3d.available).toBe(true);
  });

  it('with one side 2D only: 3D tools off with the reason, 2D annotations and conclusions work', async () => {
    const picture = await s.importScan('LAB-52', 'K1', 'nbide-2d', 'NBIDE_R_BF_118.png');
    const ws = await s.e1.call('examinations.open', { a: fadul, b: picture });
    expect(ws.b.topography).toBeNull();
    expect(ws.b.images.map((i) => [i.role, i.kind, i.mediaType])).toEqual([['original', 'composite', 'image/png']]);
    expect(ws.tools3d).toEqual({
      available: false,
      reason: expect.stringMatching(/^B has no topography \(2D images only\)/),
    });
    expect(ws.scale).toMatchObject({ resampled: false, note: expect.stringMatching(/pixel size of B is unknown/) });
    await expectAppError(
      s.e1.call('examinations.analyze', { comparisonId: ws.comparison.id }),
      'invalid_input',
      /B has no topography/,
    );
    const note = await s.e1.call('annotations.create', {
      comparisonId: ws.comparison.id,
      side: 'b',
      frame: 'original',
      layer: 'similar',
      shape: {
        kind: 'stroke',
        width: 12,
        points: [
          [1200, 900],
          [1400, 1000],
        ],
      },
      view: { ...sampleView(), b: { ...sampleView().b, source: 'original' } },
    });
    await expectAppError(
      s.e1.call('annotations.create', {
        comparisonId: ws.comparison.id,
        side: 'b',
        frame: 'original',
        layer: 'similar',
        shape: {
          kind: 'polygon',
          points: [
            [0, 0],
            [2600, 0],
            [2700, 1944],
          ],
        },
      }),
      'invalid_input',
      /outside the 2592 × 1944 picture/,
    );
    const { conclusion } = await s.e1.call('conclusions.record', {
      comparisonId: ws.comparison.id,
      conclusion: 'inconclusive_b',
      basis: 'The ring-light picture shows too little of the breech face to compare with the topography.',
      annotationIds: [note.id],
    });
    expect(conclusion.record.b).toMatchObject({ topographySha256: null, pixelUm: null });
    expect(conclusion.record.b.files).toEqual([{ role: 'original', sha256: ws.b.images[0].sha256 }]);
  });

  it('with an acquisition marked unsuitable: only Unsuitable can be recorded until the mark is cleared', async () => {
    const worn = await s.fadul('LAB-53', 'K1', '2-2');
    const detail = await s.admin.call('acquisitions.get', { id: worn });
    await s.e2.call('acquisitions.markUnsuitable', { id: worn, version: detail.version, reason: 'primer flattened' });
    const ws = await s.e1.call('examinations.open', { a: fadul, b: worn });
    expect(ws.b.unsuitableReason).toBe('primer flattened');
    await expectAppError(
      s.e1.call('conclusions.record', { comparisonId: ws.comparison.id, conclusion: 'identification', basis: 'x' }),
      'invalid_input',
      /B is marked unsuitable for comparison \(primer flattened\)/,
    );
    const { conclusion } = await s.e1.call('conclusions.record', {
      comparisonId: ws.comparison.id,
      conclusion: 'unsuitable',
      basis: 'Primer flattened: no individual characteristics left to compare.',
    });
    expect(conclusion.record.b.unsuitableReason).toBe('primer flattened');
    await expectAppError(
      s.e1.call('conclusions.amend', {
        amends: conclusion.id,
        reason: 'looked again',
        conclusion: 'elimination',
        basis: 'x',
      }),
      'invalid_input',
      /marked unsuitable/,
    );
  });
});

describe('the analysis shown', () => {
  it('is recorded on the comparison and named, with algorithm and parameters, in the technical record', async () => {
    const k = await s.fadul('LAB-54', 'K1', '2-2');
    const ws = await s.e1.call('examinations.open', { a: fadul, b: k });
    const { analysis, surfaces } = await s.e1.call('examinations.analyze', { comparisonId: ws.comparison.id });
    expect(analysis.cmc.combined).toBeGreaterThanOrEqual(9); // a known match
    expect(analysis.algorithm).toEqual({ name: 'casebench-cmc', version: expect.any(String) });
    expect(analysis.inputs).toEqual({ a: ws.a.topography!.sha256, b: ws.b.topography!.sha256 });
    expect(analysis.parameters.cmc).toMatchObject({ cellsX: 8, corrThreshold: 0.5 });
    expect(surfaces.a.heights.byteLength).toBe(surfaces.a.width * surfaces.a.height * 4);
    const reopened = await s.e2.call('examinations.get', { comparisonId: ws.comparison.id });
    expect(reopened.analysis).toMatchObject({ id: analysis.id, registration: analysis.registration });
    expect(reopened.analysis!.directions[0].cells.length).toBeGreaterThan(0);

    const snap = await s.e1.call('snapshots.create', {
      comparisonId: ws.comparison.id,
      png: encodePng(200, 100, 9),
      caption: 'LAB-50 / Q1 and LAB-54 / K1 with the congruent cells',
      view: {
        ...sampleView(),
        cmcCells: true,
        alignment: { ...sampleView().alignment, from: 'auto', analysisId: analysis.id },
      },
    });
    await expectAppError(
      s.e1.call('conclusions.record', {
        comparisonId: ws.comparison.id,
        conclusion: 'identification',
        basis: 'x',
        analysisIds: [analysis.id + 1000],
      }),
      'invalid_input',
      /analysis/,
    );
    const { conclusion } = await s.e1.call('conclusions.record', {
      comparisonId: ws.comparison.id,
      conclusion: 'identification',
      basis: 'Agreement of breech-face marks in the congruent cells and beyond.',
      snapshotIds: [snap.id],
      analysisIds: [analysis.id],
    });
    expect(conclusion.record.scoresShown).toEqual([
      {
        analysisId: analysis.id,
        algorithm: analysis.algorithm,
        parameters: analysis.parameters,
        inputs: analysis.inputs,
        cmc: analysis.cmc,
        calibrated: analysis.calibrated.statement,
        ranAt: analysis.ranAt,
      },
    ]);
    expect(conclusion.record.stationVersion).toBe(analysis.algorithm.version);
  }, 120_000);
});
