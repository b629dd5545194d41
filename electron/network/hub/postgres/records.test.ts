// writeCorrelation's statements, seen through a recording client (pure logic; the real PostgreSQL paths are in
// tests/integration/hubPostgres and hub/reverseLeads.test.ts): the lead rows go in one global order, so that two
// correlations that cross (A→B and B→A inserted by both) cannot deadlock on each other's unique keys.
import { describe, expect, it } from 'vitest';
import type { NewLead } from '../storage.ts';
import { writeCorrelation } from './records.ts';

const lead = (otherSubmissionId: string, score: number): NewLead => ({
  otherSubmissionId,
  score,
  scorer: 'cmc/test',
  detail: { cmcAb: score, cmcBa: score, screening: 0.5 },
});

/** The (from, to) rows the leads INSERT is given, in the order it inserts them (ORDER BY the arrays' ordinality). */
async function insertedPairs(id: string, leads: NewLead[]): Promise<[string, string][]> {
  const statements: { text: string; values: unknown[] }[] = [];
  const client = {
    query: async (text: string, values: unknown[] = []) => {
      statements.push({ text, values });
      return { rows: [], rowCount: 0 };
    },
  } as unknown as Parameters<typeof writeCorrelation>[0];
  await writeCorrelation(client, id, leads, [], new Date(0).toISOString());
  const insert = statements.find((s) => s.text.includes('INSERT INTO leads'))!;
  expect(insert.text).toMatch(/WITH ORDINALITY[\s\S]*ORDER BY r\.i/);
  const [from, to] = insert.values as [string[], string[]];
  return from.map((f, i) => [f, to[i]!]);
}

describe('writeCorrelation (PostgreSQL) row order', () => {
  it('inserts the lead rows of both directions sorted by (from, to) submission ids, whatever the ranking', async () => {
    const rows = await insertedPairs('m', [lead('z', 9), lead('a', 7), lead('q', 5)]);
    expect(rows).toEqual([
      ['a', 'm'],
      ['m', 'a'],
      ['m', 'q'],
      ['m', 'z'],
      ['q', 'm'],
      ['z', 'm'],
    ]);
  });

  it('gives two crossing correlations the same order for the rows they share', async () => {
    const fromA = await insertedPairs('A', [lead('B', 3), lead('C', 2)]);
    const fromB = await insertedPairs('B', [lead('C', 4), lead('A', 3)]);
    const shared = (rows: [string, string][]) =>
      rows.filter(([f, t]) => (f === 'A' && t === 'B') || (f === 'B' && t === 'A'));
    expect(shared(fromA)).toEqual(shared(fromB));
  });
});
