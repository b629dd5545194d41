// Messages between the analysis pool (any thread) and its workers. Kept structured-clone friendly.
import type { ErrorData } from '../../contract/errors.ts';
import type { CmcParamsInput } from '../cmc/params.ts';
import type { CmcResult } from '../cmc/compare.ts';
import type { PreprocessParamsInput } from '../preprocess.ts';
import type { ScanRef, LoadedScan } from '../scans.ts';

export interface CompareJob {
  kind: 'compare';
  a: ScanRef;
  b: ScanRef;
  params?: CmcParamsInput;
  /** null = use the surfaces as given (already preprocessed); otherwise preprocessing parameters. */
  preprocess: PreprocessParamsInput | null;
  /** Drop per-cell detail from the answer (all-pairs scoring needs only the counts). */
  summaryOnly?: boolean;
}

export type Job = CompareJob;

export interface CompareOutput {
  result: CmcResult;
  preprocessing: { a: LoadedScan['preprocessing']; b: LoadedScan['preprocessing'] };
}

export type ToWorker = { type: 'job'; id: number; job: Job };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; id: number; output: CompareOutput }
  | { type: 'error'; id: number; error: ErrorData };

export interface WorkerInit {
  /** Int32 slot the pool sets to a job id to cancel that job while it runs. */
  cancel: SharedArrayBuffer;
  cacheBytes: number;
}
