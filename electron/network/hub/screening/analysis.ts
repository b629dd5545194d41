// What network-scale correlation needs of the analysis engine, behind one small interface: a casing's screening
// signature from its X3P, and full comparison (CMC, calibrated frequency, likelihood ratio) of a query with a few
// candidates. The engine's worker pool does the work; tests stand in with something quicker.
import {
  createAnalysisPool,
  screeningParamsKey,
  searchCandidates,
  type AnalysisPool,
  type RankedCandidate,
  type ScreeningSignature,
} from '../../../analysis/index.ts';

export interface ScreeningScan {
  id: string;
  /** The X3P file. */
  path: string;
  signature: ScreeningSignature;
}

export interface ScreeningAnalysis {
  /** Names every parameter a signature depends on: signatures made with others are computed again. */
  readonly paramsKey: string;
  /** The screening signature of an X3P file; rejects (not aborted) when the engine cannot read the file. */
  signature(path: string, signal: AbortSignal): Promise<ScreeningSignature>;
  /** Full comparison of the query with the `topK` best-screened candidates; every candidate ranked, best first. */
  score(
    query: ScreeningScan,
    candidates: ScreeningScan[],
    topK: number,
    signal: AbortSignal,
  ): Promise<RankedCandidate[]>;
  close(): Promise<void>;
}

/** The analysis engine in a worker pool of `workers` threads (started at the first call). */
export function engineAnalysis(options: { workers?: number } = {}): ScreeningAnalysis {
  let pool: AnalysisPool | undefined;
  const analysis = () => (pool ??= createAnalysisPool({ size: options.workers }));
  return {
    paramsKey: screeningParamsKey,
    async signature(path, signal) {
      return (await analysis().signature({ path }, { signal })).signature;
    },
    async score(query, candidates, topK, signal) {
      const result = await searchCandidates(
        analysis(),
        { id: query.id, ref: { path: query.path }, signature: query.signature },
        candidates.map((c) => ({ id: c.id, ref: { path: c.path }, signature: c.signature })),
        { topK, signal },
      );
      return result.ranked;
    },
    async close() {
      await pool?.close();
      pool = undefined;
    },
  };
}
