import type { Migration } from './migration.ts';

// Keyed audit trail (see storage/auditKey.ts): each entry also carries the HMAC of its hash under the station
// audit key, a key kept outside the database. Entries written before this migration have none; the key file
// records how many there were, and the first keyed entry's hash covers them.
export const migration: Migration = {
  version: 60,
  name: 'audit-mac',
  up(db) {
    db.exec(`ALTER TABLE audit_log ADD COLUMN mac TEXT CHECK (mac IS NULL OR length(mac) = 64);`);
  },
};
