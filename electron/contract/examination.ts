import { z } from 'zod';
import { defineCall, defineEvent } from './rpc.ts';
import { acquisitionRegions, bytesSchema } from './acquisitions.ts';
import { compareResultSchema, surfaceViewSchema } from './analysis.ts';
import { roles } from './auth.ts';

// The examination workspace: a comparison of two acquisitions taken to a documented conclusion (AFTE range of
// conclusions), with annotations, snapshots, verification under the lab's policy, hits that link cases, and a
// testing mode. Every record is written once or amended with a reason (the original is kept, ISO/IEC 17025
// 7.5.2), and every change is audited in the same transaction.
//
// Who sees what is decided in the host, never in the UI: a blind verifier is served the two acquisitions and
// their own work only; the first examiner's conclusion, annotations and snapshots are withheld from every call
// (this domain, the case's audit history, exports) until the verifier has recorded a conclusion. A test set's
// ground truth never leaves the host except to a manager, and its pairs are named neutrally.
//
// Images and heights are NOT served here: the workspace reads them with `acquisitions.preview` (heights as float32
// or 8-bit images up to 2048 px a side) and `acquisitions.fileContent` (the stored bytes), naming the acquisition
// ids and file roles this domain lists. The pair's CMC comparison is `examinations.analyze` (the analysis
// contract's compare.run, recorded on the comparison so a conclusion can name the score it showed).

export const afteConclusions = [
  'identification',
  'inconclusive_a', // some agreement of individual characteristics, insufficient for an identification
  'inconclusive_b', // no sufficient agreement or disagreement
  'inconclusive_c', // some disagreement, insufficient for an elimination
  'elimination',
  'unsuitable',
] as const;
export type AfteConclusion = (typeof afteConclusions)[number];

export const comparisonSides = ['a', 'b'] as const;
export type ComparisonSide = (typeof comparisonSides)[number];
export const annotationLayers = ['similar', 'dissimilar', 'subclass'] as const;
export type AnnotationLayer = (typeof annotationLayers)[number];

/** Where a comparison was opened from (kept on the record; a hit's network origin is derived from the data). */
export const comparisonOrigins = ['search', 'lead', 'item', 'case', 'worklist', 'manual'] as const;

/**
 * open: no conclusion yet · concluded: an examiner's conclusion that the policy does not send to verification ·
 * awaiting_verification: a verifier is to record an independent conclusion · disputed: the verifier disagreed, a
 * manager assigns an arbiter whose conclusion is final · verified: agreement, or the arbiter's conclusion.
 */
export const comparisonStates = ['open', 'concluded', 'awaiting_verification', 'disputed', 'verified'] as const;
/** Why a user cannot record a conclusion now: a code the UI words in the user's language (`who` names the person). */
export const cannotConcludeCodes = [
  'test_other_participant',
  'test_closed',
  'test_concluded',
  'own_conclusion',
  'being_verified',
  'awaiting_verifier',
  'being_arbitrated',
  'awaiting_arbiter',
  'concluded_by_another',
] as const;
export type CannotConcludeCode = (typeof cannotConcludeCodes)[number];
/** Why a user may not verify or arbitrate a comparison: a code the UI words in the manager's language. */
export const ineligibleCodes = [
  'no_user',
  'disabled',
  'no_conclusions',
  'is_examiner',
  'worked_first',
  'is_verifier',
  'saw_first',
] as const;
export type IneligibleCode = (typeof ineligibleCodes)[number];
export type ComparisonState = (typeof comparisonStates)[number];

/** Whose conclusion a conclusion record is. */
export const conclusionRoles = ['examination', 'verification', 'arbitration'] as const;
export type ConclusionRole = (typeof conclusionRoles)[number];

export const verificationStates = [
  'unassigned', // waiting for a manager to assign a verifier, or an eligible examiner to claim it
  'assigned', // the verifier is to record a conclusion
  'agreed', // closed: same conclusion
  'disputed', // different conclusion: waiting for a manager to assign an arbiter
  'arbitrating', // the arbiter is to record a conclusion
  'arbitrated', // closed: the arbiter's conclusion is final
  'canceled', // the examiner amended the conclusion to one the policy does not verify
] as const;
export type VerificationState = (typeof verificationStates)[number];

// ---- limits (the host refuses anything beyond them) ------------------------------------------------------------

