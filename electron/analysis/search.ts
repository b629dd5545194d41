// Two-stage search of one scan against candidates: the screening signature ranks every candidate, full CMC
// scores the top K, and the answer lists every candidate with what was done to it, so nothing is hidden:
// how many were screened, how many fully scored, and each candidate's screening rank.
// The host supplies the candidates (the case store, filtered by calibre and dates) and may pass signatures it
// has stored, so only missing ones are computed.
import { AppError } from '../contract/errors.ts';
import type { SearchProgress } from '../contract/analysis.ts';
import type { CalibratedScore } from './calibratedScore.ts';
import { cmcPreprocessDefaults, type CmcParamsInput } from './cmc/params.ts';
import type { AnalysisPool } from './pool/pool.ts';
import type { PreprocessParamsInput } from './preprocess.ts';
import { calibrateFor, likelihoodRatioFor } from './reference/index.ts';
import type { LikelihoodRatio } from './lr/model.ts';
import type { ScanRef } from './scans.ts';
import { compareSignatures, type ScreeningScore, type ScreeningSignature } from './screening.ts';

export interface SearchCandidate {
  id: string;
  ref: ScanRef;
  /** Stored signature, if the host has one (made with the same preprocessing). */
  signature?: ScreeningSignature;
  /** Its screening score against the query when the host screened it already (a hub's ScreeningIndex over
   *  stored encodings): used as it is, and then neither signature is needed. */
  screening?: ScreeningScore;
}

export interface SearchOptions {
  /** How many of the best-screened candidates get full CMC (default 20). */
  topK?: number;
  params?: CmcParamsInput;
  preprocess?: PreprocessParamsInput | null;
  signal?: AbortSignal;
  onProgress?: (p: SearchProgress) => void;
}

export interface RankedCandidate {
  id: string;
  screening: ScreeningScore;
  /** 1 = most similar signature. */
  screeningRank: number;
  /** Present for the fully scored top K. */
  cmc?: { combined: number; ab: number; ba: number };
  calibrated?: CalibratedScore;
  lr?: LikelihoodRatio;
  error?: { code: string; message: string };
}

export interface SearchResult {
  query: string;
  candidates: number;
  screened: number;
  fullyScored: number;
  topK: number;
  /** Fully scored candidates first (by likelihood ratio, then combined CMC), then the rest by screening rank. */
  ranked: RankedCandidate[];
  /** Signatures computed during this search, for the host to store. */
  newSignatures: Map<string, ScreeningSignature>;
  timing: { signaturesMs: number; screeningMs: number; scoringMs: number };
}

/**
 * The order of fully scored candidates: by likelihood ratio (unclipped, so a tie at the bound is broken by the
 * model), then CMC count, then screening rank. Exported for hosts that score candidates apart (the hub's workers).
 */
export function byEvidence(a: RankedCandidate, b: RankedCandidate): number {
  return (
    (b.lr?.unclipped ?? -Infinity) - (a.lr?.unclipped ?? -Infinity) ||
    b.cmc!.combined - a.cmc!.combined ||
    a.screeningRank - b.screeningRank
  );
}

export async function searchCandidates(
  pool: AnalysisPool,
  query: { id: string; ref: ScanRef; signature?: ScreeningSignature },
  candidates: SearchCandidate[],
  options: SearchOptions = {},
): Promise<SearchResult> {
  const topK = options.topK ?? 20;
  if (!Number.isInteger(topK) || topK < 0)
    throw new AppError('invalid_input', `topK must be a non-negative integer, got ${topK}`);
  const ids = new Set<string>();
  for (const c of candidates) {
    if (ids.has(c.id)) throw new AppError('invalid_input', `candidate ${c.id} is listed twice`);
    ids.add(c.id);
  }
  const { signal } = options;
  const preprocess = options.preprocess === undefined ? { ...cmcPreprocessDefaults } : options.preprocess;
  const t0 = performance.now();

  // Stage 0: signatures the host did not have.
  const newSignatures = new Map<string, ScreeningSignature>();
  const unscreened = candidates.filter((c) => !c.screening);
  const need = (unscreened.length > 0 ? [query, ...unscreened] : []).filter((c) => !c.signature);
  let done = 0;
  await Promise.all(
    need.map(async (c) => {
      const { signature } = await pool.signature(c.ref, { preprocess, signal });
      newSignatures.set(c.id, signature);
      options.onProgress?.({ stage: 'signatures', done: ++done, total: need.length });
    }),
  );
  const signatureOf = (c: { id: string; signature?: ScreeningSignature }) =>
    c.signature ?? (newSignatures.get(c.id) as ScreeningSignature);
  const t1 = performance.now();

  // Stage 1: screen everyone.
  const screened = candidates
    .map((c) => ({ candidate: c, screening: c.screening ?? compareSignatures(signatureOf(query), signatureOf(c)) }))
    .sort((a, b) => b.screening.score - a.screening.score);
  const t2 = performance.now();

  // Stage 2: full CMC for the top K.
  const top = screened.slice(0, topK);
  const outcomes = await pool.scorePairs(
    top.map((s) => ({ a: query.ref, b: s.candidate.ref })),
    {
      params: options.params,
      preprocess,
      signal,
      onProgress: (p) => options.onProgress?.({ stage: 'scoring', done: p.done, total: p.total }),
    },
  );
  const t3 = performance.now();

  const ranked: RankedCandidate[] = screened.map((s, i) => {
    const entry: RankedCandidate = { id: s.candidate.id, screening: s.screening, screeningRank: i + 1 };
    const outcome = i < top.length ? outcomes[i] : undefined;
    if (outcome?.result) {
      entry.cmc = { ...outcome.result.cmc };
      entry.calibrated = calibrateFor(outcome.result, preprocess);
      entry.lr = likelihoodRatioFor(outcome.result, preprocess);
    } else if (outcome?.error) entry.error = { code: outcome.error.code, message: outcome.error.message };
    return entry;
  });
  const scored = ranked.filter((r) => r.cmc).sort(byEvidence);
  const rest = ranked.filter((r) => !r.cmc);
  return {
    query: query.id,
    candidates: candidates.length,
    screened: candidates.length,
    fullyScored: scored.length,
    topK,
    ranked: [...scored, ...rest],
    newSignatures,
    timing: { signaturesMs: t1 - t0, screeningMs: t2 - t1, scoringMs: t3 - t2 },
  };
}
