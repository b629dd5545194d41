// A pool of analysis worker threads, usable from the host, the CLI and tests. Jobs queue in order; each call
// takes an AbortSignal (queued jobs are dropped at once, a running job stops at its next check) and batch calls
// report progress per finished pair.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { AppError } from '../../contract/errors.ts';
import { workerUrl } from '../../base/workerUrl.ts';
import { cmcPreprocessDefaults, type CmcParamsInput } from '../cmc/params.ts';
import type { CmcResult } from '../cmc/compare.ts';
import type { PreprocessParamsInput } from '../preprocess.ts';
import type { ScanRef } from '../scans.ts';
import type {
  CompareJob,
  CompareOutput,
  FromWorker,
  Job,
  JobOutput,
  RegisterOutput,
  SignatureOutput,
  ToWorker,
  WorkerInit,
} from './protocol.ts';

export interface AnalysisPoolOptions {
  /** Worker threads; default: available cores, at most 8. */
  size?: number;
  /** The worker entry. Default: see defaultWorkerUrl. */
  workerUrl?: URL;
  /** Byte budget of each worker's prepared-scan cache (default 256 MiB). */
  cacheBytes?: number;
}

export interface CompareOptions {
  params?: CmcParamsInput;
  /** null = surfaces are already preprocessed; default: cmcPreprocessDefaults (16–250 µm band-pass). */
  preprocess?: PreprocessParamsInput | null;
  signal?: AbortSignal;
  summaryOnly?: boolean;
  /** Also return both scans downsampled for display (compare only). */
  view?: { maxSide: number };
}

/** A pair of a batch, and why it failed when it did. */
export interface PairFailure {
  index: number;
  a: ScanRef;
  b: ScanRef;
  error?: { code: string; message: string; details?: unknown };
}

export interface PairOutcome extends PairFailure {
  result?: CmcResult;
}

export interface RegistrationOutcome extends PairFailure {
  registration?: RegisterOutput['registration'];
}

export interface BatchProgress {
  done: number;
  total: number;
  last: PairOutcome;
}

export interface AnalysisPool {
  readonly size: number;
  /** Resolves once every thread has started (OpenCV loaded): a long-running service waits for it before it says it
   *  is up, so its first job does not pay for the start. */
  ready(): Promise<void>;
  compare(a: ScanRef, b: ScanRef, options?: CompareOptions): Promise<CompareOutput>;
  /** Screening signature of one scan (preprocessed like compare's scans). */
  signature(ref: ScanRef, options?: Pick<CompareOptions, 'preprocess' | 'signal'>): Promise<SignatureOutput>;
  /** Scores every pair; a failed pair is reported in its outcome, a cancel rejects the whole batch. */
  scorePairs(
    pairs: { a: ScanRef; b: ScanRef }[],
    options?: CompareOptions & { onProgress?: (p: BatchProgress) => void },
  ): Promise<PairOutcome[]>;
  /** The coarse 360° registration of every pair (B onto A; compare's first stage alone), as scorePairs. */
  registerPairs(
    pairs: { a: ScanRef; b: ScanRef }[],
    options?: Pick<CompareOptions, 'params' | 'preprocess' | 'signal'> & {
      onProgress?: (p: { done: number; total: number; last: RegistrationOutcome }) => void;
    },
  ): Promise<RegistrationOutcome[]>;
  close(): Promise<void>;
}

interface Task {
  id: number;
  job: Job;
  signal?: AbortSignal;
  resolve(output: JobOutput): void;
  reject(error: AppError): void;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task: Task | null;
  cancel: Int32Array;
}

/** analysis.worker beside this file, or beside the bundled main (see base/workerUrl.ts). */
export function defaultWorkerUrl(): URL {
  return workerUrl('analysis.worker', import.meta.url);
}

