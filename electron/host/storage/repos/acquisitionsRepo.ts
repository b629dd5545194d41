import type { Db } from '../database.ts';
import type {
  AcquisitionFile,
  AcquisitionRegion,
  AcquisitionSummary,
  DeviceIdentity,
  QualityReportView,
} from '../../../contract/acquisitions.ts';

// Acquisitions and their files. Rows are written once (triggers refuse changes to provenance); only the
// unsuitable judgement and the region override are updated, guarded by the row version.

export interface NewAcquisition {
  itemId: number;
  source: 'capture' | 'import';
  region: AcquisitionRegion;
  operatorId: number;
  startedAt: string;
  completedAt: string;
  rigProfile: string | null;
  devices: DeviceIdentity[] | null;
  calibrationId: number | null;
  settings: Record<string, unknown>;
  quality: QualityReportView | null;
  topographySha256: string | null;
  lateralUm: number | null;
  width: number | null;
  height: number | null;
}

export interface NewAcquisitionFile {
  role: string;
  sha256: string;
  settings: Record<string, unknown> | null;
}

type Row = Record<string, unknown>;

const summaryColumns = `a.id, a.item_id, a.source, a.region, u.username AS operator, a.started_at, a.completed_at, a.rig_profile,
  a.calibration_id, a.topography_sha256, a.lateral_um, a.width, a.height, a.quality, a.unsuitable_reason, a.version,
  (SELECT COUNT(*) FROM acquisition_files f WHERE f.acquisition_id = a.id) AS file_count`;

function parse<T>(text: unknown): T | null {
  return typeof text === 'string' ? (JSON.parse(text) as T) : null;
}

function summary(row: Row): AcquisitionSummary {
  const quality = parse<QualityReportView>(row.quality);
  return {
    id: row.id as number,
    itemId: row.item_id as number,
    source: row.source as AcquisitionSummary['source'],
    region: row.region as AcquisitionRegion,
    operator: (row.operator as string | null) ?? '?',
    startedAt: row.started_at as string,
    completedAt: row.completed_at as string,
    rigProfile: (row.rig_profile as string | null) ?? null,
    calibrationId: (row.calibration_id as number | null) ?? null,
    topographySha256: (row.topography_sha256 as string | null) ?? null,
    lateralUm: (row.lateral_um as number | null) ?? null,
    width: (row.width as number | null) ?? null,
    height: (row.height as number | null) ?? null,
    qualityPassed: quality ? quality.passed : null,
    unsuitableReason: (row.unsuitable_reason as string | null) ?? null,
    fileCount: row.file_count as number,
    version: row.version as number,
  };
}

export interface AcquisitionRecord extends AcquisitionSummary {
  devices: DeviceIdentity[];
  settings: Record<string, unknown>;
  quality: QualityReportView | null;
}

export class AcquisitionsRepo {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  insert(a: NewAcquisition, files: NewAcquisitionFile[]): number {
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO acquisitions (item_id, source, region, operator_id, started_at, completed_at, rig_profile, devices, calibration_id,
            settings, quality, topography_sha256, lateral_um, width, height) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          a.itemId,
          a.source,
          a.region,
          a.operatorId,
          a.startedAt,
          a.completedAt,
          a.rigProfile,
          a.devices ? JSON.stringify(a.devices) : null,
          a.calibrationId,
          JSON.stringify(a.settings),
          a.quality ? JSON.stringify(a.quality) : null,
          a.topographySha256,
          a.lateralUm,
          a.width,
          a.height,
        ).lastInsertRowid,
    );
    const insertFile = this.db.prepare(
      'INSERT INTO acquisition_files (acquisition_id, role, sha256, settings) VALUES (?, ?, ?, ?)',
    );
    for (const f of files) insertFile.run(id, f.role, f.sha256, f.settings ? JSON.stringify(f.settings) : null);
    return id;
  }

  listByItem(itemId: number): AcquisitionSummary[] {
    const rows = this.db
      .prepare(
        `SELECT ${summaryColumns} FROM acquisitions a LEFT JOIN users u ON u.id = a.operator_id WHERE a.item_id = ? ORDER BY a.completed_at DESC, a.id DESC`,
      )
      .all(itemId) as Row[];
    return rows.map(summary);
  }

  get(id: number): AcquisitionRecord | undefined {
    const row = this.db
      .prepare(
        `SELECT ${summaryColumns}, a.devices, a.settings FROM acquisitions a LEFT JOIN users u ON u.id = a.operator_id WHERE a.id = ?`,
      )
      .get(id) as Row | undefined;
    if (!row) return undefined;
    return {
      ...summary(row),
      devices: parse<DeviceIdentity[]>(row.devices) ?? [],
      settings: parse<Record<string, unknown>>(row.settings) ?? {},
      quality: parse<QualityReportView>(row.quality),
    };
  }

  files(acquisitionId: number): AcquisitionFile[] {
    const rows = this.db
      .prepare(
        `SELECT f.role, f.sha256, f.settings, e.size, e.media_type FROM acquisition_files f JOIN evidence_files e ON e.sha256 = f.sha256
        WHERE f.acquisition_id = ? ORDER BY f.rowid`,
      )
      .all(acquisitionId) as Row[];
    return rows.map((r) => ({
      role: r.role as string,
      sha256: r.sha256 as string,
      size: r.size as number,
      mediaType: r.media_type as string,
      settings: parse<Record<string, unknown>>(r.settings),
    }));
  }

  file(acquisitionId: number, role: string): AcquisitionFile | undefined {
    return this.files(acquisitionId).find((f) => f.role === role);
  }

  /** Sets or clears the unsuitable reason if the row is still at `version`; false when someone changed it meanwhile. */
  setUnsuitable(id: number, version: number, reason: string | null): boolean {
    return (
      this.db
        .prepare('UPDATE acquisitions SET unsuitable_reason = ?, version = version + 1 WHERE id = ? AND version = ?')
        .run(reason, id, version).changes === 1
    );
  }

  /** The stored manual region override (JSON as written by setRegions), or null. */
  regionsOverride(id: number): unknown {
    return parse<unknown>(this.db.prepare('SELECT regions FROM acquisitions WHERE id = ?').pluck().get(id));
  }

  /** Sets or clears the region override if the row is still at `version`; false when someone changed it meanwhile. */
  setRegions(id: number, version: number, regions: object | null): boolean {
    return (
      this.db
        .prepare('UPDATE acquisitions SET regions = ?, version = version + 1 WHERE id = ? AND version = ?')
        .run(regions ? JSON.stringify(regions) : null, id, version).changes === 1
    );
  }

  /** The case an item belongs to (for audit entries), or undefined when the item does not exist. */
  caseOfItem(itemId: number): number | undefined {
    return (
      (this.db.prepare('SELECT case_id FROM items WHERE id = ?').pluck().get(itemId) as number | undefined) ?? undefined
    );
  }

  /** The first acquisition whose topography is these bytes (a fetched lead casing, or the same scan imported here). */
  withTopography(sha256: string): number | undefined {
    return (
      (this.db.prepare('SELECT min(id) FROM acquisitions WHERE topography_sha256 = ?').pluck().get(sha256) as
        number | null) ?? undefined
    );
  }

  count(): number {
    return this.db.prepare('SELECT COUNT(*) FROM acquisitions').pluck().get() as number;
  }
}
