import type { Migration } from './migration.ts';

// Substring search over case numbers, agency and offence through an FTS5 trigram index, so searching stays
// an index lookup as a lab's case list grows past tens of thousands. Kept in step with `cases` by triggers.
export const migration: Migration = {
  version: 2,
  name: 'case-search',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE cases_search USING fts5(
        lab_case_number, agency_case_number, agency, offence,
        content='cases', content_rowid='id', tokenize='trigram'
      );
      INSERT INTO cases_search(rowid, lab_case_number, agency_case_number, agency, offence)
        SELECT id, lab_case_number, agency_case_number, agency, offence FROM cases;
      CREATE TRIGGER cases_search_insert AFTER INSERT ON cases BEGIN
        INSERT INTO cases_search(rowid, lab_case_number, agency_case_number, agency, offence)
        VALUES (new.id, new.lab_case_number, new.agency_case_number, new.agency, new.offence);
      END;
      CREATE TRIGGER cases_search_update AFTER UPDATE OF lab_case_number, agency_case_number, agency, offence ON cases BEGIN
        INSERT INTO cases_search(cases_search, rowid, lab_case_number, agency_case_number, agency, offence)
        VALUES ('delete', old.id, old.lab_case_number, old.agency_case_number, old.agency, old.offence);
        INSERT INTO cases_search(rowid, lab_case_number, agency_case_number, agency, offence)
        VALUES (new.id, new.lab_case_number, new.agency_case_number, new.agency, new.offence);
      END;
    `);
  },
};
