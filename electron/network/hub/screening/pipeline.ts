// Correlation at network scale, in steps a worker runs as jobs (postgres/worker.ts):
//  1. plan: the submission's own screening signature, computed once from its X3P and stored (by the X3P's hash);
//     the population it is screened against; screened at once when small, else cut into partitions;
//  2. screen: one partition of the population against the submission's signature (any worker, in parallel), from
//     the worker's cache of decoded partitions (partitionCache.ts);
//  3. register: the registration check — the signature's best (registrationCheck of them, as a station's search:
//     max(2·topK, 40)) registered onto the query (the coarse 360° registration, about a quarter of a comparison
//     each) in jobs of a few pairs, so the marks themselves, not only their texture statistics, pick who gets full
//     CMC (the signature alone ranks some mates far down: docs/hub-operations.md);
//  4. compare: the best by registration score (topK) get full CMC (with calibrated frequency and likelihood ratio),
//     each in a job of its own, so every worker's analysis threads share one correlation's comparisons;
//  5. finish: when every comparison is in, the best become leads, each saying how many casings were screened and
//     registered, where the cut fell and the expected share of mates lost at it.
import { hubNote, storedNote } from '../notes.ts';
import type { CorrelationNote } from '../../protocol.ts';
import type { PgPool } from '../postgres/connect.ts';
import type { ArtifactStore, HubRecords, NewLead, SubmissionRecord } from '../storage.ts';
import { checkStored, missingCandidateNote, storedX3p } from '../correlation.ts';
import { cmcScorerName, cutDetail, leadLikelihoodRatio } from '../scorer.ts';
import type { ScreeningAnalysis } from './analysis.ts';
import {
  boundedCorrelation,
  byEvidence,
  defaultRegistrationCheck,
  type RankedCandidate,
  type RegistrationScore,
} from '../../../analysis/index.ts';
import type { PartitionCache } from './partitionCache.ts';
import {
  partitionWindows,
  populationOf,
  storedSignature,
  storeSignature,
  summarisePopulation,
  type PopulationSpec,
  type PopulationSummary,
} from './population.ts';

export interface ScreeningSettings {
  /** Screenable casings per screen job; a larger population is cut into partitions for several workers. */
  partitionSize: number;
  /** Best-screened casings kept per partition and overall (at least as many as go on to the registration check and
   *  full CMC). */
  keep: number;
  /** How many get full CMC. */
  topK: number;
  /** How many of the signature's best the registration check scores before the top K is taken (default
   *  defaultRegistrationCheck(topK), as a station's search; at most topK: none, the signature's order alone). */
  registrationCheck?: number;
  /** Pairs per registration job (a job is a few seconds of one analysis thread). */
  registerBatch: number;
  maxLeads: number;
  /** The correlation date range: casings recovered this many years either side of the submission's date, and
   *  undated ones; absent: every date. */
  correlationYears?: number;
}

export const defaultScreeningSettings: ScreeningSettings = {
  partitionSize: 25_000,
  keep: 20,
  topK: 10,
  registerBatch: 5,
  maxLeads: 5,
};

/**
 * Settings a worker is started with, checked before any job runs: a count of 0 would make no partition, no batch (an
 * endless loop cutting candidates into batches of 0) or no lead. Throws an error naming the setting.
 */
export function checkScreeningSettings(settings: ScreeningSettings): ScreeningSettings {
  const counts = ['partitionSize', 'keep', 'topK', 'registerBatch', 'maxLeads'] as const;
  for (const name of counts)
    if (!Number.isSafeInteger(settings[name]) || settings[name] < 1)
      throw new Error(`the screening setting ${name} must be a whole number of at least 1 (got ${settings[name]})`);
  if (
    settings.registrationCheck !== undefined &&
    (!Number.isSafeInteger(settings.registrationCheck) || settings.registrationCheck < 0)
  )
    throw new Error(
      `the screening setting registrationCheck must be a whole number of at least 0 (got ${settings.registrationCheck})`,
    );
  if (
    settings.correlationYears !== undefined &&
    (!Number.isFinite(settings.correlationYears) || settings.correlationYears <= 0)
  )
    throw new Error(`the screening setting correlationYears must be above 0 (got ${settings.correlationYears})`);
  return settings;
}