/** Largest snapshot PNG the host stores. */
export const maxSnapshotBytes = 48 * 1024 * 1024;
/** Largest side and pixel count of a snapshot (e.g. 8192 × 4096 for a wide side-by-side view). */
export const maxSnapshotSide = 8192;
export const maxSnapshotPixels = 8192 * 4096;
export const maxAnnotationPoints = 20_000;

// ---- shared pieces ---------------------------------------------------------------------------------------------

const finite = z.number().finite();
const id = z.number().int().positive();
const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`);
const requiredText = (max: number) => text(max).min(1, 'required');
/** Why an amendment was made: required, because it changes a record someone may already rely on. */
const reasonText = requiredText(500);
/** A file role of an acquisition ('topography', 'ring', 'light:<device>/<channel>', ...). */
const roleText = z.string().min(1).max(100);

export const personSchema = z.object({ userId: z.number().int(), username: z.string(), displayName: z.string() });
export type Person = z.infer<typeof personSchema>;

/** A point in the pixel grid of one file of one acquisition: x to the right, y down, (0, 0) = top-left corner. */
export const pointSchema = z.tuple([finite, finite]);

/** The view of one side: which file is shown, where its centre is (file pixels), magnification and rotation. */
export const sideViewSchema = z.object({
  /** The file shown on this side: 'topography' or a 2D image role. */
  source: roleText,
  centerX: finite,
  centerY: finite,
  /** Screen pixels per file pixel. */
  zoom: z.number().positive().max(1000),
  rotationDeg: finite,
  mirrored: z.boolean().default(false),
});

/**
 * Everything needed to draw the workspace again as it was (stored with snapshots and annotations so a report can
 * reproduce the picture). `extra` carries settings the UI adds before this schema names them (bounded).
 */
export const viewStateSchema = z.object({
  layout: z.enum(['side_by_side', 'split', 'blend', 'difference', 'checkerboard']),
  /** Split line position across the merged field, 0 = left edge, 1 = right edge. */
  split: z.number().min(0).max(1).default(0.5),
  blend: z.number().min(0).max(1).default(0.5),
  checkerSizePx: z.number().int().min(2).max(4096).default(64),
  /** Pan, zoom and rotation move both sides together when locked. */
  locked: z.boolean(),
  a: sideViewSchema,
  b: sideViewSchema,
  /** B relative to A: rotation about A's centre and shift in micrometres; where it came from. */
  alignment: z.object({
    rotationDeg: finite,
    dxUm: finite,
    dyUm: finite,
    from: z.enum(['none', 'auto', 'manual']),
    analysisId: id.nullable().default(null),
  }),
  light: z.object({ azimuthDeg: z.number().min(-360).max(360), elevationDeg: z.number().min(0).max(90) }),
  reliefExaggeration: z.number().min(0).max(100).default(1),
  falseColour: z.boolean().default(false),
  enhancedContrast: z.boolean().default(false),
  cmcCells: z.boolean().default(false),
  /** Line profiles drawn across both surfaces: end points in each side's file pixels. */
  profiles: z
    .array(z.object({ a: z.tuple([pointSchema, pointSchema]), b: z.tuple([pointSchema, pointSchema]) }))
    .max(16)
    .default([]),
  /** Size of the drawn view, pixels. */
  viewport: z.object({ width: z.number().int().min(1).max(16384), height: z.number().int().min(1).max(16384) }),
  extra: z
    .record(z.string().max(60), z.union([finite, z.string().max(200), z.boolean()]))
    .refine((r) => Object.keys(r).length <= 32, 'at most 32 extra settings')
    .default({}),
});
export type ViewState = z.output<typeof viewStateSchema>;
export type ViewStateInput = z.input<typeof viewStateSchema>;

// ---- the comparison ----------------------------------------------------------------------------------------------

/** A 2D picture of an acquisition the workspace can show (any light of the capture, or an imported image). */
export const comparisonImageSchema = z.object({
  role: z.string(),
  sha256: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  /** 'light' for pictures under one light, 'composite' for ring/coaxial/original, 'calibration' for dark/flat frames. */
  kind: z.enum(['light', 'composite', 'calibration']),
});

export const comparisonSideSchema = z.object({
  side: z.enum(comparisonSides),
  acquisitionId: z.number().int(),
  /** How the UI names this side (caption, snapshot): "case / exhibit", or a neutral name in testing mode. */
  label: z.string(),
  /** Null in testing mode (the names could give the ground truth away). */
  caseId: z.number().int().nullable(),
  itemId: z.number().int().nullable(),
  labCaseNumber: z.string().nullable(),
  exhibitNumber: z.string().nullable(),
  calibre: z.string().nullable(),
  region: z.enum(acquisitionRegions),
  acquiredAt: z.string(),
  /** Lateral pixel size of the acquisition (its topography, and a capture's images, which share the camera grid);
   * null when unknown (an imported 2D picture): no scale bar on that side. */
  pixelUm: z.number().nullable(),
  /** The X3P topography, when the acquisition has one (sizes null for records made before they were kept). */
  topography: z
    .object({ sha256: z.string(), width: z.number().int().nullable(), height: z.number().int().nullable() })
    .nullable(),
  images: z.array(comparisonImageSchema),
  /** The examiner's "unsuitable" judgement on the acquisition (only an Unsuitable conclusion can then be recorded). */
  unsuitableReason: z.string().nullable(),
});
export type ComparisonSideView = z.infer<typeof comparisonSideSchema>;

/**
 * The pair's CMC comparison as recorded on the comparison: registration for auto-align and the cells. Same
 * conventions as compare.run: `registration` maps B onto A, A(p) ≈ B_θ(p + t) (B rotated by θ about its centre,
 * then shifted by t), in working-resolution pixels of `pixelUm` µm; `frame` is A's working size; cells as in
 * compare.run (electron/analysis/cmc/overlay.ts). The workspace converts to micrometres for `viewState.alignment`.
 */
export const storedAnalysisSchema = compareResultSchema
  .omit({ surfaces: true, a: true, b: true, timing: true })
  .extend({
    id: z.number().int(),
    comparisonId: z.number().int(),
    /** Which engine made it: name and the station's version, for the technical record. */
    algorithm: z.object({ name: z.string(), version: z.string() }),
    /** Topography hashes the score was computed from (A, B). */
    inputs: z.object({ a: z.string(), b: z.string() }),
    ranAt: z.string(),
    ranBy: z.string(),
  });
export type StoredAnalysis = z.infer<typeof storedAnalysisSchema>;

/** A user's standing in a comparison, as the host decided it (the UI shows, the host enforces). */
export const comparisonAccessSchema = z.object({
  role: z.enum(['examiner', 'verifier', 'arbiter', 'participant', 'reviewer']),
  /** True while this user is a blind verifier who has not yet recorded a conclusion: the first examination is withheld. */
  blind: z.boolean(),
  /** What this user may record now, with the reason when not. */
  canConclude: z.boolean(),
  cannotConcludeReason: z.string().nullable(),
  /** The same reason as a code (and the person it names), for words in the user's language. */
  cannotConclude: z.object({ code: z.enum(cannotConcludeCodes), who: z.string().nullable() }).nullable(),
  canAnnotate: z.boolean(),
});

export const comparisonSummarySchema = z.object({
  id: z.number().int(),
  state: z.enum(comparisonStates),
  origin: z.enum(comparisonOrigins),
  a: comparisonSideSchema.pick({ acquisitionId: true, label: true, caseId: true, itemId: true }),
  b: comparisonSideSchema.pick({ acquisitionId: true, label: true, caseId: true, itemId: true }),
  openedBy: z.string(),
  openedAt: z.string(),
  /** The conclusion in force (the arbiter's, else the verified or the examiner's); null when none or withheld. */
  conclusion: z.enum(afteConclusions).nullable(),
  examiner: z.string().nullable(),
  testSetId: z.number().int().nullable(),
  version: z.number().int(),
});
export type ComparisonSummary = z.infer<typeof comparisonSummarySchema>;

export const annotationShapeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('polygon'), points: z.array(pointSchema).min(3).max(maxAnnotationPoints) }),
  z.object({
    kind: z.literal('stroke'),
    /** Brush width in file pixels. */
    width: z.number().positive().max(4096),
    points: z.array(pointSchema).min(1).max(maxAnnotationPoints),
  }),
]);
export type AnnotationShape = z.infer<typeof annotationShapeSchema>;

export const annotationSchema = z.object({
  id: z.number().int(),
  comparisonId: z.number().int(),
  side: z.enum(comparisonSides),
  acquisitionId: z.number().int(),
  /** The file whose pixels the points are in ('topography' or an image role). */
  frame: z.string(),
  layer: z.enum(annotationLayers),
  shape: annotationShapeSchema,
  note: z.string(),
  view: viewStateSchema.nullable(),
  author: personSchema,
  role: z.enum(conclusionRoles),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** 1 for the original; each amendment adds one (annotations.history lists every revision). */
  revision: z.number().int(),
  /** Row version for amendments: send it back; a stale one is refused with the current record. */
  version: z.number().int(),
  withdrawn: z.object({ at: z.string(), by: z.string(), reason: z.string() }).nullable(),
});
export type AnnotationView = z.infer<typeof annotationSchema>;

export const annotationRevisionSchema = z.object({
  revision: z.number().int(),
  layer: z.enum(annotationLayers),
  shape: annotationShapeSchema,
  note: z.string(),
  view: viewStateSchema.nullable(),
  at: z.string(),
  by: z.string(),
  /** Null for the original; the amendment's reason otherwise. */
  reason: z.string().nullable(),
  withdrawn: z.boolean(),
});

export const snapshotSchema = z.object({
  id: z.number().int(),
  comparisonId: z.number().int(),
  /** The PNG in the evidence store (fetch it with snapshots.content). */
  sha256: z.string(),
  size: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  caption: z.string(),
  view: viewStateSchema,
  author: personSchema,
  role: z.enum(conclusionRoles),
  createdAt: z.string(),
});
export type SnapshotView = z.infer<typeof snapshotSchema>;

/** The acquisitions as they were when the conclusion was recorded (ISO/IEC 17025 7.5.1: what was compared). */
export const recordedAcquisitionSchema = z.object({
  acquisitionId: z.number().int(),
  /** As the examiner saw it named; in testing mode (case and item null) the pair's neutral "set · N · A". */
  label: z.string(),
  /** In testing mode, the test set and pair position the UI words ("pair 3" in the reader's language); null for
   * casework, absent in records made before it was kept. */
  testPair: z.object({ name: z.string(), position: z.number().int() }).nullable().optional(),
  itemId: z.number().int().nullable(),
  caseId: z.number().int().nullable(),
  region: z.string(),
  topographySha256: z.string().nullable(),
  pixelUm: z.number().nullable(),
  files: z.array(z.object({ role: z.string(), sha256: z.string() })),
  unsuitableReason: z.string().nullable(),
});

/** A score the examiner was shown, copied into the record from the stored analysis. */
export const recordedScoreSchema = z.object({
  analysisId: z.number().int(),
  algorithm: z.object({ name: z.string(), version: z.string() }),
  parameters: z.record(z.string(), z.unknown()),
  inputs: z.object({ a: z.string(), b: z.string() }),
  cmc: z.object({ ab: z.number(), ba: z.number(), combined: z.number() }),
  calibrated: z.string(),
  ranAt: z.string(),
});

export const technicalRecordSchema = z.object({
  a: recordedAcquisitionSchema,
  b: recordedAcquisitionSchema,
  scoresShown: z.array(recordedScoreSchema),
  stationVersion: z.string(),
  /** The verification policy in force when the conclusion was recorded. */
  policy: z.object({ requireFor: z.array(z.enum(afteConclusions)), blind: z.boolean() }),
});
export type TechnicalRecord = z.infer<typeof technicalRecordSchema>;

export const conclusionSchema = z.object({
  id: z.number().int(),
  comparisonId: z.number().int(),
  role: z.enum(conclusionRoles),
  conclusion: z.enum(afteConclusions),
  basis: z.string(),
  examiner: personSchema,
  recordedAt: z.string(),
  snapshotIds: z.array(z.number().int()),
  /** Annotations at the revision they had when the conclusion was recorded. */
  annotations: z.array(z.object({ id: z.number().int(), revision: z.number().int() })),
  record: technicalRecordSchema,
  /** The record this one amends (the original is kept, unchanged) and why. */
  amends: z.number().int().nullable(),
  reason: z.string().nullable(),
  /** False once amended: the amendment is in force, this stays as the original. */
  current: z.boolean(),
});
export type ConclusionView = z.infer<typeof conclusionSchema>;

export const verificationPolicySchema = z.object({
  /** Conclusions that need a verifier's independent conclusion before the comparison is verified. */
  requireFor: z
    .array(z.enum(afteConclusions))
    .max(afteConclusions.length)
    .refine((v) => new Set(v).size === v.length, 'each conclusion once'),
  /** Blind: the verifier works without the first examiner's conclusion, annotations and snapshots. */
  blind: z.boolean(),
});
export type VerificationPolicy = z.infer<typeof verificationPolicySchema>;
export const defaultVerificationPolicy: VerificationPolicy = {
  requireFor: ['identification', 'elimination'],
  blind: true,
};

export const verificationSchema = z.object({
  id: z.number().int(),
  comparisonId: z.number().int(),
  state: z.enum(verificationStates),
  blind: z.boolean(),
  /** 'policy' when the lab's policy asked for it; 'request' when someone asked (a reason is then given). */
  requestedBy: z.enum(['policy', 'request']),
  requestReason: z.string().nullable(),
  verifier: personSchema.nullable(),
  arbiter: personSchema.nullable(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  version: z.number().int(),
});
export type VerificationView = z.infer<typeof verificationSchema>;

export const hitSideSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('local'),
    caseId: z.number().int(),
    labCaseNumber: z.string(),
    itemId: z.number().int(),
    exhibitNumber: z.string(),
    acquisitionId: z.number().int(),
  }),
  z.object({
    kind: z.literal('network'),
    labId: z.string(),
    caseRef: z.string(),
    itemRef: z.string(),
    submissionId: z.string(),
    leadId: z.number().int(),
  }),
]);

export const hitSchema = z.object({
  id: z.number().int(),
  comparisonId: z.number().int(),
  conclusionId: z.number().int(),
  conclusion: z.enum(afteConclusions),
  /** This lab's side (from the case asked about, or A). */
  here: hitSideSchema,
  /** The linked case: another case of this lab, or another lab's case from a network lead. */
  linked: hitSideSchema,
  examiner: z.string(),
  verifiedBy: z.array(z.string()),
  confirmedBy: z.string(),
  confirmedAt: z.string(),
  note: z.string().nullable(),
  /** A network hit is reported to the hub once, through the outbox: the job and where it stands. */
  report: z.object({ outboxJobId: z.number().int(), state: z.string() }).nullable(),
});
export type HitView = z.infer<typeof hitSchema>;

/** Everything the workspace loads for one comparison, filtered by what this user may see. */
export const workspaceSchema = z.object({
  comparison: comparisonSummarySchema,
  a: comparisonSideSchema,
  b: comparisonSideSchema,
  /** Pixel sizes differ: the workspace resamples both to the coarser one and says so on screen. */
  scale: z.object({ commonPixelUm: z.number().nullable(), resampled: z.boolean(), note: z.string().nullable() }),
  /** 3D tools (relight, relief, profiles, CMC) need a topography on both sides; otherwise why not. */
  tools3d: z.object({ available: z.boolean(), reason: z.string().nullable() }),
  /** The latest analysis recorded on this comparison (registration for auto-align, cells), if any. */
  analysis: storedAnalysisSchema.nullable(),
  access: comparisonAccessSchema,
  conclusions: z.array(conclusionSchema),
  annotations: z.array(annotationSchema),
  snapshots: z.array(snapshotSchema),
  verification: verificationSchema.nullable(),
  hit: hitSchema.nullable(),
  /** A network lead this pair answers (our submission and the other lab's casing). */
  lead: z
    .object({
      jobId: z.number().int(),
      leadId: z.number().int(),
      otherLabId: z.string(),
      otherCaseRef: z.string(),
      otherItemRef: z.string(),
    })
    .nullable(),
  /** Testing mode: which test set and pair (never the truth). */
  test: z
    .object({ testSetId: z.number().int(), name: z.string(), position: z.number().int(), of: z.number().int() })
    .nullable(),
});
export type Workspace = z.infer<typeof workspaceSchema>;

export const worklistKinds = [
  'examine', // a comparison I opened and have not concluded
  'verify', // a verification assigned to me
  'claim', // a verification nobody is assigned to that I may take
  'arbitrate', // a dispute I am the arbiter of
  'assign_verifier', // (manager) a verification without a verifier
  'assign_arbiter', // (manager) a dispute without an arbiter
  'awaiting_verification', // (information) my conclusion waits for its verifier
  'test', // a test-set pair I have not concluded
] as const;

export const worklistEntrySchema = z.object({
  kind: z.enum(worklistKinds),
  comparisonId: z.number().int(),
  verificationId: z.number().int().nullable(),
  testSetId: z.number().int().nullable(),
  /** a, b: the sides' names (a test pair's in English; the UI words them from `test`). */
  a: z.string(),
  b: z.string(),
  /** Testing mode: the set and the pair's number, to name the sides neutrally in the reader's language. */
  test: z.object({ name: z.string(), position: z.number().int() }).nullable(),
  state: z.enum(comparisonStates),
  since: z.string(),
});
export type WorklistEntry = z.infer<typeof worklistEntrySchema>;

export const testTruths = ['same_source', 'different_source'] as const;
export const testOutcomes = [
  'correct', // identification of a same-source pair, elimination of a different-source pair
  'false_positive', // identification of a different-source pair
  'false_negative', // elimination of a same-source pair
  'inconclusive',
  'unsuitable',
  'pending', // not concluded yet
] as const;

export const testSetSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  instructions: z.string(),
  state: z.enum(['open', 'closed']),
  pairs: z.number().int(),
  participants: z.array(personSchema),
  concluded: z.number().int(),
  createdBy: z.string(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  version: z.number().int(),
});

export const testSetDetailSchema = testSetSummarySchema.extend({
  pairList: z.array(
    z.object({ position: z.number().int(), a: z.number().int(), b: z.number().int(), truth: z.enum(testTruths) }),
  ),
});

export const testResultsSchema = z.object({
  testSet: testSetSummarySchema,
  rows: z.array(
    z.object({
      participant: personSchema,
      position: z.number().int(),
      comparisonId: z.number().int(),
      truth: z.enum(testTruths),
      conclusion: z.enum(afteConclusions).nullable(),
      outcome: z.enum(testOutcomes),
      /** From the first opening to the conclusion, as the host saw them (null until concluded). */
      seconds: z.number().nullable(),
      annotations: z.number().int(),
    }),
  ),
  /** Per participant and overall ('*'): counts of each outcome and the median time. */
  summary: z.array(
    z.object({
      username: z.string(),
      counts: z.record(z.enum(testOutcomes), z.number().int()),
      falsePositiveRate: z.number().nullable(),
      falseNegativeRate: z.number().nullable(),
      medianSeconds: z.number().nullable(),
    }),
  ),
});
export type TestResults = z.infer<typeof testResultsSchema>;

/** Every examination record touching a case, for packages and reports (read by the `packages` helper). */
export const examinationRecordsSchema = z.object({
  caseId: z.number().int(),
  comparisons: z.array(
    comparisonSummarySchema.extend({
      a: comparisonSideSchema,
      b: comparisonSideSchema,
      leadJobId: z.number().nullable(),
    }),
  ),
  analyses: z.array(storedAnalysisSchema),
  annotations: z.array(annotationSchema.extend({ revisions: z.array(annotationRevisionSchema) })),
  snapshots: z.array(snapshotSchema),
  /** Every conclusion record, originals and amendments. */
  conclusions: z.array(conclusionSchema),
  verifications: z.array(verificationSchema),
  hits: z.array(hitSchema),
});
export type ExaminationRecords = z.infer<typeof examinationRecordsSchema>;

const comparisonRef = z.object({ comparisonId: id });
const snapshotPng = bytesSchema
  .refine((b) => b.byteLength > 0, 'the picture is empty')
  .refine((b) => b.byteLength <= maxSnapshotBytes, `at most ${maxSnapshotBytes / 1024 / 1024} MiB`);
const idList = (max: number) =>
  z
    .array(id)
    .max(max)
    .refine((v) => new Set(v).size === v.length, 'each once')
    .default([]);
const conclusionFields = z.object({
  conclusion: z.enum(afteConclusions),
  /** The written basis (required): what was seen that supports the conclusion. */
  basis: requiredText(8000),
  snapshotIds: idList(200),
  annotationIds: idList(1000),
  /** Analyses (examinations.analyze) whose score the examiner saw: copied into the technical record. */
  analysisIds: idList(20),
});

export const examinationCalls = {
  /**
   * Opens the comparison of two acquisitions (the same pair, in either order, is one casework comparison: the
   * existing one is returned) and answers the workspace. Audited when it creates one.
   */
  'examinations.open': defineCall({
    permission: 'comparison.run',
    input: z
      .object({
        a: id,
        b: id,
        origin: z.enum(comparisonOrigins).default('manual'),
      })
      .refine((p) => p.a !== p.b, { message: 'compare two different acquisitions', path: ['b'] }),
    output: workspaceSchema,
  }),
  /** The workspace of a comparison by its id (worklist, links, reload). Starts a test pair's clock on first opening. */
  'examinations.get': defineCall({ permission: 'comparison.run', input: comparisonRef, output: workspaceSchema }),
  /** Comparisons touching a case or acquisition (case page, item page), newest first. Test pairs are never listed. */
  'examinations.list': defineCall({
    permission: 'comparison.run',
    input: z.object({
      caseId: id.optional(),
      acquisitionId: id.optional(),
      states: z.array(z.enum(comparisonStates)).max(comparisonStates.length).optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    output: z.array(comparisonSummarySchema),
  }),
  /** Runs the pair's CMC comparison (analysis contract's compare.run) and records it on the comparison. Cancellable. */
  'examinations.analyze': defineCall({
    permission: 'comparison.run',
    input: comparisonRef,
    output: z.object({
      analysis: storedAnalysisSchema,
      /** A as measured and B registered onto A's frame, downsampled (as compare.run sends them). */
      surfaces: z.object({ a: surfaceViewSchema, b: surfaceViewSchema }),
    }),
  }),
  /** What waits for me: comparisons to conclude, verifications, arbitrations, test pairs; for managers, assignments. */
  'examinations.worklist': defineCall({
    permission: 'comparison.run',
    input: z.object({}),
    output: z.array(worklistEntrySchema),
  }),
  /** Every examination record touching a case, originals and amendments included (packages, reports). */
  'examinations.records': defineCall({
    permission: 'export.create',
    input: z.object({ caseId: id }),
    output: examinationRecordsSchema,
  }),

  'annotations.create': defineCall({
    permission: 'conclusion.write',
    input: comparisonRef.extend({
      side: z.enum(comparisonSides),
      /** The file whose pixels the points are in: 'topography' or an image role of that side's acquisition. */
      frame: roleText,
      layer: z.enum(annotationLayers),
      shape: annotationShapeSchema,
      note: text(2000).default(''),
      view: viewStateSchema.optional(),
    }),
    output: annotationSchema,
  }),
  /** An audited amendment (the previous revision is kept). A stale version is refused with `conflict` and
   * details {current, yours}: nothing is lost, the caller re-applies on the current version. */
  'annotations.amend': defineCall({
    permission: 'conclusion.write',
    input: z.object({
      id,
      version: z.number().int(),
      reason: reasonText,
      layer: z.enum(annotationLayers).optional(),
      shape: annotationShapeSchema.optional(),
      note: text(2000).optional(),
      view: viewStateSchema.optional(),
    }),
    output: annotationSchema,
  }),
  /** Withdraws an annotation (kept, marked withdrawn with the reason; an amendment like any other). */
  'annotations.withdraw': defineCall({
    permission: 'conclusion.write',
    input: z.object({ id, version: z.number().int(), reason: reasonText }),
    output: annotationSchema,
  }),
  'annotations.history': defineCall({
    permission: 'comparison.run',
    input: z.object({ id }),
    output: z.array(annotationRevisionSchema),
  }),

  /** Stores a rendered view as evidence: a PNG (checked: signature, chunks, CRCs, size, pixel data) with its view. */
  'snapshots.create': defineCall({
    permission: 'conclusion.write',
    input: comparisonRef.extend({ png: snapshotPng, caption: requiredText(500), view: viewStateSchema }),
    output: snapshotSchema,
  }),
  'snapshots.content': defineCall({
    permission: 'comparison.run',
    input: z.object({ id }),
    output: z.object({ sha256: z.string(), mediaType: z.literal('image/png'), bytes: bytesSchema }),
  }),

  /**
   * Records this user's conclusion on the comparison. The host decides whose it is: the examiner's (an open
   * comparison), the verifier's (the assigned verifier) or the arbiter's (the assigned arbiter). Refused: a second
   * examination conclusion, a verifier who is the examiner, anything but Unsuitable on an acquisition marked unsuitable.
   */
  'conclusions.record': defineCall({
    permission: 'conclusion.write',
    input: comparisonRef.merge(conclusionFields),
    output: z.object({ conclusion: conclusionSchema, workspace: workspaceSchema }),
  }),
  /**
   * Amends one's own conclusion with a reason: a new record that names the one it amends (kept unchanged). The AFTE
   * value can change only until a verifier takes the verification up; after that, basis and links only.
   */
  'conclusions.amend': defineCall({
    permission: 'conclusion.write',
    input: z.object({ amends: id, reason: reasonText }).merge(conclusionFields),
    output: z.object({ conclusion: conclusionSchema, workspace: workspaceSchema }),
  }),

  'verification.policy': defineCall({
    permission: 'comparison.run',
    input: z.object({}),
    output: z.object({
      policy: verificationPolicySchema,
      source: z.enum(['station', 'default']),
      updatedAt: z.string().nullable(),
      updatedBy: z.string().nullable(),
    }),
  }),
  /** Manager setting, audited with before/after and the reason. Applies to conclusions recorded from now on. */
  'verification.setPolicy': defineCall({
    permission: 'examination.manage',
    input: z.object({ policy: verificationPolicySchema, reason: reasonText }),
    output: verificationPolicySchema,
  }),
  /** Asks for a verification the policy does not require (e.g. before a hit); blind per the policy. */
  'verification.request': defineCall({
    permission: 'conclusion.write',
    input: comparisonRef.extend({ reason: reasonText }),
    output: verificationSchema,
  }),
  /** Examiners a manager may assign: not the examiner, not anyone who has seen the first examination if blind. */
  'verification.candidates': defineCall({
    permission: 'examination.manage',
    input: z.object({ verificationId: id, as: z.enum(['verifier', 'arbiter']) }),
    output: z.array(
      personSchema.extend({
        eligible: z.boolean(),
        reason: z.string().nullable(),
        why: z.enum(ineligibleCodes).nullable(),
      }),
    ),
  }),
  'verification.assign': defineCall({
    permission: 'examination.manage',
    input: z.object({ verificationId: id, verifierId: id, version: z.number().int() }),
    output: verificationSchema,
  }),
  /** An eligible examiner takes an unassigned verification. */
  'verification.claim': defineCall({
    permission: 'conclusion.write',
    input: z.object({ verificationId: id, version: z.number().int() }),
    output: verificationSchema,
  }),
  /** After a disagreement: a manager names a third examiner whose conclusion is final. */
  'verification.assignArbiter': defineCall({
    permission: 'examination.manage',
    input: z.object({ verificationId: id, arbiterId: id, version: z.number().int(), note: text(1000).optional() }),
    output: verificationSchema,
  }),

  /** Confirms a verified identification of two cases' casings as a hit: links both case records; a network lead's
   * hit is reported to the hub through the outbox (once). */
  'hits.confirm': defineCall({
    permission: 'conclusion.write',
    input: comparisonRef.extend({ note: text(1000).optional() }),
    output: hitSchema,
  }),
  /** The cases a case is linked to by hits, with the conclusion (case page). */
  'hits.forCase': defineCall({ permission: 'case.read', input: z.object({ caseId: id }), output: z.array(hitSchema) }),

  /** A manager builds a test set: pairs with hidden ground truth, and the examiners who take it. Audited. */
  'testSets.create': defineCall({
    permission: 'examination.manage',
    input: z.object({
      name: requiredText(120),
      instructions: text(4000).default(''),
      pairs: z
        .array(
          z
            .object({ a: id, b: id, truth: z.enum(testTruths) })
            .refine((p) => p.a !== p.b, { message: 'two different acquisitions', path: ['b'] }),
        )
        .min(1)
        .max(500),
      participants: z
        .array(id)
        .min(1)
        .max(200)
        .refine((v) => new Set(v).size === v.length, 'each participant once'),
    }),
    output: testSetDetailSchema,
  }),
  /** The people who record conclusions (for a manager picking test participants, verifiers or arbiters). */
  'examinations.examiners': defineCall({
    permission: 'examination.manage',
    input: z.object({}),
    output: z.array(
      personSchema.extend({
        role: z.enum(roles),
        disabled: z.boolean(),
        /** Can take a test: records conclusions and cannot read a test's truth (not a manager). */
        canTakeTests: z.boolean(),
      }),
    ),
  }),
  'testSets.list': defineCall({
    permission: 'examination.manage',
    input: z.object({}),
    output: z.array(testSetSummarySchema),
  }),
  'testSets.get': defineCall({
    permission: 'examination.manage',
    input: z.object({ id }),
    output: testSetDetailSchema,
  }),
  /** Closes a test set: no more conclusions on it. */
  'testSets.close': defineCall({
    permission: 'examination.manage',
    input: z.object({ id, version: z.number().int(), reason: reasonText }),
    output: testSetSummarySchema,
  }),
  /** Conclusions against the truth and time per comparison, per participant and overall. */
  'testSets.results': defineCall({
    permission: 'examination.manage',
    input: z.object({ id }),
    output: testResultsSchema,
  }),
};

export const examinationEvents = {
  /** Something changed on a comparison (refresh it). Carries no content: what changed is fetched, filtered by access. */
  'examinations.changed': defineEvent({
    permission: 'comparison.run',
    filter: z.object({ comparisonId: id.optional() }),
    payload: z.object({
      comparisonId: z.number().int(),
      what: z.enum(['comparison', 'annotation', 'snapshot', 'conclusion', 'verification', 'hit', 'analysis']),
    }),
  }),
};
