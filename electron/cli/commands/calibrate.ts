// casebench calibrate — run a rig calibration (on the demo rig: its virtual targets) and store the record.
import { writeFileSync } from 'node:fs';
import { parseCommandArgs } from '../args.ts';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { stationConfig, stationOptions, stationOptionsHelp } from '../stationOptions.ts';
import { createHost } from '../../host/createHost.ts';
import { calibrationRunKinds } from '../../contract/acquisitions.ts';
import { acquisitionCliError, operatorFor, operatorHelp } from './acquisitionCli.ts';
import { calibrationStepText, progressLines } from '../progressText.ts';

const kindNames: Record<string, (typeof calibrationRunKinds)[number]> = {
  all: 'all',
  scale: 'scale',
  'flat-dark': 'flat_dark',
  lights: 'lights',
  uniformity: 'uniformity',
};

export const calibrateCommand: Command = {
  name: ['calibrate'],
  summary: 'calibrate the rig (scale, flat/dark, light directions, uniformity) and store the record',
  help: `Usage: casebench calibrate [--kind all|scale|flat-dark|lights|uniformity] [options]

Images the calibration targets (the demo rig images virtual ones: dot grid, white plate, sphere), computes the
calibration and stores it with operator, rig profile, device serials, results, report picture and expiry.
Capture refuses a rig whose scale, flat/dark or lights calibration is missing, failed, expired or was made
with other devices. Progress goes to stderr. Exit code 0 when the calibration passed, 1 when it did not.

Options:
  --kind K          all (default: the whole suite, one record), scale, flat-dark, lights or uniformity
  --valid-days N    days until the calibration expires, unless the station has its own validity setting (Calibration page); default 30
  --report FILE     also write the report picture (PNG) to FILE
  --json            print the stored record as JSON
${operatorHelp}
${stationOptionsHelp}`,
  async run({ argv, stdout, stderr, signal }) {
    const { values, positionals } = parseCommandArgs(argv, {
      ...stationOptions,
      kind: { type: 'string' },
      'valid-days': { type: 'string' },
      report: { type: 'string' },
      operator: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const kind = kindNames[values.kind ?? 'all'];
    if (!kind) throw new UsageError(`--kind expects one of ${Object.keys(kindNames).join(', ')}, got "${values.kind}"`);
    const validDays = values['valid-days'] === undefined ? 30 : Number(values['valid-days']);
    if (!Number.isFinite(validDays) || validDays <= 0 || validDays > 3650)
      throw new UsageError(`--valid-days expects a number of days 1–3650, got "${values['valid-days']}"`);
    const host = createHost({ ...stationConfig(values), calibrationValidityDays: validDays, log: () => {} });
    try {
      const operator = operatorFor(host, values.operator, 'rig.operate');
      const record = await host.capture.runCalibration(
        operator,
        kind,
        progressLines(stderr, calibrationStepText),
        signal,
      );
      if (values.report && record.reportSha256)
        writeFileSync(values.report, host.acquisitions.readEvidence(record.reportSha256), { flag: 'wx' });
      if (values.json) stdout.write(`${JSON.stringify(record, null, 2)}\n`);
      else {
        stdout.write(
          `calibration ${record.id} (${record.kind}) of rig "${record.rigProfile}" by ${record.operator}: ${record.passed ? 'passed' : 'FAILED'}\n`,
        );
        const scale = record.results.scale as
          { umPerPixelX: number; umPerPixelY: number; cornerDistortionPx: number } | undefined;
        if (scale)
          stdout.write(
            `  scale ${scale.umPerPixelX.toFixed(4)} × ${scale.umPerPixelY.toFixed(4)} µm/pixel, distortion ${scale.cornerDistortionPx.toFixed(2)} px at the corner\n`,
          );
        const lights = record.results.lights as
          { lights: Record<string, { direction: number[]; intensity: number }> } | undefined;
        for (const [key, l] of Object.entries(lights?.lights ?? {}))
          stdout.write(
            `  light ${key}: direction (${l.direction.map((v) => v.toFixed(3)).join(', ')}), intensity ${l.intensity.toFixed(3)}\n`,
          );
        for (const m of record.messages) stdout.write(`  ! ${m}\n`);
        stdout.write(
          `  devices ${Object.entries(record.deviceSerials)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}\n  valid until ${record.expiresAt}\n`,
        );
      }
      return record.passed ? ExitCode.ok : ExitCode.failed;
    } catch (error) {
      throw acquisitionCliError(error);
    } finally {
      await host.close();
    }
  },
};
