// Search and pair comparison through the contract, on a real host (SQLite file, evidence store, worker pool)
// with real Fadul scans recorded as acquisitions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignedIn } from '../../../../tests/fixtures/testHost.ts';
import { fadulFile, seedScans } from '../../../../tests/fixtures/searchData.ts';
import { readX3PFile, writeX3P } from '../../../analysis/x3p/index.ts';
import type { Surface } from '../../../analysis/surface.ts';
import { isAppError } from '../../../contract/errors.ts';

const record2 = {
  date: '2026-01-01T00:00:00Z',
  instrument: { manufacturer: 'test', model: 'test', serial: '0', version: '1' },
  calibrationDate: '2026-01-01T00:00:00Z',
  probingSystem: { type: 'Software' as const, identification: 'test' },
};

let station: Awaited<ReturnType<typeof startSignedIn>>;
let ids: number[];
let nanId: number;
let halfResId: number;

beforeAll(async () => {
  station = await startSignedIn();
  const base = (await readX3PFile(fadulFile('1-2'))).surface;
  // The same casing measured at half the resolution (12.5 µm): search must resample it, not refuse it.
  const half: Surface = {
    width: Math.floor(base.width / 2),
    height: Math.floor(base.height / 2),
    dx: base.dx * 2,
    dy: base.dy * 2,
    z: new Float64Array(Math.floor(base.width / 2) * Math.floor(base.height / 2)),
  };
  for (let y = 0; y < half.height; y++)
    for (let x = 0; x < half.width; x++) half.z[y * half.width + x] = base.z[2 * y * base.width + 2 * x];
  // NaN everywhere but a few points (the X3P writer refuses a file with no point at all).
  const nan: Surface = { width: 64, height: 64, dx: 6.25e-6, dy: 6.25e-6, z: new Float64Array(64 * 64).fill(NaN) };
  for (let i = 0; i < 5; i++) nan.z[i * 65] = 1e-6 * i;
  ids = seedScans(station.host, 1, [
    { scan: '1-1', caseNumber: 'LAB-Q', exhibit: 'Q1', recoveryDate: '2026-01-02' },
    { scan: '1-2', caseNumber: 'LAB-K', exhibit: 'K1', recoveryDate: '2025-06-01' },
    { scan: '2-1', caseNumber: 'LAB-K', exhibit: 'K2', recoveryDate: '2025-06-01' },
    { scan: '3-1', caseNumber: 'LAB-X', exhibit: 'X1', recoveryDate: '2024-03-03' },
    { scan: '4-1', caseNumber: 'LAB-X', exhibit: 'X2', calibre: '.45 ACP' },
    { scan: '1-1', caseNumber: 'LAB-Q', exhibit: 'Q1', acquiredAt: '2026-02-02T10:00:00.000Z' },
    { scan: '5-1', caseNumber: 'LAB-X', exhibit: 'X3', unsuitable: 'no marks' },
    { scan: writeX3P(nan, { record2 }), caseNumber: 'LAB-X', exhibit: 'X4' },
    { scan: writeX3P(half, { record2 }), caseNumber: 'LAB-Y', exhibit: 'Y1' },
  ]);
  nanId = ids[7];
  halfResId = ids[8];
}, 60_000);

afterAll(() => station?.dispose());

