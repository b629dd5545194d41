import type { Migration } from './migration.ts';

// Each user's own settings (first: the language the UI, reports and packages use for them). One row per user who
// chose something; no row means the defaults (the UI then keeps the browser's language).
export const migration: Migration = {
  version: 110,
  name: 'user-settings',
  up(db) {
    db.exec(`
      CREATE TABLE user_settings (
        user_id INTEGER PRIMARY KEY REFERENCES users(id),
        language TEXT CHECK (language IN ('en', 'fr', 'es', 'ar')),
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
