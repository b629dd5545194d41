// Messages between the analysis pool (any thread) and its workers. Kept structured-clone friendly.
import type { ErrorData } from '../../contract/errors.ts';
import type { CmcParamsInput } from '../cmc/params.ts';
import type { CmcResult } from '../cmc/compare.ts';
import type { Registration } from '../cmc/registration.ts';
import type { ScanView } from '../cmc/overlay.ts';
import type { PreprocessParamsInput } from '../preprocess.ts';
import type { ScanRef, LoadedScan } from '../scans.ts';
import type { ScreeningSignature } from '../screening.ts';

export interface CompareJob {
  kind: 'compare';
  a: ScanRef;
  b: ScanRef;
  params?: CmcParamsInput;
  /** null = use the surfaces as given (already preprocessed); otherwise preprocessing parameters. */
  preprocess: PreprocessParamsInput | null;
  /** Drop per-cell detail from the answer (all-pairs scoring needs only the counts). */
  summaryOnly?: boolean;
  /** Also return both scans downsampled to at most maxSide, B registered onto A (for the comparison view). */
  view?: { maxSide: number };
}

/** The screening signature of one scan (computed on the prepared, preprocessed scan; cached per worker). */
export interface SignatureJob {
  kind: 'signature';
  ref: ScanRef;
  preprocess: PreprocessParamsInput | null;
}

/** The coarse 360° registration of B onto A alone: the registration check of a search's best-screened candidates. */
export interface RegisterJob {
  kind: 'register';
  a: ScanRef;
  b: ScanRef;
  params?: CmcParamsInput;
  preprocess: PreprocessParamsInput | null;
}

export type Job = CompareJob | SignatureJob | RegisterJob;

export interface CompareOutput {
  result: CmcResult;
  preprocessing: { a: LoadedScan['preprocessing']; b: LoadedScan['preprocessing'] };
  views?: { a: ScanView; b: ScanView };
  /** Working-resolution sizes of both scans (the frame of the per-cell coordinates). */
  sizes: { a: { width: number; height: number }; b: { width: number; height: number } };
}

export interface SignatureOutput {
  signature: ScreeningSignature;
}

export interface RegisterOutput {
  /** The registration without its per-angle sweep (not needed to rank candidates). */
  registration: Omit<Registration, 'angleScores'>;
}

export type JobOutput = CompareOutput | SignatureOutput | RegisterOutput;

export type ToWorker = { type: 'job'; id: number; job: Job };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; id: number; output: JobOutput }
  | { type: 'error'; id: number; error: ErrorData };

export interface WorkerInit {
  /** Int32 slot the pool sets to a job id to cancel that job while it runs. */
  cancel: SharedArrayBuffer;
  cacheBytes: number;
}
