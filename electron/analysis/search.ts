// Search of one scan against candidates: the screening signature ranks every candidate, the coarse 360°
// registration (CMC's first stage alone, ~¼ of a comparison) re-ranks the signature's best `registrationCheck`,
// full CMC scores the top K of that order, and the answer lists every candidate with what was done to it, so
// nothing is hidden: how many were screened, checked and fully scored, and each candidate's screening rank.
// Why the check: the signature only compares texture statistics (a magnitude spectrum), the registration compares
// the marks themselves; on the 40 Fadul casings it ranks every known match above all but at most one non-match
// (docs/analysis.md, bench/screening.bench.ts).
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

/**
 * How many of the signature's best a station search registers (the registration check): twice the top K, at least
 * 40 — on the 40 Fadul casings every candidate, where each known match then has at most one non-match above it.
 */
export function defaultRegistrationCheck(topK: number): number {
  return Math.max(2 * topK, 40);
}

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
  /**
   * How many of the signature's best are re-ranked by their coarse registration score before the top K is taken
   * (default 0: the signature's order alone). Each costs a scan load and about a quarter of a comparison.
   */
  registrationCheck?: number;
  params?: CmcParamsInput;
  preprocess?: PreprocessParamsInput | null;
  signal?: AbortSignal;
  onProgress?: (p: SearchProgress) => void;
}

export interface RegistrationScore {
  score: number;
  thetaDeg: number;
}

export interface RankedCandidate {
  id: string;
  screening: ScreeningScore;
  /** 1 = first in the screening order: registration-checked candidates by registration score, then the rest by
   *  signature score. */
  screeningRank: number;
  /** The coarse registration's correlation (−1…1), for the candidates the registration check scored. */
  registration?: RegistrationScore;
  /** Present for the fully scored top K. */
  cmc?: { combined: number; ab: number; ba: number };
  calibrated?: CalibratedScore;
  lr?: LikelihoodRatio;
  error?: { code: string; message: string; details?: unknown };
}

export interface SearchResult {
  query: string;
  candidates: number;
  screened: number;
  /** Candidates re-ranked by the registration check (the signature's best). */
  checked: number;
  fullyScored: number;
  topK: number;
  /** Fully scored candidates first (by likelihood ratio, then combined CMC), then the rest by screening rank. */
  ranked: RankedCandidate[];
  /** Signatures computed during this search, for the host to store. */
  newSignatures: Map<string, ScreeningSignature>;
  timing: { signaturesMs: number; screeningMs: number; registrationMs: number; scoringMs: number };
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
  const registrationCheck = options.registrationCheck ?? 0;
  if (!Number.isInteger(registrationCheck) || registrationCheck < 0)
    throw new AppError('invalid_input', `registrationCheck must be a non-negative integer, got ${registrationCheck}`);
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
  const bySignature = candidates
    .map((c) => ({ candidate: c, screening: c.screening ?? compareSignatures(signatureOf(query), signatureOf(c)) }))
    .sort((a, b) => b.screening.score - a.screening.score);
  const t2 = performance.now();

  // Stage 2: the signature's best re-ranked by their registration score. A pair that cannot be registered keeps
  // its place after the registered ones (its error shows if it also fails full CMC).
  const head = bySignature.slice(0, registrationCheck);
  const registrations =
    head.length > 0
      ? await pool.registerPairs(
          head.map((s) => ({ a: query.ref, b: s.candidate.ref })),
          {
            params: options.params,
            preprocess,
            signal,
            onProgress: (p) => options.onProgress?.({ stage: 'registration', done: p.done, total: p.total }),
          },
        )
      : [];
  const registered = head
    .map((s, i) => ({ ...s, registration: registrations[i].registration }))
    .sort((a, b) => (b.registration?.score ?? -Infinity) - (a.registration?.score ?? -Infinity));
  const screened: { candidate: SearchCandidate; screening: ScreeningScore; registration?: RegistrationScore }[] = [
    ...registered,
    ...bySignature.slice(registrationCheck),
  ];
  const t3 = performance.now();

  // Stage 3: full CMC for the top K.
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
  const t4 = performance.now();

  const ranked: RankedCandidate[] = screened.map((s, i) => {
    const entry: RankedCandidate = { id: s.candidate.id, screening: s.screening, screeningRank: i + 1 };
    if (s.registration) entry.registration = { score: s.registration.score, thetaDeg: s.registration.thetaDeg };
    const outcome = i < top.length ? outcomes[i] : undefined;
    if (outcome?.result) {
      entry.cmc = { ...outcome.result.cmc };
      entry.calibrated = calibrateFor(outcome.result, preprocess);
      entry.lr = likelihoodRatioFor(outcome.result, preprocess);
    } else if (outcome?.error)
      entry.error = { code: outcome.error.code, message: outcome.error.message, details: outcome.error.details };
    return entry;
  });
  const scored = ranked.filter((r) => r.cmc).sort(byEvidence);
  const rest = ranked.filter((r) => !r.cmc);
  return {
    query: query.id,
    candidates: candidates.length,
    screened: candidates.length,
    checked: head.length,
    fullyScored: scored.length,
    topK,
    ranked: [...scored, ...rest],
    newSignatures,
    timing: { signaturesMs: t1 - t0, screeningMs: t2 - t1, registrationMs: t3 - t2, scoringMs: t4 - t3 },
  };
}