describe('search.run', () => {
  it('ranks the known match first, screens and scores what it says, and lists every acquisition', async () => {
    const progress: number[] = [];
    const running = station.client.call(
      'search.run',
      { acquisitionId: ids[0], filters: { calibre: '9 mm luger' }, topK: 3 },
      { onProgress: (f) => progress.push(f) },
    );
    // The work is in the worker threads: the host keeps answering other calls meanwhile.
    let slowest = 0;
    let answered = 0;
    let finished = false;
    void running.finally(() => (finished = true));
    while (!finished) {
      const t0 = performance.now();
      await station.client.call('system.status', {});
      slowest = Math.max(slowest, performance.now() - t0);
      answered++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const result = await running;
    expect(answered).toBeGreaterThan(5);
    expect(slowest).toBeLessThan(500); // one search in the host thread would block it for seconds
    // 1-2, 2-1, 3-1, the NaN scan and the half-resolution 1-2 are candidates; 4-1 is another calibre.
    expect(result.candidates).toBe(5);
    expect(result.screened).toBe(4);
    expect(result.fullyScored).toBe(3);
    // The cut is shown with what it costs: all 4 registration-checked, 3 of them kept, a small but non-zero chance
    // the mate falls below it (from the registration scores of the Fadul pairs: the signature's cut keeps all 4).
    expect(result.cut).toMatchObject({
      kept: 3,
      checked: 4,
      screened: 4,
      reference: 'Fadul screening scores; Fadul registration scores',
    });
    expect(result.results.filter((r) => r.registrationScore !== null)).toHaveLength(4);
    expect(result.cut.expectedMissRate).toBeGreaterThan(0);
    expect(result.cut.expectedMissRate).toBeLessThan(0.05);
    expect(result.results.map((r) => r.acquisitionId).sort()).toEqual(
      [ids[1], ids[2], ids[3], nanId, halfResId].sort(),
    );
    expect(result.skipped).toEqual(
      expect.arrayContaining([
        { acquisitionId: ids[5], reason: 'same_item' },
        { acquisitionId: ids[6], reason: 'unsuitable' },
      ]),
    );
    expect(result.skipped).toHaveLength(2);
    const top = result.results
      .slice(0, 2)
      .map((r) => r.acquisitionId)
      .sort();
    expect(top).toEqual([ids[1], halfResId].sort());
    for (const r of result.results.slice(0, 2)) {
      expect(r.cmc!.combined).toBeGreaterThanOrEqual(6);
      expect(r.calibrated!.atLeast).toBe(0);
      expect(r.calibrated!.populationSize).toBe(717);
    }
    const nan = result.results.find((r) => r.acquisitionId === nanId)!;
    expect(nan.error).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/valid points?/) });
    // The screen words the problem (search.candidateProblem.*), not the English message.
    expect(nan.error!.problem).toBe('too_few_points');
    expect(nan.screeningScore).toBeNull();
    expect(result.filters).toEqual({
      calibre: '9 mm luger',
      dateField: 'acquired',
      from: null,
      to: null,
      region: 'breech_face',
    });
    expect(result.population.name).toMatch(/Fadul/);
    expect(result.signatures).toEqual({ cached: 0, computed: 5 });
    expect(progress.at(-1)).toBeCloseTo(1, 5);
    const audit = await station.client.call('audit.list', { action: 'search.run', limit: 10 });
    expect(JSON.stringify(audit.entries)).toMatch(/"fullyScored":3/);
  }, 120_000);

  it('reuses cached signatures, and applies date filters', async () => {
    const t0 = performance.now();
    const result = await station.client.call('search.run', {
      itemId: station.host.search.repo.acquisition(ids[0])!.itemId,
      filters: { dateField: 'recovered', from: '2025-01-01', to: '2025-12-31' },
      topK: 0,
    });
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(result.query.acquisitionId).toBe(ids[5]); // the item's most recent topography
    expect(result.signatures.computed).toBe(0);
    expect(result.results.map((r) => r.acquisitionId).sort()).toEqual([ids[1], ids[2]].sort());
    expect(result.fullyScored).toBe(0);
    expect(result.cut).toMatchObject({ kept: 0, screened: 2, expectedMissRate: 1 });
    expect(result.results[0].screeningRank).toBe(1);
  }, 60_000);

  it('stops on cancel with a clear error, audits it, and searches again afterwards', async () => {
    const controller = new AbortController();
    const run = station.client.call(
      'search.run',
      { acquisitionId: ids[2], topK: 4 },
      {
        signal: controller.signal,
        onProgress: (f, detail) => {
          if (detail?.stage === 'scoring') controller.abort();
          else if (f > 0.5) controller.abort();
        },
      },
    );
    await expect(run).rejects.toMatchObject({ code: 'canceled' });
    const audit = await station.client.call('audit.list', { action: 'search.run', limit: 10 });
    expect(JSON.stringify(audit.entries)).toMatch(/"outcome":"canceled"/);
    const again = await station.client.call('search.run', { acquisitionId: ids[1], topK: 1 });
    expect([ids[0], ids[5], halfResId]).toContain(again.results[0].acquisitionId);
    expect(again.fullyScored).toBe(1);
  }, 120_000);

  it('refuses bad input clearly', async () => {
    const call = (input: object) =>
      station.client.call('search.run', input as never).then(
        () => 'resolved',
        (e: unknown) => e,
      );
    expect(await call({ acquisitionId: 999 })).toMatchObject({ code: 'not_found' });
    expect(await call({ acquisitionId: ids[6] })).toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/unsuitable/),
    });
    expect(await call({ acquisitionId: nanId })).toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/valid points?/),
    });
    expect(await call({})).toMatchObject({ code: 'invalid_input' });
    expect(await call({ acquisitionId: ids[0], filters: { from: '2026-02-01', to: '2026-01-01' } })).toMatchObject({
      code: 'invalid_input',
    });
    expect(await call({ acquisitionId: ids[0], topK: 1000 })).toMatchObject({ code: 'invalid_input' });
  }, 60_000);
});

