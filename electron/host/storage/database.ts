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
  runHooksAfterCommit(db);
  if (options.migrate !== false && !options.readonly) migrate(db);
  return db;
}

const commitHooks = new WeakMap<Db, Set<() => void>>();

/**
 * Runs `hook` once, after the outermost transaction now in progress commits; never if it rolls back. Outside a
 * transaction it runs at once. For work that must follow a durable commit, not precede it (the audit checkpoint
 * file). A database not opened through openDatabase (a migration's unit test) runs no hooks.
 */
export function afterCommit(db: Db, hook: () => void): void {
  const hooks = commitHooks.get(db);
  if (!hooks) return;
  if (db.inTransaction) hooks.add(hook);
  else hook();
}

/** better-sqlite3 has no commit hook: its transaction functions are wrapped so the outermost one fires them. */
function runHooksAfterCommit(db: Db): void {
  const hooks = new Set<() => void>();
  commitHooks.set(db, hooks);
  const begin = db.transaction.bind(db);
  const settle = <A extends unknown[], R>(run: (...args: A) => R) =>
    function (this: unknown, ...args: A): R {
      let result: R;
      try {
        result = run.apply(this, args);
      } catch (error) {
        if (!db.inTransaction) hooks.clear();
        throw error;
      }
      if (!db.inTransaction) {
        const due = [...hooks];
        hooks.clear();
        for (const hook of due) hook();
      }
      return result;
    };
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const tx = begin(fn);
    return Object.assign(settle(tx), {
      default: settle(tx.default),
      deferred: settle(tx.deferred),
      immediate: settle(tx.immediate),
      exclusive: settle(tx.exclusive),
    });
  }) as Db['transaction'];
}

const triggersByVersion = new Map<number, Map<string, { table: string; sql: string }>>();

/**
 * The triggers a database at `version` has when nobody has touched its schema: those the migrations make, read
 * back from an empty in-memory database migrated to that version. Audit verification compares against it.
 */
export function expectedTriggers(version: number): Map<string, { table: string; sql: string }> {
  let triggers = triggersByVersion.get(version);
  if (triggers) return triggers;
  const db = new Database(':memory:');
  try {
    for (const migration of migrations) if (migration.version <= version) migration.up(db);
    const rows = db
      .prepare('SELECT name, tbl_name AS "table", sql FROM sqlite_master WHERE type = \'trigger\'')
      .all() as { name: string; table: string; sql: string }[];
    triggers = new Map(rows.map((r) => [r.name, { table: r.table, sql: r.sql }]));
  } finally {
    db.close();
  }
  triggersByVersion.set(version, triggers);
  return triggers;
}

/** Whether a write failed on a UNIQUE constraint (e.g. another connection inserted the same row first). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === 'SQLITE_CONSTRAINT_UNIQUE';
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
