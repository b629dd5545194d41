// The exchange protocol's wire shapes and signing rules (docs/network-protocol.md), shared by the station and the hub.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import {
  breechFaceClasses,
  caseMaterials,
  cartridgeOrigins,
  dateSchema,
  firingPinShapes,
  primerMaterials,
} from '../contract/cases.ts';
import { acquisitionRegions } from '../contract/acquisitions.ts';
import { leadViewSchema } from '../contract/network.ts';
import { canonicalJson } from '../base/canonicalJson.ts';
import { auditCheckpointSchema } from '../contract/audit.ts';

export const protocolVersion = 'casebench-exchange/1';
/**
 * Compatible additions to casebench-exchange/1 are numbered revisions (docs/network-protocol.md, "Revisions"). A
 * station names the newest revision it reads in the `cb-protocol-revision` header of every request; the hub answers
 * each request with only what that revision knows (a lead's detail fields: leadDetailFieldsByRevision). A request
 * without the header is revision 1: a station from before revisions, whose lead schema refuses any field it does
 * not know. Stations in turn keep, unused, the fields of revisions newer than theirs (never refuse them).
 */
export const protocolRevision = 4;
export const protocolRevisionHeader = 'cb-protocol-revision';

/** The lead detail fields each revision added (every field of the wire's detail is in exactly one). */
export const leadDetailFieldsByRevision: Record<number, readonly string[]> = {
  1: ['cmcAb', 'cmcBa', 'screening', 'calibrated'],
  2: [
    'screened',
    'fullyScored',
    'cut',
    'registered',
    'signatureRank',
    'registration',
    'expectedMissRate',
    'cutReference',
    'lr',
    'foundBy',
  ],
  // Revision 3 added no lead field: a status answer's `leadCount` (its leads are the best maxLeadsPerAnswer).
  3: [],
  // Fields inside a detail field are named parent.field (the parent's own fields came with the parent).
  4: ['missRateRange', 'missRateEstimable', 'foundBy.missRateRange', 'foundBy.missRateEstimable', 'lr.betweenClasses'],
};

/** The revision a request's header names: 1 when absent or not a number (a station from before revisions). */
export function requestRevision(header: string | string[] | undefined): number {
  return typeof header === 'string' && /^[1-9]\d{0,3}$/.test(header) ? Number(header) : 1;
}

/**
 * The fields of each object inside a lead's detail that came with the object itself (in the revision that added it);
 * fields added to it later are in leadDetailFieldsByRevision as parent.field.
 */
export const leadDetailObjectFields: Record<string, readonly string[]> = {
  foundBy: ['screened', 'registered', 'fullyScored', 'cut', 'expectedMissRate', 'cutReference', 'signatureRank'],
  lr: ['log10Lr', 'interval', 'clipped', 'comparable', 'model', 'statement'],
  missRateRange: ['low', 'high'],
  'foundBy.missRateRange': ['low', 'high'],
};

/**
 * A lead as a station of `revision` reads it: only the detail fields (and fields of theirs) that revision knows — an
 * allow-list, so that a field this release does not know at all (a stored row a newer worker wrote, or one left by a
 * rolled-back front end) never reaches a station whose schema refuses unknown fields. A station newer than this hub
 * gets the lead as stored: it reads every revision this hub knows and tolerates the rest.
 */
export function leadForRevision(lead: Lead, revision: number): Lead {
  if (revision > protocolRevision || !lead.detail) return lead;
  const known = new Set(
    Object.entries(leadDetailFieldsByRevision).flatMap(([added, fields]) => (Number(added) <= revision ? fields : [])),
  );
  const knows = (path: string) => {
    const dot = path.lastIndexOf('.');
    return (
      known.has(path) || (dot > 0 && (leadDetailObjectFields[path.slice(0, dot)] ?? []).includes(path.slice(dot + 1)))
    );
  };
  const keep = (object: object, prefix: string): object =>
    Object.fromEntries(
      Object.entries(object)
        .filter(([field]) => knows(`${prefix}${field}`))
        .map(([field, value]) => [
          field,
          value !== null && typeof value === 'object' && !Array.isArray(value)
            ? keep(value, `${prefix}${field}.`)
            : value,
        ]),
    );
  return { ...lead, detail: keep(lead.detail, '') as NonNullable<Lead['detail']> };
}

