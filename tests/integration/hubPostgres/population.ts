// A synthetic population for screening at network scale (tests and the hub-scale bench): committed submissions of
// other labs written straight into the hub's database, each with its screening signature stored, and for each an
// artifact in the store (a link to a real file) so the few that reach full comparison have a scan to compare.
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { PgPool } from '../../../electron/network/hub/postgres/connect.ts';
import { jobsChannel } from '../../../electron/network/hub/postgres/records.ts';

export interface PopulationOptions {
  count: number;
  calibre: string;
  region?: string;
  /** The labs the casings come from (round robin). */
  labs: string[];
  /** The hub's artifact folder: each casing's X3P is linked there to `fileFor(i)`. */
  artifactsDir: string;
  fileFor: (i: number) => string;
  encodingFor: (i: number) => Buffer;
  paramsKey: string;
  dateFor?: (i: number) => string | null;
  /** Rows per INSERT. */
  batch?: number;
}

/** Inserts the population; returns the submission ids in order. */
export async function seedPopulation(pool: PgPool, options: PopulationOptions): Promise<string[]> {
  const region = options.region ?? 'breech_face';
  const batch = options.batch ?? 2_000;
  const ids: string[] = [];
  for (let start = 0; start < options.count; start += batch) {
    const rows = Array.from({ length: Math.min(batch, options.count - start) }, (_, j) => {
      const i = start + j;
      const id = randomUUID();
      // A hash of its own per casing (signatures are stored per X3P hash), linked to a real file.
      const sha = createHash('sha256').update(`synthetic-${id}`).digest('hex');
      const folder = join(options.artifactsDir, sha.slice(0, 2));
      mkdirSync(folder, { recursive: true });
      symlinkSync(options.fileFor(i), join(folder, sha));
      const date = options.dateFor?.(i) ?? null;
      const manifest = {
        protocol: 'casebench-exchange/1',
        idempotencyKey: id,
        lab: { labId: options.labs[i % options.labs.length]!, stationId: 'ST-1' },
        createdAt: new Date(0).toISOString(),
        caseRef: `SYN-${i}`,
        itemRef: 'Q',
        specimen: { calibre: options.calibre, ...(date ? { recoveryDate: date } : {}) },
        region,
        artifacts: [{ role: 'x3p', name: 'scan.x3p', mediaType: 'application/x3p+zip', sha256: sha, size: 1 }],
      };
      ids.push(id);
      return {
        id,
        sha,
        date,
        lab: manifest.lab.labId,
        manifest: JSON.stringify(manifest),
        encoding: options.encodingFor(i),
      };
    });
    await pool.query(
      `INSERT INTO submissions (id, idempotency_key, lab_id, station_id, case_ref, item_ref, calibre, manifest,
         manifest_sha256, signature, origin_certificate, state, created_at, region, recovery_date, x3p_sha256)
       SELECT id, id, lab, 'ST-1', 'SYN', 'Q', $5, manifest::json, 'x', 'x', 'x', 'correlated', 'then', $6, date::date, sha
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $7::text[]) AS r(id, lab, manifest, sha, date)`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.lab),
        rows.map((r) => r.manifest),
        rows.map((r) => r.sha),
        options.calibre,
        region,
        rows.map((r) => r.date),
      ],
    );
    await pool.query(
      `INSERT INTO signatures (x3p_sha256, params_key, encoding) SELECT sha, $2, encoding
       FROM unnest($1::text[], $3::bytea[]) AS r(sha, encoding)`,
      [rows.map((r) => r.sha), options.paramsKey, rows.map((r) => r.encoding)],
    );
  }
  return ids;
}

/**
 * A new casing of LAB-1 whose X3P is `scan`, committed with its correlation job as a commit makes them (written
 * straight into the database, without a station); the worker computes its signature from the X3P, as for a real
 * submission. Returns its submission id.
 */
export async function submitCasing(
  pool: PgPool,
  options: { artifactsDir: string; scan: string; calibre: string; caseRef: string; recoveryDate?: string },
): Promise<string> {
  const [id] = await seedPopulation(pool, {
    count: 1,
    calibre: options.calibre,
    labs: ['LAB-1'],
    artifactsDir: options.artifactsDir,
    fileFor: () => options.scan,
    encodingFor: () => Buffer.alloc(0),
    paramsKey: 'none',
  });
  await pool.query(`DELETE FROM signatures WHERE x3p_sha256 = (SELECT x3p_sha256 FROM submissions WHERE id = $1)`, [
    id,
  ]);
  await pool.query(`UPDATE submissions SET state = 'committed', case_ref = $2, recovery_date = $3 WHERE id = $1`, [
    id,
    options.caseRef,
    options.recoveryDate ?? null,
  ]);
  await pool.query(`INSERT INTO correlation_jobs (submission_id, kind) VALUES ($1, 'correlate')`, [id]);
  await pool.query('SELECT pg_notify($1, $2)', [jobsChannel, id]);
  return id!;
}
