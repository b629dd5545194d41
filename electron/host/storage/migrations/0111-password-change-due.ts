import type { Migration } from './migration.ts';

// A password an administrator chose (a new account, a reset) is known to two people: until its holder sets one of
// their own, the station lets them do nothing else. Existing accounts keep theirs (0).
export const migration: Migration = {
  version: 111,
  name: 'password-change-due',
  up(db) {
    db.exec(`
      ALTER TABLE users ADD COLUMN password_change_due INTEGER NOT NULL DEFAULT 0 CHECK (password_change_due IN (0, 1));
    `);
  },
};