export function createAnalysisPool(options: AnalysisPoolOptions = {}): AnalysisPool {
  const size = Math.max(1, options.size ?? Math.min(8, availableParallelism()));
  const workerUrl = options.workerUrl ?? defaultWorkerUrl();
  const cacheBytes = options.cacheBytes ?? 256 * 1024 * 1024;
  const queue: Task[] = [];
  const slots: Slot[] = [];
  /** Waiting for every thread to be ready. */
  const readyWaiters: { resolve(): void; reject(error: AppError): void }[] = [];
  const allReady = () => slots.length > 0 && slots.every((s) => s.ready);
  let nextId = 1;
  let closed = false;

  const canceled = (signal?: AbortSignal) => {
    const reason = signal?.reason as unknown;
    return new AppError(
      'canceled',
      reason instanceof Error && reason.message ? `canceled: ${reason.message}` : 'the analysis was canceled',
    );
  };

  function spawn(): Slot {
    const cancel = new SharedArrayBuffer(4);
    const init: WorkerInit = { cancel, cacheBytes };
    const slot: Slot = {
      worker: new Worker(workerUrl, { workerData: init }),
      ready: false,
      task: null,
      cancel: new Int32Array(cancel),
    };
    slot.worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') {
        slot.ready = true;
        pump();
        if (allReady()) for (const waiter of readyWaiters.splice(0)) waiter.resolve();
        return;
      }
      const task = slot.task;
      if (!task || task.id !== message.id) return;
      slot.task = null;
      finish(task);
      if (message.type === 'result') task.resolve(message.output);
      else
        task.reject(
          message.error.code === 'canceled' && task.signal?.aborted
            ? canceled(task.signal)
            : AppError.from(message.error),
        );
      pump();
    });
    // A crashed worker (e.g. out of memory) fails its job clearly and is replaced; the pool keeps going.
    slot.worker.on('error', (error) => {
      const task = slot.task;
      slot.task = null;
      if (task) {
        finish(task);
        task.reject(new AppError('internal', `analysis worker failed: ${error.message}`));
      }
    });
    slot.worker.on('exit', () => {
      const index = slots.indexOf(slot);
      if (index >= 0) slots.splice(index, 1);
      if (slot.task) {
        const task = slot.task;
        slot.task = null;
        finish(task);
        task.reject(new AppError('internal', 'analysis worker exited during a job'));
      }
      if (!closed) {
        slots.push(spawn());
        pump();
      }
    });
    return slot;
  }

  function finish(task: Task) {
    if (task.onAbort) task.signal?.removeEventListener('abort', task.onAbort);
  }

  function pump() {
    for (const slot of slots) {
      if (!slot.ready || slot.task || queue.length === 0) continue;
      const task = queue.shift() as Task;
      slot.task = task;
      Atomics.store(slot.cancel, 0, 0);
      slot.worker.postMessage({ type: 'job', id: task.id, job: task.job } satisfies ToWorker);
    }
    // Workers keep the process alive only while there is work; an idle pool must not hold a CLI open.
    for (const slot of slots) {
      if (slot.task || (queue.length > 0 && !slot.ready)) slot.worker.ref();
      else slot.worker.unref();
    }
  }

  function submit<T extends JobOutput>(job: Job, signal?: AbortSignal): Promise<T> {
    if (closed) return Promise.reject(new AppError('unavailable', 'the analysis pool is closed'));
    if (signal?.aborted) return Promise.reject(canceled(signal));
    return new Promise<T>((resolve, reject) => {
      const task: Task = { id: nextId++, job, signal, resolve: resolve as (o: JobOutput) => void, reject };
      if (signal) {
        task.onAbort = () => {
          const queued = queue.indexOf(task);
          if (queued >= 0) {
            queue.splice(queued, 1);
            finish(task);
            reject(canceled(signal));
            return;
          }
          const running = slots.find((s) => s.task === task);
          if (running) Atomics.store(running.cancel, 0, task.id);
        };
        signal.addEventListener('abort', task.onAbort, { once: true });
      }
      queue.push(task);
      pump();
    });
  }

  for (let i = 0; i < size; i++) slots.push(spawn());
  pump();

  /** Runs one job per pair; a failed pair is reported in its outcome, a cancel rejects the whole batch. */
  async function runPairs<O extends JobOutput, R extends PairFailure>(
    pairs: { a: ScanRef; b: ScanRef }[],
    job: (pair: { a: ScanRef; b: ScanRef }) => Job,
    done: (base: PairFailure, output: O) => R,
    o: { signal?: AbortSignal; onProgress?: (p: { done: number; total: number; last: R }) => void },
  ): Promise<R[]> {
    const outcomes: R[] = new Array(pairs.length);
    let finished = 0;
    const runs = pairs.map((pair, index) =>
      submit<O>(job(pair), o.signal)
        .then(
          (output) => done({ index, a: pair.a, b: pair.b }, output),
          (error: AppError) =>
            ({
              index,
              a: pair.a,
              b: pair.b,
              error: error.toData ? error.toData() : { code: 'internal', message: String(error) },
            }) as R,
        )
        .then((outcome) => {
          outcomes[index] = outcome;
          finished++;
          if (!(outcome.error?.code === 'canceled'))
            o.onProgress?.({ done: finished, total: pairs.length, last: outcome });
        }),
    );
    await Promise.all(runs);
    if (o.signal?.aborted) {
      const ok = outcomes.filter((x) => !x.error).length;
      throw new AppError('canceled', `canceled after ${ok} of ${pairs.length} pairs`, {
        finished: ok,
        total: pairs.length,
      });
    }
    return outcomes;
  }

  const compareJob = (a: ScanRef, b: ScanRef, o: CompareOptions): CompareJob => ({
    kind: 'compare',
    a,
    b,
    params: o.params,
    preprocess: o.preprocess === undefined ? { ...cmcPreprocessDefaults } : o.preprocess,
    summaryOnly: o.summaryOnly,
    view: o.view,
  });

  return {
    size,
    ready() {
      if (closed) return Promise.reject(new AppError('unavailable', 'the analysis pool is closed'));
      if (allReady()) return Promise.resolve();
      return new Promise<void>((resolve, reject) => readyWaiters.push({ resolve, reject }));
    },
    compare(a, b, o = {}) {
      return submit<CompareOutput>(compareJob(a, b, o), o.signal);
    },
    signature(ref, o = {}) {
      const preprocess = o.preprocess === undefined ? { ...cmcPreprocessDefaults } : o.preprocess;
      return submit<SignatureOutput>({ kind: 'signature', ref, preprocess }, o.signal);
    },
    scorePairs(pairs, o = {}) {
      return runPairs<CompareOutput, PairOutcome>(
        pairs,
        (pair) => compareJob(pair.a, pair.b, { ...o, summaryOnly: o.summaryOnly ?? true }),
        (base, output) => ({ ...base, result: output.result }),
        o,
      );
    },
    registerPairs(pairs, o = {}) {
      const preprocess = o.preprocess === undefined ? { ...cmcPreprocessDefaults } : o.preprocess;
      return runPairs<RegisterOutput, RegistrationOutcome>(
        pairs,
        (pair) => ({ kind: 'register', a: pair.a, b: pair.b, params: o.params, preprocess }),
        (base, output) => ({ ...base, registration: output.registration }),
        o,
      );
    },
    async close() {
      closed = true;
      for (const waiter of readyWaiters.splice(0))
        waiter.reject(new AppError('canceled', 'the analysis pool was closed'));
      for (const task of queue.splice(0)) {
        finish(task);
        task.reject(new AppError('canceled', 'the analysis pool was closed'));
      }
      await Promise.all(slots.map((s) => s.worker.terminate()));
      slots.length = 0;
    },
  };
}
