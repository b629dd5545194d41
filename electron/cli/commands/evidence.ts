import { join } from 'node:path';
import { ExitCode, type Command } from '../command.ts';
import { parseCommandArgs } from '../args.ts';
import { openExistingStation, stationOptions, stationOptionsHelp } from '../stationOptions.ts';
import { verifyEvidence } from '../../host/services/evidenceStore.ts';

export const evidenceVerifyCommand: Command = {
  name: ['evidence', 'verify'],
  summary: 're-hash every stored evidence file; report missing or altered ones and records gone from under them',
  help: `Usage: casebench evidence verify [--json] [options]

Re-hashes every evidence file against its record, and names every acquisition file or other reference whose
evidence record is gone (saying whether its file is still on disk). Reads only; never creates a station.
Exit code 0 when everything is intact, 1 when anything is missing or altered.

Options:
  --json            print as JSON
${stationOptionsHelp}`,
  async run({ argv, stdout, stderr }) {
    const { values } = parseCommandArgs(argv, { ...stationOptions, json: { type: 'boolean' } });
    const { db, config } = openExistingStation(values);
    try {
      const root = join(config.dataDir, 'evidence');
      const result = await verifyEvidence(db, root, (done, total) => {
        if (done % 100 === 0 || done === total) stderr.write(`\rchecked ${done} of ${total}`);
      });
      stderr.write('\n');
      if (values.json) stdout.write(`${JSON.stringify(result)}\n`);
      else {
        stdout.write(`${result.checked} evidence files checked in ${root}\n`);
        for (const h of result.missing) stdout.write(`MISSING  ${h}\n`);
        for (const h of result.altered) stdout.write(`ALTERED  ${h}\n`);
        for (const r of result.missingRecords)
          stdout.write(
            `NO RECORD  ${r.sha256}  referenced by ${r.referencedBy}; file ${r.fileOnDisk ? 'still on disk' : 'gone too'}\n`,
          );
        if (result.ok) stdout.write('all files intact\n');
      }
      return result.ok ? ExitCode.ok : ExitCode.failed;
    } finally {
      db.close();
    }
  },
};
