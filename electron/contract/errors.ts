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
