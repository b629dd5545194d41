import type { Migration } from './migration.ts';

// Acquisitions: what was captured or imported for an item, with full provenance. An acquisition row and its
// files are written once, in one transaction with the audit entry; a re-capture adds a new acquisition.
// Only the examiner's judgements about it (unsuitable + reason, region overrides) may change later, each as an
// audited amendment. Calibration records are immutable: a new calibration is a new row.
export const migration: Migration = {
  version: 30,
  name: 'acquisitions',
  up(db) {
    db.exec(`
      CREATE TABLE calibrations (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('scale','flat_dark','lights','uniformity','suite')),
        rig_profile TEXT NOT NULL,
        device_serials TEXT NOT NULL,          -- JSON {deviceLabel: serial}
        operator_id INTEGER NOT NULL REFERENCES users(id),
        performed_at TEXT NOT NULL,            -- UTC ISO
        expires_at TEXT NOT NULL,              -- set from the lab's calibration validity
        results TEXT NOT NULL,                 -- JSON, kind-specific (µm/px, light directions, uniformity figures)
        report_sha256 TEXT REFERENCES evidence_files(sha256)   -- picture/report the lab can file
      );
      CREATE INDEX calibrations_rig ON calibrations(rig_profile, kind, performed_at);
      CREATE TRIGGER calibrations_no_update BEFORE UPDATE ON calibrations
        BEGIN SELECT RAISE(ABORT, 'calibration records are write-once'); END;
      CREATE TRIGGER calibrations_no_delete BEFORE DELETE ON calibrations
        BEGIN SELECT RAISE(ABORT, 'calibration records are write-once'); END;

      CREATE TABLE acquisitions (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES items(id),
        source TEXT NOT NULL CHECK (source IN ('capture','import')),
        region TEXT NOT NULL CHECK (region IN ('breech_face','firing_pin','ejector_mark','whole')),
        operator_id INTEGER NOT NULL REFERENCES users(id),
        started_at TEXT NOT NULL,
        completed_at TEXT NOT NULL,
        rig_profile TEXT,                      -- capture only
        devices TEXT,                          -- JSON [{label, driver, model, serial, firmware}]
        calibration_id INTEGER REFERENCES calibrations(id),
        settings TEXT NOT NULL,                -- JSON: capture settings, or import details and corrections made
        quality TEXT,                          -- JSON quality report
        topography_sha256 TEXT REFERENCES evidence_files(sha256),   -- X3P, when there is one
        lateral_um REAL,                       -- topography pixel size
        width INTEGER,
        height INTEGER,
        unsuitable_reason TEXT,                -- AFTE 'unsuitable' with its reason; amendable
        regions TEXT,                          -- JSON manual region override; amendable
        version INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX acquisitions_item ON acquisitions(item_id);
      CREATE TRIGGER acquisitions_no_delete BEFORE DELETE ON acquisitions
        BEGIN SELECT RAISE(ABORT, 'acquisitions are never deleted'); END;
      CREATE TRIGGER acquisitions_provenance_fixed BEFORE UPDATE OF
          id, item_id, source, region, operator_id, started_at, completed_at, rig_profile, devices, calibration_id,
          settings, quality, topography_sha256, lateral_um, width, height ON acquisitions
        BEGIN SELECT RAISE(ABORT, 'acquisition provenance is write-once'); END;

      CREATE TABLE acquisition_files (
        acquisition_id INTEGER NOT NULL REFERENCES acquisitions(id),
        role TEXT NOT NULL,                    -- 'topography', 'original', 'dark', 'light:<device>/<channel>', 'ring', 'coaxial', ...
        sha256 TEXT NOT NULL REFERENCES evidence_files(sha256),
        settings TEXT,                         -- JSON per file: exposure, gain, light levels, focus position
        PRIMARY KEY (acquisition_id, role)
      );
      CREATE INDEX acquisition_files_sha ON acquisition_files(sha256);
      CREATE TRIGGER acquisition_files_no_update BEFORE UPDATE ON acquisition_files
        BEGIN SELECT RAISE(ABORT, 'acquisition files are write-once'); END;
      CREATE TRIGGER acquisition_files_no_delete BEFORE DELETE ON acquisition_files
        BEGIN SELECT RAISE(ABORT, 'acquisition files are write-once'); END;
    `);
  },
};
