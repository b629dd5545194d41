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

  /** Resolves when `bytes` may be sent. Callers are served in order. */
  take(bytes: number): Promise<void> {
    const turn = this.queue.then(async () => {
      const now = performance.now();
      this.tokens = Math.min(this.bytesPerSecond, this.tokens + ((now - this.last) / 1000) * this.bytesPerSecond);
      this.last = now;
      this.tokens -= bytes;
      if (this.tokens < 0) await new Promise((r) => setTimeout(r, (-this.tokens / this.bytesPerSecond) * 1000));
    });
    this.queue = turn;
    return turn;
  }
}