/** How many of the signature's best a correlation registers (0: the check is off). */
export function registrationCheckOf(settings: Pick<ScreeningSettings, 'topK' | 'registrationCheck'>): number {
  const check = settings.registrationCheck ?? defaultRegistrationCheck(settings.topK);
  return check > settings.topK ? check : 0;
}

/**
 * The settings one correlation runs with from its plan to its leads: fixed by the worker that plans it and kept with
 * the correlate job (its PlanState), so workers started with other flags (or this one restarted with new ones) that
 * take its later stages cannot mix two sets of settings in one correlation.
 */
export interface CorrelationSettings {
  keep: number;
  topK: number;
  /** How many of the signature's best the registration check scores (0: off), resolved from the worker's flags. */
  registrationCheck: number;
  registerBatch: number;
  maxLeads: number;
}

export function correlationSettingsOf(settings: ScreeningSettings): CorrelationSettings {
  const registrationCheck = registrationCheckOf(settings);
  return {
    keep: Math.max(settings.keep, settings.topK, registrationCheck),
    topK: settings.topK,
    registrationCheck,
    registerBatch: settings.registerBatch,
    maxLeads: settings.maxLeads,
  };
}

/** A correlation's settings: those its plan fixed (those of this worker for one planned before they were kept). */
function fixedSettings(ctx: PipelineContext, state: PlanState): CorrelationSettings {
  return state.settings ?? correlationSettingsOf(ctx.settings);
}

export interface PipelineContext {
  pool: PgPool;
  records: Pick<HubRecords, 'get'>;
  artifacts: Pick<ArtifactStore, 'localPath'>;
  analysis: ScreeningAnalysis;
  settings: ScreeningSettings;
  /** This worker's decoded partitions. */
  cache: PartitionCache;
  /** Tells the operator (the worker's log) what a correlation went on without, e.g. a candidate whose file is gone. */
  log?: (message: string) => void;
}

/** What a screen job covers (its `spec`). */
export interface ScreenSpec {
  population: PopulationSpec;
  range: { lo: number; hi: number };
  /** The submission's X3P hash: its stored signature is the query. */
  query: string;
  keep: number;
}

/** What a screen job found (its `result`). */
export interface ScreenResult {
  screened: number;
  best: { id: string; score: number; angleDeg: number }[];
  /** How the partition was read (from the worker's cache or the database) and screened: for operators, benches. */
  stats?: { cached: boolean; rowsRead: number; readMs: number; screenMs: number };
}

/** A casing the signature screen kept, on its way to the registration check or full CMC. */
export interface ScreenedCandidate {
  id: string;
  sha256: string;
  screening: { score: number; angleDeg: number };
  /** Its place in the signature's order (1 = most similar). */
  signatureRank: number;
}

/** What a register job covers (its `spec`): a few of the signature's best, each registered onto the query. */
export interface RegisterSpec {
  query: { id: string; sha256: string };
  candidates: ScreenedCandidate[];
}

/** What a register job found (its `result`): each candidate with its registration (null: it could not be
 *  registered, `error` says why; it then goes after the registered ones). */
export interface RegisterResult {
  /** `skipped`: the candidate's X3P is not in the artifact store; it goes no further (the reason becomes a note). */
  candidates: (ScreenedCandidate & {
    registration: RegistrationScore | null;
    error?: string;
    /** A note; English text only from workers of before coded notes (a job in flight across an upgrade). */
    skipped?: CorrelationNote | string;
  })[];
  ms: number;
}

