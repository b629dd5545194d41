// writeCorrelation's statements, seen through a recording client (pure logic; the real PostgreSQL paths are in
// tests/integration/hubPostgres and hub/reverseLeads.test.ts). Two correlations that cross (A→B and B→A inserted by
// both) must not deadlock on each other's unique keys: each takes a lock per pair of casings first, in one global
// order. The rows themselves go in by rank, so lead ids keep the correlation's order among equal scores.
import { describe, expect, it } from 'vitest';
import type { NewLead } from '../storage.ts';
import { writeCorrelation } from './records.ts';

const lead = (otherSubmissionId: string, score: number): NewLead => ({
  otherSubmissionId,
  score,
  scorer: 'cmc/test',
  detail: { cmcAb: score, cmcBa: score, screening: 0.5 },
});

/** The pair locks taken before the leads INSERT, and the (from, to) rows that INSERT is given, in its order. */
async function written(id: string, leads: NewLead[]): Promise<{ locks: string[]; rows: [string, string][] }> {
  const statements: { text: string; values: unknown[] }[] = [];
  const client = {
    query: async (text: string, values: unknown[] = []) => {
      statements.push({ text, values });
      return { rows: [], rowCount: 0 };
    },
  } as unknown as Parameters<typeof writeCorrelation>[0];
  await writeCorrelation(client, id, leads, [], new Date(0).toISOString());
  const insertAt = statements.findIndex((s) => s.text.includes('INSERT INTO leads'));
  const insert = statements[insertAt]!;
  expect(insert.text).toMatch(/WITH ORDINALITY[\s\S]*ORDER BY r\.i/);
  const locks = statements
    .slice(0, insertAt)
    .filter((s) => s.text.includes('pg_advisory_xact_lock'))
    .map((s) => String(s.values[0]));
  const [from, to] = insert.values as [string[], string[]];
  return { locks, rows: from.map((f, i) => [f, to[i]!]) };
}

describe('writeCorrelation (PostgreSQL)', () => {
  it('locks each pair of casings in sorted order before inserting, then inserts the rows by rank', async () => {
    const { locks, rows } = await written('m', [lead('z', 5), lead('a', 5), lead('q', 5)]);
    expect(locks).toEqual(['lead pair a m', 'lead pair m q', 'lead pair m z']);
    expect(rows).toEqual([
      ['m', 'z'],
      ['z', 'm'],
      ['m', 'a'],
      ['a', 'm'],
      ['m', 'q'],
      ['q', 'm'],
    ]);
  });

  it('gives two crossing correlations the same lock for the pair they share, taken in the same order', async () => {
    const fromA = await written('A', [lead('B', 3), lead('C', 2)]);
    const fromB = await written('B', [lead('C', 4), lead('A', 3)]);
    expect(fromA.locks).toEqual(['lead pair A B', 'lead pair A C']);
    expect(fromB.locks).toEqual(['lead pair A B', 'lead pair B C']);
  });
});
