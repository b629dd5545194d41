// A worker's screened partitions kept in memory: each partition's casings (all labs, all dates) decoded into a
// ScreeningIndex once, then brought up to date from the database by reading only the casings that changed since.
// Encodings never change for a casing (one per X3P and engine parameters), so after the first job a worker's
// database load follows the submission rate, not the population.
//
// Up to date, whatever order transactions commit in: every change to whether or how a submission is screened sets
// its `screening_xid` (migration 0004's triggers). A partition read at snapshot S is current for every change
// visible to S; any change S could not see belongs to a transaction still running at S or started after it, so
// its xid is ≥ xmin(S). The next refresh reads rows with screening_xid ≥ xmin(S) — some again, which is harmless.
//
// Memory is bounded (`maxBytes`, default 256 MiB ≈ 330,000 casings at ≈ 780 bytes each: 584 for the encoding's
// codes and scale, ≈ 200 for the id and what the filters need); the least recently used partitions go first.
import { ScreeningIndex, type IndexHit } from '../../../analysis/index.ts';
import { inTransaction, type PgPool } from '../postgres/connect.ts';
import type { PopulationSpec } from './population.ts';

/** Bytes a cached casing costs beyond the index's own arrays (its id twice, its lab, date and number). */
const metaBytesPerCasing = 200;

interface Casing {
  n: number;
  lab: string;
  /** YYYY-MM-DD, or null when unknown. */
  date: string | null;
}

interface Partition {
  key: string;
  index: ScreeningIndex;
  casings: Map<string, Casing>;
  /** xmin of the snapshot this partition is current at (as text: an xid8). */
  since: string;
  lastUsed: number;
}

export interface ScreenedPartition {
  /** Casings scored (the partition's population: other labs, within the date range). */
  screened: number;
  best: IndexHit[];
  /** What it took: rows read from the database, and whether the partition was already in memory. */
  stats: { cached: boolean; rowsRead: number; readMs: number; screenMs: number };
}

export interface PartitionCacheStats {
  partitions: number;
  casings: number;
  bytes: number;
  maxBytes: number;
  hits: number;
  misses: number;
}

interface Row {
  id: string;
  n: string;
  lab_id: string;
  date: string | null;
  /** Null when the casing is not screenable (any more): still open, no signature, or one of other parameters. */
  encoding: Buffer | null;
}

const rowSelect = `SELECT s.id, s.n, s.lab_id, to_char(s.recovery_date, 'YYYY-MM-DD') AS date,
    CASE WHEN s.state <> 'open' AND sig.params_key = $3 THEN sig.encoding END AS encoding
  FROM submissions s LEFT JOIN signatures sig ON sig.x3p_sha256 = s.x3p_sha256
  WHERE s.calibre = $1 AND s.region = $2 AND s.n BETWEEN $4 AND $5`;

export class PartitionCache {
  readonly maxBytes: number;
  private readonly partitions = new Map<string, Partition>();
  private tick = 0;
  private hits = 0;
  private misses = 0;
  /** Refreshes of one partition run one at a time (two jobs of this worker reading it must not interleave); those
   *  of different partitions run at once, so one job's read from the database does not hold up another's. */
  private readonly refreshing = new Map<string, Promise<unknown>>();

  constructor(options: { maxBytes?: number } = {}) {
    this.maxBytes = options.maxBytes ?? 256 * 2 ** 20;
  }

  /** Screens the casings of `population` with n in `range` against `query` (a stored encoding). */
  async screen(
    pool: PgPool,
    population: PopulationSpec,
    range: { lo: number; hi: number },
    query: Uint8Array,
    keep: number,
  ): Promise<ScreenedPartition> {
    const t0 = performance.now();
    const key = partitionKey(population, range);
    const refreshed = (this.refreshing.get(key) ?? Promise.resolve()).then(() => this.refresh(pool, population, key));
    const settled = refreshed.catch(() => {});
    this.refreshing.set(key, settled);
    const { partition, cached, rowsRead } = await refreshed.finally(() => {
      if (this.refreshing.get(key) === settled) this.refreshing.delete(key);
    });
    const t1 = performance.now();
    // The partition holds every lab and date: this query's filters leave some out.
    const exclude = new Set<string>();
    for (const [id, c] of partition.casings)
      if (c.lab === population.exceptLabId || !withinDates(c.date, population.dates)) exclude.add(id);
    const result = partition.index.query(query, { limit: keep, exclude });
    this.evict(partition);
    return {
      screened: result.scanned,
      best: result.ranked,
      stats: { cached, rowsRead, readMs: t1 - t0, screenMs: performance.now() - t1 },
    };
  }

