import type { Migration } from './migration.ts';

// Case packages: what this station exported (each export is also audited) and what it imported, with where
// each imported case, item and acquisition came from. An import row is written once, in the transaction that
// creates the records it names; the package's manifest, signature, case record and audit extract are kept
// read-only in the evidence store and named here, beside the receiving station's own audit entry for the import.
// `package_id` is UNIQUE: the same package imported again is recognised, not duplicated.
export const migration: Migration = {
  version: 100,
  name: 'case-packages',
  up(db) {
    db.exec(`
      CREATE TABLE package_exports (
        id INTEGER PRIMARY KEY,
        package_id TEXT NOT NULL UNIQUE,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        file_name TEXT NOT NULL,
        manifest_sha256 TEXT NOT NULL CHECK (length(manifest_sha256) = 64),
        package_sha256 TEXT NOT NULL CHECK (length(package_sha256) = 64),
        content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
        size INTEGER NOT NULL,
        items TEXT NOT NULL CHECK (json_type(items) = 'array'),
        whole_case INTEGER NOT NULL,
        personal_data INTEGER NOT NULL,
        reason TEXT NOT NULL,
        exported_at TEXT NOT NULL,
        exported_by INTEGER NOT NULL REFERENCES users(id)
      ) STRICT;
      CREATE INDEX package_exports_case ON package_exports(case_id, exported_at);
      CREATE TRIGGER package_exports_no_update BEFORE UPDATE ON package_exports
        BEGIN SELECT RAISE(ABORT, 'export records are write-once'); END;
      CREATE TRIGGER package_exports_no_delete BEFORE DELETE ON package_exports
        BEGIN SELECT RAISE(ABORT, 'export records are write-once'); END;

      CREATE TABLE package_imports (
        id INTEGER PRIMARY KEY,
        package_id TEXT NOT NULL UNIQUE,
        manifest_sha256 TEXT NOT NULL UNIQUE REFERENCES evidence_files(sha256),
        signature_sha256 TEXT NOT NULL REFERENCES evidence_files(sha256),
        record_sha256 TEXT NOT NULL REFERENCES evidence_files(sha256),
        audit_sha256 TEXT NOT NULL REFERENCES evidence_files(sha256),
        package_sha256 TEXT NOT NULL CHECK (length(package_sha256) = 64),
        origin_lab_id TEXT NOT NULL,
        origin_station_id TEXT NOT NULL,
        origin_case_number TEXT NOT NULL,
        exported_at TEXT NOT NULL,
        exported_by TEXT NOT NULL,
        reason TEXT NOT NULL,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        imported_at TEXT NOT NULL,
        imported_by INTEGER NOT NULL REFERENCES users(id),
        audit_seq INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX package_imports_case ON package_imports(case_id);
      CREATE TRIGGER package_imports_no_update BEFORE UPDATE ON package_imports
        BEGIN SELECT RAISE(ABORT, 'import records are write-once'); END;
      CREATE TRIGGER package_imports_no_delete BEFORE DELETE ON package_imports
        BEGIN SELECT RAISE(ABORT, 'import records are write-once'); END;

      CREATE TABLE package_imported_records (
        import_id INTEGER NOT NULL REFERENCES package_imports(id),
        entity_type TEXT NOT NULL CHECK (entity_type IN ('case','item','acquisition')),
        local_id INTEGER NOT NULL,
        origin_id INTEGER NOT NULL,
        PRIMARY KEY (entity_type, local_id)
      ) STRICT;
      CREATE INDEX package_imported_records_import ON package_imported_records(import_id);
      CREATE TRIGGER package_imported_records_no_update BEFORE UPDATE ON package_imported_records
        BEGIN SELECT RAISE(ABORT, 'import records are write-once'); END;
      CREATE TRIGGER package_imported_records_no_delete BEFORE DELETE ON package_imported_records
        BEGIN SELECT RAISE(ABORT, 'import records are write-once'); END;
    `);
  },
};
