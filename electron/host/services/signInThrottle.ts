// Slowing down password guessing without handing anyone a way to lock a person out. Failures are counted per
// source (a browser's access cookie, the desktop window, a script's address) and account: after a few, that source
// must wait before trying that account again, twice as long after each further failure. Other sources are not
// slowed, so whoever holds the station's link cannot lock the administrator out by failing five times. Because a
// link holder can make new sources at will (a new cookie per try), failures of an account are also counted across
// all sources: past a larger number, sources that have not signed in to that account during this run wait too,
// while those that have (the administrator's own browser) and the desktop window are never held up by others.
// Memory stays bounded whatever is tried: at most `maxEntries` counters are kept, the stalest dropped first.

export interface ThrottleLimits {
  /** Failures a source may make on an account before it has to wait. */
  freePerSource: number;
  /** Failures of an account, all sources together, before untrusted sources have to wait. */
  freePerAccount: number;
  /** The first wait; it doubles with each further failure. */
  baseWaitMs: number;
  maxWaitMs: number;
  /** Counters untouched for this long are forgotten. */
  forgetAfterMs: number;
  maxEntries: number;
}

export const signInLimits: ThrottleLimits = {
  freePerSource: 5,
  freePerAccount: 20,
  baseWaitMs: 30_000,
  maxWaitMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxEntries: 10_000,
};

interface Counter {
  failures: number;
  lastFailure: number;
}

/** Sources always trusted for the account-wide count: the station's own desktop window. */
const alwaysTrusted = new Set(['electron']);

export class SignInThrottle {
  private readonly perSource = new Map<string, Counter>();
  private readonly perAccount = new Map<string, Counter>();
  /** `source \n account` pairs that signed in during this run. */
  private readonly trusted = new Set<string>();

  private readonly now: () => number;
  private readonly limits: ThrottleLimits;

  constructor(now: () => number, limits: ThrottleLimits = signInLimits) {
    this.now = now;
    this.limits = limits;
  }

  /** Milliseconds `source` must still wait before trying `account` again; 0 when it may try now. */
  waitMs(source: string, account: string): number {
    const now = this.now();
    const own = this.remaining(this.live(this.perSource, pair(source, account), now), this.limits.freePerSource, now);
    if (alwaysTrusted.has(source) || this.trusted.has(pair(source, account))) return own;
    const shared = this.remaining(this.live(this.perAccount, account, now), this.limits.freePerAccount, now);
    return Math.max(own, shared);
  }

  failed(source: string, account: string): void {
    const now = this.now();
    this.count(this.perSource, pair(source, account), now);
    this.count(this.perAccount, account, now);
  }

  /** A right password: this source's count for the account ends, and it is trusted for that account. */
  succeeded(source: string, account: string): void {
    this.perSource.delete(pair(source, account));
    this.trusted.delete(pair(source, account)); // re-inserted last: the set is bounded by age too
    this.trusted.add(pair(source, account));
    trim(this.trusted, this.limits.maxEntries);
  }

  private live(counters: Map<string, Counter>, key: string, now: number): Counter | undefined {
    const counter = counters.get(key);
    if (counter && now - counter.lastFailure > this.limits.forgetAfterMs) {
      counters.delete(key);
      return undefined;
    }
    return counter;
  }

  private remaining(counter: Counter | undefined, free: number, now: number): number {
    if (!counter || counter.failures < free) return 0;
    const wait = Math.min(this.limits.maxWaitMs, this.limits.baseWaitMs * 2 ** Math.min(30, counter.failures - free));
    return Math.max(0, counter.lastFailure + wait - now);
  }

  private count(counters: Map<string, Counter>, key: string, now: number): void {
    const counter = this.live(counters, key, now) ?? { failures: 0, lastFailure: now };
    counters.delete(key); // re-inserted last, so the first entry is always the stalest
    counters.set(key, { failures: counter.failures + 1, lastFailure: now });
    trim(counters, this.limits.maxEntries);
  }
}

const pair = (source: string, account: string) => `${source}\n${account}`;

function trim(entries: Map<string, unknown> | Set<string>, max: number): void {
  for (const key of entries.keys()) {
    if (entries.size <= max) return;
    entries.delete(key);
  }
}
