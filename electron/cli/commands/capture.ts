// casebench capture — guided capture of an item on the rig (the demo rig without hardware).
import { parseCommandArgs } from '../args.ts';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { stationConfig, stationOptions, stationOptionsHelp } from '../stationOptions.ts';
import { createHost } from '../../host/createHost.ts';
import { captureRegions } from '../../contract/acquisitions.ts';
import { acquisitionCliError, operatorFor, operatorHelp } from './acquisitionCli.ts';
import { captureStepText, progressLines } from '../progressText.ts';

export const captureCommand: Command = {
  name: ['capture'],
  summary: 'capture an item on the rig: autofocus, exposure, images per light, 3D topography, quality checks',
  help: `Usage: casebench capture --item ID [--regions breech_face,firing_pin] [options]

For each region: autofocus (or --focus-mm), automatic exposure that avoids saturation, dark frames, one image per
light channel plus the whole ring, photometric stereo with the calibrated lights into an X3P topography, and the
quality checks. Originals are stored as 16-bit PNG. No acquisition is stored unless every region completes
(Ctrl-C cancels); originals already written stay in the evidence store, unreferenced (an original is never
deleted), and the audit trail says so (capture.canceled/failed, or capture.interrupted on the next start). Capture needs a valid calibration: see casebench calibrate. Progress goes to stderr.
Exit code 0 when every quality check passed, 1 when one failed or capture was refused or canceled.

Options:
  --item ID         the item to capture (its id)
  --regions LIST    comma-separated: ${captureRegions.join(', ')}; default breech_face,firing_pin
  --focus-mm Z      manual focus position in mm (no autofocus)
  --notes TEXT      stored with the acquisitions
  --json            print the stored acquisitions as JSON
${operatorHelp}
${stationOptionsHelp}`,
  async run({ argv, stdout, stderr, signal }) {
    const { values, positionals } = parseCommandArgs(argv, {
      ...stationOptions,
      item: { type: 'string' },
      regions: { type: 'string' },
      'focus-mm': { type: 'string' },
      notes: { type: 'string' },
      operator: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const itemId = Number(values.item);
    if (values.item === undefined || !Number.isInteger(itemId) || itemId < 1)
      throw new UsageError(`--item expects an item id, got "${values.item ?? ''}"`);
    const regions = (values.regions ?? 'breech_face,firing_pin').split(',').map((r) => r.trim());
    const bad = regions.filter((r) => !(captureRegions as readonly string[]).includes(r));
    if (bad.length || regions.length === 0 || new Set(regions).size !== regions.length)
      throw new UsageError(
        `--regions expects distinct regions among ${captureRegions.join(', ')}, got "${values.regions}"`,
      );
    const focus = values['focus-mm'] === undefined ? undefined : Number(values['focus-mm']);
    if (focus !== undefined && !Number.isFinite(focus))
      throw new UsageError(`--focus-mm expects a number, got "${values['focus-mm']}"`);
    const host = createHost({ ...stationConfig(values), log: () => {} });
    try {
      const operator = operatorFor(host, values.operator, 'acquisition.write');
      const acquisitions = await host.capture.capture(
        operator,
        { itemId, regions: regions as (typeof captureRegions)[number][], manualFocusMm: focus, notes: values.notes },
        progressLines(stderr, captureStepText),
        signal,
      );
      if (values.json) stdout.write(`${JSON.stringify(acquisitions, null, 2)}\n`);
      else {
        for (const a of acquisitions) {
          stdout.write(
            `acquisition ${a.id}: ${a.region}, ${a.width} × ${a.height} at ${a.lateralUm?.toFixed(3)} µm, ${a.files.length} files, calibration ${a.calibrationId}\n`,
          );
          for (const c of a.quality?.checks ?? [])
            stdout.write(`  ${c.passed ? 'ok  ' : 'FAIL'} ${c.id}: ${c.message}\n`);
        }
      }
      return acquisitions.every((a) => a.quality?.passed) ? ExitCode.ok : ExitCode.failed;
    } catch (error) {
      throw acquisitionCliError(error);
    } finally {
      await host.close();
    }
  },
};
