import type { Migration } from './migration.ts';

// Cache of screening signatures, so a second search only computes what it has not seen. Derived data, not
// evidence: a row is keyed by the topography's SHA-256 and by everything the signature depends on (`params_key`:
// preprocessing, signature version and shape), may be rebuilt at any time, and is therefore neither audited nor
// write-once.
export const migration: Migration = {
  version: 40,
  name: 'analysis-features',
  up(db) {
    db.exec(`
      CREATE TABLE analysis_signatures (
        topography_sha256 TEXT NOT NULL REFERENCES evidence_files(sha256),
        params_key TEXT NOT NULL,
        radial_bins INTEGER NOT NULL,
        angular_bins INTEGER NOT NULL,
        signature BLOB NOT NULL,               -- Float64 values, spectrumRe, spectrumIm (little-endian), each R × A
        created_at TEXT NOT NULL,
        PRIMARY KEY (topography_sha256, params_key)
      );
    `);
  },
};
