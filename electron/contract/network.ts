import { z } from 'zod';
import { defineCall, defineEvent } from './rpc.ts';
import { acquisitionRegions } from './acquisitions.ts';
import { likelihoodRatioSchema } from './analysis.ts';
import { chosenFileNameSchema } from './files.ts';

// The network outbox as the UI sees it: where each submission stands, why it failed, and the leads that came back.
export const outboxStates = ['queued', 'uploading', 'committed', 'correlated', 'rejected', 'dead', 'canceled'] as const;
export const connectivityStates = ['unknown', 'online', 'offline', 'unconfigured'] as const;

/**
 * A lead: the hub's pointer from one of our casings to another lab's that scored as a possible common source. The
 * one list of its fields: the exchange protocol's `leadSchema` (network/protocol.ts) is this with stricter checks
 * for what arrives from the hub (UUIDs, timestamps, artifact references).
 */
export const leadViewSchema = z.object({
  leadId: z.number().int(),
  /** The scorer's measure: for 'cmc/…' the combined CMC count (congruent matching cells, the smaller of both ways). */
  score: z.number(),
  scorer: z.string(),
  calibre: z.string(),
  /** The mark both casings' topographies show (leads are only ever between the same region; absent: breech face). */
  region: z.enum(acquisitionRegions).optional(),
  otherLabId: z.string(),
  otherCaseRef: z.string(),
  otherItemRef: z.string(),
  otherSubmissionId: z.string(),
  /** How the score came about, for the examiner: CMC counts each way, screening similarity, calibrated frequency. */
  detail: z
    .object({
      cmcAb: z.number(),
      cmcBa: z.number(),
      screening: z.number(),
      calibrated: z.string().optional(),
      /** Casings screened for the submission, how many got full CMC, and the screening score where the signature's
       *  order stopped (the lowest signature score among the casings that went on). */
      screened: z.number().int().optional(),
      fullyScored: z.number().int().optional(),
      cut: z.number().optional(),
      /** Casings the registration check scored (the signature's best; full CMC then went to the best of those by
       *  registration score), this casing's place in the signature's order (1 = most similar), and its registration
       *  score. */
      registered: z.number().int().optional(),
      signatureRank: z.number().int().optional(),
      registration: z.number().optional(),
      /** Expected share of correlations whose mate falls below this cut (0…1), under the named reference(s). */
      expectedMissRate: z.number().optional(),
      cutReference: z.string().optional(),
      /** The rate with unseen non-match rates at 0 and at their 95 % upper bound (analysis/screeningCut.ts), and
       *  whether the reference can estimate it at this many casings (false: the range is too wide; the station says
       *  "cannot estimate … between low and high" instead of the one figure). */
      missRateRange: z.object({ low: z.number(), high: z.number() }).optional(),
      missRateEstimable: z.boolean().optional(),
      /**
       * On a lead the OTHER casing's search found (the other lab's casing came later and matched ours; the hub stores
       * each lead both ways): that search's figures, in place of screened…cutReference above, which a lead has only
       * for a search of ours. `signatureRank` is our casing's place in that search's signature order.
       */
      foundBy: z
        .object({
          screened: z.number().int().optional(),
          registered: z.number().int().optional(),
          fullyScored: z.number().int().optional(),
          cut: z.number().optional(),
          expectedMissRate: z.number().optional(),
          cutReference: z.string().optional(),
          missRateRange: z.object({ low: z.number(), high: z.number() }).optional(),
          missRateEstimable: z.boolean().optional(),
          signatureRank: z.number().int().optional(),
        })
        .optional(),
      /** The likelihood ratio (shown beside the CMC count and its frequency, not instead). */
      lr: likelihoodRatioSchema
        .pick({
          log10Lr: true,
          interval: true,
          clipped: true,
          comparable: true,
          betweenClasses: true,
          model: true,
          statement: true,
        })
        .optional(),
    })
    .optional(),
  /** What the other lab submitted: the station may download these to compare (GET …/leads/{leadId}/artifacts/{sha256}). */
  otherArtifacts: z.array(
    z.object({ role: z.string(), name: z.string(), mediaType: z.string(), sha256: z.string(), size: z.number().int() }),
  ),
  createdAt: z.string(),
});
export type LeadView = z.infer<typeof leadViewSchema>;