describe('compare.run', () => {
  it('gives per-cell detail and both surfaces registered into one frame', async () => {
    const r = await station.client.call('compare.run', { a: ids[0], b: ids[1] });
    expect(r.cmc.combined).toBeGreaterThanOrEqual(9);
    expect(r.calibrated.atLeast).toBe(0);
    for (const s of [r.surfaces.a, r.surfaces.b]) {
      expect(Math.max(s.width, s.height)).toBeLessThanOrEqual(512);
      expect(s.heights.byteLength).toBe(s.width * s.height * 4);
    }
    expect([r.surfaces.b.width, r.surfaces.b.height]).toEqual([r.surfaces.a.width, r.surfaces.a.height]);
    const [ab, ba] = r.directions;
    expect(ab.reference).toBe('a');
    expect(ab.cells.filter((c) => c.congruent)).toHaveLength(r.cmc.ab);
    expect(ab.cells[0]).toMatchObject({
      x: expect.any(Number),
      y: expect.any(Number),
      width: expect.any(Number),
      corr: expect.any(Number),
    });
    expect(ab.cells[0]!.reference[0]).toEqual([ab.cells[0]!.x, ab.cells[0]!.y]);
    expect(ba.cells.filter((c) => c.congruent)).toHaveLength(r.cmc.ba);
    // Registered onto one frame, a congruent cell lands where it started (within the congruency thresholds).
    const centre = (points: [number, number][]) =>
      points.reduce((s, p) => [s[0] + p[0] / points.length, s[1] + p[1] / points.length], [0, 0]);
    for (const direction of [ab, ba]) {
      for (const cell of direction.cells.filter((c) => c.congruent)) {
        const [rx, ry] = centre(cell.reference);
        const [tx, ty] = centre(cell.target);
        expect(Math.hypot(rx - tx, ry - ty)).toBeLessThan(40);
      }
    }
    // The registered B agrees with A where both have data.
    const fa = new Float32Array(r.surfaces.a.heights.slice().buffer);
    const fb = new Float32Array(r.surfaces.b.heights.slice().buffer);
    let n = 0,
      sa = 0,
      sb = 0,
      saa = 0,
      sbb = 0,
      sab = 0;
    for (let i = 0; i < fa.length; i++)
      if (fa[i] === fa[i] && fb[i] === fb[i]) {
        n++;
        sa += fa[i];
        sb += fb[i];
        saa += fa[i] ** 2;
        sbb += fb[i] ** 2;
        sab += fa[i] * fb[i];
      }
    const corr = (sab - (sa * sb) / n) / Math.sqrt((saa - (sa * sa) / n) * (sbb - (sb * sb) / n));
    expect(corr).toBeGreaterThan(0.3);
  }, 60_000);

  it('resamples a scan measured at another pixel size, refuses an empty one, and is audited', async () => {
    const r = await station.client.call('compare.run', { a: ids[0], b: halfResId });
    expect(r.pixelUm).toBeCloseTo(6.25, 3);
    const error = await station.client.call('compare.run', { a: ids[0], b: nanId }).catch((e: unknown) => e);
    expect(isAppError(error, 'invalid_input')).toBe(true);
    expect((error as Error).message).toMatch(/valid points?/);
    expect(await station.client.call('compare.run', { a: ids[0], b: ids[0] }).catch((e: unknown) => e)).toMatchObject({
      code: 'invalid_input',
    });
    const audit = await station.client.call('audit.list', { action: 'compare.run', limit: 10 });
    expect(audit.entries.length).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('is refused to a technician', async () => {
    await station.client.call('users.create', {
      passwordChangeDue: false, // a test account: no password change at first sign-in
      username: 'tech',
      displayName: 'Tech',
      password: 'technician-pass-1',
      role: 'technician',
    });
    const tech = station.connect();
    await tech.call('auth.signIn', { username: 'tech', password: 'technician-pass-1' });
    await expect(tech.call('search.run', { acquisitionId: ids[0] })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(tech.call('compare.run', { a: ids[0], b: ids[1] })).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('analysis.lrModel', () => {
  it('ships the model with its validation curves: Tippett shares and ECE, consistent with its own Cllr', async () => {
    const model = await station.client.call('analysis.lrModel', {});
    const { km, knm, tippett, ece, cllr } = model.validation;
    expect(km.length).toBe(model.population.km);
    expect(knm.length).toBe(model.population.knm);
    // Tippett: every pair reaches the lowest threshold, shares never rise with the threshold.
    expect(tippett[0]).toMatchObject({ km: 1, knm: 1 });
    for (let i = 1; i < tippett.length; i++) {
      expect(tippett[i].threshold).toBeGreaterThan(tippett[i - 1].threshold);
      expect(tippett[i].km).toBeLessThanOrEqual(tippett[i - 1].km);
      expect(tippett[i].knm).toBeLessThanOrEqual(tippett[i - 1].knm);
    }
    // ECE at even prior odds is the Cllr; LR = 1 costs 1 bit there; PAV is never worse than the LRs.
    const even = ece.find((p) => Math.abs(p.priorLog10Odds) < 1e-9)!;
    expect(even.ece).toBeCloseTo(cllr, 6);
    expect(even.neutral).toBeCloseTo(1, 6);
    for (const p of ece) expect(p.eceMin).toBeLessThanOrEqual(p.ece + 1e-9);
  });
});
