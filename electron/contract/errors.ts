import { z } from 'zod';

// The closed set of error codes that cross the contract. The UI maps each code to words (i18n `errors.<code>`).
export const errorCodes = [
  'invalid_input', // a field failed validation; details.issues lists them
  'unauthenticated', // no signed-in session, or a bad connection token
  'forbidden', // signed in, but the role lacks the permission
  'locked', // the session is locked after idle; unlock with the password
  'not_found',
  'conflict', // duplicate key, stale edit
  'canceled', // the caller canceled; never shown as a failure
  'timeout',
  'device', // hardware said no or went away
  'integrity', // a hash, signature or chain check failed
  'storage', // disk full, database unavailable
  'network',
  'unavailable', // the feature is not available here (e.g. shell dialogs outside Electron)
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/**
 * Refusals that are not about the role, sent as `details.reason` with the English sentence: the UI words the code
 * in the user's language (i18n `errors.reason.<code>`; values named in details, e.g. comparisonId, fill it in).
 */
export const refusalReasons = [
  'under_test', // the casing is part of an open proficiency test the user is taking
  'test_set_taken', // the user takes this open test set: its truth and results wait until it closes
  'blind_verifier', // the user verifies a comparison of the case blind (details.comparisonId)
] as const;
export type RefusalReason = (typeof refusalReasons)[number];

/**
 * What a record that was not found is, sent as `details: { reason: 'missing', thing, id?, name? }`: the UI words it
 * (i18n `errors.missing.<thing>`) instead of showing the host's English ("no item 999").
 */
export const missingThings = [
  'case',
  'item',
  'acquisition',
  'acquisition_file', // name: the file's role in the acquisition
  'calibration',
  'calibration_report',
  'comparison',
  'test_set',
  'verification',
  'conclusion',
  'annotation',
  'snapshot',
  'user',
  'upload',
  'outbox_job',
  'hit_report',
  'lead',
  'folder_file', // name: the file's name in the station's transfer folders
  'export', // name: a package this station exported
] as const;
export type MissingThing = (typeof missingThings)[number];

/** What a file's bytes are, recognised by content (or what its name says it is): named to the user. */
export const fileKinds = ['x3p', 'png', 'tiff', 'jpeg', 'gif', 'bmp', 'pdf', 'text', 'unknown'] as const;
export type FileKind = (typeof fileKinds)[number];

/**
 * Why a file given to import was refused, sent as `details: { reason: 'file_refused', problem, file, found?, named?,
 * maxMiB? }`: the UI words it (i18n `errors.file.<problem>`); the English message stays for the logs.
 */
export const fileProblems = [
  'empty', // 0 bytes
  'too_large', // above maxMiB
  'unrecognised', // not a kind the station imports (found names what it is, when known)
  'kind_mismatch', // the name says `named`, the content is `found`
  'bad_zip', // X3P: not a readable zip archive
  'unsafe_path', // X3P: member names that escape the archive or repeat
  'missing_member', // X3P: main.xml, data.bin or valid.bin absent
  'bad_xml', // X3P: main.xml not well-formed or incomplete
  'checksum', // X3P: a checksum does not match
  'size', // X3P: declared sizes disagree with the data
  'limits', // X3P or picture: beyond the station's bounds
  'no_data', // X3P: every point invalid
  'unsupported', // X3P: valid, but a layout the station cannot read
  'image_damaged', // PNG or TIFF: damaged or a variant the station cannot decode
] as const;
export type FileProblem = (typeof fileProblems)[number];

/**
 * What a rig device did wrong: the drivers' closed set of codes (native/devices/errors.ts takes its type from here),
 * sent as `details: { device, deviceCode }` for the UI, which words them: i18n `errors.deviceProblem.<code>`.
 */
export const deviceErrorCodes = [
  'timeout', // no reply within the device's timeout (silence, or a reply lost in garbage)
  'disconnected', // transport closed underneath us (unplugged, simulator killed)
  'protocol', // bytes that do not parse (garbage, truncated frame, bad checksum)
  'device-error', // the device understood and refused (GRBL error:N, GenCP status, ring-light NAK)
  'alarm', // the device entered an alarm state (GRBL ALARM:N) and needs unlocking or homing
  'out-of-range', // refused by the driver before anything was sent
  'not-initialized',
  'busy',
  'aborted',
  'unsupported',
] as const;
export type DeviceErrorCode = (typeof deviceErrorCodes)[number];

/** A record that is not there, with its English sentence for the logs and the typed details the UI words. */
export function notFound(thing: MissingThing, english: string, values: { id?: number; name?: string } = {}): AppError {
  return new AppError('not_found', english, { reason: 'missing', thing, ...values });
}

/** A file refused at import, with its English sentence for the logs and the typed details the UI words. */
export function fileRefused(
  problem: FileProblem,
  english: string,
  values: { file: string; found?: FileKind; named?: FileKind; maxMiB?: number },
): AppError {
  return new AppError('invalid_input', english, { reason: 'file_refused', problem, ...values });
}

export const errorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorData = z.infer<typeof errorSchema>;

/** An error meant for the other side of the contract: it travels as data and keeps its code. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  toData(): ErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
  static from(data: ErrorData): AppError {
    return new AppError(data.code, data.message, data.details);
  }
}

export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