/**
 * An object of a hub answer (a lead, a submission or hit answer, a receipt, a results statement, a feed page),
 * tolerant of optional fields a newer revision added: they are kept as they came (the hub's signature covers them,
 * so receipts and statements verify over what was received) but never read. Their values are whatever JSON the answer held, bounded by the client's parse (size
 * and depth of every hub answer: client.ts).
 */
const tolerantObject = z.looseObject;
/** Requests whose timestamp is further than this from the hub's clock are refused (clock_skew). */
export const clockSkewWindowMs = 300_000;
export const maxChunkBytes = 8 * 1024 * 1024;
export const maxArtifactBytes = 2 * 1024 * 1024 * 1024;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 as 64 lower-case hex digits');
const identifier = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits and . _ - only');
const shortText = (max: number) => z.string().trim().min(1).max(max);

export const artifactRoles = ['image', 'x3p', 'features'] as const;

export const artifactRefSchema = z.strictObject({
  role: z.enum(artifactRoles),
  name: shortText(200),
  mediaType: shortText(100),
  sha256: sha256Hex,
  size: z.number().int().nonnegative().max(maxArtifactBytes),
});
export type ArtifactRef = z.infer<typeof artifactRefSchema>;

/** OpenFMC fields, and nothing personal: no names, places, offences or notes leave the lab. */
export const specimenSchema = z.strictObject({
  calibre: shortText(40),
  origin: z.enum(cartridgeOrigins).optional(),
  brand: shortText(80).optional(),
  headstamp: shortText(80).optional(),
  primerMaterial: z.enum(primerMaterials).optional(),
  caseMaterial: z.enum(caseMaterials).optional(),
  firingPinShape: z.enum(firingPinShapes).optional(),
  breechFaceClass: z.enum(breechFaceClasses).optional(),
  recoveryDate: dateSchema.optional(),
  firearm: z
    .strictObject({
      make: shortText(80).optional(),
      model: shortText(80).optional(),
      serialNumber: shortText(60).optional(),
    })
    .optional(),
});
export type Specimen = z.infer<typeof specimenSchema>;

export const manifestSchema = z.strictObject({
  protocol: z.literal(protocolVersion),
  idempotencyKey: z.uuid(),
  lab: z.strictObject({ labId: identifier, stationId: identifier }),
  createdAt: z.iso.datetime(),
  caseRef: shortText(60),
  itemRef: shortText(60),
  specimen: specimenSchema,
  /** Which mark the topography shows; the hub compares like with like. Absent: the breech face. */
  region: z.enum(acquisitionRegions).optional(),
  artifacts: z
    .array(artifactRefSchema)
    .min(1)
    .max(32)
    .refine((a) => new Set(a.map((x) => x.sha256)).size === a.length, 'artifact hashes must be distinct'),
  /**
   * The station's audit log as it stood when this was queued, vouched for by its audit key. The hub keeps it
   * with the submission (and its receipt covers it): a copy outside the station that shows later if entries
   * were cut off the station's log. Opaque to the hub.
   */
  auditCheckpoint: auditCheckpointSchema.optional(),
});
export type Manifest = z.infer<typeof manifestSchema>;

export function manifestRegion(manifest: Pick<Manifest, 'region'>): NonNullable<Manifest['region']> {
  return manifest.region ?? 'breech_face';
}

const pem = z.string().max(16_384).startsWith('-----BEGIN CERTIFICATE-----');
const base64 = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64');

export const createSubmissionRequestSchema = z.strictObject({
  manifest: manifestSchema,
  signature: base64,
  originCertificate: pem,
});
export type CreateSubmissionRequest = z.infer<typeof createSubmissionRequestSchema>;

export const submissionStates = ['open', 'committed', 'correlated'] as const;

