import { z } from 'zod';
import { defineCall } from './rpc.ts';

// Searching the local database for casings fired by the same firearm, and comparing one pair in detail.
// A search ranks one topography against every candidate in two stages (a screening signature for all, full
// CMC for the top K) and answers with every candidate, what was done to it, and the filters, parameters and
// time: nothing is hidden. Progress reports the stage and its counts; cancelling the call stops it.

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const searchDateFields = ['acquired', 'recovered'] as const;

/** Where a search stands: signatures computed (or read from the cache), the signature's best registered, then
 *  pairs fully scored. */
export const searchStages = ['signatures', 'registration', 'scoring'] as const;
export const searchProgressSchema = z.object({
  stage: z.enum(searchStages),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});
export type SearchProgress = z.infer<typeof searchProgressSchema>;

export const searchFiltersSchema = z
  .object({
    /** Only items of this calibre (exact, case-insensitive); null = any calibre. */
    calibre: z.string().trim().min(1).max(100).nullable().default(null),
    /** Which date the range applies to: when the candidate was acquired, or when its item was recovered. */
    dateField: z.enum(searchDateFields).default('acquired'),
    from: isoDate.nullable().default(null),
    to: isoDate.nullable().default(null),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: 'the start date is after the end date', path: ['to'] });
export type SearchFilters = z.output<typeof searchFiltersSchema>;

export const searchInputSchema = z
  .object({
    /** The acquisition searched for: name it, or name an item and its most recent topography is used. */
    acquisitionId: z.number().int().positive().optional(),
    itemId: z.number().int().positive().optional(),
    filters: searchFiltersSchema.default({ calibre: null, dateField: 'acquired', from: null, to: null }),
    /** How many of the best-screened candidates get full CMC. */
    topK: z.number().int().min(0).max(200).default(20),
  })
  .refine((t) => (t.acquisitionId === undefined) !== (t.itemId === undefined), {
    message: 'name either an acquisition or an item',
    path: ['acquisitionId'],
  });
export type SearchInput = z.input<typeof searchInputSchema>;

/** Where an acquisition sits: its case and item, for lists and links. */
export const acquisitionRefSchema = z.object({
  acquisitionId: z.number().int(),
  itemId: z.number().int(),
  caseId: z.number().int(),
  labCaseNumber: z.string(),
  exhibitNumber: z.string(),
  calibre: z.string().nullable(),
  recoveryDate: z.string().nullable(),
  acquiredAt: z.string(),
  region: z.string(),
  /** Which breech-face area was compared: the scan as stored ('scan': its own validity mask) or the examiner's
   * manual region override ('manual'). Present on search and compare results. */
  regionsUsed: z.enum(['scan', 'manual']).optional(),
});
export type AcquisitionRef = z.infer<typeof acquisitionRefSchema>;

export const calibratedScoreSchema = z.object({
  count: z.number(),
  population: z.string(),
  populationSize: z.number().int(),
  /** Known non-matches of the population with a count at least this high. */
  atLeast: z.number().int(),
  frequency: z.number(),
  upper95: z.number(),
  /** False when the score was made with other parameters than the population (indicative only). */
  comparable: z.boolean(),
  statement: z.string(),
});
export type CalibratedScoreView = z.infer<typeof calibratedScoreSchema>;

/**
 * The likelihood ratio of one comparison (electron/analysis/lr): log10 LR for "same firearm" against "different
 * firearms" under a named model and reference population, with its 90 % interval, clipped to the range the
 * model's validation supports. Shown beside the CMC count and its known-non-match frequency, never instead.
 */
export const likelihoodRatioSchema = z.object({
  log10Lr: z.number(),
  /** 90 % interval of log10 LR over the model's bootstrap refits. */
  interval: z.tuple([z.number(), z.number()]),
  /** The model's value before clipping to its validated range. */
  unclipped: z.number(),
  /** 'upper' / 'lower' when the value was clipped: the validation data support no stronger statement. */
  clipped: z.enum(['upper', 'lower']).nullable(),
  model: z.string(),
  population: z.string(),
  /** False when the comparison used other parameters than the model's training: indicative only. */
  comparable: z.boolean(),
  /** Between the model's strongest validation non-match and weakest validation match: read as inconclusive. */
  betweenClasses: z.boolean().optional(),
  statement: z.string(),
});
export type LikelihoodRatioView = z.infer<typeof likelihoodRatioSchema>;

/**
 * The LR model as the UI explains it: what it was trained on, its validation figures, and the cross-validated
 * log10 LRs of every validation pair (for the Tippett and empirical cross-entropy plots).
 */
