// Turns what the host says into words for people, and host-side field errors into form field errors.
import type { TFunction } from 'i18next';
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import {
  AppError,
  captureBlockSchema,
  calibrationFailures,
  deviceErrorCodes,
  fileKinds,
  fileProblems,
  isAppError,
  missingThings,
  refusalReasons,
} from '../../electron/contract/index.ts';
import { captureBlockText } from '../features/acquisition/captureBlocks.ts';

export function errorText(t: TFunction, error: unknown): string {
  if (isAppError(error)) {
    // Sign-in slowed down after wrong passwords: say so and for how long (not "your role does not allow this").
    const retryAfter = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (error.code === 'forbidden' && typeof retryAfter === 'number')
      return t('errors.tooManyAttempts', { seconds: retryAfter });
    // A refusal that is not about the role says why in the user's words, not the host's English sentence.
    const details = error.details as { reason?: unknown } | undefined;
    if (typeof details?.reason === 'string' && (refusalReasons as readonly string[]).includes(details.reason))
      return t(`errors.reason.${details.reason}`, details as Record<string, unknown>);
    const typed = typedProblemText(t, error.details);
    if (typed) return typed;
    const words = t(`errors.${error.code}`);
    // The host's own sentence adds the specifics (which field, which case number) after the general words.
    return error.message && error.message !== error.code
      ? `${words} ${t('errors.detail', { message: error.message })}`
      : words;
  }
  return t('errors.internal');
}

const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (list as readonly string[]).includes(value);

/** A record not found, a file refused, a calibration that could not measure, a device failure, capture blocked or an
 * answer this version cannot read, worded from the host's typed details (its English is for the logs). */
function typedProblemText(t: TFunction, details: unknown): string | undefined {
  if (!details || typeof details !== 'object') return undefined;
  const d = details as Record<string, unknown>;
  const values = { id: d.id, name: d.name, file: d.file, maxMiB: d.maxMiB };
  if (d.reason === 'missing' && isOneOf(missingThings, d.thing)) return t(`errors.missing.${d.thing}`, values);
  if (typeof d.device === 'string' && isOneOf(deviceErrorCodes, d.deviceCode))
    return t(`errors.deviceProblem.${d.deviceCode}`, { device: d.device });
  if (d.reason === 'calibration_failed' && isOneOf(calibrationFailures, d.failure))
    return t(`errors.calibration.${d.failure}`, d);
  // An answer this version cannot read (station and page of different versions): never the raw method name.
  if (d.reason === 'contract_mismatch') return t('errors.contractMismatch');
  if (d.reason === 'capture_blocked' && Array.isArray(d.blocks)) {
    const reasons = d.blocks.flatMap((b) => {
      const block = captureBlockSchema.safeParse(b);
      return block.success ? [captureBlockText(t, block.data)] : [];
    });
    if (reasons.length) return t('errors.captureBlocked', { reasons: reasons.join(' ') });
  }
  if (d.reason === 'file_refused' && isOneOf(fileProblems, d.problem)) {
    const kind = (k: unknown) => (isOneOf(fileKinds, k) ? t(`errors.fileKind.${k}`) : t('errors.fileKind.unknown'));
    return t(`errors.file.${d.problem}`, { ...values, found: kind(d.found), named: kind(d.named) });
  }
  return undefined;
}

// The contract's schemas carry short English messages; these patterns map them to translated ones.
const validationPatterns: Array<[RegExp, (t: TFunction, m: RegExpMatchArray) => string]> = [
  [/^required$/, (t) => t('validation.required')],
  [/^at most (\d+) characters$/, (t, m) => t('validation.atMost', { count: Number(m[1]) })],
  [/^at least (\d+) characters$/, (t, m) => t('validation.atLeast', { count: Number(m[1]) })],
  [/^a date as YYYY-MM-DD$/, (t) => t('validation.date')],
  [/^not a real date$/, (t) => t('validation.realDate')],
  [/^letters, digits and \. _ \/ - only$/, (t) => t('validation.caseNumberChars')],
  [/^lower-case letters, digits, dot, dash and underscore only$/, (t) => t('validation.usernameChars')],
  [/too small|>=1 characters/i, (t) => t('validation.required')],
];

export function validationText(t: TFunction, message: string | undefined): string | undefined {
  if (!message) return undefined;
  for (const [pattern, words] of validationPatterns) {
    const match = message.match(pattern);
    if (match) return words(t, match);
  }
  return t('validation.invalid', { message });
}

interface HostIssue {
  path?: unknown;
  message?: unknown;
}

/** Puts an `invalid_input` answer's issues on the matching form fields; returns true when at least one landed. */
export function applyHostIssues<T extends FieldValues>(
  error: unknown,
  fields: readonly string[],
  setError: UseFormSetError<T>,
): boolean {
  if (!isAppError(error, 'invalid_input') && !isAppError(error, 'conflict')) return false;
  const details = (error as AppError).details as { issues?: HostIssue[]; field?: unknown } | undefined;
  let landed = false;
  for (const issue of details?.issues ?? []) {
    const path = Array.isArray(issue.path) ? issue.path.filter((p): p is string => typeof p === 'string') : [];
    const field = [...path].reverse().find((p) => fields.includes(p));
    if (field) {
      setError(field as Path<T>, {
        type: 'server',
        message: typeof issue.message === 'string' ? issue.message : (error as AppError).message,
      });
      landed = true;
    }
  }
  if (typeof details?.field === 'string' && fields.includes(details.field)) {
    setError(details.field as Path<T>, { type: 'server', message: (error as AppError).message });
    landed = true;
  }
  return landed;
}
