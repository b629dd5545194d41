// Search and pair comparison over the local database. Candidates come from the acquisitions table (their X3P
// topographies are evidence files, read in place and never modified); the heavy work runs in the analysis worker
// pool so the host's thread stays free for other calls. Screening signatures are cached by topography hash, so a
// second search only computes what is new. Every search and comparison is audited: who compared what, with which
// filters, and what came out.
import { availableParallelism } from 'node:os';
import { AppError, isAppError, notFound } from '../../../contract/errors.ts';
import type { Session } from '../../../contract/auth.ts';
import type {
  analysisCalls,
  CompareResultView,
  SearchFilters,
  SearchResultView,
  SearchCandidateView,
} from '../../../contract/analysis.ts';
import { maxViewSide, type CandidateProblem, type SearchProgress } from '../../../contract/analysis.ts';
import type { X3PErrorCode } from '../../../analysis/x3p/index.ts';
import type { CallContext, CallHandlers } from '../../rpc/handlers.ts';
import type { Db } from '../../storage/database.ts';
import type { Actor, AuditRepo } from '../../storage/repos/auditRepo.ts';
import { SearchRepo, type SearchSource } from '../../storage/repos/searchRepo.ts';
import type { EvidenceStore } from '../evidenceStore.ts';
import { createAnalysisPool, type AnalysisPool } from '../../../analysis/pool/pool.ts';
import { defaultRegistrationCheck, searchCandidates, type SearchCandidate } from '../../../analysis/search.ts';
import { cmcPreprocessDefaults, resolveCmcParams } from '../../../analysis/cmc/params.ts';
import { resolvePreprocessParams } from '../../../analysis/preprocess.ts';
import { screeningDefaults, type ScreeningSignature } from '../../../analysis/screening.ts';
import { encodeSignatureFile, screeningParamsKey } from '../../../analysis/signatureFile.ts';
import {
  calibrateFor,
  fadulKnmPopulation,
  fadulLrModel,
  fadulScreeningReference,
  fadulRegistrationReference,
  likelihoodRatioFor,
} from '../../../analysis/reference/index.ts';
import { checkedScreeningCut } from '../../../analysis/screeningCut.ts';
import { cellOverlays } from '../../../analysis/cmc/overlay.ts';
import { lrModelSummary, lrView, toCompareView } from './views.ts';
import { regionsSchema, type Regions } from '../../../contract/acquisitions.ts';

export interface SearchServiceOptions {
  /** Worker threads (default: cores, at most 4). */
  poolSize?: number;
  workerUrl?: URL;
  now?: () => Date;
}

const progressShare = { signatures: 0.3, registration: 0.2, scoring: 0.5 };

/** The X3P reader's refusals (the analysis worker sends them as details.reason): the scan file cannot be read. */
const unreadableScan: Record<X3PErrorCode, true> = {
  'bad-zip': true,
  'unsafe-path': true,
  'missing-member': true,
  'bad-xml': true,
  checksum: true,
  size: true,
  limits: true,
  'no-data': true,
  unsupported: true,
};

/** A candidate's failure as the screen shows it: the problem it words, with the English message for the logs. */
export function candidateError(error: { code: string; message: string; details?: unknown }): {
  code: string;
  message: string;
  problem: CandidateProblem;
} {
  const reason = (error.details as { reason?: unknown } | undefined)?.reason;
  const problem: CandidateProblem =
    error.code === 'not_found'
      ? 'missing_file'
      : reason === 'empty_surface' || reason === 'too_few_points' || reason === 'too_large' || reason === 'bad_surface'
        ? reason
        : typeof reason === 'string' && Object.hasOwn(unreadableScan, reason)
          ? 'unreadable'
          : 'other';
  return { code: error.code, message: error.message, problem };
}

export class SearchService {
  readonly repo: SearchRepo;
  private readonly db: Db;
  private readonly audit: AuditRepo;
  private readonly evidence: EvidenceStore;
  private readonly options: SearchServiceOptions;
  private pool: AnalysisPool | undefined;

  constructor(db: Db, audit: AuditRepo, evidence: EvidenceStore, options: SearchServiceOptions = {}) {
    this.db = db;
    this.audit = audit;
    this.evidence = evidence;
    this.options = options;
    this.repo = new SearchRepo(db);
  }

