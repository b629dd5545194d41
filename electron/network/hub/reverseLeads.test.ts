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

/** Writes the pair through a store and reads both sides' leads. */
async function bothSides(records: {
  insert(r: ReturnType<typeof lab>, cert: string): unknown;
  saveCorrelation(id: string, leads: NewLead[], notes: string[], at: string): unknown;
  leadsFor(id: string): unknown;
}) {
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
  });

  it('are stored honestly by the SQLite hub', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'casebench-reverse-'));
    const records = openSqliteRecords(join(dir, 'hub.sqlite'));
    try {
      expectHonest(await bothSides(records));
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

    it('are stored honestly by the PostgreSQL hub', async () => {
      await migrateHub(pool);
      expectHonest(await bothSides(openPostgresRecords(pool, { closePool: false })));
    });
  });
});
