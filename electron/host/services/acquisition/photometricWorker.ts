// The host's side of photometric.worker.ts: one worker thread per capture run, requests answered in order.
import { Worker } from 'node:worker_threads';
import { workerUrl } from '../../../base/workerUrl.ts';
import type { Reconstruct } from './captureRunner.ts';
import type { ReconstructReply, ReconstructRequest } from './photometric.worker.ts';

export interface PhotometricWorker {
  reconstruct: Reconstruct;
  close(): Promise<void>;
}

export function startPhotometricWorker(): PhotometricWorker {
  const worker = new Worker(workerUrl('photometric.worker', import.meta.url));
  const pending = new Map<
    number,
    { resolve: (r: Extract<ReconstructReply, { ok: true }>) => void; reject: (e: Error) => void }
  >();
  let nextId = 1;
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure = error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.on('message', (reply: ReconstructReply) => {
    const entry = pending.get(reply.id);
    if (!entry) return;
    pending.delete(reply.id);
    if (reply.ok) entry.resolve(reply);
    else entry.reject(reply.name === 'RangeError' ? new RangeError(reply.message) : new Error(reply.message));
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the photometric stereo worker stopped (exit code ${code})`)));
  return {
    reconstruct(input, dx, dy) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, {
          resolve: (r) =>
            resolve({ surface: { width: r.width, height: r.height, dx: r.dx, dy: r.dy, z: r.z }, valid: r.valid }),
          reject,
        });
        const request: ReconstructRequest = { id, input, dx, dy };
        // The images are not needed here afterwards: hand their memory over instead of copying 40 MB.
        worker.postMessage(request, [
          ...input.images.map((i) => i.buffer as ArrayBuffer),
          ...(input.saturated ?? []).map((s) => s.buffer as ArrayBuffer),
        ]);
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