export const receiptSchema = tolerantObject({
  hubId: identifier,
  submissionId: z.uuid(),
  idempotencyKey: z.uuid(),
  manifestSha256: sha256Hex,
  artifacts: z.array(sha256Hex),
  committedAt: z.iso.datetime(),
});
export type Receipt = z.infer<typeof receiptSchema>;

const leadLr = leadViewSchema.shape.detail.unwrap().shape.lr.unwrap();
const missRateRangeSchema = tolerantObject({ low: z.number().min(0).max(1), high: z.number().min(0).max(1) });

/**
 * A lead on the wire: the contract's lead (its fields and their meaning), each known field checked strictly as it
 * comes from the hub; fields a newer revision added are tolerated and kept unread (catchall), so that the hub's
 * signature over the lead still verifies and a station never refuses a newer hub's leads (knownLeadFields strips them
 * for display).
 */
export const leadSchema = tolerantObject({
  ...leadViewSchema.shape,
  otherSubmissionId: z.uuid(),
  detail: tolerantObject({
    ...leadViewSchema.shape.detail.unwrap().shape,
    calibrated: z.string().max(1000).optional(),
    screened: z.number().int().nonnegative().optional(),
    fullyScored: z.number().int().nonnegative().optional(),
    registered: z.number().int().nonnegative().optional(),
    signatureRank: z.number().int().positive().optional(),
    registration: z.number().min(-1).max(1).optional(),
    expectedMissRate: z.number().min(0).max(1).optional(),
    cutReference: z.string().max(500).optional(),
    missRateRange: missRateRangeSchema.optional(),
    missRateEstimable: z.boolean().optional(),
    foundBy: tolerantObject({
      screened: z.number().int().nonnegative().optional(),
      registered: z.number().int().nonnegative().optional(),
      fullyScored: z.number().int().nonnegative().optional(),
      cut: z.number().optional(),
      expectedMissRate: z.number().min(0).max(1).optional(),
      cutReference: z.string().max(500).optional(),
      missRateRange: missRateRangeSchema.optional(),
      missRateEstimable: z.boolean().optional(),
      signatureRank: z.number().int().positive().optional(),
    }).optional(),
    lr: tolerantObject({
      ...leadLr.shape,
      model: z.string().max(200),
      statement: z.string().max(1000),
    }).optional(),
  }).optional(),
  otherArtifacts: z.array(tolerantObject(artifactRefSchema.shape)),
  createdAt: z.iso.datetime(),
});
export type Lead = z.infer<typeof leadSchema>;

/** A lead with only the fields this station's revision knows (for display and the contract): later ones dropped. */
export function knownLeadFields(lead: Lead): Lead {
  return leadViewSchema.parse(lead) as Lead;
}

/** A correlation's notes as stations read them: at most this many, each at most `maxCorrelationNoteLength` long. */
export const maxCorrelationNotes = 50;
export const maxCorrelationNoteLength = 1000;
const correlationNotesSchema = z.array(z.string().max(maxCorrelationNoteLength)).max(maxCorrelationNotes);

/**
 * Revision 4: each note's code and values (contract/network.ts hubNoteCodes), in the order of `correlationNotes` (one
 * per note; null for a note without a code, e.g. stored by an older hub). The station words the code in its language
 * and falls back to the English note for a code it does not know.
 */
const correlationNoteCodesSchema = z
  .array(
    tolerantObject({
      code: z.string().max(64),
      values: z
        .record(z.string().max(64), z.union([z.string().max(maxCorrelationNoteLength), z.number()]))
        .refine((values) => Object.keys(values).length <= 16, 'at most 16 values'),
    }).nullable(),
  )
  .max(maxCorrelationNotes);

/** A correlation note as the hub keeps it: English text (logs, older stations) and, when coded, code and values. */
export interface CorrelationNote {
  text: string;
  code?: string;
  values?: Record<string, string | number>;
}

