// Each lead is stored both ways; the other casing's side must not show the figures of a search it never ran. On both
// hub stores (a real SQLite file, a real PostgreSQL cluster): the forward lead keeps its search's figures (screened,
// registered, fully scored, cut, miss rate, the candidate's place); the reverse lead keeps the pair's own figures (CMC
// directions swapped, screening, registration, LR) and holds the search's figures only under `foundBy`, labelled as
// the search of the casing that found it. Both stay valid wire leads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestPostgres, type TestPostgres } from '../../../tests/fixtures/postgres.ts';
import { leadSchema } from '../protocol.ts';
import { openPostgresPool, type PgPool } from './postgres/connect.ts';
import { migrateHub } from './postgres/migrate.ts';
import { openPostgresRecords } from './postgres/records.ts';
import { reverseLeadDetail } from './recordRows.ts';
import { openSqliteRecords } from './sqliteRecords.ts';
import type { NewLead, SubmissionRecord } from './storage.ts';

const lab = (id: string, labId: string): Omit<SubmissionRecord, 'state' | 'receipt' | 'receiptSignature'> => ({
  id,
  idempotencyKey: id,
  labId,
  stationId: 'ST-1',
  caseRef: `C-${labId}`,
  itemRef: 'I',
  calibre: '9mm Luger',
  manifest: {
    protocol: 'casebench-exchange/1',
    idempotencyKey: id,
    lab: { labId, stationId: 'ST-1' },
    createdAt: new Date(0).toISOString(),
    caseRef: `C-${labId}`,
    itemRef: 'I',
    specimen: { calibre: '9mm Luger' },
    artifacts: [{ role: 'x3p', name: 'a.x3p', mediaType: 'application/x3p+zip', sha256: id[0]!.repeat(64), size: 1 }],
  },
  manifestSha256: 'b'.repeat(64),
  signature: 'c',
  createdAt: new Date(0).toISOString(),
});
const query = '11111111-1111-4111-8111-111111111111';
const other = '22222222-2222-4222-8222-222222222222';

const lead: NewLead = {
  otherSubmissionId: other,
  score: 12,
  scorer: 'cmc/casebench-analysis-1',
  detail: {
    cmcAb: 12,
    cmcBa: 15,
    screening: 0.61,
    calibrated: 'a count this high occurs in 0 of 717 known non-matches',
    screened: 100_000,
    registered: 40,
    fullyScored: 10,
    cut: 0.42,
    expectedMissRate: 0.05,
    cutReference: 'Fadul 40 casings',
    signatureRank: 25,
    registration: 0.58,
  },
};

type Store = {
  insert(r: ReturnType<typeof lab>, cert: string): unknown;
  saveCorrelation(id: string, leads: NewLead[], notes: never[], at: string): unknown;
  leadsFor(id: string, limit?: number): unknown;
  leadCount(id: string): unknown;
  lead(id: string, leadId: number): unknown;
  feed(labId: string, after: number, limit: number): unknown;
};
type StoredLead = { leadId: number; otherSubmissionId: string; score: number; detail: Record<string, unknown> };

/**
 * Two labs' matching casings committed close together, each in the other's population: the query's correlation
 * finishes SECOND, after the other's stored the pair both ways. The query's lead must carry its own search's figures
 * (its forward row replaces the reverse row, same lead id, no second feed event); the other's lead keeps its own.
 */
async function crossedCorrelations(records: Store) {
  await records.insert(lab(other, 'LAB-2'), 'cert');
  await records.insert(lab(query, 'LAB-1'), 'cert');
  const theirs: NewLead = {
    ...lead,
    otherSubmissionId: query,
    detail: { ...lead.detail!, cmcAb: 15, cmcBa: 12, screened: 5_000, signatureRank: 3 },
  };
  await records.saveCorrelation(other, [theirs], [], new Date(1_000).toISOString());
  const [reverseFirst] = (await records.leadsFor(query)) as StoredLead[];
  expect(reverseFirst!.detail.foundBy).toMatchObject({ screened: 5_000 });
  await records.saveCorrelation(query, [lead], [], new Date(2_000).toISOString());
  const ours = (await records.leadsFor(query)) as StoredLead[];
  expect(ours).toHaveLength(1);
  expect(ours[0]!.leadId).toBe(reverseFirst!.leadId);
  expect(ours[0]!.detail).toEqual(lead.detail); // our own search's figures, no foundBy
  const [theirLead] = (await records.leadsFor(other)) as StoredLead[];
  expect(theirLead!.detail).toEqual(theirs.detail); // a reverse row never replaces a forward one
  expect(((await records.feed('LAB-1', 0, 100)) as { lead?: StoredLead }[]).map((e) => e.lead?.leadId)).toEqual([
    ours[0]!.leadId,
  ]);
}