/** What a compare job covers (its `spec`): one candidate pair for full CMC. */
export interface CompareSpec {
  query: { id: string; sha256: string };
  candidate: { id: string; sha256: string };
  screening: { score: number; angleDeg: number };
  /** The candidate's place in the order that chose it for full CMC (1 = best): the registration check's, else the
   *  signature's. */
  rank: number;
  /** Its place in the signature's order, and its registration score when the registration check ran (absent in
   *  jobs queued before the check existed). */
  signatureRank?: number;
  registration?: RegistrationScore | null;
}

/** What the correlate job keeps while its children work (its `result` when waiting). */
export interface PlanState {
  summary: PopulationSummary;
  population: PopulationSpec;
  /** The settings fixed when the correlation was planned (absent in correlations planned before they were kept). */
  settings?: CorrelationSettings;
  /** Why candidates were left out on the way (their X3P missing from the artifact store): notes of the correlation. */
  skipped?: (CorrelationNote | string)[];
  /** Casings screened in all, once the screening is done. */
  screened?: number;
  /** Casings the registration check scored (0: none, the signature's order chose), and the lowest signature score
   *  among the casings that went on past the signature. */
  registered?: number;
  cut?: number;
  /** The worker that computed the query's signature, whose analysis threads hold the query scan prepared: its
   *  compare jobs are meant for it (set by the worker, postgres/worker.ts). */
  preparedBy?: string;
}

export type ChildJob =
  | { kind: 'screen'; spec: ScreenSpec }
  | { kind: 'register'; spec: RegisterSpec }
  | { kind: 'compare'; spec: CompareSpec };

/** Where a correlation stands after a step: done, or waiting for child jobs (any worker's). */
export type Step =
  | { kind: 'done'; leads: NewLead[]; notes: CorrelationNote[] }
  | { kind: 'waiting'; state: PlanState; children: ChildJob[] };

const x3pOf = (record: SubmissionRecord) => record.manifest.artifacts.find((a) => a.role === 'x3p');

/** The submission's stored signature, computed and stored first when there is none (or only of other parameters). */
async function ownSignature(
  ctx: PipelineContext,
  record: SubmissionRecord,
  signal: AbortSignal,
): Promise<{ encoding: Buffer } | { error: string }> {
  const sha = x3pOf(record)!.sha256;
  const stored = await storedSignature(ctx.pool, sha, ctx.analysis.paramsKey);
  if (stored) return stored;
  let value: { encoding: Buffer } | { error: string };
  try {
    value = { encoding: Buffer.from(await ctx.analysis.encoding(ctx.artifacts.localPath(sha)!, signal)) };
  } catch (error) {
    if (signal.aborted) throw error;
    value = { error: (error as Error).message };
  }
  await storeSignature(ctx.pool, sha, ctx.analysis.paramsKey, value);
  return value;
}

function populationNotes(summary: PopulationSummary, population: PopulationSpec): CorrelationNote[] {
  const notes: CorrelationNote[] = [];
  if (population.dates) notes.push(hubNote('date_range', { from: population.dates.from, to: population.dates.to }));
  if (summary.unusable > 0)
    notes.push(
      hubNote('unusable_signatures', {
        count: summary.unusable,
        calibre: population.calibre,
        region: population.region,
      }),
    );
  return notes;
}

