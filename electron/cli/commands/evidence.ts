import { join } from 'node:path';
import { ExitCode, type Command } from '../command.ts';
import { parseCommandArgs } from '../args.ts';
import { stationConfig, stationOptions, stationOptionsHelp } from '../stationOptions.ts';
import { createHost } from '../../host/createHost.ts';

export const evidenceVerifyCommand: Command = {
  name: ['evidence', 'verify'],
  summary: 're-hash every stored evidence file; report missing or altered ones',
  help: `Usage: casebench evidence verify [--json] [options]

Exit code 0 when every file matches its SHA-256, 1 when any is missing or altered.

Options:
  --json            print as JSON
${stationOptionsHelp}`,
  async run({ argv, stdout, stderr }) {
    const { values } = parseCommandArgs(argv, { ...stationOptions, json: { type: 'boolean' } });
    const config = stationConfig(values);
    const host = createHost({ ...config, log: () => {} });
    try {
      const result = await host.evidence.verify((done, total) => {
        if (done % 100 === 0 || done === total) stderr.write(`\rchecked ${done} of ${total}`);
      });
      stderr.write('\n');
      if (values.json) stdout.write(`${JSON.stringify(result)}\n`);
      else {
        stdout.write(`${result.checked} evidence files checked in ${join(config.dataDir, 'evidence')}\n`);
        for (const h of result.missing) stdout.write(`MISSING  ${h}\n`);
        for (const h of result.altered) stdout.write(`ALTERED  ${h}\n`);
        if (result.ok) stdout.write('all files intact\n');
      }
      return result.ok ? ExitCode.ok : ExitCode.failed;
    } finally {
      await host.close();
    }
  },
};
