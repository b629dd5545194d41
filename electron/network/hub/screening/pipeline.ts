// Correlation at network scale, in steps a worker runs as jobs (postgres/worker.ts):
//  1. plan: the submission's own screening signature, computed once from its X3P and stored (by the X3P's hash);
//     the population it is screened against; screened at once when small, else cut into partitions;
//  2. screen: one partition of the population against the submission's signature (any worker, in parallel), from
//     the worker's cache of decoded partitions (partitionCache.ts);
//  3. compare: each of the best-screened candidates gets full CMC (with calibrated frequency and likelihood ratio)
//     in a job of its own, so every worker's analysis threads share one correlation's comparisons;
//  4. finish: when every comparison is in, the best become leads, each saying how many casings were screened and
//     where the cut for full CMC fell.
import type { PgPool } from '../postgres/connect.ts';
import type { ArtifactStore, HubRecords, NewLead, SubmissionRecord } from '../storage.ts';
import { checkStored, storedX3p } from '../correlation.ts';
import { cmcScorerName, leadLikelihoodRatio } from '../scorer.ts';
import type { ScreeningAnalysis } from './analysis.ts';
import { byEvidence, type RankedCandidate } from '../../../analysis/index.ts';
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
  /** Best-screened casings kept per partition and overall (candidates for full comparison). */
  keep: number;
  /** How many of them get full CMC. */
  topK: number;
  maxLeads: number;
  /** The correlation date range: casings recovered this many years either side of the submission's date, and
   *  undated ones; absent: every date. */
  correlationYears?: number;
}

export const defaultScreeningSettings: ScreeningSettings = { partitionSize: 25_000, keep: 20, topK: 10, maxLeads: 5 };

