// Timing rules of the outbox: when to try again, and how fast bytes may leave the station.

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1_000, maxMs: 10 * 60_000 };

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so stations that failed
 * together do not come back together, and no retry comes sooner than half the nominal delay.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const nominal = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(nominal / 2 + random() * (nominal / 2));
}

/** A token bucket shared by every upload of a worker: at most `bytesPerSecond` on average, bursts of one second. */
export class BandwidthLimiter {
  private readonly bytesPerSecond: number;
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();
  constructor(bytesPerSecond: number) {
    if (!(bytesPerSecond > 0)) throw new Error('a bandwidth limit must be positive');
    this.bytesPerSecond = bytesPerSecond;
    this.tokens = bytesPerSecond;
    this.last = performance.now();
  }

  /**
   * Resolves when `bytes` may be sent. Callers are served in order. A caller whose signal aborts is let go at once
   * (rejected with "canceled") and its bytes are not counted, so a stopped job neither waits for its turn nor
   * slows the others.
   */
  take(bytes: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new Error('canceled'));
    const turn = this.queue.then(async () => {
      if (signal?.aborted) return;
      const now = performance.now();
      this.tokens = Math.min(this.bytesPerSecond, this.tokens + ((now - this.last) / 1000) * this.bytesPerSecond);
      this.last = now;
      this.tokens -= bytes;
      if (this.tokens >= 0) return;
      const aborted = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(
          () => {
            signal?.removeEventListener('abort', onAbort);
            resolve(false);
          },
          (-this.tokens / this.bytesPerSecond) * 1000,
        );
        const onAbort = () => {
          clearTimeout(timer);
          resolve(true);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      if (aborted) this.tokens += bytes;
    });
    this.queue = turn;
    if (!signal) return turn;
    // The caller leaves as soon as it is stopped, even while earlier callers are still waiting their turn.
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(new Error('canceled'));
      signal.addEventListener('abort', onAbort, { once: true });
      void turn.then(() => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) reject(new Error('canceled'));
        else resolve();
      });
    });
  }
}

/**
 * At most `size` holders at once, served in order; a waiter whose signal aborts leaves the line with an error.
 * The worker's upload slots: how many requests send artifact bytes at the same time.
 */
export class Slots {
  private free: number;
  private readonly waiting: { grant: () => void }[] = [];
  constructor(size: number) {
    if (!(Number.isInteger(size) && size >= 1)) throw new Error('slots must be a positive integer');
    this.free = size;
  }

  /** Resolves with the function that gives the slot back (call it once, whatever happens). */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) throw new Error('canceled');
    if (this.free > 0) this.free--;
    else {
      await new Promise<void>((resolve, reject) => {
        const waiter = {
          grant: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          reject(new Error('canceled'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(waiter);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The slot passes straight to the next waiter, if any (it stays taken), or becomes free.
      const next = this.waiting.shift();
      if (next) next.grant();
      else this.free++;
    };
  }
}