export const lrModelSummarySchema = z.object({
  name: z.string(),
  description: z.string(),
  population: z.object({ name: z.string(), description: z.string(), km: z.number(), knm: z.number() }),
  computedAt: z.string(),
  features: z.array(z.string()),
  bounds: z.object({ lower: z.number(), upper: z.number() }),
  validation: z.object({
    method: z.string(),
    cllr: z.number(),
    cllrMin: z.number(),
    misleading: z.object({ km: z.number(), knm: z.number() }),
    km: z.array(z.number()),
    knm: z.array(z.number()),
    /** Tippett curves: at each distinct validation log10 LR t, the share of KM and of KNM pairs with log10 LR ≥ t. */
    tippett: z.array(z.object({ threshold: z.number(), km: z.number(), knm: z.number() })),
    /** Empirical cross-entropy (bits) over prior log10 odds: of the LRs, after PAV (the best the scores allow), of LR = 1. */
    ece: z.array(z.object({ priorLog10Odds: z.number(), ece: z.number(), eceMin: z.number(), neutral: z.number() })),
  }),
});
export type LrModelSummaryView = z.infer<typeof lrModelSummarySchema>;

const cmcCountsSchema = z.object({ ab: z.number(), ba: z.number(), combined: z.number() });
/**
 * Why a search candidate could not be screened or scored, as the screen words it (i18n search.candidateProblem.*):
 * its scan file damaged or unreadable, no valid point, too few points, too large, inconsistent sizes, the file
 * missing, or anything else (the English message, for the logs, says what).
 */
export const candidateProblems = [
  'unreadable',
  'empty_surface',
  'too_few_points',
  'too_large',
  'bad_surface',
  'missing_file',
  'other',
] as const;
export type CandidateProblem = (typeof candidateProblems)[number];

const errorInfoSchema = z.object({
  code: z.string(),
  message: z.string(),
  /** Absent in results stored before it was sent. */
  problem: z.enum(candidateProblems).optional(),
});

export const searchCandidateSchema = acquisitionRefSchema.extend({
  /** 1 = best; fully scored candidates first by combined CMC, then the rest by screening rank. */
  rank: z.number().int(),
  screeningScore: z.number().nullable(),
  screeningRank: z.number().int().nullable(),
  /** The coarse registration's correlation of the candidates the registration check re-ranked (−1…1). */
  registrationScore: z.number().nullable(),
  /** Present when this candidate was fully scored. */
  cmc: cmcCountsSchema.nullable(),
  calibrated: calibratedScoreSchema.nullable(),
  /** The likelihood ratio of a fully scored candidate. */
  lr: likelihoodRatioSchema.nullable(),
  /** Why this candidate could not be screened or scored (unreadable file, too few points…). */
  error: errorInfoSchema.nullable(),
});
export type SearchCandidateView = z.infer<typeof searchCandidateSchema>;

export const searchSkipReasons = ['same_item', 'unsuitable', 'no_topography'] as const;

export const searchResultSchema = z.object({
  query: acquisitionRefSchema,
  /** The filters as applied; `region` is the query's own (a breech face is only compared with breech faces). */
  filters: z.object({
    calibre: z.string().nullable(),
    dateField: z.enum(searchDateFields),
    from: z.string().nullable(),
    to: z.string().nullable(),
    region: z.string(),
  }),
  topK: z.number().int(),
  /** Acquisitions that passed the filters and were candidates. */
  candidates: z.number().int(),
  screened: z.number().int(),
  fullyScored: z.number().int(),
  /**
   * The screening cut, shown to the user: `kept` of `screened` candidates went on to full CMC, and the share of
   * searches expected to lose their mate below that cut under the named reference population (0…1).
   */
  cut: z.object({
    kept: z.number().int(),
    screened: z.number().int(),
    /** The signature's best, re-ranked by their coarse registration before the `kept` were taken. */
    checked: z.number().int(),
    expectedMissRate: z.number().min(0).max(1),
    /** The rate with unseen non-match rates at 0 and at their 95 % upper bound (screeningCut.ts). */
    range: z.object({ low: z.number().min(0).max(1), high: z.number().min(0).max(1) }),
    /** False when the reference cannot say the rate at this many candidates (the range is too wide): shown in words. */
    estimable: z.boolean(),
    reference: z.string(),
  }),
  /** Acquisitions that passed the filters but were left out, with the reason (none is silently dropped). */
  skipped: z.array(z.object({ acquisitionId: z.number().int(), reason: z.enum(searchSkipReasons) })),
  results: z.array(searchCandidateSchema),
  population: z.object({ name: z.string(), size: z.number().int() }),
  parameters: z.object({
    cmc: z.record(z.string(), z.unknown()),
    preprocess: z.record(z.string(), z.unknown()).nullable(),
    screening: z.record(z.string(), z.unknown()),
  }),
  /** Signatures taken from the cache and computed in this search. */
  signatures: z.object({ cached: z.number().int(), computed: z.number().int() }),
  timing: z.object({ signaturesMs: z.number(), screeningMs: z.number(), scoringMs: z.number(), totalMs: z.number() }),
  startedAt: z.string(),
});
export type SearchResultView = z.infer<typeof searchResultSchema>;

