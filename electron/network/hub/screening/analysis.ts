// What network-scale correlation needs of the analysis engine, behind one small interface: a casing's screening
// encoding from its X3P (the analysis engine's ScreeningIndex encoding, stored once per X3P), the registration check
// (the coarse 360° registration of the query with the signature's best), and full comparison (CMC, calibrated
// frequency, likelihood ratio) of a query with candidates already screened. The engine's worker
// pool does the work; tests stand in with something quicker.
import { availableParallelism } from 'node:os';
import {
  cmcPreprocessDefaults,
  createAnalysisPool,
  defaultScreeningHarmonics,
  encodeScreeningSignature,
  screeningEncodingVersion,
  screeningParamsKey,
  searchCandidates,
  type AnalysisPool,
  type RankedCandidate,
  type RegistrationScore,
  type ScreeningScore,
} from '../../../analysis/index.ts';

export interface ScreenedScan {
  id: string;
  /** The X3P file. */
  path: string;
  /** Its screening score against the query (from the screening index). */
  screening: ScreeningScore;
}

export interface ScreeningAnalysis {
  /** Names every parameter an encoding depends on: encodings made with others are computed again. */
  readonly paramsKey: string;
  /** Threads doing the work: a worker runs as many jobs at once. */
  readonly threads: number;
  /** The screening encoding of an X3P file; rejects (not aborted) when the engine cannot read the file. */
  encoding(path: string, signal: AbortSignal): Promise<Uint8Array>;
  /** The coarse registration of each candidate onto the query (search.ts's registration check), in order; a pair
   *  that cannot be registered answers its error. */
  register(
    query: { id: string; path: string },
    candidates: { id: string; path: string }[],
    signal: AbortSignal,
  ): Promise<(RegistrationScore | { error: string })[]>;
  /** Full comparison of the query with the `topK` best-screened candidates; every candidate ranked, best first. */
  score(
    query: { id: string; path: string },
    candidates: ScreenedScan[],
    topK: number,
    signal: AbortSignal,
  ): Promise<RankedCandidate[]>;
  /** Starts the engine now (its threads, OpenCV in each), so that the first job does not pay for it. */
  warm?(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The analysis engine in a worker pool of `workers` threads (started at the first call, or by warm()), each keeping
 * up to `cacheBytes` of prepared scans (default: the pool's, 256 MiB).
 */
export function engineAnalysis(options: { workers?: number; cacheBytes?: number } = {}): ScreeningAnalysis {
  let pool: AnalysisPool | undefined;
  const threads = Math.max(1, options.workers ?? Math.min(8, availableParallelism()));
  const analysis = () => (pool ??= createAnalysisPool({ size: threads, cacheBytes: options.cacheBytes }));
  return {
    threads,
    paramsKey: `${screeningParamsKey}/index-v${screeningEncodingVersion}-h${defaultScreeningHarmonics}`,
    async encoding(path, signal) {
      return encodeScreeningSignature((await analysis().signature({ path }, { signal })).signature);
    },
    async register(query, candidates, signal) {
      const outcomes = await analysis().registerPairs(
        candidates.map((c) => ({ a: { path: query.path }, b: { path: c.path } })),
        { preprocess: { ...cmcPreprocessDefaults }, signal },
      );
      return outcomes.map((o) =>
        o.registration
          ? { score: o.registration.score, thetaDeg: o.registration.thetaDeg }
          : { error: o.error?.message ?? 'the pair could not be registered' },
      );
    },
    async score(query, candidates, topK, signal) {
      const result = await searchCandidates(
        analysis(),
        { id: query.id, ref: { path: query.path } },
        candidates.map((c) => ({ id: c.id, ref: { path: c.path }, screening: c.screening })),
        { topK, signal },
      );
      return result.ranked;
    },
    warm() {
      return analysis().ready();
    },
    async close() {
      await pool?.close();
      pool = undefined;
    },
  };
}
