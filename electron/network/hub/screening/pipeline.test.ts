// The registration step of a correlation, as pure logic over a stand-in analysis and artifact store: scores held to
// −1…1 however the analysis drifts, a score that is not a number refused for that pair only, and a candidate whose
// X3P the store lost left out with the reason instead of failing the batch.
import { describe, expect, it } from 'vitest';
import { leadSchema } from '../../protocol.ts';
import type { ScreeningAnalysis } from './analysis.ts';
import {
  checkScreeningSettings,
  defaultScreeningSettings,
  registerCandidates,
  type PipelineContext,
} from './pipeline.ts';

const candidate = (id: string) => ({
  id,
  sha256: id.repeat(64).slice(0, 64),
  screening: { score: 0.5, angleDeg: 0 },
  signatureRank: 1,
});

function context(scores: number[], stored: (sha: string) => boolean, log: string[] = []): PipelineContext {
  const analysis = {
    register: async (_query: unknown, candidates: { id: string }[]) =>
      candidates.map((_, i) => ({ score: scores[i]!, thetaDeg: 12 })),
  } as unknown as ScreeningAnalysis;
  return {
    pool: undefined as never,
    records: { get: async () => undefined },
    artifacts: { localPath: (sha: string) => (stored(sha) ? `/store/${sha}` : undefined) },
    analysis,
    settings: defaultScreeningSettings,
    cache: undefined as never,
    log: (m) => log.push(m),
  };
}

describe('the registration check of a correlation', () => {
  it('holds scores to −1…1 (a lead stays valid) and refuses only the pair whose score is not a number', async () => {
    const ctx = context([1 + 1e-12, -1 - 1e-9, Number.NaN, 0.25], () => true);
    const result = await registerCandidates(
      ctx,
      { query: { id: 'q', sha256: 'f'.repeat(64) }, candidates: ['a', 'b', 'c', 'd'].map(candidate) },
      new AbortController().signal,
    );
    expect(result.candidates.map((c) => c.registration?.score ?? null)).toEqual([1, -1, null, 0.25]);
    expect(result.candidates[2]!.error).toMatch(/no score/);
    const detail = { cmcAb: 1, cmcBa: 1, screening: 0.5, registration: result.candidates[0]!.registration!.score };
    expect(leadSchema.shape.detail.safeParse(detail).success).toBe(true);
  });

  it('leaves out a candidate whose X3P the store does not hold, with the reason, and registers the others', async () => {
    const log: string[] = [];
    const missing = candidate('b').sha256;
    const ctx = context([0.7, 0.3], (sha) => sha !== missing, log);
    const result = await registerCandidates(
      ctx,
      { query: { id: 'q', sha256: 'f'.repeat(64) }, candidates: ['a', 'b', 'c'].map(candidate) },
      new AbortController().signal,
    );
    const skipped = (c: (typeof result.candidates)[number]) => (typeof c.skipped === 'object' ? c.skipped.text : null);
    expect(result.candidates.map((c) => [c.id, c.registration?.score ?? null, skipped(c)])).toEqual([
      ['a', 0.7, null],
      ['b', null, expect.stringMatching(/candidate b was left out: the artifact store does not hold its X3P/)],
      ['c', 0.3, null],
    ]);
    expect(log).toEqual([expect.stringMatching(/correlation of q: candidate b was left out/)]);
  });

  it("fails the batch when the query's own X3P is missing (this worker may lack the shared volume: another may not)", async () => {
    const ctx = context([0.5], (sha) => sha !== 'f'.repeat(64));
    await expect(
      registerCandidates(
        ctx,
        { query: { id: 'q', sha256: 'f'.repeat(64) }, candidates: [candidate('a')] },
        new AbortController().signal,
      ),
    ).rejects.toThrow(/does not hold X3P/);
  });

  it('refuses settings that would loop or give nothing', () => {
    expect(() => checkScreeningSettings({ ...defaultScreeningSettings, registerBatch: 0 })).toThrow(/registerBatch/);
    expect(() => checkScreeningSettings({ ...defaultScreeningSettings, maxLeads: 0 })).toThrow(/maxLeads/);
    expect(() => checkScreeningSettings({ ...defaultScreeningSettings, registrationCheck: 0 })).not.toThrow();
  });
});