/** A submission's best leads come from the database already cut (LIMIT), with the count of all of them. */
async function bestLeads(records: Store) {
  const many = ['3', '4', '5', '6'].map(
    (d) => `${d.repeat(8)}-${d.repeat(4)}-4${d.repeat(3)}-8${d.repeat(3)}-${d.repeat(12)}`,
  );
  for (const id of many) await records.insert(lab(id, 'LAB-3'), 'cert');
  await records.insert(lab(query, 'LAB-1'), 'cert');
  const leads = many.map((id, i) => ({ ...lead, otherSubmissionId: id, score: [4, 9, 9, 1][i]! }));
  await records.saveCorrelation(query, leads, [], new Date(1_000).toISOString());
  const best = (await records.leadsFor(query, 2)) as StoredLead[];
  expect(best.map((l) => [l.otherSubmissionId, l.score])).toEqual([
    [many[1], 9],
    [many[2], 9],
  ]);
  expect(((await records.leadsFor(query)) as StoredLead[]).map((l) => l.score)).toEqual([9, 9, 4, 1]);
  expect(await records.leadCount(query)).toBe(4);
  expect(await records.leadCount(many[0]!)).toBe(1);
  expect(await records.lead(query, best[0]!.leadId)).toEqual(best[0]);
  const [theirs] = (await records.leadsFor(many[0]!)) as StoredLead[];
  expect(await records.lead(query, theirs!.leadId)).toBeUndefined(); // another submission's lead
}

/** Writes the pair through a store and reads both sides' leads. */
async function bothSides(records: Store) {
  await records.insert(lab(other, 'LAB-2'), 'cert');
  await records.insert(lab(query, 'LAB-1'), 'cert');
  await records.saveCorrelation(query, [lead], [], new Date(1_000).toISOString());
  const [forward] = (await records.leadsFor(query)) as { detail: Record<string, unknown> }[];
  const [reverse] = (await records.leadsFor(other)) as { detail: Record<string, unknown> }[];
  return { forward: forward!, reverse: reverse! };
}

function expectHonest({ forward, reverse }: Awaited<ReturnType<typeof bothSides>>) {
  expect(forward.detail).toEqual(lead.detail);
  expect(reverse.detail).toEqual({
    cmcAb: 15,
    cmcBa: 12,
    screening: 0.61,
    calibrated: lead.detail!.calibrated,
    registration: 0.58,
    foundBy: {
      screened: 100_000,
      registered: 40,
      fullyScored: 10,
      cut: 0.42,
      expectedMissRate: 0.05,
      cutReference: 'Fadul 40 casings',
      signatureRank: 25,
    },
  });
  for (const side of [forward, reverse]) expect(leadSchema.safeParse(side).success).toBe(true);
}

describe('reverse leads', () => {
  it('move the search figures under foundBy and keep the pair figures (a detail without search figures has none)', () => {
    expect(reverseLeadDetail({ cmcAb: 1, cmcBa: 2, screening: 0.3 })).toEqual({ cmcAb: 2, cmcBa: 1, screening: 0.3 });
    const range = { low: 0.3, high: 0.9 };
    expect(
      reverseLeadDetail({ cmcAb: 1, cmcBa: 2, screening: 0.3, missRateRange: range, missRateEstimable: false }),
    ).toEqual({ cmcAb: 2, cmcBa: 1, screening: 0.3, foundBy: { missRateRange: range, missRateEstimable: false } });
  });

  const checks = [
    ['are stored honestly', async (records: Store) => expectHonest(await bothSides(records))],
    ["keep the figures of each search when two labs' correlations cross", crossedCorrelations],
    ['come best first, cut by the database, with their count', bestLeads],
  ] as const;

  for (const [name, check] of checks)
    it(`${name} (SQLite hub)`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'casebench-reverse-'));
      const records = openSqliteRecords(join(dir, 'hub.sqlite'));
      try {
        await check(records);
      } finally {
        records.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });

  describe('on PostgreSQL', () => {
    let pg: TestPostgres;
    let pool: PgPool;
    beforeAll(() => {
      pg = startTestPostgres();
      pool = openPostgresPool(pg.url, { max: 2 });
    });
    afterAll(async () => {
      await pool?.end();
      pg?.destroy();
    });

    for (const [name, check] of checks)
      it(`${name} (PostgreSQL hub)`, async () => {
        await pool.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
        await migrateHub(pool);
        await check(openPostgresRecords(pool, { closePool: false }));
      });
  });
});
