// Correlation at network scale, in three steps a worker runs as jobs (postgres/worker.ts):
//  1. plan: the submission's own screening signature, computed once from its X3P and stored (by the X3P's hash);
//     the population it is screened against; screened at once when small, else cut into partitions;
//  2. screen: one partition of the population against the submission's signature (any worker, in parallel);
//  3. finish: the best-screened of all partitions get full CMC (with calibrated frequency and likelihood ratio) and
//     the best become leads, each saying how many casings were screened and where the cut for full CMC fell.
import { manifestRegion } from '../../protocol.ts';
import type { PgPool } from '../postgres/connect.ts';
import type { ArtifactStore, HubRecords, NewLead, SubmissionRecord } from '../storage.ts';
import { checkStored } from '../correlation.ts';
import { cmcScorerName, leadLikelihoodRatio } from '../scorer.ts';
import type { ScreeningAnalysis } from './analysis.ts';
import { ScreeningIndex } from '../../../analysis/index.ts';
import {
  loadPartition,
  partitionRanges,
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
}

/** What the correlate job keeps while its partitions are screened (its `result` when waiting). */
export interface PlanState {
  summary: PopulationSummary;
  population: PopulationSpec;
}

export type Plan =
  | { kind: 'done'; leads: NewLead[]; notes: string[] }
  | { kind: 'partitioned'; state: PlanState; children: ScreenSpec[] };

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
): Promise<Plan> {
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
  if (summary.screenable <= ctx.settings.partitionSize) {
    const result =
      summary.screenable === 0
        ? { screened: 0, best: [] }
        : await screenPartition(
            ctx,
            { population, range: { lo: summary.minN, hi: summary.maxN }, query: x3p.sha256, keep: ctx.settings.keep },
            signal,
          );
    return { kind: 'done', ...(await finishCorrelation(ctx, record, state, [result], signal)) };
  }
  const ranges = await partitionRanges(
    ctx.pool,
    population,
    Math.ceil(summary.screenable / ctx.settings.partitionSize),
  );
  return {
    kind: 'partitioned',
    state,
    children: ranges.map((range) => ({ population, range, query: x3p.sha256, keep: ctx.settings.keep })),
  };
}

export async function screenPartition(
  ctx: PipelineContext,
  spec: ScreenSpec,
  signal: AbortSignal,
): Promise<ScreenResult> {
  const query = await storedSignature(ctx.pool, spec.query, spec.population.paramsKey);
  if (!query || !('encoding' in query)) throw new Error(`no stored screening signature of ${spec.query}`);
  const rows = await loadPartition(ctx.pool, spec.population, spec.range);
  if (signal.aborted) throw signal.reason;
  const index = new ScreeningIndex({ capacity: rows.length });
  for (const row of rows) {
    try {
      index.addEncoded(row.id, row.encoding);
    } catch {
      // Bytes that are not an encoding of this engine's shape: not screened (the count says how many were).
    }
  }
  const result = index.query(query.encoding, { limit: spec.keep });
  return { screened: result.scanned, best: result.ranked };
}

/** The best of every partition get full comparison; the best of those become leads. */
export async function finishCorrelation(
  ctx: PipelineContext,
  record: SubmissionRecord,
  state: PlanState,
  results: ScreenResult[],
  signal: AbortSignal,
): Promise<{ leads: NewLead[]; notes: string[] }> {
  const notes = populationNotes(state.summary, state.population);
  const screened = results.reduce((n, r) => n + r.screened, 0);
  const best = results
    .flatMap((r) => r.best)
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
    .slice(0, ctx.settings.keep);
  if (best.length === 0) return { leads: [], notes };
  const candidates = [];
  for (const { id, score, angleDeg } of best) {
    const other = await ctx.records.get(id);
    if (!other || manifestRegion(other.manifest) !== state.population.region) continue;
    checkStored(ctx.artifacts, other);
    const otherSha = x3pOf(other)!.sha256;
    candidates.push({ id, path: ctx.artifacts.localPath(otherSha)!, screening: { score, angleDeg } });
  }
  const sha = x3pOf(record)!.sha256;
  const ranked = await ctx.analysis.score(
    { id: record.id, path: ctx.artifacts.localPath(sha)! },
    candidates,
    ctx.settings.topK,
    signal,
  );
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
