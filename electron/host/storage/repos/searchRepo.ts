// Read-only queries the search needs over acquisitions, items and cases, and the screening-signature cache.
// (The acquisitions repo proper belongs to the acquisition service; this file only reads its tables.)
import type { Db } from '../database.ts';
import type { AcquisitionRef, SearchFilters } from '../../../contract/analysis.ts';
import { SqlClauses } from './sqlClauses.ts';

export interface SearchSource extends AcquisitionRef {
  topographySha256: string | null;
  unsuitableReason: string | null;
  /** The examiner's region override (parsed JSON), null when none. */
  regionsOverride: unknown;
}

interface SourceRow {
  acquisition_id: number;
  item_id: number;
  case_id: number;
  lab_case_number: string;
  exhibit_number: string;
  calibre: string | null;
  recovery_date: string | null;
  completed_at: string;
  region: string;
  topography_sha256: string | null;
  unsuitable_reason: string | null;
  regions: string | null;
}

const select = `
  SELECT a.id AS acquisition_id, a.item_id, i.case_id, c.lab_case_number, i.exhibit_number, i.calibre, i.recovery_date,
         a.completed_at, a.region, a.topography_sha256, a.unsuitable_reason, a.regions
  FROM acquisitions a JOIN items i ON i.id = a.item_id JOIN cases c ON c.id = i.case_id`;

function toSource(row: SourceRow): SearchSource {
  return {
    acquisitionId: row.acquisition_id,
    itemId: row.item_id,
    caseId: row.case_id,
    labCaseNumber: row.lab_case_number,
    exhibitNumber: row.exhibit_number,
    calibre: row.calibre,
    recoveryDate: row.recovery_date,
    acquiredAt: row.completed_at,
    region: row.region,
    topographySha256: row.topography_sha256,
    unsuitableReason: row.unsuitable_reason,
    regionsOverride: row.regions === null ? null : (JSON.parse(row.regions) as unknown),
  };
}

export interface StoredSignature {
  radialBins: number;
  angularBins: number;
  values: Float64Array;
  spectrumRe: Float64Array;
  spectrumIm: Float64Array;
}

export class SearchRepo {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  acquisition(id: number): SearchSource | undefined {
    const row = this.db.prepare(`${select} WHERE a.id = ?`).get(id) as SourceRow | undefined;
    return row && toSource(row);
  }

  /** The item's most recent acquisition that has a topography (breech face first). */
  latestTopographyOfItem(itemId: number): SearchSource | undefined {
    const row = this.db
      .prepare(
        `${select} WHERE a.item_id = ? AND a.topography_sha256 IS NOT NULL ORDER BY a.region = 'breech_face' DESC, a.completed_at DESC, a.id DESC LIMIT 1`,
      )
      .get(itemId) as SourceRow | undefined;
    return row && toSource(row);
  }

  /** An item by its case's lab number and its exhibit number (both case-insensitive). */
  itemByExhibit(labCaseNumber: string, exhibitNumber: string): number | undefined {
    const row = this.db
      .prepare(
        'SELECT i.id FROM items i JOIN cases c ON c.id = i.case_id WHERE c.lab_case_number = ? COLLATE NOCASE AND i.exhibit_number = ? COLLATE NOCASE',
      )
      .get(labCaseNumber, exhibitNumber) as { id: number } | undefined;
    return row?.id;
  }

  itemExists(itemId: number): boolean {
    return this.db.prepare('SELECT 1 FROM items WHERE id = ?').get(itemId) !== undefined;
  }

  /** Acquisitions with a topography (or, `withImages`, any stored file), newest first, optionally of one item or case. */
  sources(filter: { itemId?: number; caseId?: number; withImages?: boolean }): SearchSource[] {
    const where = new SqlClauses()
      .when(
        true,
        filter.withImages
          ? '(a.topography_sha256 IS NOT NULL OR EXISTS (SELECT 1 FROM acquisition_files f WHERE f.acquisition_id = a.id))'
          : 'a.topography_sha256 IS NOT NULL',
        {},
      )
      .when(filter.itemId, 'a.item_id = @itemId', { itemId: filter.itemId })
      .when(filter.caseId, 'i.case_id = @caseId', { caseId: filter.caseId });
    const rows = this.db
      .prepare(`${select} ${where.where()} ORDER BY a.completed_at DESC, a.id DESC LIMIT 5000`)
      .all(where.params) as SourceRow[];
    return rows.map(toSource);
  }

  /** Every acquisition of this region passing the filters (the caller decides which ones can be searched). */
  candidates(region: string, filters: SearchFilters): SearchSource[] {
    const dateColumn = filters.dateField === 'recovered' ? 'i.recovery_date' : 'substr(a.completed_at, 1, 10)';
    const where = new SqlClauses()
      .when(region, 'a.region = @region', { region })
      .when(filters.calibre, 'i.calibre = @calibre COLLATE NOCASE', { calibre: filters.calibre })
      .when(filters.from, `${dateColumn} >= @from`, { from: filters.from })
      .when(filters.to, `${dateColumn} <= @to`, { to: filters.to });
    const rows = this.db.prepare(`${select} ${where.where()} ORDER BY a.id`).all(where.params) as SourceRow[];
    return rows.map(toSource);
  }

  signatures(paramsKey: string, hashes: string[]): Map<string, StoredSignature> {
    const found = new Map<string, StoredSignature>();
    const query = this.db.prepare(
      'SELECT radial_bins, angular_bins, signature FROM analysis_signatures WHERE topography_sha256 = ? AND params_key = ?',
    );
    for (const hash of new Set(hashes)) {
      const row = query.get(hash, paramsKey) as
        { radial_bins: number; angular_bins: number; signature: Buffer } | undefined;
      if (!row) continue;
      const n = row.radial_bins * row.angular_bins;
      if (row.signature.byteLength !== 3 * 8 * n) continue; // a damaged row is recomputed, not trusted
      const all = new Float64Array(
        row.signature.buffer.slice(row.signature.byteOffset, row.signature.byteOffset + row.signature.byteLength),
      );
      found.set(hash, {
        radialBins: row.radial_bins,
        angularBins: row.angular_bins,
        values: all.slice(0, n),
        spectrumRe: all.slice(n, 2 * n),
        spectrumIm: all.slice(2 * n),
      });
    }
    return found;
  }

  saveSignatures(paramsKey: string, signatures: Map<string, StoredSignature>, at: string): void {
    const insert = this.db.prepare(
      'INSERT OR REPLACE INTO analysis_signatures (topography_sha256, params_key, radial_bins, angular_bins, signature, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const [hash, s] of signatures) {
        const n = s.radialBins * s.angularBins;
        const all = new Float64Array(3 * n);
        all.set(s.values, 0);
        all.set(s.spectrumRe, n);
        all.set(s.spectrumIm, 2 * n);
        insert.run(hash, paramsKey, s.radialBins, s.angularBins, Buffer.from(all.buffer), at);
      }
    })();
  }
}