/**
 * What a hub can say about a correlation besides its leads, as codes a station words in its language (protocol
 * revision 4). A code a newer hub sends that is not here is shown in the hub's English text.
 *  - no_topography: the submission has no X3P; query_unreadable {error}: its X3P could not be analysed;
 *  - candidates_without_topography {count}; candidate_unreadable {candidate, error}; candidate_not_compared
 *    {candidate, error}; candidate_missing_x3p {candidate, sha256?}: the hub's store lost another lab's X3P;
 *  - features_unreadable {error}, features_other_topography {sha256}, features_other_parameters, features_differ:
 *    the station's own screening signature, checked against the hub's;
 *  - date_range {from, to}: only casings recovered in that range (or undated) were screened;
 *  - unusable_signatures {count, calibre, region}: casings without a usable screening signature were not screened;
 *  - more_notes {count}: the hub holds this many more notes than an answer carries.
 */
export const hubNoteCodes = [
  'no_topography',
  'query_unreadable',
  'candidates_without_topography',
  'candidate_unreadable',
  'candidate_not_compared',
  'candidate_missing_x3p',
  'features_unreadable',
  'features_other_topography',
  'features_other_parameters',
  'features_differ',
  'date_range',
  'unusable_signatures',
  'more_notes',
] as const;
export type HubNoteCode = (typeof hubNoteCodes)[number];

