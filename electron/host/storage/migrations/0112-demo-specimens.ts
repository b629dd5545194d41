import type { Migration } from './migration.ts';

// The demo rig images a reference scan, not the casing in front of it. Which reference casing a technician chose
// to have "loaded" for an item is remembered here (one row per item that has a choice; none = the rig profile's
// own specimen), so every capture of that item images the same simulated casing.
export const migration: Migration = {
  version: 112,
  name: 'demo-specimens',
  up(db) {
    db.exec(`
      CREATE TABLE demo_specimens (
        item_id INTEGER PRIMARY KEY REFERENCES items(id),
        specimen TEXT NOT NULL CHECK (length(specimen) BETWEEN 1 AND 300),
        chosen_by INTEGER REFERENCES users(id),
        chosen_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
