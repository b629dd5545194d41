import type { HubMigration } from '../migrate.ts';

// Coded correlation notes (protocol revision 4) are kept beside the English ones, not in their place: a front end of
// an older release reads correlation_notes and passes its entries to stations whose schema takes strings only, so a
// worker upgraded before the front ends must leave that column as it was (notes.ts notesToStore).
export const migration: HubMigration = {
  version: 8,
  name: 'correlation-note-codes',
  async up(client) {
    await client.query(`ALTER TABLE submissions ADD COLUMN correlation_note_codes json`);
  },
};
