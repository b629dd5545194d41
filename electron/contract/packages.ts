import { z } from 'zod';
import { defineCall } from './rpc.ts';
import { bytesSchema } from './acquisitions.ts';
import { chosenFileNameSchema } from './files.ts';

// Case packages (signed export, verify, import at another lab), the PDF report and the manager's dashboard.
// No file path crosses the contract: the UI names a file, the host writes it in the station's exports folder and
// never over an existing file; a package to import is uploaded in chunks into the station's incoming folder.

export const reportLanguages = ['en', 'fr', 'es', 'ar'] as const;

/** A file name inside the station's exports folder (contract/files.ts rules). */
export const exportFileNameSchema = chosenFileNameSchema;

export const auditEntryFaults = ['out_of_order', 'unlinked', 'altered', 'checkpoint_differs'] as const;

/**
 * What exactly package verify found, as the screen words it (i18n packages.problemDetail.<code>, with `values`);
 * the English `message` beside it is for `casebench package verify` and the logs.
 */
export const packageProblemCodes = [
  'zip_unsafe', // not a well-formed, safe zip (or a member cannot be read)
  'no_file',
  'is_folder',
  'not_json',
  'no_manifest',
  'no_signature',
  'manifest_format',
  'listed_twice',
  'member_forbidden', // the manifest lists a member it may not (itself, the signature, an unsafe name)
  'signature_malformed',
  'certificate_unreadable',
  'no_trusted_ca', // values.signer
  'not_vouched', // values.signer, values.issuer
  'signature_bad', // values.signer
  'station_mismatch', // values.station (named in the manifest), values.signer
  'content_hash',
  'extra_member',
  'missing_member',
  'size_differs', // values.size, values.expected (bytes)
  'hash_differs',
  'no_record',
  'record_format',
  'audit_format',
  'audit_entry', // see auditEntry
  'exhibit_twice', // values.exhibit
  'firearm_missing', // values.exhibit, values.firearm
  'acquisition_twice', // values.exhibit, values.region
  'exhibit_missing', // values.exhibit, values.region
  'acquisition_file_missing', // values.exhibit, values.region, values.file
  'topography_not_listed', // values.exhibit, values.region
  'openfmc_missing', // values.exhibit, values.region
  'calibration_report_missing', // values.calibration (its reference; an ISO timestamp of when it was made if it has none)
  'snapshot_missing',
  'report_signature_bad',
  'report_other_station', // values.signer, values.station
] as const;
export type PackageProblemCode = (typeof packageProblemCodes)[number];
export const packageProblemDetailSchema = z.object({
  code: z.enum(packageProblemCodes),
  values: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type PackageProblemDetail = z.infer<typeof packageProblemDetailSchema>;

export const verifyProblemSchema = z.object({
  kind: z.enum([
    'unreadable',
    'manifest',
    'listed_twice',
    'signature',
    'untrusted',
    'missing',
    'extra',
    'altered',
    'audit',
  ]),
  member: z.string().nullable(),
  message: z.string(),
  /** What it is, as a code with values for the screen's words (absent from a station before codes were sent). */
  detail: packageProblemDetailSchema.optional(),
  /**
   * For an `audit` problem, the audit extract entry that broke (seq) and how, for the screen to word: out of order,
   * not linked to the entry before it (`previous`), not matching its hash (altered), or named by the checkpoint
   * with another hash.
   */
  auditEntry: z
    .object({
      seq: z.number().int(),
      fault: z.enum(auditEntryFaults),
      previous: z.number().int().optional(),
    })
    .optional(),
});

export const packageVerificationSchema = z.object({
  ok: z.boolean(),
  problem: verifyProblemSchema.nullable(),
  packageId: z.string().nullable(),
  createdAt: z.string().nullable(),
  station: z.object({ labId: z.string(), stationId: z.string() }).nullable(),
  signer: z
    .object({
      labId: z.string(),
      stationId: z.string(),
      subject: z.string(),
      issuer: z.string(),
      certificateSha256: z.string(),
    })
    .nullable(),
  exportedBy: z.string().nullable(),
  reason: z.string().nullable(),
  labCaseNumber: z.string().nullable(),
  items: z.array(z.string()),
  wholeCase: z.boolean().nullable(),
  personalData: z.object({ included: z.boolean(), omitted: z.array(z.string()) }).nullable(),
  members: z.number().int(),
  size: z.number().int(),
  packageSha256: z.string(),
  audit: z.object({ entries: z.number().int(), verified: z.number().int(), withheld: z.number().int() }).nullable(),
  /** report.pdf's own PAdES signature: by the package's station (checked), absent, or too large to check. */
  reportSignature: z
    .object({
      state: z.enum(['signed', 'unsigned', 'unchecked']),
      signer: z.object({ labId: z.string(), stationId: z.string() }).nullable(),
      signedAt: z.string().nullable(),
    })
    .nullable(),
  /** Set when this station imported the same package before: the local case it became. */
  alreadyImported: z.object({ caseId: z.number().int(), labCaseNumber: z.string() }).nullable(),
  tookMs: z.number(),
});
export type PackageVerification = z.infer<typeof packageVerificationSchema>;

export const packageExportSchema = z.object({
  id: z.number().int(),
  packageId: z.string(),
  caseId: z.number().int(),
  labCaseNumber: z.string(),
  fileName: z.string(),
  packageSha256: z.string(),
  contentSha256: z.string(),
  size: z.number().int(),
  items: z.array(z.string()),
  wholeCase: z.boolean(),
  personalData: z.boolean(),
  reason: z.string(),
  exportedAt: z.string(),
  exportedBy: z.string(),
});
export type PackageExportView = z.infer<typeof packageExportSchema>;

export const packageImportSchema = z.object({
  id: z.number().int(),
  packageId: z.string(),
  caseId: z.number().int(),
  labCaseNumber: z.string(),
  originLabId: z.string(),
  originStationId: z.string(),
  originCaseNumber: z.string(),
  exportedAt: z.string(),
  exportedBy: z.string(),
  reason: z.string(),
  packageSha256: z.string(),
  manifestSha256: z.string(),
  auditSha256: z.string(),
  importedAt: z.string(),
  importedBy: z.string(),
});
export type PackageImportView = z.infer<typeof packageImportSchema>;

const countLink = z.object({ count: z.number().int(), link: z.string() });
/** Under 24 h, 24–72 h, over 72 h. */
const ageBuckets = z.object({ under24h: z.number().int(), from24to72h: z.number().int(), over72h: z.number().int() });

export const dashboardSchema = z.object({
  generatedAt: z.string(),
  queue: z.object({
    /** Submissions by state, each with how many are older than a day and the oldest one's age in hours. */
    byState: z.array(
      z.object({
        state: z.string(),
        count: z.number().int(),
        olderThanDay: z.number().int(),
        oldestHours: z.number().nullable(),
        link: z.string(),
      }),
    ),
  }),
  calibrations: z.object({
    expired: countLink,
    dueWithinWeek: countLink,
    rows: z.array(
      z.object({
        kind: z.string(),
        rigProfile: z.string(),
        expiresAt: z.string(),
        state: z.enum(['valid', 'due', 'expired']),
      }),
    ),
  }),
  verifications: z.object({
    /** Verifications not closed yet (to assign, to conclude, disputed, being arbitrated); null without an examination module. */
    waiting: countLink.nullable(),
    oldestHours: z.number().nullable(),
    byAge: ageBuckets.nullable(),
  }),
  acquisitions: z.object({
    weeks: z.array(z.string()),
    byTechnician: z.array(z.object({ username: z.string(), perWeek: z.array(z.number().int()), link: z.string() })),
  }),
  leads: z.object({
    /** Network leads no examiner has concluded on yet (a comparison of our casing with the lead's, with a conclusion). */
    waiting: countLink,
    /** Waiting leads by age since they arrived (the usual review target is 24–72 h). */
    byAge: ageBuckets,
    oldestHours: z.number().nullable(),
  }),
});
export type ManagerDashboard = z.infer<typeof dashboardSchema>;

export const maxUploadChunkBytes = 8 * 1024 * 1024;

/** What a package export, verification or import is doing (codes the UI and CLI put in words). */
export const packageSteps = [
  'audit_check', // export: the station's audit chain is checked first
  'evidence', // export: originals streamed into the package (done/total bytes)
  'openfmc', // export: Open-FMC X3P copies
  'record', // export: case record, audit extract, CASE/UCO
  'report', // export: report.pdf
  'sealing', // export: manifest, signature, final hash
  'archive', // verify: the zip's structure
  'signature', // verify: manifest and signature
  'members', // verify: every member's size and SHA-256 (done/total bytes)
  'contents', // verify: case record and audit extract
  'storing', // import: files into the evidence store (done/total bytes)
  'recording', // import: the case, items and acquisitions in one transaction
  'done',
] as const;
export const packageStepSchema = z.object({
  step: z.enum(packageSteps),
  done: z.number().nonnegative().optional(),
  total: z.number().nonnegative().optional(),
});
export type PackageStep = z.infer<typeof packageStepSchema>;

export const packagesCalls = {
  /** Writes a signed case package into the station's exports folder. Long: progress and cancel. Audited. */
  'packages.export': defineCall({
    permission: 'export.create',
    input: z.object({
      caseId: z.number().int(),
      /** Exhibit numbers; absent = the whole case. */
      items: z.array(z.string().max(40)).min(1).max(10_000).optional(),
      reason: z.string().trim().min(1, 'required').max(500, 'at most 500 characters'),
      includePersonalData: z.boolean().default(false),
      fileName: exportFileNameSchema,
      /** The report's language; absent = the exporting user's language (their preference). */
      language: z.enum(reportLanguages).optional(),
    }),
    output: z.object({
      packageId: z.string(),
      fileName: z.string(),
      /** Where the file is on the station. */
      path: z.string(),
      size: z.number().int(),
      packageSha256: z.string(),
      members: z.number().int(),
      acquisitions: z.number().int(),
      items: z.array(z.string()),
    }),
    progress: packageStepSchema,
  }),
  'packages.exports': defineCall({
    permission: 'case.read',
    input: z.object({ caseId: z.number().int().optional(), limit: z.number().int().min(1).max(500).default(100) }),
    output: z.object({ rows: z.array(packageExportSchema), folder: z.string() }),
  }),
  /**
   * A slice of a package this station exported (a file of its exports folder that packages.exports lists), so a
   * browser can download it; the desktop app saves a copy with shell.exportFile instead.
   */
  'packages.exportContent': defineCall({
    permission: 'export.create',
    input: z.object({ fileName: exportFileNameSchema, offset: z.number().int().min(0) }),
    output: z.object({ size: z.number().int(), bytes: bytesSchema }),
  }),
  /** Starts an upload of a package to verify and import (the browser sends the file in chunks). */
  'packages.uploadStart': defineCall({
    permission: 'package.import',
    input: z.object({
      fileName: z.string().trim().min(1).max(255),
      size: z
        .number()
        .int()
        .min(1)
        .max(64 * 1024 ** 3),
    }),
    output: z.object({ uploadId: z.string() }),
  }),
  'packages.uploadChunk': defineCall({
    permission: 'package.import',
    input: z.object({
      uploadId: z.string().max(64),
      offset: z.number().int().min(0),
      bytes: bytesSchema.refine(
        (b) => b.byteLength > 0 && b.byteLength <= maxUploadChunkBytes,
        'a chunk of 1 byte to 8 MiB',
      ),
    }),
    output: z.object({ received: z.number().int() }),
  }),
  /**
   * Opens a package file that is already in the station's imports folder (copied there by an operator, or by the
   * desktop app's file dialog) to verify and import it like an upload. The file stays where it is.
   */
  'packages.openImport': defineCall({
    permission: 'package.import',
    input: z.object({ name: chosenFileNameSchema }),
    output: z.object({ uploadId: z.string(), size: z.number().int() }),
  }),
  /** Verifies an uploaded package; writes nothing. Long: progress and cancel. */
  'packages.verify': defineCall({
    permission: 'package.import',
    input: z.object({ uploadId: z.string().max(64) }),
    output: packageVerificationSchema,
    progress: packageStepSchema,
  }),
  /** Verifies again, then imports; writes nothing when the package does not verify. Audited. */
  'packages.import': defineCall({
    permission: 'package.import',
    input: z.object({ uploadId: z.string().max(64) }),
    output: z.object({
      alreadyImported: z.boolean(),
      caseId: z.number().int(),
      labCaseNumber: z.string(),
      items: z.number().int(),
      acquisitions: z.number().int(),
      verification: packageVerificationSchema,
    }),
    progress: packageStepSchema,
  }),
  /** Drops an upload that will not be imported. */
  'packages.discard': defineCall({
    permission: 'package.import',
    input: z.object({ uploadId: z.string().max(64) }),
    output: z.object({}),
  }),
  'packages.imports': defineCall({
    permission: 'case.read',
    input: z.object({ caseId: z.number().int().optional(), limit: z.number().int().min(1).max(500).default(100) }),
    output: z.array(packageImportSchema),
  }),
  /** The case report as a PDF, in the asker's language (not a package: its footer names the record's hash). */
  'reports.case': defineCall({
    permission: 'export.create',
    /** language absent = the asking user's language (their preference). */
    input: z.object({ caseId: z.number().int(), language: z.enum(reportLanguages).optional() }),
    output: z.object({ fileName: z.string(), bytes: bytesSchema }),
  }),
  'dashboard.manager': defineCall({ permission: 'audit.read', input: z.object({}), output: dashboardSchema }),
};
