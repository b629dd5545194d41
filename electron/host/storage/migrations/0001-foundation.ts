import type { Migration } from './migration.ts';

// Users, cases, items, the hash-chained audit log and the evidence file index.
export const migration: Migration = {
  version: 1,
  name: 'foundation',
  up(db) {
    db.exec(`
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('technician','examiner','manager','admin')),
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );

      CREATE TABLE cases (
        id INTEGER PRIMARY KEY,
        lab_case_number TEXT NOT NULL COLLATE NOCASE UNIQUE,
        agency TEXT,
        agency_case_number TEXT COLLATE NOCASE,
        offence TEXT,
        offence_date TEXT,
        received_date TEXT,
        status TEXT NOT NULL CHECK (status IN ('open','active','closed','archived')),
        notes TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        created_by INTEGER NOT NULL REFERENCES users(id),
        version INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX cases_updated ON cases(updated_at);
      CREATE INDEX cases_received ON cases(received_date);
      CREATE INDEX cases_status ON cases(status, updated_at);
      CREATE INDEX cases_agency ON cases(agency COLLATE NOCASE);
      CREATE INDEX cases_agency_number ON cases(agency_case_number);

      CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        kind TEXT NOT NULL CHECK (kind IN ('cartridge_case','firearm')),
        exhibit_number TEXT NOT NULL,
        description TEXT,
        calibre TEXT,
        origin TEXT,
        brand TEXT,
        headstamp TEXT,
        primer_material TEXT,
        case_material TEXT,
        firing_pin_shape TEXT,
        breech_face_class TEXT,
        recovery_place TEXT,
        recovery_date TEXT,
        firearm_item_id INTEGER REFERENCES items(id),
        make TEXT,
        model TEXT,
        serial_number TEXT,
        firearm_type TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        UNIQUE (case_id, exhibit_number)
      );
      CREATE INDEX items_case ON items(case_id);
      CREATE INDEX items_calibre ON items(calibre);

      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        user_id INTEGER,
        username TEXT,
        action TEXT NOT NULL,
        entity_type TEXT NOT NULL,
        entity_id TEXT,
        case_id INTEGER,
        before_json TEXT,
        after_json TEXT,
        reason TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_case ON audit_log(case_id, seq);
      CREATE INDEX audit_user ON audit_log(username, seq);
      CREATE INDEX audit_action ON audit_log(action, seq);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

      CREATE TABLE evidence_files (
        sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
        size INTEGER NOT NULL,
        media_type TEXT NOT NULL,
        original_name TEXT,
        stored_at TEXT NOT NULL,
        stored_by INTEGER REFERENCES users(id)
      );
      CREATE TRIGGER evidence_files_no_update BEFORE UPDATE ON evidence_files
        BEGIN SELECT RAISE(ABORT, 'evidence records are write-once'); END;
      CREATE TRIGGER evidence_files_no_delete BEFORE DELETE ON evidence_files
        BEGIN SELECT RAISE(ABORT, 'evidence records are write-once'); END;
    `);
  },
};
