// SHA-256 of files in a worker thread. The hub checks every received artifact against its manifest hash; done on
// its event loop, that hashing took about an eighth of the loop's time in a drain of many small files, time the
// loop could not spend taking bytes off the connections.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { HashReply, HashRequest } from './hash.worker.ts';

export interface FileHasher {
  /** The file's SHA-256 (hex) and size, as read now. */
  hash(path: string): Promise<{ sha256: string; size: number }>;
  close(): Promise<void>;
}

/** The TypeScript source when running unbuilt, else a built sibling. */
function workerUrl(): URL {
  const source = new URL('./hash.worker.ts', import.meta.url);
  return existsSync(fileURLToPath(source)) ? source : new URL('./hash.worker.js', import.meta.url);
}

/** One thread, started at once and again after it died (its pending requests fail with the reason). */
export function startFileHasher(): FileHasher {
  let worker: Worker | undefined;
  let closed = false;
  let nextId = 1;
  const pending = new Map<number, { resolve: (r: { sha256: string; size: number }) => void; reject: (e: Error) => void }>();
  const failAll = (error: Error) => {
    worker = undefined;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const running = () => {
    if (worker) return worker;
    const started = new Worker(workerUrl());
    started.on('message', (reply: HashReply) => {
      const entry = pending.get(reply.id);
      if (!entry) return;
      pending.delete(reply.id);
      if (reply.ok) entry.resolve({ sha256: reply.sha256, size: reply.size });
      else entry.reject(new Error(reply.message));
      // An idle hasher does not keep the process alive.
      if (pending.size === 0) started.unref();
    });
    started.on('error', (error) => {
      if (worker === started) failAll(error);
    });
    started.on('exit', (code) => {
      if (worker === started) failAll(new Error(`the file hasher thread stopped (exit code ${code})`));
    });
    return (worker = started);
  };
  // Started now, not at the first file: a thread takes tens of milliseconds to start.
  running().unref();
  return {
    hash(path) {
      if (closed) return Promise.reject(new Error('the file hasher is closed'));
      const thread = running();
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        thread.ref();
        thread.postMessage({ id, path } satisfies HashRequest);
      });
    },
    async close() {
      closed = true;
      const thread = worker;
      worker = undefined;
      if (thread) await thread.terminate();
      failAll(new Error('the file hasher is closed'));
    },
  };
}
