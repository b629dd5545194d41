import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode, type Command } from '../command.ts';
import { parseCommandArgs } from '../args.ts';
import { openExistingStation, stationOptions, stationOptionsHelp } from '../stationOptions.ts';
import { AuditRepo } from '../../host/storage/repos/auditRepo.ts';
import { verifyAuditTrail } from '../../host/services/auditVerification.ts';

export const auditVerifyCommand: Command = {
  name: ['audit', 'verify'],
  summary: 'check the audit trail: hash chain, station key, checkpoints, triggers, audited records',
  help: `Usage: casebench audit verify [--checkpoint FILE]... [--audit-key FILE] [--json] [options]

Re-computes the hash chain of the audit trail from its first entry and checks, without trusting the database:
  - every entry carries a MAC of the station audit key (kept outside the database);
  - the protective triggers of the database are all there, unchanged;
  - the log still holds every entry vouched for by a checkpoint kept outside it: the checkpoints file beside the
    database, the station's network submissions, and any checkpoint given with --checkpoint (e.g. from a case
    package);
  - every case, item, evidence record and acquisition (and each of its files) was made, and last changed, by an
    audited action.
Exit code 0 when all hold, 1 when anything does not (each problem is listed). Reads only; never creates a station.

Options:
  --checkpoint FILE a file holding an audit checkpoint (JSON), or several (one per line); repeatable
  --audit-key FILE  the station audit key, when the lab keeps it elsewhere (default <database>.audit-key, or
                    CASEBENCH_AUDIT_KEY_FILE)
  --json            print the result as JSON
${stationOptionsHelp}`,
  async run({ argv, stdout }) {
    const { values } = parseCommandArgs(argv, {
      ...stationOptions,
      json: { type: 'boolean' },
      checkpoint: { type: 'string', multiple: true },
      'audit-key': { type: 'string' },
    });
    const checkpoints = (values.checkpoint ?? []).flatMap((file) => readCheckpointFile(resolve(file)));
    const { db } = openExistingStation(values);
    try {
      const audit = new AuditRepo(db, { keyFile: values['audit-key'] && resolve(values['audit-key']) });
      const result = verifyAuditTrail(db, audit, { checkpoints });
      if (values.json) stdout.write(`${JSON.stringify(result)}\n`);
      else if (result.ok) {
        const keyed = result.keyId
          ? `, each authenticated by station key ${result.keyId}`
          : ' (no station key yet: hash chain only)';
        stdout.write(
          `audit trail intact: ${result.checked} entries verified${keyed} in ${Math.round(result.tookMs)} ms\n`,
        );
        if (result.latestCheckpoint)
          stdout.write(
            `latest checkpoint: entry ${result.latestCheckpoint.seq} at ${result.latestCheckpoint.at} (${result.latestCheckpoint.source})\n`,
          );
      } else {
        stdout.write(
          result.firstBroken
            ? `AUDIT TRAIL BROKEN at entry ${result.firstBroken.seq}: ${result.firstBroken.reason} (${result.checked} entries checked)\n`
            : `AUDIT TRAIL NOT INTACT (${result.checked} entries checked)\n`,
        );
        for (const p of result.problems)
          stdout.write(
            `  ${p.kind.toUpperCase()}${p.seq !== null ? ` entry ${p.seq}` : ''}${p.subject ? ` ${p.subject}` : ''}: ${p.message}\n`,
          );
        if (result.moreProblems > 0) stdout.write(`  … and ${result.moreProblems} more\n`);
      }
      return result.ok ? ExitCode.ok : ExitCode.failed;
    } finally {
      db.close();
    }
  },
};

/** A checkpoint file: one JSON checkpoint, or JSON lines (a copy of a station's checkpoints file). */
function readCheckpointFile(path: string): { source: string; checkpoint: unknown }[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw Object.assign(new Error(`cannot read --checkpoint ${path}: ${(error as Error).message}`), {
      exitCode: ExitCode.badInput,
    });
  }
  const parse = (json: string) => {
    try {
      return JSON.parse(json) as unknown;
    } catch {
      return json;
    }
  };
  const whole = parse(text);
  if (typeof whole === 'object') return [{ source: path, checkpoint: whole }];
  return text
    .split('\n')
    .map((line, i) => ({ line: line.trim(), i }))
    .filter(({ line }) => line !== '')
    .map(({ line, i }) => ({ source: `${path} line ${i + 1}`, checkpoint: parse(line) }));
}