export interface PipelineContext {
  pool: PgPool;
  records: Pick<HubRecords, 'get'>;
  artifacts: Pick<ArtifactStore, 'localPath'>;
  analysis: ScreeningAnalysis;
  settings: ScreeningSettings;
  /** This worker's decoded partitions. */
  cache: PartitionCache;
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

/** What a compare job covers (its `spec`): one candidate pair for full CMC. */
export interface CompareSpec {
  query: { id: string; sha256: string };
  candidate: { id: string; sha256: string };
  screening: { score: number; angleDeg: number };
  /** The candidate's place in the screening (1 = best). */
  rank: number;
}

/** What the correlate job keeps while its children work (its `result` when waiting). */
export interface PlanState {
  summary: PopulationSummary;
  population: PopulationSpec;
  /** Casings screened in all, once the screening is done. */
  screened?: number;
  /** The worker that computed the query's signature, whose analysis threads hold the query scan prepared: its
   *  compare jobs are meant for it (set by the worker, postgres/worker.ts). */
  preparedBy?: string;
}

export type ChildJob = { kind: 'screen'; spec: ScreenSpec } | { kind: 'compare'; spec: CompareSpec };

/** Where a correlation stands after a step: done, or waiting for child jobs (any worker's). */
export type Step =
  { kind: 'done'; leads: NewLead[]; notes: string[] } | { kind: 'waiting'; state: PlanState; children: ChildJob[] };

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

function populationNotes(summary: PopulationSummary, population: PopulationSpec): string[] {
  const notes: string[] = [];
  if (population.dates)
    notes.push(
      `only casings recovered between ${population.dates.from} and ${population.dates.to}, or undated, were screened (the correlation date range)`,
    );
  if (summary.unusable > 0)
    notes.push(
      `${summary.unusable} casing(s) of ${population.calibre} (${population.region.replace('_', ' ')}) from other labs have no usable screening signature (no X3P, unreadable, or not analysed yet) and were not screened`,
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
  if (!x3p)
    return {
      kind: 'done',
      leads: [],
      notes: ['the submission has no X3P topography: the analysis engine compares topographies only'],
    };
  const own = await ownSignature(ctx, record, signal);
  if ('error' in own)
    return { kind: 'done', leads: [], notes: [`the submission's X3P could not be analysed: ${own.error}`] };
  const population = populationOf(record, ctx.analysis.paramsKey, ctx.settings.correlationYears);
  const summary = await summarisePopulation(ctx.pool, population);
  const state: PlanState = { summary, population };
  const windows = await partitionWindows(ctx.pool, population, summary, ctx.settings.partitionSize);
  const specs = windows.map((range) => ({ population, range, query: x3p.sha256, keep: ctx.settings.keep }));
  if (summary.screenable <= ctx.settings.partitionSize) {
    // A small population: screened here, from the same cached partitions the screen jobs use.
    const results: ScreenResult[] = [];
    for (const spec of specs) {
      if (signal.aborted) throw signal.reason;
      results.push(await screenPartition(ctx, spec));
    }
    return compareStep(ctx, record, state, results);
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
 * Every partition is screened: the best of all, as many as get full CMC, become compare jobs (or, when nothing was
 * screened, the correlation is done without leads).
 */
export async function compareStep(
  ctx: PipelineContext,
  record: SubmissionRecord,
  state: PlanState,
  results: ScreenResult[],
): Promise<Step> {
  const screened = results.reduce((n, r) => n + r.screened, 0);
  const best = results
    .flatMap((r) => r.best)
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
    .slice(0, ctx.settings.keep);
  const others = new Map(
    (
      await ctx.pool.query<{ id: string; region: string; sha: string | null }>(
        'SELECT id, region, x3p_sha256 AS sha FROM submissions WHERE id = ANY($1)',
        [best.map((b) => b.id)],
      )
    ).rows.map((r) => [r.id, r]),
  );
  const query = { id: record.id, sha256: x3pOf(record)!.sha256 };
  const children: ChildJob[] = [];
  for (const { id, score, angleDeg } of best) {
    const other = others.get(id);
    if (!other?.sha || other.region !== state.population.region) continue;
    if (children.length === ctx.settings.topK) break;
    storedX3p(ctx.artifacts, id, other.sha); // fails the job now, not one comparison later, when it is missing
    children.push({
      kind: 'compare',
      spec: { query, candidate: { id, sha256: other.sha }, screening: { score, angleDeg }, rank: children.length + 1 },
    });
  }
  const next = { ...state, screened };
  if (children.length === 0) return { kind: 'done', ...finishCorrelation(ctx, next, []) };
  return { kind: 'waiting', state: next, children };
}

/** One candidate pair's full comparison (CMC, calibrated frequency, likelihood ratio), or why it failed. */
export async function comparePair(
  ctx: PipelineContext,
  spec: CompareSpec,
  signal: AbortSignal,
): Promise<RankedCandidate> {
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
  return { ...ranked, screeningRank: spec.rank };
}

/** Every comparison is in: the best become leads, each saying what was screened and compared. */
export function finishCorrelation(
  ctx: PipelineContext,
  state: PlanState,
  compared: RankedCandidate[],
): { leads: NewLead[]; notes: string[] } {
  const notes = populationNotes(state.summary, state.population);
  const screened = state.screened ?? 0;
  const ranked = [...compared.filter((r) => r.cmc).sort(byEvidence), ...compared.filter((r) => !r.cmc)];
  const scored = ranked.filter((r) => r.cmc);
  // The cut: the screening score of the last candidate that got full comparison.
  const cut = Math.min(...ranked.filter((r) => r.cmc || r.error).map((r) => r.screening.score));
  const leads: NewLead[] = [];
  for (const r of ranked) {
    if (r.error) notes.push(`candidate ${r.id} could not be compared: ${r.error.message}`);
    if (!r.cmc || leads.length >= ctx.settings.maxLeads) continue;
    leads.push({
      otherSubmissionId: r.id,
      score: r.cmc.combined,
      scorer: cmcScorerName,
      detail: {
        cmcAb: r.cmc.ab,
        cmcBa: r.cmc.ba,
        screening: r.screening.score,
        ...(r.calibrated ? { calibrated: r.calibrated.statement } : {}),
        screened,
        fullyScored: scored.length,
        cut: Number.isFinite(cut) ? cut : r.screening.score,
        ...(r.lr ? { lr: leadLikelihoodRatio(r.lr) } : {}),
      },
    });
  }
  return { leads, notes };
}
