// The screening population of a submission in PostgreSQL: committed casings of the same calibre and region from
// other labs, recovered within the correlation date range or undated (as IBIN correlates), with a usable stored
// signature. Large populations are cut into ranges of the submissions' dense number `n`, one per screen job.
import type { QueryResultRow } from 'pg';
import type { PgPool } from '../postgres/connect.ts';
import type { SubmissionRecord } from '../storage.ts';
import { manifestRegion } from '../../protocol.ts';

export interface PopulationSpec {
  calibre: string;
  region: string;
  exceptLabId: string;
  paramsKey: string;
  /** Inclusive recovery-date window (YYYY-MM-DD); null screens every date. Undated casings are always screened. */
  dates: { from: string; to: string } | null;
}

/** The population a submission is screened against, with a date window of `years` around its recovery date. */
export function populationOf(record: SubmissionRecord, paramsKey: string, years: number | undefined): PopulationSpec {
  const date = record.manifest.specimen.recoveryDate;
  let dates: PopulationSpec['dates'] = null;
  if (years !== undefined && date) {
    const shift = (sign: number) => {
      const d = new Date(`${date}T00:00:00Z`);
      d.setUTCFullYear(d.getUTCFullYear() + sign * years);
      return d.toISOString().slice(0, 10);
    };
    dates = { from: shift(-1), to: shift(1) };
  }
  return {
    calibre: record.calibre,
    region: manifestRegion(record.manifest),
    exceptLabId: record.labId,
    paramsKey,
    dates,
  };
}

const where = `s.calibre = $1 AND s.region = $2 AND s.lab_id <> $3 AND s.state <> 'open'
  AND ($4::date IS NULL OR s.recovery_date IS NULL OR s.recovery_date BETWEEN $4::date AND $5::date)`;
const usable = `sig.encoding IS NOT NULL AND sig.params_key = $6`;
const values = (spec: PopulationSpec) => [
  spec.calibre,
  spec.region,
  spec.exceptLabId,
  spec.dates?.from ?? null,
  spec.dates?.to ?? null,
  spec.paramsKey,
];

export interface PopulationSummary {
  /** Casings with a usable signature (screened). */
  screenable: number;
  /** Casings of the population without one (no X3P, unreadable, not computed yet, other parameters). */
  unusable: number;
  minN: number;
  maxN: number;
}

/**
 * Rows of a query. Results come as text: bytea arrives as hex, which node-postgres turns into bytes (its per-query
 * binary results decode every column as UTF-8 text first, which corrupts bytes — measured, not assumed).
 */
async function rowsOf<R extends QueryResultRow>(pool: PgPool, text: string, values: unknown[]): Promise<R[]> {
  return (await pool.query<R>(text, values)).rows;
}

export async function summarisePopulation(pool: PgPool, spec: PopulationSpec): Promise<PopulationSummary> {
  const row = (
    await pool.query<{ screenable: string; unusable: string; min_n: string | null; max_n: string | null }>(
      `SELECT count(*) FILTER (WHERE ${usable}) AS screenable, count(*) FILTER (WHERE NOT coalesce(${usable}, false)) AS unusable,
         min(s.n) FILTER (WHERE ${usable}) AS min_n, max(s.n) FILTER (WHERE ${usable}) AS max_n
       FROM submissions s LEFT JOIN signatures sig ON sig.x3p_sha256 = s.x3p_sha256 WHERE ${where}`,
      values(spec),
    )
  ).rows[0]!;
  return {
    screenable: Number(row.screenable),
    unusable: Number(row.unusable),
    minN: Number(row.min_n ?? 0),
    maxN: Number(row.max_n ?? -1),
  };
}

/**
 * The population cut into windows of the dense number `n`, one screen job each. Windows are aligned and of a
 * power-of-two width (0.7 to 1.4 × `size` casings each where the population is even), so a casing falls in the same
 * window from one correlation to the next and a worker's cached partition stays usable: new casings join the last
 * window. A window holding more than twice `size` (a calibre clustered in time) is halved until it does not.
 */
export async function partitionWindows(
  pool: PgPool,
  spec: PopulationSpec,
  summary: PopulationSummary,
  size: number,
): Promise<{ lo: number; hi: number }[]> {
  if (summary.screenable === 0) return [];
  const span = summary.maxN - summary.minN + 1;
  const width = 2 ** Math.round(Math.log2(Math.max(1, (size * span) / summary.screenable)));
  const windows: { lo: number; hi: number }[] = [];
  const cut = async (lo: number, hi: number, w: number): Promise<void> => {
    const counts = await pool.query<{ w: string; c: string }>(
      `SELECT s.n / $9 AS w, count(*) AS c FROM submissions s JOIN signatures sig ON sig.x3p_sha256 = s.x3p_sha256
       WHERE ${where} AND ${usable} AND s.n BETWEEN $7 AND $8 GROUP BY 1 ORDER BY 1`,
      [...values(spec), lo, hi, w],
    );
    for (const row of counts.rows) {
      const start = Number(row.w) * w;
      if (Number(row.c) > 2 * size && w > 1) await cut(start, start + w - 1, w / 2);
      else windows.push({ lo: start, hi: start + w - 1 });
    }
  };
  await cut(summary.minN, summary.maxN, width);
  return windows;
}

/** The stored signature of a topography: its encoding, the reason there is none, or nothing yet. */
export async function storedSignature(
  pool: PgPool,
  sha: string,
  paramsKey: string,
): Promise<{ encoding: Buffer } | { error: string } | undefined> {
  const [row] = await rowsOf<{ encoding: Buffer | null; error: string | null }>(
    pool,
    'SELECT encoding, error FROM signatures WHERE x3p_sha256 = $1 AND params_key = $2',
    [sha, paramsKey],
  );
  if (!row) return undefined;
  return row.encoding ? { encoding: row.encoding } : { error: row.error! };
}

/** Stores a topography's signature (or why there is none) once; a signature of other parameters is replaced. */
export async function storeSignature(
  pool: PgPool,
  sha: string,
  paramsKey: string,
  value: { encoding: Buffer } | { error: string },
): Promise<void> {
  await pool.query(
    `INSERT INTO signatures (x3p_sha256, params_key, encoding, error) VALUES ($1, $2, $3, $4)
     ON CONFLICT (x3p_sha256) DO UPDATE SET params_key = excluded.params_key, encoding = excluded.encoding,
       error = excluded.error, computed_at = now() WHERE signatures.params_key <> excluded.params_key`,
    [sha, paramsKey, 'encoding' in value ? value.encoding : null, 'error' in value ? value.error.slice(0, 1000) : null],
  );
}
