import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migration as foundation } from './0001-foundation.ts';
import { migration } from './0040-analysis-features.ts';

describe('migration 0040-analysis-features', () => {
  it('keeps one signature per topography and parameter set, tied to a stored evidence file', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    foundation.up(db);
    migration.up(db);
    const hash = 'b'.repeat(64);
    db.prepare(
      "INSERT INTO evidence_files (sha256, size, media_type, stored_at) VALUES (?, 1, 'application/x-x3p', '')",
    ).run(hash);
    const insert = db.prepare(
      "INSERT INTO analysis_signatures (topography_sha256, params_key, radial_bins, angular_bins, signature, created_at) VALUES (?, ?, 1, 1, ?, '')",
    );
    insert.run(hash, 'k1', Buffer.alloc(24));
    insert.run(hash, 'k2', Buffer.alloc(24));
    expect(() => insert.run(hash, 'k1', Buffer.alloc(24))).toThrow(/UNIQUE/);
    expect(() => insert.run('c'.repeat(64), 'k1', Buffer.alloc(24))).toThrow(/FOREIGN KEY/);
  });
});
