import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { databasePath, defaultDataDir, type HostConfig } from '../host/config.ts';
import { openDatabase, type Db } from '../host/storage/database.ts';
import { ExitCode } from './command.ts';

/** Options every station command shares, so several stations can run side by side. */
export const stationOptions = {
  'data-dir': { type: 'string' },
  db: { type: 'string' },
} as const;

export const stationOptionsHelp = `  --data-dir PATH   station data folder (database, evidence files); default ${defaultDataDir()}
  --db PATH         SQLite database file; default <data-dir>/casebench.sqlite`;

export function stationConfig(values: { 'data-dir'?: string; db?: string }): HostConfig {
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  return { dataDir, dbPath: values.db ? resolve(values.db) : undefined };
}

/**
 * Opens an existing station's database read-only, for commands that check a station: they never create one (a
 * mistyped --data-dir would otherwise be an empty station, reported intact).
 */
export function openExistingStation(values: { 'data-dir'?: string; db?: string }): { db: Db; config: HostConfig } {
  const config = stationConfig(values);
  const path = databasePath(config);
  if (!existsSync(path))
    throw Object.assign(new Error(`there is no station database at ${path} (check --data-dir or --db)`), {
      exitCode: ExitCode.badInput,
    });
  return { db: openDatabase(path, { readonly: true }), config };
}