const point = z.tuple([z.number(), z.number()]);

export const cellViewSchema = z.object({
  index: z.number().int(),
  col: z.number().int(),
  row: z.number().int(),
  /** The cell on its reference scan: top-left corner and size, working-resolution pixels of that scan. */
  x: z.number(),
  y: z.number(),
  width: z.number(),
  height: z.number(),
  /** Angle (B relative to A, or A relative to B) and shift at which the cell matched best; null when it found no match. */
  thetaDeg: z.number().nullable(),
  dx: z.number().nullable(),
  dy: z.number().nullable(),
  corr: z.number().nullable(),
  congruent: z.boolean(),
  /** Corners in working-resolution pixels of the display frame (A's), on the reference scan and where the cell matched on the target. */
  reference: z.array(point),
  target: z.array(point),
});
export type CellView = z.infer<typeof cellViewSchema>;

export const directionViewSchema = z.object({
  /** 'a' = A's cells searched in B. */
  reference: z.enum(['a', 'b']),
  validCells: z.number().int(),
  cmcCount: z.number(),
  consensus: z.object({ thetaDeg: z.number().nullable(), dx: z.number().nullable(), dy: z.number().nullable() }),
  cells: z.array(cellViewSchema),
});

/** A scan downsampled for display: Float32 heights in µm (little-endian bytes), NaN = no data. */
export const surfaceViewSchema = z.object({
  width: z.number().int(),
  height: z.number().int(),
  /** Working-resolution pixels per display pixel. */
  factor: z.number().int(),
  pixelUm: z.number(),
  heights: z.instanceof(Uint8Array),
});
export type SurfaceView = z.infer<typeof surfaceViewSchema>;

/** Largest side of the surfaces compare.run sends for display. */
export const maxViewSide = 512;

export const compareResultSchema = z.object({
  a: acquisitionRefSchema,
  b: acquisitionRefSchema,
  cmc: cmcCountsSchema,
  calibrated: calibratedScoreSchema,
  lr: likelihoodRatioSchema,
  registration: z.object({ thetaDeg: z.number(), tx: z.number(), ty: z.number(), score: z.number() }),
  directions: z.tuple([directionViewSchema, directionViewSchema]),
  /** Working pixel size, µm, and the working-resolution size of A (the display frame). */
  pixelUm: z.number(),
  frame: z.object({ width: z.number().int(), height: z.number().int() }),
  /** A as measured and B registered onto A's frame, downsampled to at most maxViewSide. */
  surfaces: z.object({ a: surfaceViewSchema, b: surfaceViewSchema }),
  parameters: z.object({
    cmc: z.record(z.string(), z.unknown()),
    preprocess: z.record(z.string(), z.unknown()).nullable(),
  }),
  timing: z.object({ registrationMs: z.number(), fineMs: z.number(), totalMs: z.number() }),
});
export type CompareResultView = z.infer<typeof compareResultSchema>;

export const analysisCalls = {
  /**
   * Acquisitions with a topography that can be searched for or compared, optionally of one item or case; with
   * `withImages`, also those with 2D pictures only (the comparison workspace compares those too).
   */
  'search.sources': defineCall({
    permission: 'comparison.run',
    input: z.object({
      itemId: z.number().int().positive().optional(),
      caseId: z.number().int().positive().optional(),
      withImages: z.boolean().optional(),
    }),
    output: z.array(acquisitionRefSchema.extend({ unsuitableReason: z.string().nullable(), topography: z.boolean() })),
  }),
  /** Ranks every candidate in the local database against one topography (audited). Cancellable, with progress. */
  'search.run': defineCall({
    permission: 'comparison.run',
    input: searchInputSchema,
    output: searchResultSchema,
    progress: searchProgressSchema,
  }),
  /** The likelihood-ratio model: training population, validation figures and curves (for explaining an LR). */
  'analysis.lrModel': defineCall({ permission: 'comparison.run', input: z.object({}), output: lrModelSummarySchema }),
  /** Full CMC of one pair with per-cell detail and both surfaces for display (audited). Cancellable. */
  'compare.run': defineCall({
    permission: 'comparison.run',
    input: z
      .object({ a: z.number().int().positive(), b: z.number().int().positive() })
      .refine((p) => p.a !== p.b, { message: 'compare two different acquisitions', path: ['b'] }),
    output: compareResultSchema,
  }),
};