export async function planCorrelation(
  ctx: PipelineContext,
  record: SubmissionRecord,
  signal: AbortSignal,
): Promise<Step> {
  checkStored(ctx.artifacts, record);
  const x3p = x3pOf(record);
  if (!x3p) return { kind: 'done', leads: [], notes: [hubNote('no_topography')] };
  const own = await ownSignature(ctx, record, signal);
  if ('error' in own) return { kind: 'done', leads: [], notes: [hubNote('query_unreadable', { error: own.error })] };
  const population = populationOf(record, ctx.analysis.paramsKey, ctx.settings.correlationYears);
  const summary = await summarisePopulation(ctx.pool, population);
  const settings = correlationSettingsOf(ctx.settings);
  const state: PlanState = { summary, population, settings };
  const windows = await partitionWindows(ctx.pool, population, summary, ctx.settings.partitionSize);
  const specs = windows.map((range) => ({ population, range, query: x3p.sha256, keep: settings.keep }));
  if (summary.screenable <= ctx.settings.partitionSize) {
    // A small population: screened here, from the same cached partitions the screen jobs use.
    const results: ScreenResult[] = [];
    for (const spec of specs) {
      if (signal.aborted) throw signal.reason;
      results.push(await screenPartition(ctx, spec));
    }
    return afterScreening(ctx, record, state, results);
  }
  return { kind: 'waiting', state, children: specs.map((spec) => ({ kind: 'screen', spec })) };
}

export async function screenPartition(ctx: PipelineContext, spec: ScreenSpec): Promise<ScreenResult> {
  const query = await storedSignature(ctx.pool, spec.query, spec.population.paramsKey);
  if (!query || !('encoding' in query)) throw new Error(`no stored screening signature of ${spec.query}`);
  const result = await ctx.cache.screen(ctx.pool, spec.population, spec.range, query.encoding, spec.keep);
  return { screened: result.screened, best: result.best, stats: result.stats };
}

/**
 * Every partition is screened: the signature's best go on to the registration check (register jobs), or, when it is
 * off, straight to full CMC (compare jobs); when nothing was screened, the correlation is done without leads.
 */
export async function afterScreening(
  ctx: PipelineContext,
  record: SubmissionRecord,
  state: PlanState,
  results: ScreenResult[],
): Promise<Step> {
  const screened = results.reduce((n, r) => n + r.screened, 0);
  const settings = fixedSettings(ctx, state);
  const check = settings.registrationCheck;
  const best = results
    .flatMap((r) => r.best)
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
    .slice(0, settings.keep);
  const others = new Map(
    (
      await ctx.pool.query<{ id: string; region: string; sha: string | null }>(
        'SELECT id, region, x3p_sha256 AS sha FROM submissions WHERE id = ANY($1)',
        [best.map((b) => b.id)],
      )
    ).rows.map((r) => [r.id, r]),
  );
  const query = { id: record.id, sha256: x3pOf(record)!.sha256 };
  const chosen: ScreenedCandidate[] = [];
  const skipped = [...(state.skipped ?? [])];
  const wanted = check > 0 ? check : settings.topK;
  for (const [i, { id, score, angleDeg }] of best.entries()) {
    const other = others.get(id);
    if (!other?.sha || other.region !== state.population.region) continue;
    if (chosen.length === wanted) break;
    // A casing whose file the store lost is left out (the next one takes its place), with the reason: one missing
    // file must not cost the lab every other lead.
    if (!ctx.artifacts.localPath(other.sha)) {
      skipped.push(skipCandidate(ctx, record.id, id, other.sha));
      continue;
    }
    chosen.push({ id, sha256: other.sha, screening: { score, angleDeg }, signatureRank: i + 1 });
  }
  const cut = chosen.length > 0 ? Math.min(...chosen.map((c) => c.screening.score)) : undefined;
  const next = { ...state, settings, screened, cut, ...(skipped.length > 0 ? { skipped } : {}) };
  if (check > 0 && chosen.length > settings.topK) {
    const children: ChildJob[] = [];
    for (let i = 0; i < chosen.length; i += settings.registerBatch)
      children.push({
        kind: 'register',
        spec: { query, candidates: chosen.slice(i, i + settings.registerBatch) },
      });
    return { kind: 'waiting', state: { ...next, registered: chosen.length }, children };
  }
  return compareChildren(ctx, { ...next, registered: 0 }, query, chosen);
}

/** The note (and the operator's log line) of a candidate left out because the store does not hold its X3P. */
function skipCandidate(
  ctx: PipelineContext,
  submissionId: string,
  candidateId: string,
  sha256: string,
): CorrelationNote {
  const note = missingCandidateNote(candidateId, sha256);
  ctx.log?.(`correlation of ${submissionId}: ${note.text}`);
  return note;
}

