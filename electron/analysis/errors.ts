// Errors of the analysis engine. They are AppErrors so they cross the contract unchanged; `details.reason`
// names the exact problem so the CLI, tests and UI can tell them apart.
import { AppError } from '../contract/errors.ts';

export type AnalysisErrorReason =
  | 'empty_surface' // no valid point at all (empty or NaN-only)
  | 'too_few_points' // some points, but too few for the requested analysis
  | 'pixel_size_mismatch' // the two scans were prepared at different resolutions
  | 'too_large' // the surface exceeds the configured size bound
  | 'bad_surface' // inconsistent dimensions or spacings
  | 'bad_parameters';

export class AnalysisError extends AppError {
  readonly reason: AnalysisErrorReason;
  constructor(reason: AnalysisErrorReason, message: string, details: Record<string, unknown> = {}) {
    super('invalid_input', message, { reason, ...details });
    this.name = 'AnalysisError';
    this.reason = reason;
  }
}

export function abortError(signal: AbortSignal): AppError {
  const reason = signal.reason as unknown;
  return new AppError('canceled', reason instanceof Error ? reason.message : 'the analysis was canceled');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}
