// SHA-256 of uploads in progress, computed on a thread of its own. Hashing is the one CPU-heavy step of storing
// an upload (about as costly as the TLS decryption of the same bytes); on the event loop it would hold up every
// other station's upload, here it overlaps with them. The bytes still pass through exactly one hash, in order.
import { Worker } from 'node:worker_threads';

// Plain CommonJS evaluated in the worker: nothing to resolve or bundle.
const workerSource = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'update') {
    let hash = hashes.get(m.id);
    if (!hash) hashes.set(m.id, (hash = createHash('sha256')));
    hash.update(new Uint8Array(m.bytes));
  } else if (m.op === 'digest') {
    const hash = hashes.get(m.id) ?? createHash('sha256');
    hashes.delete(m.id);
    parentPort.postMessage({ id: m.id, digest: hash.digest('hex') });
  } else if (m.op === 'drop') hashes.delete(m.id);
});`;

export class HashThread {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (digest: string) => void; reject: (error: Error) => void }>();
  private failure: Error | undefined;

  private thread(): Worker {
    if (this.failure) throw this.failure;
    if (!this.worker) {
      const worker = new Worker(workerSource, { eval: true });
      // Idle uploads must not keep a process alive (tests and tools open stores just to read them).
      worker.unref();
      worker.on('message', (m: { id: number; digest: string }) => {
        this.waiting.get(m.id)?.resolve(m.digest);
        this.waiting.delete(m.id);
      });
      const fail = (error: Error) => {
        this.failure = error;
        for (const w of this.waiting.values()) w.reject(error);
        this.waiting.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`hash thread exited (${code})`)));
      this.worker = worker;
    }
    return this.worker;
  }

  /** A new running hash; its id names it in the calls below. */
  start(): number {
    return this.nextId++;
  }

  /** Adds bytes, in order. The block's memory moves to the hash thread: the caller must not use `block` after. */
  update(id: number, block: Uint8Array<ArrayBuffer>): void {
    if (block.byteOffset !== 0 || block.byteLength !== block.buffer.byteLength) throw new Error('a hash block must own its whole buffer');
    this.thread().postMessage({ op: 'update', id, bytes: block.buffer }, [block.buffer]);
  }

  /** The hex SHA-256 of everything added; the running hash is gone after. Rejects if the thread failed. */
  digest(id: number): Promise<string> {
    return new Promise((resolve, reject) => {
      try {
        this.thread().postMessage({ op: 'digest', id });
        this.waiting.set(id, { resolve, reject });
      } catch (error) {
        reject(error as Error);
      }
    });
  }

  drop(id: number): void {
    if (this.worker && !this.failure) this.worker.postMessage({ op: 'drop', id });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failure = new Error('the artifact store is closed');
    if (worker) await worker.terminate();
  }
}