/** A hub's note: its English text (older hubs send only this), and from revision 4 its code and values. */
export const hubNoteViewSchema = z.object({
  text: z.string(),
  code: z.string().optional(),
  values: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type HubNoteView = z.infer<typeof hubNoteViewSchema>;

/** A hit another lab reported on one of our casings (from the hub's feed). */
export const networkHitViewSchema = z.object({
  hitId: z.string(),
  submissionId: z.string(),
  /** Our lead pointing at the reporter's casing, when there is one. */
  leadId: z.number().int().optional(),
  reportedByLabId: z.string(),
  reportedCaseRef: z.string(),
  reportedItemRef: z.string(),
  reportedSubmissionId: z.string(),
  conclusion: z.string(),
  confirmedAt: z.string(),
  recordedAt: z.string(),
});
export type NetworkHitView = z.infer<typeof networkHitViewSchema>;

export const hitReportStates = ['queued', 'sending', 'recorded', 'rejected', 'dead'] as const;

/** Our report to the hub of a hit confirmed on a network lead (sent once, like a submission). */
export const hitReportViewSchema = z.object({
  id: z.number().int(),
  jobId: z.number().int(),
  leadId: z.number().int(),
  hitRef: z.string(),
  state: z.enum(hitReportStates),
  attempts: z.number().int(),
  lastErrorCode: z.string().nullable(),
  lastError: z.string().nullable(),
  hitId: z.string().nullable(),
  createdAt: z.string(),
  recordedAt: z.string().nullable(),
});
export type HitReportView = z.infer<typeof hitReportViewSchema>;

export const outboxJobViewSchema = z.object({
  id: z.number().int(),
  idempotencyKey: z.string(),
  caseRef: z.string(),
  itemRef: z.string(),
  caseId: z.number().int().nullable(),
  itemId: z.number().int().nullable(),
  acquisitionId: z.number().int().nullable(),
  calibre: z.string(),
  state: z.enum(outboxStates),
  bytesTotal: z.number().int(),
  bytesSent: z.number().int(),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastErrorCode: z.string().nullable(),
  lastError: z.string().nullable(),
  submissionId: z.string().nullable(),
  committedAt: z.string().nullable(),
  exportedAt: z.string().nullable(),
  source: z.string(),
  leads: z.array(leadViewSchema).nullable(),
  /** What the hub said about the correlation besides its leads (no topography, candidates it could not compare): with
   *  these, "0 leads" reads as "could not compare" rather than "no match in the network". Empty when there were none. */
  correlationNotes: z.array(hubNoteViewSchema),
  /** Hits other labs reported on this casing. */
  networkHits: z.array(networkHitViewSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type OutboxJobView = z.infer<typeof outboxJobViewSchema>;

export const outboxCountsSchema = z.record(z.enum(outboxStates), z.number().int());

const reason = z.string().trim().max(500).optional();

export const networkCalls = {
  'outbox.list': defineCall({
    permission: 'case.read',
    input: z.object({
      states: z.array(z.enum(outboxStates)).max(7).optional(),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    output: z.object({
      jobs: z.array(outboxJobViewSchema),
      counts: outboxCountsSchema,
      connectivity: z.enum(connectivityStates),
      connectivityReason: z.string().nullable(),
    }),
  }),
  /**
   * Marks an acquisition for submission: its X3P, its images and the item's OpenFMC fields are signed and queued
   * in one transaction with the audit entry. Marking it again returns the job already queued (sent once).
   * Refused with the reason: unsuitable, not a cartridge case, not a breech face, no topography, no calibre.
   */
  'outbox.submitAcquisition': defineCall({
    permission: 'acquisition.write',
    input: z.object({ acquisitionId: z.number().int(), reason }),
    output: z.object({ job: outboxJobViewSchema, alreadyQueued: z.boolean() }),
  }),
  'outbox.retry': defineCall({
    permission: 'outbox.manage',
    input: z.object({ id: z.number().int(), reason }),
    output: outboxJobViewSchema,
  }),
  'outbox.cancel': defineCall({
    permission: 'outbox.manage',
    input: z.object({ id: z.number().int(), reason }),
    output: outboxJobViewSchema,
  }),
  /** Leads from the network for this lab's submissions, best first, with the local case they belong to. */
  'outbox.leads': defineCall({
    permission: 'case.read',
    input: z.object({ caseId: z.number().int().optional() }),
    /** `fetched`: the other casing's files are all in this station's evidence store (ready to compare). */
    /** `compare`: our acquisition and the local acquisition of the other casing, for /compare/:a/:b. */
    output: z.array(
      z.object({
        job: outboxJobViewSchema,
        lead: leadViewSchema,
        fetched: z.boolean(),
        compare: z.object({ a: z.number().int(), b: z.number().int() }).nullable(),
        /** Our report of this lead as a hit, once a verified identification confirmed it. */
        report: hitReportViewSchema.nullable(),
        /** The other lab reported this pair as a hit. */
        theirHit: networkHitViewSchema.nullable(),
      }),
    ),
  }),
  /** Downloads the other lab's casing of a lead (hash-checked, kept content-addressed) so it can be compared. */
  'outbox.fetchLead': defineCall({
    permission: 'comparison.run',
    input: z.object({ jobId: z.number().int(), leadId: z.number().int() }),
    output: z.object({
      artifacts: z.array(z.object({ role: z.string(), name: z.string(), sha256: z.string(), size: z.number().int() })),
      /** The local acquisition made of the other casing's X3P (in the NETWORK-LEADS reference case), if it has one. */
      acquisitionId: z.number().int().nullable(),
    }),
  }),
  /** Writes a submission bundle of the unsent jobs as `name` in the exports folder (never over an existing file). */
  'outbox.exportBundle': defineCall({
    permission: 'outbox.manage',
    input: z.object({ name: chosenFileNameSchema }),
    /** `remaining`: queued jobs that did not fit in this bundle (export again for them). */
    output: z.object({ jobs: z.number().int(), bundleId: z.string(), name: z.string(), remaining: z.number().int() }),
  }),
  /** Imports a submission bundle named `name` in the imports folder (from an air-gapped station of this lab). */
  'outbox.importBundle': defineCall({
    permission: 'outbox.manage',
    input: z.object({ name: chosenFileNameSchema }),
    output: z.object({ imported: z.number().int(), alreadyKnown: z.number().int() }),
  }),
  /** Applies a results bundle named `name` in the imports folder (receipts and leads from the hub). */
  'outbox.importResults': defineCall({
    permission: 'outbox.manage',
    input: z.object({ name: chosenFileNameSchema }),
    output: z.object({ applied: z.number().int(), unknown: z.number().int() }),
  }),
  /** Our reports of confirmed hits to the hub: queued, sent, recorded, or failed with the reason. */
  'outbox.hitReports': defineCall({
    permission: 'case.read',
    input: z.object({ limit: z.number().int().min(1).max(1000).default(200) }),
    output: z.array(hitReportViewSchema),
  }),
  'outbox.retryHitReport': defineCall({
    permission: 'outbox.manage',
    input: z.object({ id: z.number().int(), reason }),
    output: hitReportViewSchema,
  }),
};

export const networkEvents = {
  /** A job changed state (or its stored progress). */
  'outbox.onJob': defineEvent({ permission: 'case.read', filter: z.object({}), payload: outboxJobViewSchema }),
  /** Live upload progress, several times a second while a job uploads. */
  'outbox.onProgress': defineEvent({
    permission: 'case.read',
    filter: z.object({}),
    payload: z.object({ jobId: z.number().int(), bytesSent: z.number().int(), bytesTotal: z.number().int() }),
  }),
};
