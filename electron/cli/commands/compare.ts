// casebench compare A.x3p B.x3p — CMC comparison of two breech-face topographies, both directions, full 360°.
import { existsSync } from 'node:fs';
import { parseCommandArgs } from '../args.ts';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { isAppError } from '../../contract/errors.ts';
import { createAnalysisPool } from '../../analysis/pool/pool.ts';
import { calibrateFor, likelihoodRatioFor } from '../../analysis/reference/index.ts';
import type { LikelihoodRatio } from '../../analysis/lr/model.ts';
import type { PreprocessParamsInput } from '../../analysis/preprocess.ts';
import { cmcPreprocessDefaults } from '../../analysis/cmc/params.ts';
import type { CmcResult } from '../../analysis/cmc/compare.ts';

/** Options shared by compare and score-pairs. */
export const analysisOptions = {
  json: { type: 'boolean' },
  'as-is': { type: 'boolean' },
  band: { type: 'string' },
  workers: { type: 'string' },
} as const;

export const analysisOptionsHelp = `  --as-is           use the surfaces as stored (already levelled, masked, band-passed); default: preprocess
  --band S,L        Gaussian band-pass cut-offs in µm (default 16,250 for CMC); "none" disables it
  --workers N       worker threads (default: number of cores)
  --json            machine-readable output on stdout`;

export function preprocessFromOptions(values: { 'as-is'?: boolean; band?: string }): PreprocessParamsInput | null {
  if (values['as-is']) {
    if (values.band) throw new UsageError('--as-is and --band exclude each other');
    return null;
  }
  if (!values.band) return { ...cmcPreprocessDefaults };
  if (values.band === 'none') return { shortCutoff: null, longCutoff: null };
  const m = /^(\d+(?:\.\d+)?),(\d+(?:\.\d+)?)$/.exec(values.band);
  if (!m) throw new UsageError(`--band expects SHORT,LONG in µm (e.g. 16,500), got "${values.band}"`);
  const [s, l] = [Number(m[1]), Number(m[2])];
  if (!(s > 0 && l > s)) throw new UsageError(`--band: need 0 < SHORT < LONG, got ${s},${l}`);
  return { shortCutoff: s * 1e-6, longCutoff: l * 1e-6 };
}

export function workersFromOptions(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new UsageError(`--workers expects an integer 1–64, got "${value}"`);
  return n;
}

/** Analysis errors caused by the input map to exit code 3 with their message. */
export function cliError(error: unknown): Error {
  if (isAppError(error, 'invalid_input') || isAppError(error, 'not_found'))
    return Object.assign(new Error(error.message), { exitCode: ExitCode.badInput });
  if (isAppError(error, 'canceled')) return Object.assign(new Error(error.message), { exitCode: ExitCode.failed });
  return error as Error;
}

function describe(result: CmcResult, calibrated: ReturnType<typeof calibrateFor>, lr: LikelihoodRatio): string {
  const [ab, ba] = result.directions;
  const r = result.registration;
  const lines = [
    `${result.a} vs ${result.b}`,
    `  CMC ${ab.reference}→${ab.target}: ${ab.cmcCount} of ${ab.validCells} cells`,
    `  CMC ${ba.reference}→${ba.target}: ${ba.cmcCount} of ${ba.validCells} cells`,
    `  combined (${result.params.combine}): ${result.cmc.combined}`,
    `  registration: θ = ${r.thetaDeg.toFixed(1)}°, shift = (${r.tx.toFixed(1)}, ${r.ty.toFixed(1)}) px at ${(result.pixelSize * 1e6).toFixed(2)} µm/px, coarse correlation ${r.score.toFixed(3)}`,
    `  time: ${result.timing.totalMs.toFixed(0)} ms (registration ${result.timing.registrationMs.toFixed(0)} ms)`,
  ];
  if (calibrated) lines.push(`  calibrated: ${calibrated.statement}`);
  lines.push(
    `  likelihood ratio: log10 LR ${lr.log10Lr.toFixed(2)} (90 % interval ${lr.interval[0].toFixed(2)} to ${lr.interval[1].toFixed(2)})${lr.clipped ? `, limited to the ${lr.clipped} bound the validation supports` : ''}`,
    `  ${lr.statement}`,
  );
  return `${lines.join('\n')}\n`;
}

export const compareCommand: Command = {
  name: ['compare'],
  summary: 'compare two breech-face topographies (CMC, both directions, full 360° search)',
  help: `Usage: casebench compare A.x3p B.x3p [options]

Congruent Matching Cells (8 × 8 cells, correlation ≥ 0.5, 20 px, 6°) after a coarse 360° registration.
Prints the CMC count in each direction, the combined count, the registration, how often such a count occurs
among the known non-matches of the reference population, and the likelihood ratio (log10, with its 90 %
interval) of the model trained on that population; both say when the parameters differ from theirs.

Options:
${analysisOptionsHelp}`,
  async run({ argv, stdout, stderr, signal }) {
    const { values, positionals } = parseCommandArgs(argv, analysisOptions);
    if (positionals.length !== 2) throw new UsageError(`expected two X3P files, got ${positionals.length}`);
    for (const file of positionals)
      if (!existsSync(file)) throw Object.assign(new Error(`${file}: no such file`), { exitCode: ExitCode.badInput });
    const preprocess = preprocessFromOptions(values);
    const pool = createAnalysisPool({ size: workersFromOptions(values.workers) ?? 1 });
    try {
      stderr.write('comparing…\n');
      const { result, preprocessing } = await pool.compare(
        { path: positionals[0] },
        { path: positionals[1] },
        { preprocess, signal },
      );
      const calibrated = calibrateFor(result, preprocess);
      const lr = likelihoodRatioFor(result, preprocess);
      if (values.json) stdout.write(`${JSON.stringify({ ...result, preprocessing, calibrated, lr }, null, 2)}\n`);
      else stdout.write(describe(result, calibrated, lr));
      return ExitCode.ok;
    } catch (error) {
      throw cliError(error);
    } finally {
      await pool.close();
    }
  },
};
