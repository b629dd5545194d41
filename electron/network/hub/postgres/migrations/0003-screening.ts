import type { HubMigration } from '../migrate.ts';

// Screening at network scale. Each topography's screening signature is stored once (by the X3P's SHA-256, for one
// set of engine parameters), compactly (analysis/screeningIndex.ts, encodeScreeningSignature), or the reason the engine could not read it.
// Submissions gain what screening filters on, so a population is selected by index without reading manifests:
// region, recovery date (IBIN-style date ranges, unknown dates included), the X3P's hash, and `n`, a dense number
// that partitions a large population into ranges for several workers.
export const migration: HubMigration = {
  version: 3,
  name: 'screening',
  async up(client) {
    await client.query(`
      CREATE TABLE signatures (
        x3p_sha256 text PRIMARY KEY,
        params_key text NOT NULL,
        encoding bytea,
        error text,
        computed_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((encoding IS NULL) <> (error IS NULL))
      );
      ALTER TABLE submissions
        ADD COLUMN n bigserial,
        ADD COLUMN region text,
        ADD COLUMN recovery_date date,
        ADD COLUMN x3p_sha256 text;
      UPDATE submissions SET
        region = coalesce(manifest->>'region', 'breech_face'),
        recovery_date = (manifest->'specimen'->>'recoveryDate')::date,
        x3p_sha256 = (SELECT a->>'sha256' FROM json_array_elements(manifest->'artifacts') a WHERE a->>'role' = 'x3p' LIMIT 1);
      ALTER TABLE submissions ALTER COLUMN region SET NOT NULL;
      ALTER TABLE submissions ADD CONSTRAINT submissions_n UNIQUE (n);
      CREATE INDEX submissions_screening ON submissions (calibre, region, n) WHERE state <> 'open';
    `);
  },
};
