import type { Migration } from './migration.ts';

// A calibration's lab reference ('CAL-2026-0003': UTC year + its number that year) used to be counted from the
// table each time it was shown, so a row removed behind the station renumbered every later one and a PDF already
// handed out would cite a reference that now names another record. It is stored instead, given once when the
// calibration is recorded: the next number after the highest of that year (never reused, even after a removal).
// Existing rows keep exactly the reference they showed until now (rank by id among that year's).
export const migration: Migration = {
  version: 113,
  name: 'calibration-references',
  up(db) {
    const yearOf = (alias: string) => `substr(${alias}.performed_at, 1, 4)`;
    db.exec(`
      ALTER TABLE calibrations ADD COLUMN reference TEXT;
      DROP TRIGGER calibrations_no_update;
      UPDATE calibrations AS c SET reference = 'CAL-' || ${yearOf('c')} || '-' || printf('%04d',
        (SELECT count(*) FROM calibrations earlier WHERE ${yearOf('earlier')} = ${yearOf('c')} AND earlier.id <= c.id));
      CREATE UNIQUE INDEX calibrations_reference ON calibrations(reference);
      -- A row is given its reference by the statement that records it; from then on it can never change.
      CREATE TRIGGER calibrations_no_update BEFORE UPDATE ON calibrations WHEN OLD.reference IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'calibration records are write-once'); END;
      CREATE TRIGGER calibrations_reference AFTER INSERT ON calibrations WHEN NEW.reference IS NULL
        BEGIN
          UPDATE calibrations SET reference = 'CAL-' || ${yearOf('NEW')} || '-' || printf('%04d',
            (SELECT coalesce(max(CAST(substr(earlier.reference, 10) AS INTEGER)), 0) + 1 FROM calibrations earlier
              WHERE earlier.reference LIKE 'CAL-' || ${yearOf('NEW')} || '-%'))
          WHERE id = NEW.id;
        END;
    `);
  },
};
