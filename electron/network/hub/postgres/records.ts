// The hub's records in PostgreSQL: the same HubRecords the SQLite hub offers, for any number of hub front ends
// (stateless: nonces and uploads' records live here too) and correlation workers on one database. A commit enqueues
// the submission's correlation job in its own transaction; feed events are numbered in commit order.
import { manifestRegion, type CorrelationNote, type FeedEvent } from '../../protocol.ts';
import { notesFromStore, notesToStore } from '../notes.ts';
import {
  forwardReplacesReverse,
  leadSelect,
  networkHitSelect,
  toHit,
  toLead,
  toNetworkHit,
  reverseLeadDetail,
  toRecord,
  type HitRow,
  type LeadRow,
  type NetworkHitRow,
  type SubmissionRow,
} from '../recordRows.ts';
import type { HubRecords, NewLead } from '../storage.ts';
import { inTransaction, type PgClient, type PgPool } from './connect.ts';

/** Wakes the workers listening (LISTEN) when a job is queued; they also look on their own every second. */
export const jobsChannel = 'casebench_correlation_jobs';

/**
 * Feed events get their number (a sequence) when inserted but become visible at commit: two transactions could
 * commit out of number order, and a station that had read up to the later number would never see the earlier one.
 * Writers of feed events therefore take this lock first; it is held until their commit, so numbers follow commits.
 */
export const feedLock = 7_264_115_002;

type Queryable = Pick<PgClient, 'query'>;

/**
 * Stores a correlation's leads both ways with their feed events and marks the submission correlated. The leads go
 * in with one statement, then the feed lock is taken and the feed events written with one more: the lock, which
 * every writer of feed events waits for, is held only for that statement and the commit.
 */
export async function writeCorrelation(
  client: Queryable,
  id: string,
  leads: NewLead[],
  notes: CorrelationNote[],
  at: string,
): Promise<{ feedLockWaitMs: number }> {
  // Each lead seen from both sides: the same pair, with the two directions of the count swapped. A forward row (this
  // search's own figures) replaces a reverse row stored before it (another lab's matching casing, correlated at the
  // same time, found this pair first and stored it for us under foundBy): our search's figures are not lost.
  const rows = leads.flatMap((lead) => [
    { from: id, to: lead.otherSubmissionId, lead, detail: lead.detail },
    {
      from: lead.otherSubmissionId,
      to: id,
      lead,
      detail: lead.detail && reverseLeadDetail(lead.detail),
    },
  ]);
  const stored = notesToStore(notes);
  await client.query(
    `UPDATE submissions SET state = 'correlated', correlated_at = $1, correlation_notes = $2, correlation_note_codes = $3
     WHERE id = $4`,
    [at, stored.texts, stored.codes, id],
  );
  let feedLockWaitMs = 0;
  if (rows.length > 0) {
    // Two correlations crossing (A's leads A→B and B→A, B's leads B→A and A→B, committed at the same time) would each
    // wait on the unique key the other inserted first, and deadlock. Each first takes a lock per pair of casings, in
    // one global order (sorted), so the second waits for the first instead; the rows themselves go in by rank, so lead
    // ids keep the correlation's order among equal scores.
    const pairs = [...new Set(leads.map((lead) => [id, lead.otherSubmissionId].sort().join(' ')))].sort();
    for (const pair of pairs)
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`lead pair ${pair}`]);
    const written = await client.query<{ id: string; inserted: boolean }>(
      `INSERT INTO leads (submission_id, other_submission_id, score, scorer, detail, created_at)
       SELECT r.from_id, r.to_id, r.score, r.scorer, r.detail, $6
       FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[], $5::json[]) WITH ORDINALITY
         AS r(from_id, to_id, score, scorer, detail, i)
       ORDER BY r.i
       ON CONFLICT (submission_id, other_submission_id) DO UPDATE
         SET score = EXCLUDED.score, scorer = EXCLUDED.scorer, detail = EXCLUDED.detail
         WHERE ${forwardReplacesReverse('leads.detail::jsonb', 'EXCLUDED.detail::jsonb')}
       RETURNING id, xmax = 0 AS inserted`,
      [
        rows.map((r) => r.from),
        rows.map((r) => r.to),
        rows.map((r) => r.lead.score),
        rows.map((r) => r.lead.scorer),
        rows.map((r) => (r.detail ? JSON.stringify(r.detail) : null)),
        at,
      ],
    );
    // A replaced reverse row keeps its id and feed event: the station reads the new figures in the statement of the
    // submission whose correlation this is (committed with them, below).
    const inserted = written.rows.filter((r) => r.inserted);
    if (inserted.length > 0) {
      const asked = performance.now();
      await client.query('SELECT pg_advisory_xact_lock($1)', [feedLock]);
      feedLockWaitMs = performance.now() - asked;
      await client.query(
        `INSERT INTO feed (lab_id, submission_id, kind, lead_id, created_at)
         SELECT s.lab_id, s.id, 'lead', l.id, $2 FROM leads l JOIN submissions s ON s.id = l.submission_id
         WHERE l.id = ANY($1::bigint[]) ORDER BY l.id`,
        [inserted.map((r) => r.id), at],
      );
    }
  }
  return { feedLockWaitMs };
}