  /** Worker threads start on the first search, not with the host. */
  private analysisPool(): AnalysisPool {
    this.pool ??= createAnalysisPool({
      size: this.options.poolSize ?? Math.min(4, availableParallelism()),
      workerUrl: this.options.workerUrl,
    });
    return this.pool;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private source(acquisitionId: number): SearchSource & { topographySha256: string } {
    const source = this.repo.acquisition(acquisitionId);
    if (!source) throw notFound('acquisition', `acquisition ${acquisitionId} does not exist`, { id: acquisitionId });
    if (!source.topographySha256)
      throw new AppError('invalid_input', `acquisition ${acquisitionId} has no topography (X3P) to compare`, {
        reason: 'no_topography',
      });
    return source as SearchSource & { topographySha256: string };
  }

  /** The file to compare, with the examiner's region override when there is one (its breech-face annulus masks the scan). */
  private ref(source: SearchSource & { topographySha256: string }): { path: string; regions?: Regions } {
    const regions = overrideOf(source);
    return regions
      ? { path: this.evidence.pathOf(source.topographySha256), regions }
      : { path: this.evidence.pathOf(source.topographySha256) };
  }

  async search(
    actor: Actor,
    input: { acquisitionId?: number; itemId?: number; filters: SearchFilters; topK: number },
    ctx: Pick<CallContext<SearchProgress>, 'signal' | 'progress'>,
  ): Promise<SearchResultView> {
    const started = this.now();
    const t0 = performance.now();
    let query: SearchSource & { topographySha256: string };
    if (input.itemId !== undefined) {
      if (!this.repo.itemExists(input.itemId))
        throw notFound('item', `item ${input.itemId} does not exist`, { id: input.itemId });
      const latest = this.repo.latestTopographyOfItem(input.itemId);
      if (!latest)
        throw new AppError('invalid_input', `item ${input.itemId} has no acquisition with a topography to search for`, {
          reason: 'no_topography',
        });
      query = this.source(latest.acquisitionId);
    } else query = this.source(input.acquisitionId!);
    if (query.unsuitableReason) {
      throw new AppError(
        'invalid_input',
        `acquisition ${query.acquisitionId} was marked unsuitable for comparison: ${query.unsuitableReason}`,
        { reason: 'unsuitable' },
      );
    }

    // Every acquisition passing the filters is either a candidate or listed as skipped with its reason.
    const skipped: SearchResultView['skipped'] = [];
    const candidates: (SearchSource & { topographySha256: string })[] = [];
    for (const c of this.repo.candidates(query.region, input.filters)) {
      if (c.acquisitionId === query.acquisitionId) continue;
      if (c.itemId === query.itemId) skipped.push({ acquisitionId: c.acquisitionId, reason: 'same_item' });
      else if (!c.topographySha256) skipped.push({ acquisitionId: c.acquisitionId, reason: 'no_topography' });
      else if (c.unsuitableReason) skipped.push({ acquisitionId: c.acquisitionId, reason: 'unsuitable' });
      else candidates.push(c as SearchSource & { topographySha256: string });
    }

    const pool = this.analysisPool();
    const report = (stage: SearchProgress['stage'], done: number, total: number) => {
      const base =
        stage === 'signatures'
          ? 0
          : stage === 'registration'
            ? progressShare.signatures
            : progressShare.signatures + progressShare.registration;
      ctx.progress(base + progressShare[stage] * (total ? done / total : 1), { stage, done, total });
    };

    // Stage 0: signatures from the cache, the missing ones from the workers (a failing file fails only its candidate).
    // Keyed by scan: the topography hash, or hash + acquisition when an override masks it (those are not cached,
    // since the cache holds signatures of whole stored scans).
    const sources = new Map([query, ...candidates].map((c) => [scanKey(c), c]));
    const signatures = this.repo.signatures(
      screeningParamsKey,
      [...sources.keys()].filter((k) => !k.includes('#')),
    ) as Map<string, ScreeningSignature>;
    const cachedCount = signatures.size;
    const missing = [...sources.keys()].filter((h) => !signatures.has(h));
    const failures = new Map<string, { code: string; message: string; details?: unknown }>();
    const computed = new Map<string, ScreeningSignature>();
    let done = 0;
    const signaturesStarted = performance.now();
    report('signatures', 0, missing.length);
    // allSettled: on a cancel every job has stopped before the computed ones are stored and the error goes out.
    await Promise.allSettled(
      missing.map(async (hash) => {
        try {
          const { signature } = await pool.signature(this.ref(sources.get(hash)!), {
            preprocess: { ...cmcPreprocessDefaults },
            signal: ctx.signal,
          });
          computed.set(hash, signature);
          signatures.set(hash, signature);
        } catch (error) {
          const e = isAppError(error) ? error : new AppError('internal', String(error));
          failures.set(hash, { code: e.code, message: e.message, details: e.details });
        }
        report('signatures', ++done, missing.length);
      }),
    );
    const cacheable = new Map([...computed].filter(([k]) => !k.includes('#')));
    if (cacheable.size) this.repo.saveSignatures(screeningParamsKey, cacheable, this.now().toISOString());
    if (ctx.signal.aborted) {
      this.finish(actor, query, input, { outcome: 'canceled' }, computed);
      throw new AppError('canceled', `search canceled after ${done} of ${missing.length} signatures`);
    }
    const signaturesMs = performance.now() - signaturesStarted;
    const queryFailure = failures.get(scanKey(query));
    if (queryFailure)
      throw new AppError('invalid_input', `acquisition ${query.acquisitionId}: ${queryFailure.message}`, {
        reason: 'query_unreadable',
        code: queryFailure.code,
      });

    // Stages 1 and 2 in the engine: screen everyone, full CMC for the top K.
    const searchable: SearchCandidate[] = candidates
      .filter((c) => signatures.has(scanKey(c)))
      .map((c) => ({ id: String(c.acquisitionId), ref: this.ref(c), signature: signatures.get(scanKey(c)) }));
    let outcome;
    try {
      outcome = await searchCandidates(
        pool,
        { id: String(query.acquisitionId), ref: this.ref(query), signature: signatures.get(scanKey(query)) },
        searchable,
        {
          topK: input.topK,
          registrationCheck: defaultRegistrationCheck(input.topK),
          signal: ctx.signal,
          onProgress: (p) => p.stage !== 'signatures' && report(p.stage, p.done, p.total),
        },
      );
    } catch (error) {
      if (isAppError(error, 'canceled')) this.finish(actor, query, input, { outcome: 'canceled' }, computed);
      throw error;
    }

    const byId = new Map(candidates.map((c) => [String(c.acquisitionId), c]));
    const results: SearchCandidateView[] = outcome.ranked.map((r, i) => {
      const c = byId.get(r.id)!;
      return {
        ...publicRef(c),
        rank: i + 1,
        screeningScore: r.screening.score,
        screeningRank: r.screeningRank,
        registrationScore: r.registration?.score ?? null,
        cmc: r.cmc ?? null,
        calibrated: r.calibrated ?? null,
        lr: r.lr ? lrView(r.lr) : null,
        error: r.error ? candidateError(r.error) : null,
      };
    });
    for (const c of candidates) {
      const failure = failures.get(scanKey(c));
      if (failure)
        results.push({
          ...publicRef(c),
          rank: results.length + 1,
          screeningScore: null,
          screeningRank: null,
          registrationScore: null,
          cmc: null,
          calibrated: null,
          lr: null,
          error: candidateError(failure),
        });
    }

    const result: SearchResultView = {
      query: publicRef(query),
      filters: { ...input.filters, region: query.region },
      topK: input.topK,
      candidates: candidates.length,
      screened: outcome.screened,
      fullyScored: outcome.fullyScored,
      cut: checkedScreeningCut(
        input.topK,
        outcome.checked,
        outcome.screened,
        fadulScreeningReference,
        fadulRegistrationReference,
      ),
      skipped,
      results,
      population: { name: fadulKnmPopulation.name, size: fadulKnmPopulation.counts.length },
      parameters: {
        cmc: resolveCmcParams({}),
        preprocess: resolvePreprocessParams({ ...cmcPreprocessDefaults }),
        screening: { ...screeningDefaults },
      },
      signatures: { cached: cachedCount, computed: computed.size },
      // The engine's own signature stage found every signature given; the time spent making them is ours.
      timing: { ...outcome.timing, signaturesMs, totalMs: performance.now() - t0 },
      startedAt: started.toISOString(),
    };
    this.finish(
      actor,
      query,
      input,
      {
        outcome: 'done',
        candidates: result.candidates,
        screened: result.screened,
        fullyScored: result.fullyScored,
        skipped: skipped.length,
        failed: failures.size,
        top: results
          .filter((r) => r.cmc)
          .slice(0, 10)
          .map((r) => ({ acquisitionId: r.acquisitionId, cmc: r.cmc!.combined, log10Lr: r.lr?.log10Lr ?? null })),
        manualRegions: results.filter((r) => r.regionsUsed === 'manual').map((r) => r.acquisitionId),
      },
      computed,
    );
    return result;
  }

  /** The audit entry of a search, finished or canceled. */
  private finish(
    actor: Actor,
    query: SearchSource,
    input: { filters: SearchFilters; topK: number },
    after: Record<string, unknown>,
    computed: Map<string, unknown>,
  ): void {
    this.db.transaction(() => {
      this.audit.append(
        actor,
        {
          action: 'search.run',
          entityType: 'acquisition',
          entityId: query.acquisitionId,
          caseId: query.caseId,
          after: {
            filters: { ...input.filters, region: query.region },
            topK: input.topK,
            signaturesComputed: computed.size,
            ...after,
            regionsUsed: publicRef(query).regionsUsed,
          },
        },
        this.now().toISOString(),
      );
    })();
  }

  async compare(
    actor: Actor,
    input: { a: number; b: number },
    ctx: Pick<CallContext, 'signal'>,
  ): Promise<CompareResultView> {
    const a = this.source(input.a);
    const b = this.source(input.b);
    const preprocess = { ...cmcPreprocessDefaults };
    const output = await this.analysisPool().compare(this.ref(a), this.ref(b), {
      preprocess,
      signal: ctx.signal,
      view: { maxSide: maxViewSide },
    });
    const { result } = output;
    const calibrated = calibrateFor(result, preprocess);
    const overlays = cellOverlays(result, output.sizes.a, output.sizes.b);
    this.db.transaction(() => {
      this.audit.append(
        actor,
        {
          action: 'compare.run',
          entityType: 'acquisition',
          entityId: a.acquisitionId,
          caseId: a.caseId,
          after: {
            a: a.acquisitionId,
            b: b.acquisitionId,
            bCaseId: b.caseId,
            regionsUsed: { a: publicRef(a).regionsUsed, b: publicRef(b).regionsUsed },
            cmc: result.cmc,
            log10Lr: likelihoodRatioFor(result, preprocess).log10Lr,
            registration: {
              thetaDeg: result.registration.thetaDeg,
              tx: result.registration.tx,
              ty: result.registration.ty,
            },
          },
        },
        this.now().toISOString(),
      );
    })();
    return toCompareView({
      a: publicRef(a),
      b: publicRef(b),
      output,
      overlays,
      calibrated,
      preprocess: resolvePreprocessParams(preprocess),
    });
  }

  /**
   * The screening signature of a stored topography as a file (what the station sends to the network as its
   * casing's features): from the cache, else computed and cached. Of the whole scan, as the hub computes its own.
   */
  async signatureFile(topographySha256: string, signal?: AbortSignal): Promise<Buffer> {
    let signature = this.repo.signatures(screeningParamsKey, [topographySha256]).get(topographySha256) as
      ScreeningSignature | undefined;
    if (!signature) {
      ({ signature } = await this.analysisPool().signature(
        { path: this.evidence.pathOf(topographySha256) },
        { preprocess: { ...cmcPreprocessDefaults }, signal },
      ));
      this.repo.saveSignatures(screeningParamsKey, new Map([[topographySha256, signature]]), this.now().toISOString());
    }
    return encodeSignatureFile({ topographySha256, paramsKey: screeningParamsKey, signature });
  }

  handlers(): CallHandlers<typeof analysisCalls> {
    const actor = (s: Session | null) => ({ userId: s!.user.id, username: s!.user.username });
    return {
      'search.sources': (input) => {
        // An item that does not exist is not an item without acquisitions: the search page says "not found".
        if (input.itemId !== undefined && !this.repo.itemExists(input.itemId))
          throw new AppError('not_found', `item ${input.itemId} does not exist`);
        return this.repo.sources(input).map((s) => ({
          ...publicRef(s),
          unsuitableReason: s.unsuitableReason,
          topography: s.topographySha256 !== null,
        }));
      },
      'search.run': (input, ctx) => this.search(actor(ctx.session), input, ctx),
      'compare.run': (input, ctx) => this.compare(actor(ctx.session), input, ctx),
      'analysis.lrModel': () => lrModelSummary(fadulLrModel),
    };
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }
}

/** A valid stored override, or undefined (one written before the schema changed is ignored, not trusted). */
function overrideOf(s: SearchSource): Regions | undefined {
  if (s.regionsOverride === null) return undefined;
  const parsed = regionsSchema.safeParse(s.regionsOverride);
  return parsed.success ? parsed.data : undefined;
}

function scanKey(s: SearchSource & { topographySha256: string }): string {
  return overrideOf(s) ? `${s.topographySha256}#${s.acquisitionId}` : s.topographySha256;
}

function publicRef(s: SearchSource) {
  return {
    regionsUsed: overrideOf(s) ? ('manual' as const) : ('scan' as const),
    acquisitionId: s.acquisitionId,
    itemId: s.itemId,
    caseId: s.caseId,
    labCaseNumber: s.labCaseNumber,
    exhibitNumber: s.exhibitNumber,
    calibre: s.calibre,
    recoveryDate: s.recoveryDate,
    acquiredAt: s.acquiredAt,
    region: s.region,
  };
}

/** Wires the search into a host: its calls. Close it with the host (workers stop). */
export function attachSearch(
  host: { db: Db; audit: AuditRepo; evidence: EvidenceStore; implement(h: object): void },
  options: SearchServiceOptions = {},
): SearchService {
  const service = new SearchService(host.db, host.audit, host.evidence, options);
  host.implement(service.handlers());
  return service;
}