/** Every registration is in: the best by registration score (the rest after them, in the signature's order) get
 *  full CMC. */
export function afterRegistration(
  ctx: PipelineContext,
  record: SubmissionRecord,
  state: PlanState,
  results: RegisterResult[],
): Step {
  const all = results.flatMap((r) => r.candidates);
  const skipped = [...(state.skipped ?? []), ...all.flatMap((c) => (c.skipped ? [c.skipped] : []))];
  const registered = all
    .filter((c) => !c.skipped)
    .sort(
      (a, b) =>
        (b.registration?.score ?? -Infinity) - (a.registration?.score ?? -Infinity) ||
        a.signatureRank - b.signatureRank,
    );
  return compareChildren(
    ctx,
    { ...state, ...(skipped.length > 0 ? { skipped } : {}) },
    { id: record.id, sha256: x3pOf(record)!.sha256 },
    registered,
  );
}

function compareChildren(
  ctx: PipelineContext,
  state: PlanState,
  query: { id: string; sha256: string },
  ordered: (ScreenedCandidate & { registration?: RegistrationScore | null })[],
): Step {
  const children: ChildJob[] = ordered.slice(0, fixedSettings(ctx, state).topK).map((c, i) => ({
    kind: 'compare',
    spec: {
      query,
      candidate: { id: c.id, sha256: c.sha256 },
      screening: c.screening,
      rank: i + 1,
      signatureRank: c.signatureRank,
      ...(c.registration === undefined ? {} : { registration: c.registration }),
    },
  }));
  if (children.length === 0) return { kind: 'done', ...finishCorrelation(ctx, state, []) };
  return { kind: 'waiting', state, children };
}

/** A few of the signature's best registered onto the query (the registration check); a pair that cannot be
 *  registered keeps its place after the registered ones, with the reason. */
export async function registerCandidates(
  ctx: PipelineContext,
  spec: RegisterSpec,
  signal: AbortSignal,
): Promise<RegisterResult> {
  const started = performance.now();
  // The query's file missing fails the job (this worker may lack the shared volume: another may have it); a
  // candidate's is skipped with the reason.
  const queryPath = storedX3p(ctx.artifacts, spec.query.id, spec.query.sha256);
  const present = spec.candidates.filter((c) => ctx.artifacts.localPath(c.sha256));
  const outcomes =
    present.length === 0
      ? []
      : await ctx.analysis.register(
          { id: spec.query.id, path: queryPath },
          present.map((c) => ({ id: c.id, path: storedX3p(ctx.artifacts, c.id, c.sha256) })),
          signal,
        );
  const outcomeOf = new Map(present.map((c, i) => [c, outcomes[i]]));
  return {
    candidates: spec.candidates.map((c) => {
      if (!outcomeOf.has(c))
        return { ...c, registration: null, skipped: skipCandidate(ctx, spec.query.id, c.id, c.sha256) };
      const outcome = outcomeOf.get(c);
      if (!outcome) throw new Error(`the analysis returned no registration for candidate ${c.id}`);
      if ('error' in outcome) return { ...c, registration: null, error: outcome.error };
      // Bounded where it enters the correlation too: whatever analysis answered, a lead's score stays within −1…1.
      const score = boundedCorrelation(outcome.score);
      if (!Number.isFinite(score))
        return { ...c, registration: null, error: `the registration gave no score (${outcome.score})` };
      return { ...c, registration: { score, thetaDeg: outcome.thetaDeg } };
    }),
    ms: performance.now() - started,
  };
}

/** What a compare job found (its `result`): the candidate as the analysis ranked it, its place in the signature's
 *  order, and how long it took. */
export interface CompareResult {
  candidate: RankedCandidate;
  signatureRank?: number;
  ms: number;
}

