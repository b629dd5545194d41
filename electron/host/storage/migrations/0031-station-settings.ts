import type { Migration } from './migration.ts';

// Station-wide settings a lab manager changes at run time (first: how long a calibration stays valid). One row
// per key, the value as JSON; a key never set has no row, so the host config's default applies. Each change is
// audited (before/after, reason) by the service in the same transaction.
export const migration: Migration = {
  version: 31,
  name: 'station-settings',
  up(db) {
    db.exec(`
      CREATE TABLE station_settings (
        key TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 100),
        value TEXT NOT NULL CHECK (json_valid(value)),
        updated_at TEXT NOT NULL,
        updated_by INTEGER REFERENCES users(id)
      ) STRICT;
    `);
  },
};
