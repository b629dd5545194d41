import type { Db } from '../database.ts';

// Station settings: one JSON value per key (table station_settings, migration 31). Callers validate values and
// write the audit entry in the same transaction; this repo only stores.

export interface StationSetting {
  value: unknown;
  updatedAt: string;
  updatedBy: number | null;
}

export class StationSettingsRepo {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  get(key: string): StationSetting | null {
    const row = this.db.prepare('SELECT value, updated_at, updated_by FROM station_settings WHERE key = ?').get(key) as
      { value: string; updated_at: string; updated_by: number | null } | undefined;
    return row
      ? { value: JSON.parse(row.value) as unknown, updatedAt: row.updated_at, updatedBy: row.updated_by }
      : null;
  }

  set(key: string, value: unknown, updatedAt: string, updatedBy: number | null): void {
    this.db
      .prepare(
        `INSERT INTO station_settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .run(key, JSON.stringify(value), updatedAt, updatedBy);
  }
}
