// Calls into a worker thread by method name, for work that must not hold up the event loop (the hub hashes artifact
// files and keeps its records database this way). Each reply finds its request by id; a thread that dies fails its pending calls with
// the reason, and the next call starts a new one. An idle thread does not keep the process alive.
import { parentPort, Worker } from 'node:worker_threads';

type Request = { id: number; method: string; args: unknown[] };
type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

export interface ThreadClient {
  call<T>(method: string, args: unknown[]): Promise<T>;
  /** Fails calls from now on and stops the thread (after `lastCall`, when given, has run in it). */
  close(lastCall?: string): Promise<void>;
}

export function startThread(url: URL, what: string, workerData?: unknown): ThreadClient {
  let worker: Worker | undefined;
  let closed = false;
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const failAll = (error: Error) => {
    worker = undefined;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const running = () => {
    if (worker) return worker;
    const started = new Worker(url, { workerData });
    started.on('message', (reply: Reply) => {
      const entry = pending.get(reply.id);
      if (!entry) return;
      pending.delete(reply.id);
      if (reply.ok) entry.resolve(reply.value);
      else entry.reject(new Error(reply.message));
      if (pending.size === 0) started.unref();
    });
    started.on('error', (error) => {
      if (worker === started) failAll(new Error(`${what}: ${error.message}`));
    });
    started.on('exit', (code) => {
      if (worker === started) failAll(new Error(`${what} stopped (exit code ${code})`));
    });
    started.unref();
    return (worker = started);
  };
  const send = <T>(method: string, args: unknown[]): Promise<T> => {
    const thread = running();
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      thread.ref();
      thread.postMessage({ id, method, args } satisfies Request);
    });
  };
  // Started now, not at the first call: a thread takes tens of milliseconds to start.
  running();
  return {
    call(method, args) {
      if (closed) return Promise.reject(new Error(`${what} is closed`));
      return send(method, args);
    },
    async close(lastCall) {
      if (closed) return;
      closed = true;
      if (lastCall && worker) await send(lastCall, []).catch(() => {});
      const thread = worker;
      worker = undefined;
      if (thread) await thread.terminate();
      failAll(new Error(`${what} is closed`));
    },
  };
}

/** Inside the worker thread: answers calls with the handlers (their value or their error's message). */
export function serveInThread(handlers: Record<string, (...args: never[]) => unknown>): void {
  parentPort!.on('message', async ({ id, method, args }: Request) => {
    let reply: Reply;
    try {
      const handler = handlers[method];
      if (!handler) throw new Error(`no method ${method}`);
      reply = { id, ok: true, value: await (handler as (...a: unknown[]) => unknown)(...args) };
    } catch (error) {
      reply = { id, ok: false, message: (error as Error).message };
    }
    parentPort!.postMessage(reply);
  });
}
