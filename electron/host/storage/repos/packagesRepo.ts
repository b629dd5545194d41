import type { Db } from '../database.ts';

// Case packages: the SQL behind exports, imports and what an export reads (audit rows with their chain hashes,
// people named in the record, where an imported case came from).

export interface AuditRow {
  seq: number;
  at: string;
  user_id: number | null;
  username: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  case_id: number | null;
  before_json: string | null;
  after_json: string | null;
  reason: string | null;
  prev_hash: string;
  hash: string;
}

export interface NewExport {
  packageId: string;
  caseId: number;
  fileName: string;
  manifestSha256: string;
  packageSha256: string;
  contentSha256: string;
  size: number;
  items: string[];
  wholeCase: boolean;
  personalData: boolean;
  reason: string;
  exportedAt: string;
  exportedBy: number;
}

export interface ExportRow {
  id: number;
  packageId: string;
  caseId: number;
  labCaseNumber: string;
  fileName: string;
  packageSha256: string;
  contentSha256: string;
  size: number;
  items: string[];
  wholeCase: boolean;
  personalData: boolean;
  reason: string;
  exportedAt: string;
  exportedBy: string;
}

export interface NewImport {
  packageId: string;
  manifestSha256: string;
  signatureSha256: string;
  recordSha256: string;
  auditSha256: string;
  packageSha256: string;
  originLabId: string;
  originStationId: string;
  originCaseNumber: string;
  exportedAt: string;
  exportedBy: string;
  reason: string;
  caseId: number;
  importedAt: string;
  importedBy: number;
  auditSeq: number;
}

export interface ImportRow extends Omit<NewImport, 'importedBy'> {
  id: number;
  importedBy: string;
  labCaseNumber: string;
}

const importSelect = `SELECT p.*, u.username AS imported_by_name, c.lab_case_number FROM package_imports p
  JOIN users u ON u.id = p.imported_by JOIN cases c ON c.id = p.case_id`;

function importRow(r: Record<string, unknown>): ImportRow {
  return {
    id: r.id as number,
    packageId: r.package_id as string,
    manifestSha256: r.manifest_sha256 as string,
    signatureSha256: r.signature_sha256 as string,
    recordSha256: r.record_sha256 as string,
    auditSha256: r.audit_sha256 as string,
    packageSha256: r.package_sha256 as string,
    originLabId: r.origin_lab_id as string,
    originStationId: r.origin_station_id as string,
    originCaseNumber: r.origin_case_number as string,
    exportedAt: r.exported_at as string,
    exportedBy: r.exported_by as string,
    reason: r.reason as string,
    caseId: r.case_id as number,
    labCaseNumber: r.lab_case_number as string,
    importedAt: r.imported_at as string,
    importedBy: r.imported_by_name as string,
    auditSeq: r.audit_seq as number,
  };
}

export class PackagesRepo {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  auditOfCase(caseId: number): AuditRow[] {
    return this.db.prepare('SELECT * FROM audit_log WHERE case_id = ? ORDER BY seq').all(caseId) as AuditRow[];
  }

  lastAudit(): { seq: number; hash: string } | undefined {
    return this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
      { seq: number; hash: string } | undefined;
  }

  evidenceFile(sha256: string): { size: number; mediaType: string } | undefined {
    return this.db.prepare('SELECT size, media_type AS mediaType FROM evidence_files WHERE sha256 = ?').get(sha256) as
      { size: number; mediaType: string } | undefined;
  }

  people(usernames: string[]): { username: string; displayName: string; role: string }[] {
    const wanted = [...new Set(usernames.filter(Boolean))];
    if (wanted.length === 0) return [];
    return this.db
      .prepare(
        `SELECT username, display_name AS displayName, role FROM users WHERE username IN (${wanted.map(() => '?').join(',')}) ORDER BY username`,
      )
      .all(...wanted) as { username: string; displayName: string; role: string }[];
  }

