import { ExitCode, type Command } from '../command.ts';
import { parseCommandArgs } from '../args.ts';
import { stationConfig, stationOptions, stationOptionsHelp } from '../stationOptions.ts';
import { openDatabase } from '../../host/storage/database.ts';
import { databasePath } from '../../host/config.ts';
import { AuditRepo } from '../../host/storage/repos/auditRepo.ts';

export const auditVerifyCommand: Command = {
  name: ['audit', 'verify'],
  summary: 'check the audit trail hash chain; names the first broken entry',
  help: `Usage: casebench audit verify [--json] [options]

Re-computes the hash chain of the audit trail from its first entry.
Exit code 0 when intact, 1 when an entry is altered, missing or out of order (the first one is named).

Options:
  --json            print the result as JSON
${stationOptionsHelp}`,
  async run({ argv, stdout }) {
    const { values } = parseCommandArgs(argv, { ...stationOptions, json: { type: 'boolean' } });
    const db = openDatabase(databasePath(stationConfig(values)), { readonly: true });
    try {
      const result = new AuditRepo(db).verify();
      if (values.json) stdout.write(`${JSON.stringify(result)}\n`);
      else if (result.ok)
        stdout.write(`audit trail intact: ${result.checked} entries verified in ${Math.round(result.tookMs)} ms\n`);
      else
        stdout.write(
          `AUDIT TRAIL BROKEN at entry ${result.firstBroken!.seq}: ${result.firstBroken!.reason} (${result.checked} entries before it verified)\n`,
        );
      return result.ok ? ExitCode.ok : ExitCode.failed;
    } finally {
      db.close();
    }
  },
};
