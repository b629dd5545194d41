import { existsSync, statSync } from 'node:fs';
import { ExitCode, type Command } from '../command.ts';
import { parseCommandArgs } from '../args.ts';
import { stationConfig, stationOptions, stationOptionsHelp } from '../stationOptions.ts';
import { latestSchemaVersion, migrate, openDatabase, schemaVersion } from '../../host/storage/database.ts';
import { databasePath } from '../../host/config.ts';

export const dbMigrateCommand: Command = {
  name: ['db', 'migrate'],
  summary: 'create the database or bring its schema up to date',
  help: `Usage: casebench db migrate [options]

Applies every pending schema migration, each in its own transaction.

Options:
${stationOptionsHelp}`,
  async run({ argv, stdout }) {
    const { values } = parseCommandArgs(argv, stationOptions);
    const path = databasePath(stationConfig(values));
    const db = openDatabase(path, { migrate: false });
    try {
      const result = migrate(db);
      stdout.write(
        result.applied.length
          ? `migrated ${path} from ${result.from} to ${result.to}: ${result.applied.join(', ')}\n`
          : `${path} is up to date (schema ${result.to})\n`,
      );
      return ExitCode.ok;
    } finally {
      db.close();
    }
  },
};

export const dbInfoCommand: Command = {
  name: ['db', 'info'],
  summary: 'show the database path, schema version and record counts',
  help: `Usage: casebench db info [--json] [options]

Options:
  --json            print as JSON
${stationOptionsHelp}`,
  async run({ argv, stdout, stderr }) {
    const { values } = parseCommandArgs(argv, { ...stationOptions, json: { type: 'boolean' } });
    const path = databasePath(stationConfig(values));
    if (!existsSync(path)) {
      stderr.write(`no database at ${path} (run "casebench db migrate" or start the station)\n`);
      return ExitCode.badInput;
    }
    const db = openDatabase(path, { readonly: true });
    try {
      const version = schemaVersion(db);
      const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
      const info = {
        path,
        sizeBytes: statSync(path).size,
        schemaVersion: version,
        latestSchemaVersion: latestSchemaVersion(),
        counts:
          version > 0
            ? {
                users: count('users'),
                cases: count('cases'),
                items: count('items'),
                auditEntries: count('audit_log'),
                evidenceFiles: count('evidence_files'),
              }
            : {},
      };
      if (values.json) stdout.write(`${JSON.stringify(info)}\n`);
      else {
        stdout.write(
          `database: ${info.path} (${(info.sizeBytes / 1024).toFixed(0)} KiB)\nschema:   ${version} of ${info.latestSchemaVersion}${version < info.latestSchemaVersion ? ' (run "casebench db migrate")' : ''}\n`,
        );
        for (const [k, v] of Object.entries(info.counts)) stdout.write(`${k.padEnd(14)} ${v}\n`);
      }
      return ExitCode.ok;
    } finally {
      db.close();
    }
  },
};
