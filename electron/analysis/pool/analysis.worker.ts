// Worker thread of the analysis pool: loads OpenCV once, keeps prepared scans in a byte-bounded LRU cache and
// runs one job at a time. Cancellation arrives through a shared Int32 slot, because a running job never yields
// to the message loop.
import { parentPort, workerData } from 'node:worker_threads';
import { AppError, isAppError } from '../../contract/errors.ts';
import { loadOpenCv } from '../opencv.ts';
import { X3PError } from '../x3p/index.ts';
import { createCmcEngine } from '../cmc/compare.ts';
import { loadScan, preparedBytes, scanRefKey, type LoadedScan, type ScanRef } from '../scans.ts';
import type { PreprocessParamsInput } from '../preprocess.ts';
import { screeningSignature, type ScreeningSignature } from '../screening.ts';
import { cached } from '../cmc/prepared.ts';
import { registeredViews } from '../cmc/overlay.ts';
import { boundedCorrelation } from '../cmc/registration.ts';
import type {
  FromWorker,
  ToWorker,
  WorkerInit,
  CompareOutput,
  CompareJob,
  SignatureJob,
  SignatureOutput,
  RegisterJob,
  RegisterOutput,
} from './protocol.ts';

const port = parentPort;
if (!port) throw new Error('analysis.worker.ts must run in a worker thread');
const init = workerData as WorkerInit;
const cancelSlot = new Int32Array(init.cancel);

const cv = await loadOpenCv();
const engine = createCmcEngine(cv);
const cache = new Map<string, { loaded: LoadedScan; bytes: number }>();

async function scanFor(ref: ScanRef, preprocess: PreprocessParamsInput | null): Promise<LoadedScan> {
  const key = scanRefKey(ref, preprocess);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit); // most recently used goes last
    return hit.loaded;
  }
  const loaded = await loadScan(cv, ref, preprocess);
  cache.set(key, { loaded, bytes: preparedBytes(loaded.scan) });
  return loaded;
}

function trimCache(): void {
  let total = 0;
  for (const entry of cache.values()) entry.bytes = preparedBytes(entry.loaded.scan);
  for (const entry of cache.values()) total += entry.bytes;
  for (const [key, entry] of cache) {
    if (total <= init.cacheBytes) break;
    cache.delete(key);
    total -= entry.bytes;
  }
}

function signalFor(id: number): AbortSignal {
  // Only `aborted` and `reason` are read by the engine (throwIfAborted).
  return {
    get aborted() {
      return Atomics.load(cancelSlot, 0) === id;
    },
    reason: new Error('the analysis was canceled'),
  } as AbortSignal;
}

async function runCompare(id: number, job: CompareJob): Promise<CompareOutput> {
  const a = await scanFor(job.a, job.preprocess);
  const b = await scanFor(job.b, job.preprocess);
  const result = engine.compare(a.scan, b.scan, job.params ?? {}, signalFor(id));
  if (job.summaryOnly) for (const d of result.directions) d.cells = [];
  const views = job.view
    ? registeredViews(a.scan.raster, b.scan.raster, result.registration, result.pixelSize, job.view.maxSide)
    : undefined;
  const sizes = {
    a: { width: a.scan.raster.width, height: a.scan.raster.height },
    b: { width: b.scan.raster.width, height: b.scan.raster.height },
  };
  return { result, preprocessing: { a: a.preprocessing, b: b.preprocessing }, views, sizes };
}

async function runSignature(job: SignatureJob): Promise<SignatureOutput> {
  const { scan } = await scanFor(job.ref, job.preprocess);
  return { signature: cached<ScreeningSignature>(scan, 'screening', () => screeningSignature(scan)) };
}

async function runRegister(id: number, job: RegisterJob): Promise<RegisterOutput> {
  const a = await scanFor(job.a, job.preprocess);
  const b = await scanFor(job.b, job.preprocess);
  const { thetaDeg, tx, ty, score } = engine.register(a.scan, b.scan, job.params ?? {}, signalFor(id));
  return { registration: { thetaDeg, tx, ty, score: boundedCorrelation(score) } };
}

function errorData(error: unknown) {
  if (isAppError(error)) return error.toData();
  // X3P reader errors carry their own codes; they are bad input, not internal failures.
  if (error instanceof X3PError) return new AppError('invalid_input', error.message, { reason: error.code }).toData();
  const e = error as { code?: string; message?: string };
  if (e?.code === 'ENOENT') return new AppError('not_found', e.message ?? 'file not found').toData();
  return new AppError('internal', e?.message ?? String(error)).toData();
}

port.on('message', async (message: ToWorker) => {
  if (message.type !== 'job') return;
  const { id, job } = message;
  let reply: FromWorker;
  try {
    if (job.kind === 'compare') reply = { type: 'result', id, output: await runCompare(id, job) };
    else if (job.kind === 'signature') reply = { type: 'result', id, output: await runSignature(job) };
    else if (job.kind === 'register') reply = { type: 'result', id, output: await runRegister(id, job) };
    else throw new AppError('invalid_input', `unknown job kind ${(job as { kind: string }).kind}`);
  } catch (error) {
    reply = { type: 'error', id, error: errorData(error) };
  } finally {
    trimCache();
  }
  port.postMessage(reply);
});
port.postMessage({ type: 'ready' } satisfies FromWorker);