  /** The partitions held, as JSON arrays [calibre, region, paramsKey, lo, hi] (what claimJob prefers). */
  keys(): string[] {
    return [...this.partitions.keys()];
  }

  stats(): PartitionCacheStats {
    let casings = 0;
    for (const p of this.partitions.values()) casings += p.index.size;
    return {
      partitions: this.partitions.size,
      casings,
      bytes: this.bytes(),
      maxBytes: this.maxBytes,
      hits: this.hits,
      misses: this.misses,
    };
  }

  private async refresh(
    pool: PgPool,
    population: PopulationSpec,
    key: string,
  ): Promise<{ partition: Partition; cached: boolean; rowsRead: number }> {
    const known = this.partitions.get(key);
    const values = JSON.parse(key) as unknown[];
    // One snapshot for the rows and their xmin: REPEATABLE READ.
    const { rows, xmin } = await inTransaction(
      pool,
      async (client) => {
        const snapshot = await client.query<{ xmin: string }>(
          'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin',
        );
        const read = known
          ? await client.query<Row>(`${rowSelect} AND s.screening_xid >= $6::xid8`, [...values, known.since])
          : await client.query<Row>(`${rowSelect} AND s.state <> 'open' AND sig.params_key = $3`, values);
        return { rows: read.rows, xmin: snapshot.rows[0]!.xmin };
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
    if (known) this.hits++;
    else this.misses++;
    const partition: Partition = known ?? {
      key,
      index: new ScreeningIndex({ capacity: rows.length }),
      casings: new Map(),
      since: xmin,
      lastUsed: 0,
    };
    for (const row of rows) {
      if (row.encoding === null) {
        partition.index.remove(row.id);
        partition.casings.delete(row.id);
        continue;
      }
      try {
        partition.index.addEncoded(row.id, row.encoding);
        partition.casings.set(row.id, { n: Number(row.n), lab: row.lab_id, date: row.date });
      } catch {
        // Bytes that are not an encoding of this engine's shape: not screened (the count says how many were).
        partition.index.remove(row.id);
        partition.casings.delete(row.id);
      }
    }
    partition.since = xmin;
    partition.lastUsed = ++this.tick;
    this.partitions.set(key, partition);
    return { partition, cached: known !== undefined, rowsRead: rows.length };
  }

  private bytes(): number {
    let total = 0;
    for (const p of this.partitions.values()) total += p.index.memoryBytes() + p.casings.size * metaBytesPerCasing;
    return total;
  }

  /** Drops the least recently used partitions (never the one just used) until the cache fits its budget. */
  private evict(keep: Partition): void {
    while (this.bytes() > this.maxBytes) {
      let oldest: Partition | undefined;
      for (const p of this.partitions.values()) if (p !== keep && (!oldest || p.lastUsed < oldest.lastUsed)) oldest = p;
      if (!oldest) {
        // One partition larger than the whole budget: screened, then not kept.
        this.partitions.delete(keep.key);
        return;
      }
      this.partitions.delete(oldest.key);
    }
  }
}

/** A partition's key: [calibre, region, paramsKey, lo, hi] as JSON (also the values of its query, in that order). */
function partitionKey(population: PopulationSpec, range: { lo: number; hi: number }): string {
  return JSON.stringify([population.calibre, population.region, population.paramsKey, range.lo, range.hi]);
}

function withinDates(date: string | null, dates: PopulationSpec['dates']): boolean {
  return !dates || date === null || (date >= dates.from && date <= dates.to);
}