/** The notes of an answer or statement as the wire carries them: texts, and from revision 4 their codes. */
export function notesOnWire(
  notes: readonly CorrelationNote[],
  revision: number,
): {
  correlationNotes: string[];
  correlationNoteCodes?: ({ code: string; values: Record<string, string | number> } | null)[];
} {
  const correlationNotes = notes.map((n) => n.text);
  if (revision < 4 || !notes.some((n) => n.code)) return { correlationNotes };
  return {
    correlationNotes,
    correlationNoteCodes: notes.map((n) => (n.code ? { code: n.code, values: n.values ?? {} } : null)),
  };
}

/** The notes a station reads from an answer or statement: each English text with its code and values when given. */
export function notesFromWire(answer: {
  correlationNotes?: readonly string[];
  correlationNoteCodes?: readonly ({ code: string; values: Record<string, string | number> } | null)[];
}): CorrelationNote[] {
  const texts = answer.correlationNotes ?? [];
  // Codes that do not line up with the texts are not trusted to belong to them: the English is shown.
  const codes = answer.correlationNoteCodes?.length === texts.length ? answer.correlationNoteCodes : undefined;
  return texts.map((text, i) => {
    const coded = codes?.[i];
    return coded ? { text, code: coded.code, values: coded.values } : { text };
  });
}

/**
 * The most leads a submission's status answer (and its signed statement) carries: the best, by score then lead id. A
 * casing found by many later searches gathers a reverse lead each time (thousands at 10^7 casings), and an answer
 * holding them all would pass what a station reads (8 MiB) and never be read again. Every lead also reaches the
 * station once through the lab's feed (paged), so none is lost; from revision 3 the answer says how many there are.
 */
export const maxLeadsPerAnswer = 100;

export const resultsStatementFormat = 'casebench-results/1';

/**
 * What the hub says a correlation found, signed by the hub key that signs receipts: its best leads in full (at most
 * maxLeadsPerAnswer; `leadCount` says how many it holds) and the hub's notes, about exactly one receipt (its
 * SHA-256). A station relaying results (a results bundle) cannot add, change or drop a lead without breaking the
 * signature. Signed afresh each time the hub describes the submission, so it holds the best leads later submissions
 * gave it too.
 */
export const resultsStatementSchema = tolerantObject({
  format: z.literal(resultsStatementFormat),
  hubId: identifier,
  submissionId: z.uuid(),
  idempotencyKey: z.uuid(),
  /** SHA-256 of the receipt's canonical JSON (the bytes its signature covers). */
  receiptSha256: sha256Hex,
  state: z.literal('correlated'),
  leads: z.array(leadSchema).max(10_000),
  /** Revision 3: how many leads the hub holds for the submission; `leads` are the best of them (maxLeadsPerAnswer). */
  leadCount: z.number().int().nonnegative().optional(),
  correlationNotes: correlationNotesSchema,
  /** Revision 4: the notes' codes and values (correlationNoteCodesSchema). */
  correlationNoteCodes: correlationNoteCodesSchema.optional(),
  signedAt: z.iso.datetime(),
});
export type ResultsStatement = z.infer<typeof resultsStatementSchema>;

export const signedResultsSchema = tolerantObject({ statement: resultsStatementSchema, signature: base64 });
export type SignedResults = z.infer<typeof signedResultsSchema>;

export const submissionResponseSchema = tolerantObject({
  submissionId: z.uuid(),
  state: z.enum(submissionStates),
  missing: z.array(sha256Hex),
  receipt: receiptSchema.optional(),
  receiptSignature: base64.optional(),
  /** The leads and notes as `results` states them (repeated for readers that need not check them). */
  leads: z.array(leadSchema).optional(),
  /** Revision 3: as in the statement. */
  leadCount: z.number().int().nonnegative().optional(),
  /** Why correlation found fewer candidates than the network holds (no topography, unreadable files). */
  correlationNotes: correlationNotesSchema.optional(),
  /** Revision 4: as in the statement. */
  correlationNoteCodes: correlationNoteCodesSchema.optional(),
  /** Once correlated: the hub's signed statement of the leads and notes; a station keeps and relays only these. */
  results: signedResultsSchema.optional(),
});
export type SubmissionResponse = z.infer<typeof submissionResponseSchema>;