/** One candidate pair's full comparison (CMC, calibrated frequency, likelihood ratio), or why it failed. */
export async function comparePair(
  ctx: PipelineContext,
  spec: CompareSpec,
  signal: AbortSignal,
): Promise<CompareResult> {
  const started = performance.now();
  if (!ctx.artifacts.localPath(spec.candidate.sha256)) {
    // Gone since it was chosen: this candidate is reported as not compared (a note), the others still give leads.
    const message = skipCandidate(ctx, spec.query.id, spec.candidate.id, spec.candidate.sha256).text;
    return {
      candidate: {
        id: spec.candidate.id,
        screening: spec.screening,
        screeningRank: spec.rank,
        error: { code: 'artifact_missing', message },
      },
      ...(spec.signatureRank === undefined ? {} : { signatureRank: spec.signatureRank }),
      ms: performance.now() - started,
    };
  }
  const [ranked] = await ctx.analysis.score(
    { id: spec.query.id, path: storedX3p(ctx.artifacts, spec.query.id, spec.query.sha256) },
    [
      {
        id: spec.candidate.id,
        path: storedX3p(ctx.artifacts, spec.candidate.id, spec.candidate.sha256),
        screening: spec.screening,
      },
    ],
    1,
    signal,
  );
  if (!ranked) throw new Error(`the analysis returned nothing for candidate ${spec.candidate.id}`);
  return {
    candidate: {
      ...ranked,
      screeningRank: spec.rank,
      ...(spec.registration ? { registration: spec.registration } : {}),
    },
    ...(spec.signatureRank === undefined ? {} : { signatureRank: spec.signatureRank }),
    ms: performance.now() - started,
  };
}

/** Every comparison is in: the best become leads, each saying what was screened, registered and compared, and
 *  where the cut fell. */
export function finishCorrelation(
  ctx: PipelineContext,
  state: PlanState,
  compared: CompareResult[],
): { leads: NewLead[]; notes: CorrelationNote[] } {
  const settings = fixedSettings(ctx, state);
  const notes = [...populationNotes(state.summary, state.population), ...(state.skipped ?? []).map(storedNote)];
  const signatureRank = new Map(compared.map((c) => [c.candidate.id, c.signatureRank]));
  const all = compared.map((c) => c.candidate);
  const ranked = [...all.filter((r) => r.cmc).sort(byEvidence), ...all.filter((r) => !r.cmc)];
  const scored = ranked.filter((r) => r.cmc);
  // Correlations planned before the registration check existed carry no cut of their own: the lowest screening
  // score of the compared was it.
  const cut = cutDetail({
    screened: state.screened ?? 0,
    registered: state.registered ?? 0,
    topK: settings.topK,
    cut: state.cut ?? (all.length > 0 ? Math.min(...all.map((r) => r.screening.score)) : undefined),
  });
  for (const r of ranked)
    if (r.error)
      notes.push(
        r.error.code === 'artifact_missing'
          ? hubNote('candidate_missing_x3p', { candidate: r.id })
          : hubNote('candidate_not_compared', { candidate: r.id, error: r.error.message }),
      );
  const leads: NewLead[] = scored.slice(0, settings.maxLeads).map((r) => {
    const rank = signatureRank.get(r.id);
    return {
      otherSubmissionId: r.id,
      score: r.cmc!.combined,
      scorer: cmcScorerName,
      detail: {
        cmcAb: r.cmc!.ab,
        cmcBa: r.cmc!.ba,
        screening: r.screening.score,
        ...(r.calibrated ? { calibrated: r.calibrated.statement } : {}),
        ...cut,
        fullyScored: scored.length,
        ...(rank === undefined ? {} : { signatureRank: rank }),
        ...(r.registration ? { registration: r.registration.score } : {}),
        ...(r.lr ? { lr: leadLikelihoodRatio(r.lr) } : {}),
      },
    };
  });
  return { leads, notes };
}
