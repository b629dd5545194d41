// Two-stage search with the real worker pool on real Fadul scans.
import { afterAll, describe, expect, it } from 'vitest';
import { sharedDataPath } from '../../tests/fixtures/sharedData.ts';
import { createAnalysisPool } from './pool/pool.ts';
import { searchCandidates } from './search.ts';

const pool = createAnalysisPool({ size: 2 });
afterAll(() => pool.close());
const scan = (name: string) => ({ id: name, ref: { path: sharedDataPath('fadul', `fadul_${name}.x3p`) } });

describe('searchCandidates', () => {
  it('screens every candidate, fully scores the top K, ranks the known match first and hides nothing', async () => {
    const candidates = ['1-2', '2-1', '2-2', '3-1', '4-1', '5-1', '6-1', '7-1'].map(scan);
    const stages = new Set<string>();
    const result = await searchCandidates(pool, scan('1-1'), candidates, {
      topK: 3,
      onProgress: (p) => stages.add(p.stage),
    });
    expect(result.candidates).toBe(8);
    expect(result.screened).toBe(8);
    expect(result.fullyScored).toBe(3);
    expect(result.ranked.map((r) => r.id).sort()).toEqual(candidates.map((c) => c.id).sort());
    expect(result.ranked[0].id).toBe('1-2');
    expect(result.ranked[0].cmc!.combined).toBeGreaterThanOrEqual(12);
    expect(result.ranked[0].calibrated!.atLeast).toBe(0);
    expect(result.ranked[0].calibrated!.comparable).toBe(true);
    expect(result.ranked.slice(3).every((r) => r.cmc === undefined)).toBe(true);
    expect(result.newSignatures.size).toBe(9);
    expect([...stages].sort()).toEqual(['scoring', 'signatures']);

    // Stored signatures are reused: nothing new is computed the second time.
    const withStored = candidates.map((c) => ({ ...c, signature: result.newSignatures.get(c.id) }));
    const again = await searchCandidates(
      pool,
      { ...scan('1-1'), signature: result.newSignatures.get('1-1') },
      withStored,
      { topK: 0 },
    );
    expect(again.newSignatures.size).toBe(0);
    expect(again.fullyScored).toBe(0);
    expect(again.ranked.map((r) => r.screeningRank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("re-ranks the signature's best by their registration score before full CMC (the registration check)", async () => {
    // Fadul 1-1's known matches are 1-2 and the questioned casings of slide 1; the rest are other slides.
    const candidates = ['1-2', '2-1', '2-2', '3-1', '4-1', '5-1'].map(scan);
    const stages: string[] = [];
    const result = await searchCandidates(pool, scan('1-1'), candidates, {
      topK: 1,
      registrationCheck: 4,
      onProgress: (p) => stages.push(p.stage),
    });
    expect(result.checked).toBe(4);
    expect(new Set(stages)).toEqual(new Set(['signatures', 'registration', 'scoring']));
    expect(stages.indexOf('scoring')).toBeGreaterThan(stages.lastIndexOf('registration'));
    // The first four in screening order carry their registration, best first; the rest keep the signature's order.
    const byRank = [...result.ranked].sort((a, b) => a.screeningRank - b.screeningRank);
    const registered = byRank.slice(0, 4).map((r) => r.registration!.score);
    expect(registered).toEqual([...registered].sort((a, b) => b - a));
    expect(byRank.slice(4).every((r) => r.registration === undefined)).toBe(true);
    const rest = byRank.slice(4).map((r) => r.screening.score);
    expect(rest).toEqual([...rest].sort((a, b) => b - a));
    // The known match registers far better than the non-matches, so it is the one fully scored.
    expect(byRank[0].id).toBe('1-2');
    expect(registered[0]).toBeGreaterThan(registered[1] + 0.1);
    expect(result.ranked[0]).toMatchObject({ id: '1-2', screeningRank: 1 });
    expect(result.ranked[0].cmc!.combined).toBeGreaterThanOrEqual(12);
    expect(result.fullyScored).toBe(1);
  });

  it('refuses duplicate candidates and a bad top K', async () => {
    await expect(searchCandidates(pool, scan('1-1'), [scan('1-2'), scan('1-2')])).rejects.toThrow(/listed twice/);
    await expect(searchCandidates(pool, scan('1-1'), [scan('1-2')], { topK: -1 })).rejects.toThrow(/topK/);
    await expect(searchCandidates(pool, scan('1-1'), [scan('1-2')], { registrationCheck: 1.5 })).rejects.toThrow(
      /registrationCheck/,
    );
  });

  it('ends with a clear cancel error when the search is stopped', async () => {
    await expect(
      searchCandidates(pool, scan('1-1'), [scan('8-1')], { signal: AbortSignal.abort(new Error('stop')) }),
    ).rejects.toMatchObject({ code: 'canceled' });
  });
});
