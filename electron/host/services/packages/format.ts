// The case package format, casebench-case-package/1 (docs/case-package.md): one zip holding
//   manifest.json   every other member with SHA-256, size and media type; who, when, why, which items (canonical JSON)
//   manifest.sig    Ed25519 signature over the exact bytes of manifest.json + the station's certificate chain
//   case/record.json, case/audit.json, case.jsonld, report.pdf, evidence/<sha256>.<ext>, acquisitions/<id>/*.x3p
// Schemas here are what a receiver checks; they are strict so an unexpected field is an error, not ignored.
import { z } from 'zod';
import { examinationRecordsSchema } from '../../../contract/examination.ts';
import { auditCheckpointSchema } from '../../../contract/audit.ts';

export const packageFormat = 'casebench-case-package/1';
export const signatureFormat = 'casebench-package-signature/1';
export const recordFormat = 'casebench-case-record/1';
export const auditExtractFormat = 'casebench-audit-extract/1';

export const manifestPath = 'manifest.json';
export const signaturePath = 'manifest.sig';
export const recordPath = 'case/record.json';
export const auditPath = 'case/audit.json';
export const jsonLdPath = 'case.jsonld';
export const reportPath = 'report.pdf';

/** Largest manifest, signature, record and audit extract a reader parses (they are read whole). */
export const maxManifestBytes = 32 * 1024 * 1024;
export const maxSignatureBytes = 64 * 1024;
export const maxRecordBytes = 128 * 1024 * 1024;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex');

export const memberRoles = [
  'record',
  'audit',
  'jsonld',
  'report',
  'original', // an evidence file exactly as the station stores it
  'x3p-openfmc', // a topography re-written with the case's Open-FMC metadata, derived from an original
] as const;

export const manifestMemberSchema = z.strictObject({
  path: z.string().min(1).max(300),
  sha256: sha256Hex,
  size: z.number().int().nonnegative(),
  mediaType: z.string().max(100),
  role: z.enum(memberRoles),
});
export type ManifestMember = z.infer<typeof manifestMemberSchema>;

/** Fields that can name or describe people, left out when the manager chooses so (the choice is in the manifest). */
export const personalDataFields = [
  'case.offence',
  'case.notes',
  'item.description',
  'item.recoveryPlace',
  'acquisition.notes',
  'person.displayName',
] as const;

export const manifestSchema = z.strictObject({
  format: z.literal(packageFormat),
  packageId: z.uuid(),
  createdAt: z.iso.datetime(),
  software: z.strictObject({ name: z.string().max(40), version: z.string().max(40) }),
  station: z.strictObject({ labId: z.string().max(200), stationId: z.string().max(200) }),
  exportedBy: z.strictObject({
    username: z.string().max(40),
    displayName: z.string().max(100).nullable(),
    role: z.string().max(40),
  }),
  reason: z.string().min(1).max(500),
  case: z.strictObject({ labCaseNumber: z.string().max(60) }),
  selection: z.strictObject({ wholeCase: z.boolean(), items: z.array(z.string().max(40)).max(10_000) }),
  personalData: z.strictObject({ included: z.boolean(), omitted: z.array(z.enum(personalDataFields)) }),
  /** SHA-256 of the canonical JSON of every member but report.pdf (sorted by path): the report prints it. */
  contentSha256: sha256Hex,
  members: z.array(manifestMemberSchema).min(1).max(200_000),
});
export type PackageManifest = z.infer<typeof manifestSchema>;

const pem = z.string().max(16_384).startsWith('-----BEGIN CERTIFICATE-----');
export const signatureSchema = z.strictObject({
  format: z.literal(signatureFormat),
  algorithm: z.literal('Ed25519'),
  /** Base64 Ed25519 signature over the exact bytes of manifest.json. */
  signature: z.string().max(200),
  /** The signing station's certificate first, then the CA that issued it. */
  certificateChain: z.array(pem).min(1).max(4),
});
export type PackageSignature = z.infer<typeof signatureSchema>;

