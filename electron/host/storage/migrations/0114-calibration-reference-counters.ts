import type { Migration } from './migration.ts';

// 0113 numbered a new calibration after the highest reference of its year still in the table, so deleting the
// year's latest calibration behind the station made the next one reuse its reference (a PDF already handed out
// would then name another record). The last number given each year is kept instead, in a counter the insert
// trigger bumps and that can never go down or be removed; it starts from the highest reference already given.
export const migration: Migration = {
  version: 114,
  name: 'calibration-reference-counters',
  up(db) {
    const yearOf = `substr(NEW.performed_at, 1, 4)`;
    db.exec(`
      CREATE TABLE calibration_reference_counters (
        year TEXT PRIMARY KEY,
        last INTEGER NOT NULL
      );
      INSERT INTO calibration_reference_counters (year, last)
        SELECT substr(reference, 5, 4), max(CAST(substr(reference, 10) AS INTEGER)) FROM calibrations
        WHERE reference LIKE 'CAL-____-%' GROUP BY substr(reference, 5, 4);
      CREATE TRIGGER calibration_reference_counters_no_delete BEFORE DELETE ON calibration_reference_counters
        BEGIN SELECT RAISE(ABORT, 'calibration reference counters never go down'); END;
      CREATE TRIGGER calibration_reference_counters_no_decrease BEFORE UPDATE ON calibration_reference_counters
        WHEN NEW.last < OLD.last OR NEW.year IS NOT OLD.year
        BEGIN SELECT RAISE(ABORT, 'calibration reference counters never go down'); END;
      DROP TRIGGER calibrations_reference;
      CREATE TRIGGER calibrations_reference AFTER INSERT ON calibrations WHEN NEW.reference IS NULL
        BEGIN
          INSERT OR IGNORE INTO calibration_reference_counters (year, last) VALUES (${yearOf}, 0);
          UPDATE calibration_reference_counters SET last = last + 1 WHERE year = ${yearOf};
          UPDATE calibrations SET reference = 'CAL-' || ${yearOf} || '-' || printf('%04d',
            (SELECT last FROM calibration_reference_counters WHERE year = ${yearOf}))
          WHERE id = NEW.id;
        END;
    `);
  },
};
