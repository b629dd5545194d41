// Fault injection for tests and soak runs: the hub misbehaves the way real networks and servers do.
import { z } from 'zod';

export const faultsSchema = z.strictObject({
  /** Fraction of requests answered 503 before any work is done. */
  errorRate: z.number().min(0).max(1).default(0),
  /** Added delay before each request is handled, ms. */
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  /** Fraction of chunk uploads cut off half-way (half the chunk is kept, then the connection is destroyed). */
  dropMidUploadRate: z.number().min(0).max(1).default(0),
  /** Fraction of requests fully processed whose response is then lost (connection destroyed). */
  dropResponseRate: z.number().min(0).max(1).default(0),
  /** Fraction of requests processed twice, as a retrying proxy would deliver them. */
  duplicateRate: z.number().min(0).max(1).default(0),
  /** Seed of the fault dice, so a failing run can be repeated. */
  seed: z.number().int().default(1),
});
export type Faults = z.output<typeof faultsSchema>;
export type FaultsInput = z.input<typeof faultsSchema>;

/** mulberry32: a small seeded generator; Math.random cannot be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