export function openPostgresRecords(pool: PgPool, options: { closePool?: boolean } = {}): HubRecords {
  const one = async <R>(sql: string, values: unknown[]): Promise<R | undefined> =>
    (await pool.query(sql, values)).rows[0] as R | undefined;
  const all = async <R>(sql: string, values: unknown[]): Promise<R[]> => (await pool.query(sql, values)).rows as R[];
  let noncesSinceCleanup = 0;

  return {
    findByIdempotencyKey: async (key) => {
      const row = await one<SubmissionRow>('SELECT * FROM submissions WHERE idempotency_key = $1', [key]);
      return row && toRecord(row);
    },
    get: async (id) => {
      const row = await one<SubmissionRow>('SELECT * FROM submissions WHERE id = $1', [id]);
      return row && toRecord(row);
    },
    insert: async (record, originCertificate) => {
      await pool.query(
        `INSERT INTO submissions (id, idempotency_key, lab_id, station_id, case_ref, item_ref, calibre, manifest,
         manifest_sha256, signature, origin_certificate, state, created_at, region, recovery_date, x3p_sha256)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open', $12, $13, $14, $15)
         ON CONFLICT (idempotency_key) DO NOTHING`,
        [
          record.id,
          record.idempotencyKey,
          record.labId,
          record.stationId,
          record.caseRef,
          record.itemRef,
          record.calibre,
          JSON.stringify(record.manifest),
          record.manifestSha256,
          record.signature,
          originCertificate,
          record.createdAt,
          manifestRegion(record.manifest),
          record.manifest.specimen.recoveryDate ?? null,
          record.manifest.artifacts.find((a) => a.role === 'x3p')?.sha256 ?? null,
        ],
      );
      return toRecord(
        (await one<SubmissionRow>('SELECT * FROM submissions WHERE idempotency_key = $1', [record.idempotencyKey]))!,
      );
    },
    commit: (id, receipt, receiptSignature) =>
      inTransaction(pool, async (client) => {
        const updated = await client.query<SubmissionRow>(
          `UPDATE submissions SET state = 'committed', receipt = $1, receipt_signature = $2
           WHERE id = $3 AND state = 'open' RETURNING *`,
          [JSON.stringify(receipt), receiptSignature, id],
        );
        if (updated.rowCount === 1) {
          // The correlation job commits with the submission: a commit is never without its job.
          await client.query(
            `INSERT INTO correlation_jobs (submission_id, kind) VALUES ($1, 'correlate') ON CONFLICT DO NOTHING`,
            [id],
          );
          await client.query('SELECT pg_notify($1, $2)', [jobsChannel, id]);
          return { record: toRecord(updated.rows[0]!), committedNow: true };
        }
        const row = (await client.query<SubmissionRow>('SELECT * FROM submissions WHERE id = $1', [id])).rows[0]!;
        return { record: toRecord(row), committedNow: false };
      }),
    saveCorrelation: async (id, leads, notes, at) => {
      await inTransaction(pool, (client) => writeCorrelation(client, id, leads, notes, at));
    },
    leadsFor: async (id, limit) =>
      (
        await all<LeadRow>(`${leadSelect} WHERE l.submission_id = $1 ORDER BY l.score DESC, l.id LIMIT $2`, [
          id,
          limit ?? null,
        ])
      ).map(toLead),
    leadCount: async (id) =>
      Number((await one<{ n: string }>('SELECT count(*) AS n FROM leads WHERE submission_id = $1', [id]))!.n),
    lead: async (id, leadId) => {
      const row = await one<LeadRow>(`${leadSelect} WHERE l.submission_id = $1 AND l.id = $2`, [id, leadId]);
      return row && toLead(row);
    },
    correlationNotes: async (id) => {
      const row = await one<{ correlation_notes: unknown[] | null; correlation_note_codes: unknown[] | null }>(
        'SELECT correlation_notes, correlation_note_codes FROM submissions WHERE id = $1',
        [id],
      );
      return notesFromStore(row?.correlation_notes ?? null, row?.correlation_note_codes ?? null);
    },
    candidates: async (calibre, exceptLabId) =>
      (
        await all<SubmissionRow>(`SELECT * FROM submissions WHERE calibre = $1 AND lab_id <> $2 AND state <> 'open'`, [
          calibre,
          exceptLabId,
        ])
      ).map(toRecord),
    committedUncorrelated: async () =>
      (await all<SubmissionRow>(`SELECT * FROM submissions WHERE state = 'committed' ORDER BY created_at`, [])).map(
        toRecord,
      ),
    countByIdempotencyKey: async () => {
      const row = (await one<{ total: string; distinct: string }>(
        'SELECT count(*) AS total, count(DISTINCT idempotency_key) AS "distinct" FROM submissions',
        [],
      ))!;
      return { total: Number(row.total), distinct: Number(row.distinct) };
    },
    insertHit: (record, originCertificate) =>
      inTransaction(pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [feedLock]);
        const inserted = await client.query(
          `INSERT INTO hits (id, idempotency_key, lab_id, station_id, submission_id, lead_id, other_submission_id, report,
           report_sha256, signature, origin_certificate, receipt, receipt_signature, recorded_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (idempotency_key) DO NOTHING`,
          [
            record.id,
            record.idempotencyKey,
            record.labId,
            record.stationId,
            record.submissionId,
            record.leadId,
            record.otherSubmissionId,
            JSON.stringify(record.report),
            record.reportSha256,
            record.signature,
            originCertificate,
            JSON.stringify(record.receipt),
            record.receiptSignature,
            record.recordedAt,
          ],
        );
        if (inserted.rowCount === 1)
          await client.query(
            `INSERT INTO feed (lab_id, submission_id, kind, hit_id, created_at)
             SELECT lab_id, id, 'hit', $1, $2 FROM submissions WHERE id = $3`,
            [record.id, record.recordedAt, record.otherSubmissionId],
          );
        const row = (
          await client.query<HitRow>('SELECT * FROM hits WHERE idempotency_key = $1', [record.idempotencyKey])
        ).rows[0]!;
        return toHit(row);
      }),
    findHitByIdempotencyKey: async (key) => {
      const row = await one<HitRow>('SELECT * FROM hits WHERE idempotency_key = $1', [key]);
      return row && toHit(row);
    },
    feed: async (labId, after, limit) => {
      const rows = await all<{
        seq: string;
        kind: 'lead' | 'hit';
        submission_id: string;
        lead_id: string | null;
        hit_id: string | null;
      }>(
        'SELECT seq, kind, submission_id, lead_id, hit_id FROM feed WHERE lab_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
        [labId, after, limit],
      );
      const events: FeedEvent[] = [];
      for (const row of rows) {
        if (row.kind === 'lead') {
          const lead = (await one<LeadRow>(`${leadSelect} WHERE l.id = $1`, [row.lead_id]))!;
          events.push({ seq: Number(row.seq), kind: 'lead', submissionId: row.submission_id, lead: toLead(lead) });
        } else {
          const hit = (await one<NetworkHitRow>(`${networkHitSelect} WHERE h.id = $1`, [row.hit_id]))!;
          events.push({ seq: Number(row.seq), kind: 'hit', submissionId: row.submission_id, hit: toNetworkHit(hit) });
        }
      }
      return events;
    },
    useNonce: async (nonce, at, forgetBefore) => {
      if (++noncesSinceCleanup >= 1000) {
        noncesSinceCleanup = 0;
        await pool.query('DELETE FROM nonces WHERE seen_at < $1', [forgetBefore]);
      }
      const inserted = await pool.query('INSERT INTO nonces (nonce, seen_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        nonce,
        at,
      ]);
      return inserted.rowCount === 1;
    },
    close: async () => {
      if (options.closePool !== false) await pool.end();
    },
  };
}