/** What the report footer prints: a hash of the package's content that does not depend on the report itself. */
export function contentMembers(members: ManifestMember[]): ManifestMember[] {
  return members.filter((m) => m.path !== reportPath).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

// ---- the case record ---------------------------------------------------------------------------------

const nullableString = z.string().nullable();

export const recordItemSchema = z.object({
  originId: z.number().int(),
  kind: z.enum(['cartridge_case', 'firearm']),
  exhibitNumber: z.string().min(1).max(40),
  description: nullableString,
  calibre: nullableString,
  origin: z.enum(['questioned', 'test_fire']).nullable(),
  brand: nullableString,
  headstamp: nullableString,
  primerMaterial: nullableString,
  caseMaterial: nullableString,
  firingPinShape: nullableString,
  breechFaceClass: nullableString,
  recoveryPlace: nullableString,
  recoveryDate: nullableString,
  /** Exhibit number of the firearm a test fire was fired from. */
  firearmExhibit: nullableString,
  make: nullableString,
  model: nullableString,
  serialNumber: nullableString,
  firearmType: nullableString,
  createdAt: z.string(),
});
export type RecordItem = z.infer<typeof recordItemSchema>;

export const recordFileSchema = z.object({
  role: z.string().max(100),
  sha256: sha256Hex,
  size: z.number().int().nonnegative(),
  mediaType: z.string().max(100),
  settings: z.record(z.string(), z.unknown()).nullable(),
  /** Where the file is in the package. */
  path: z.string().max(300),
});

export const recordAcquisitionSchema = z.object({
  originId: z.number().int(),
  exhibitNumber: z.string(),
  source: z.enum(['capture', 'import']),
  region: z.enum(['breech_face', 'firing_pin', 'ejector_mark', 'whole']),
  operator: z.string(),
  startedAt: z.string(),
  completedAt: z.string(),
  rigProfile: nullableString,
  devices: z.array(z.record(z.string(), z.unknown())),
  calibrationId: z.number().int().nullable(),
  settings: z.record(z.string(), z.unknown()),
  quality: z.record(z.string(), z.unknown()).nullable(),
  topographySha256: sha256Hex.nullable(),
  lateralUm: z.number().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  unsuitableReason: nullableString,
  regionsOverride: z.record(z.string(), z.unknown()).nullable(),
  files: z.array(recordFileSchema),
  /** The topography re-written with this case's Open-FMC metadata (absent when the original already has it). */
  openFmcX3p: z.object({ path: z.string(), sha256: sha256Hex, size: z.number().int() }).nullable(),
});
export type RecordAcquisition = z.infer<typeof recordAcquisitionSchema>;

export const recordCalibrationSchema = z.object({
  originId: z.number().int(),
  /** The origin station's lab reference ('CAL-2026-0003'); absent in packages made before it was recorded. */
  reference: z.string().max(100).optional(),
  kind: z.string(),
  rigProfile: z.string(),
  deviceSerials: z.record(z.string(), z.string()),
  operator: z.string(),
  performedAt: z.string(),
  expiresAt: z.string(),
  passed: z.boolean(),
  messages: z.array(z.string()),
  results: z.record(z.string(), z.unknown()),
  report: z.object({ path: z.string(), sha256: sha256Hex }).nullable(),
});
export type RecordCalibration = z.infer<typeof recordCalibrationSchema>;

export const recordAnalysisSchema = z.object({
  /** What did the work: engine name and version, and the parameters the station runs with. */
  engine: z.object({ name: z.string(), version: z.string(), scorer: z.string() }),
  parameters: z.record(z.string(), z.unknown()),
  /** Each comparison and search run on the case's acquisitions, from the audit trail (seq links to it). */
  results: z.array(
    z.object({
      auditSeq: z.number().int(),
      action: z.string(),
      at: z.string(),
      by: z.string().nullable(),
      acquisitions: z.array(z.number().int()),
      outcome: z.record(z.string(), z.unknown()),
    }),
  ),
});

/** Earlier packages this case came in by (a case exported again keeps where it came from). */
export const recordProvenanceSchema = z.object({
  packageId: z.string(),
  manifestSha256: sha256Hex,
  originLabId: z.string(),
  originStationId: z.string(),
  exportedAt: z.string(),
  importedAt: z.string(),
  importedBy: z.string(),
});

export const caseRecordSchema = z.object({
  format: z.literal(recordFormat),
  case: z.object({
    originId: z.number().int(),
    labCaseNumber: z.string().min(1).max(60),
    agency: nullableString,
    agencyCaseNumber: nullableString,
    offence: nullableString,
    offenceDate: nullableString,
    receivedDate: nullableString,
    status: z.string(),
    notes: nullableString,
    createdAt: z.string(),
    createdBy: z.string(),
  }),
  items: z.array(recordItemSchema).max(10_000),
  acquisitions: z.array(recordAcquisitionSchema).max(100_000),
  calibrations: z.array(recordCalibrationSchema).max(10_000),
  analysis: recordAnalysisSchema,
  /** Examination records (comparisons with both sides, stored analyses, annotations with every revision, snapshots
   * (PNG in evidence/), every conclusion record with its technical record, verifications, hits) of the comparisons
   * touching the exported acquisitions; null when the exporting station keeps none. Display names are '' when
   * personal data is left out. */
  examination: examinationRecordsSchema.nullable(),
  provenance: z.array(recordProvenanceSchema),
  /** People named in the record (usernames → display names); empty when personal data is left out. */
  people: z.array(z.object({ username: z.string(), displayName: z.string(), role: z.string() })),
});
export type CaseRecord = z.infer<typeof caseRecordSchema>;

export const auditExtractEntrySchema = z.strictObject({
  seq: z.number().int().positive(),
  at: z.string(),
  userId: z.number().int().nullable(),
  username: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  caseId: z.number().int().nullable(),
  /** Exactly as stored (canonical JSON text), so the entry hash can be recomputed; null when withheld. */
  beforeJson: z.string().nullable(),
  afterJson: z.string().nullable(),
  reason: z.string().nullable(),
  prevHash: sha256Hex,
  hash: sha256Hex,
  /** True when the content was left out (it holds personal data): only its place in the chain can be checked. */
  withheld: z.boolean(),
});
export type AuditExtractEntry = z.infer<typeof auditExtractEntrySchema>;

export const auditExtractSchema = z.strictObject({
  format: z.literal(auditExtractFormat),
  /** How each entry's hash is made, so a receiver can check it without Casebench. */
  chain: z.string(),
  /** The exporting station's chain as verified at export: its length and whether it was intact. */
  stationChain: z.strictObject({ entries: z.number().int(), intact: z.boolean(), lastHash: sha256Hex }),
  /**
   * The latest checkpoint of the station's keyed chain (entry seq and hash, MAC by the station's audit key) when
   * the station keeps them: the sending lab proves the extract is in its trail with `casebench audit verify
   * --checkpoint`; a receiver checks the extract's entry at that seq carries that hash.
   */
  checkpoint: auditCheckpointSchema.nullable(),
  entries: z.array(auditExtractEntrySchema).max(5_000_000),
});
export type AuditExtract = z.infer<typeof auditExtractSchema>;

export function extensionFor(mediaType: string): string {
  if (mediaType === 'image/png') return '.png';
  if (mediaType === 'image/tiff') return '.tif';
  if (mediaType.includes('x3p')) return '.x3p';
  if (mediaType.includes('json')) return '.json';
  return '.bin';
}
