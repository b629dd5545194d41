import { resolve } from 'node:path';
import { defaultDataDir, type HostConfig } from '../host/config.ts';

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