  insertExport(e: NewExport): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO package_exports (package_id, case_id, file_name, manifest_sha256, package_sha256, content_sha256, size,
            items, whole_case, personal_data, reason, exported_at, exported_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          e.packageId,
          e.caseId,
          e.fileName,
          e.manifestSha256,
          e.packageSha256,
          e.contentSha256,
          e.size,
          JSON.stringify(e.items),
          e.wholeCase ? 1 : 0,
          e.personalData ? 1 : 0,
          e.reason,
          e.exportedAt,
          e.exportedBy,
        ).lastInsertRowid,
    );
  }

  exports(filter: { caseId?: number; limit: number }): ExportRow[] {
    const rows = this.db
      .prepare(
        `SELECT e.*, c.lab_case_number, u.username FROM package_exports e JOIN cases c ON c.id = e.case_id
         JOIN users u ON u.id = e.exported_by ${filter.caseId ? 'WHERE e.case_id = @caseId' : ''}
         ORDER BY e.id DESC LIMIT @limit`,
      )
      .all({ caseId: filter.caseId, limit: filter.limit }) as Record<string, unknown>[];
    return rows.map((r) => ({
      id: r.id as number,
      packageId: r.package_id as string,
      caseId: r.case_id as number,
      labCaseNumber: r.lab_case_number as string,
      fileName: r.file_name as string,
      packageSha256: r.package_sha256 as string,
      contentSha256: r.content_sha256 as string,
      size: r.size as number,
      items: JSON.parse(r.items as string) as string[],
      wholeCase: r.whole_case === 1,
      personalData: r.personal_data === 1,
      reason: r.reason as string,
      exportedAt: r.exported_at as string,
      exportedBy: r.username as string,
    }));
  }

  /** The case of a package this station exported into its exports folder (what a browser may download), if it is one. */
  exportCaseOf(fileName: string): number | undefined {
    return this.db
      .prepare('SELECT case_id FROM package_exports WHERE file_name = ? ORDER BY id DESC LIMIT 1')
      .pluck()
      .get(fileName) as number | undefined;
  }

  importByPackageId(packageId: string): ImportRow | undefined {
    const row = this.db.prepare(`${importSelect} WHERE p.package_id = ?`).get(packageId) as
      Record<string, unknown> | undefined;
    return row && importRow(row);
  }

  imports(limit: number): ImportRow[] {
    return (this.db.prepare(`${importSelect} ORDER BY p.id DESC LIMIT ?`).all(limit) as Record<string, unknown>[]).map(
      importRow,
    );
  }

  insertImport(i: NewImport): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO package_imports (package_id, manifest_sha256, signature_sha256, record_sha256, audit_sha256, package_sha256,
            origin_lab_id, origin_station_id, origin_case_number, exported_at, exported_by, reason, case_id, imported_at,
            imported_by, audit_seq)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          i.packageId,
          i.manifestSha256,
          i.signatureSha256,
          i.recordSha256,
          i.auditSha256,
          i.packageSha256,
          i.originLabId,
          i.originStationId,
          i.originCaseNumber,
          i.exportedAt,
          i.exportedBy,
          i.reason,
          i.caseId,
          i.importedAt,
          i.importedBy,
          i.auditSeq,
        ).lastInsertRowid,
    );
  }

  insertImportedRecord(
    importId: number,
    entityType: 'case' | 'item' | 'acquisition',
    localId: number,
    originId: number,
  ) {
    this.db
      .prepare('INSERT INTO package_imported_records (import_id, entity_type, local_id, origin_id) VALUES (?, ?, ?, ?)')
      .run(importId, entityType, localId, originId);
  }

  /** The package a record came in by, if it was imported. */
  importOf(entityType: 'case' | 'item' | 'acquisition', localId: number): ImportRow | undefined {
    const row = this.db
      .prepare(
        `${importSelect} WHERE p.id = (SELECT import_id FROM package_imported_records WHERE entity_type = ? AND local_id = ?)`,
      )
      .get(entityType, localId) as Record<string, unknown> | undefined;
    return row && importRow(row);
  }

  /** Where an imported case came from, as the record of a later export carries it. */
  provenanceOfCase(caseId: number) {
    return (
      this.db.prepare(`${importSelect} WHERE p.case_id = ? ORDER BY p.id`).all(caseId) as Record<string, unknown>[]
    ).map((r) => {
      const i = importRow(r);
      return {
        packageId: i.packageId,
        manifestSha256: i.manifestSha256,
        originLabId: i.originLabId,
        originStationId: i.originStationId,
        exportedAt: i.exportedAt,
        importedAt: i.importedAt,
        importedBy: i.importedBy,
      };
    });
  }
}
