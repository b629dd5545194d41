/** Milliseconds to wait before reconnection attempt `attempt` (1-based): doubling from 250 ms, capped at 10 s, with ±20 % jitter so many tabs do not retry in step. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(10_000, 250 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}