// ---- hit reports and the lab's feed -------------------------------------------------------------------

/** What a lab may report about a lead: an identification its examiners confirmed (and the lab's policy verified). */
export const hitConclusions = ['identification'] as const;

/**
 * A confirmed hit on a lead, reported by the lab that examined it: signed by the station that sends it, like a
 * manifest. Nothing personal: no examiner names or notes, only the lab's own reference of the hit.
 */
export const hitReportSchema = z.strictObject({
  protocol: z.literal(protocolVersion),
  /** Made once when the report is queued, never reused: the hub records each report once. */
  idempotencyKey: z.uuid(),
  lab: z.strictObject({ labId: identifier, stationId: identifier }),
  createdAt: z.iso.datetime(),
  /** The reporting lab's submission and the lead on it that was examined. */
  submissionId: z.uuid(),
  leadId: z.number().int().nonnegative(),
  /** The other lab's submission: must be the lead's. */
  otherSubmissionId: z.uuid(),
  conclusion: z.enum(hitConclusions),
  /** When the lab confirmed the hit (after verification). */
  confirmedAt: z.iso.datetime(),
  /** The lab's own reference of the hit (opaque to the network). */
  hitRef: shortText(60),
});
export type HitReport = z.infer<typeof hitReportSchema>;

export const createHitRequestSchema = z.strictObject({
  report: hitReportSchema,
  signature: base64,
  originCertificate: pem,
});
export type CreateHitRequest = z.infer<typeof createHitRequestSchema>;

export const hitReceiptSchema = tolerantObject({
  hubId: identifier,
  hitId: z.uuid(),
  idempotencyKey: z.uuid(),
  reportSha256: sha256Hex,
  recordedAt: z.iso.datetime(),
});
export type HitReceipt = z.infer<typeof hitReceiptSchema>;

export const hitResponseSchema = tolerantObject({
  hitId: z.uuid(),
  state: z.literal('recorded'),
  receipt: hitReceiptSchema,
  receiptSignature: base64,
});
export type HitResponse = z.infer<typeof hitResponseSchema>;

/** A hit as the other lab (the one whose casing was identified) learns of it. */
export const networkHitSchema = tolerantObject({
  hitId: z.uuid(),
  /** The receiving lab's submission (the casing that was identified with the reporter's). */
  submissionId: z.uuid(),
  /** The lead on that submission pointing at the reporter's casing, when the hub holds one. */
  leadId: z.number().int().optional(),
  reportedByLabId: z.string(),
  reportedCaseRef: z.string(),
  reportedItemRef: z.string(),
  reportedSubmissionId: z.uuid(),
  conclusion: z.enum(hitConclusions),
  confirmedAt: z.iso.datetime(),
  recordedAt: z.iso.datetime(),
});
export type NetworkHit = z.infer<typeof networkHitSchema>;

/** What happened to a lab's submissions since its last look: a new lead (later submissions match earlier ones), a hit. */
export const feedEventSchema = z.discriminatedUnion('kind', [
  tolerantObject({ seq: z.number().int(), kind: z.literal('lead'), submissionId: z.uuid(), lead: leadSchema }),
  tolerantObject({ seq: z.number().int(), kind: z.literal('hit'), submissionId: z.uuid(), hit: networkHitSchema }),
]);
export type FeedEvent = z.infer<typeof feedEventSchema>;

export const maxFeedPage = 500;
export const feedResponseSchema = tolerantObject({
  events: z.array(feedEventSchema).max(maxFeedPage),
  /** Ask again with `after` = this to get what follows (the last event's seq, or the `after` asked with). */
  next: z.number().int(),
  /** More events wait: ask again at once. */
  more: z.boolean(),
});
export type FeedResponse = z.infer<typeof feedResponseSchema>;

/** The exact bytes a hit report's signature covers (canonical JSON, as for manifests). */
export function hitReportBytes(report: HitReport): Buffer {
  return Buffer.from(canonicalJson(report));
}

