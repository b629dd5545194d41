import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './migrations/index.ts';

export type Db = Database.Database;

export interface OpenOptions {
  /** Apply pending migrations (the default). `casebench db info` opens without migrating. */
  migrate?: boolean;
  readonly?: boolean;
}

/** Opens the station database: WAL, synchronous=FULL (a committed record survives a power cut), foreign keys on. */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (!options.readonly) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
  }
  db.pragma('foreign_keys = ON');
  if (options.migrate !== false && !options.readonly) migrate(db);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function latestSchemaVersion(): number {
  return migrations.at(-1)?.version ?? 0;
}

/** Applies every migration newer than the database, each in its own transaction with its version bump. */
export function migrate(db: Db): { from: number; to: number; applied: string[] } {
  const from = schemaVersion(db);
  if (from > latestSchemaVersion()) {
    throw new Error(
      `database schema version ${from} is newer than this Casebench (${latestSchemaVersion()}); upgrade Casebench`,
    );
  }
  const applied: string[] = [];
  for (const migration of migrations) {
    if (migration.version <= schemaVersion(db)) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
    applied.push(`${String(migration.version).padStart(4, '0')}-${migration.name}`);
  }
  return { from, to: schemaVersion(db), applied };
}