/** Tolerant like leads: a newer hub may say more about itself. */
export const healthResponseSchema = z.object({ hubId: z.string(), time: z.number(), protocol: z.string() });

export const hubErrorCodes = [
  'client_certificate_rejected',
  'key_mismatch',
  'bad_signature',
  'clock_skew',
  'replayed_request',
  'invalid_request',
  'origin_certificate_rejected',
  'manifest_signature_invalid',
  'lab_mismatch',
  'idempotency_conflict',
  'not_found',
  'offset_mismatch',
  'artifact_too_large',
  'artifact_hash_mismatch',
  'artifacts_missing',
  'internal',
  'unavailable',
] as const;
export type HubErrorCode = (typeof hubErrorCodes)[number];
export const errorResponseSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

// ---- hashing and signatures ----------------------------------------------------------------------

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The exact bytes a receipt signature covers (canonical JSON, as for manifests). */
export function receiptBytes(receipt: Receipt): Buffer {
  return Buffer.from(canonicalJson(receipt));
}

/** The exact bytes a results statement's signature covers. */
export function resultsStatementBytes(statement: ResultsStatement): Buffer {
  return Buffer.from(canonicalJson(statement));
}

/**
 * Why signed results cannot be taken for this receipt (null: they can): the statement must verify with the hub's
 * key and be about exactly this receipt. Leads are taken only from a statement that passed.
 */
export function signedResultsProblem(results: SignedResults, hubKey: KeyObject, receipt: Receipt): string | null {
  const { statement } = results;
  if (!verifyBytes(hubKey, resultsStatementBytes(statement), results.signature))
    return 'the results (leads and notes) are not signed by the hub that signed the receipt: altered or forged';
  if (
    statement.hubId !== receipt.hubId ||
    statement.submissionId !== receipt.submissionId ||
    statement.idempotencyKey !== receipt.idempotencyKey ||
    statement.receiptSha256 !== sha256(receiptBytes(receipt))
  )
    return 'the signed results are about another receipt';
  return null;
}

/** The exact bytes a manifest signature covers. */
export function manifestBytes(manifest: Manifest): Buffer {
  return Buffer.from(canonicalJson(manifest));
}

export function signBytes(privateKey: KeyObject, data: Uint8Array): string {
  return sign(null, data, privateKey).toString('base64');
}

export function verifyBytes(publicKey: KeyObject, data: Uint8Array, signatureBase64: string): boolean {
  try {
    return verify(null, data, publicKey, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}

/**
 * Artifact chunks are signed without their body hash (as S3's UNSIGNED-PAYLOAD): their bytes are bound by the
 * SHA-256 in the signed manifest, which the hub checks when the artifact is complete, and TLS protects them in
 * transit. Hashing every chunk twice more on each side would halve the upload rate for no added protection.
 */
export const unsignedPayload = 'UNSIGNED-PAYLOAD';

/** What a request signature covers: method, path, timestamp, nonce and the body's hash (or `unsignedPayload`). */
export function requestSigningBytes(
  method: string,
  path: string,
  timestamp: string,
  nonce: string,
  bodySha256: string,
): Buffer {
  return Buffer.from(`${method.toUpperCase()}\n${path}\n${timestamp}\n${nonce}\n${bodySha256}`);
}

/** Raw 32-byte Ed25519 public key ↔ KeyObject; the key id on the wire is SHA-256 of the raw bytes. */
const ed25519SpkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');
export function ed25519PublicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.byteLength !== 32) throw new Error(`an Ed25519 public key has 32 bytes, got ${raw.byteLength}`);
  return createPublicKey({ key: Buffer.concat([ed25519SpkiPrefix, raw]), format: 'der', type: 'spki' });
}
export function ed25519RawPublicKey(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ format: 'der', type: 'spki' }).subarray(ed25519SpkiPrefix.length);
}
export function keyId(key: KeyObject): string {
  return sha256(ed25519RawPublicKey(key));
}
export function loadPrivateKey(pemText: string): KeyObject {
  return createPrivateKey(pemText);
}
