// casebench score-pairs --pairs pairs.csv --dir DIR --out scores.csv — CMC for every listed pair, in parallel.
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { parseCommandArgs } from '../args.ts';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { createAnalysisPool, type PairOutcome } from '../../analysis/pool/pool.ts';
import { calibrateFor, likelihoodRatioFor } from '../../analysis/reference/index.ts';
import {
  analysisOptions,
  analysisOptionsHelp,
  cliError,
  preprocessFromOptions,
  workersFromOptions,
} from './compare.ts';

const badInput = (message: string) => Object.assign(new Error(message), { exitCode: ExitCode.badInput });

/** Minimal RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new Error('unterminated quoted field');
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

function csvField(value: unknown): string {
  const s = value === undefined || value === null ? '' : String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface PairRow {
  a: string;
  b: string;
  /** Other columns of the pairs file, passed through to the output. */
  extra: string[];
}

export function readPairs(text: string, source: string): { extraHeader: string[]; pairs: PairRow[] } {
  let rows: string[][];
  try {
    rows = parseCsv(text);
  } catch (error) {
    throw badInput(`${source}: ${(error as Error).message}`);
  }
  if (rows.length === 0) throw badInput(`${source}: empty file; expected a header with columns a,b`);
  const header = rows[0].map((h) => h.trim());
  const ia = header.indexOf('a');
  const ib = header.indexOf('b');
  if (ia < 0 || ib < 0)
    throw badInput(`${source}: the header must name columns "a" and "b", got "${header.join(',')}"`);
  const reserved = new Set(['a', 'b', ...outputColumns]);
  const extraIdx = header.map((h, i) => i).filter((i) => !reserved.has(header[i]));
  const pairs = rows.slice(1).map((r, k) => {
    const line = k + 2;
    if (r.length !== header.length)
      throw badInput(`${source}:${line}: ${r.length} fields, the header has ${header.length}`);
    const a = r[ia].trim();
    const b = r[ib].trim();
    if (!a || !b) throw badInput(`${source}:${line}: empty file name in column ${a ? 'b' : 'a'}`);
    return { a, b, extra: extraIdx.map((i) => r[i]) };
  });
  if (pairs.length === 0) throw badInput(`${source}: no pairs after the header`);
  return { extraHeader: extraIdx.map((i) => header[i]), pairs };
}

const outputColumns = [
  'cmc',
  'cmc_ab',
  'cmc_ba',
  'cells_ab',
  'cells_ba',
  'theta_deg',
  'tx_px',
  'ty_px',
  'registration_corr',
  'knm_frequency',
  'knm_upper95',
  'log10_lr',
  'log10_lr_low',
  'log10_lr_high',
  'ms',
  'error',
];

function outputRow(
  pair: PairRow,
  outcome: PairOutcome,
  calibrated: ReturnType<typeof calibrateFor> | undefined,
  lr: ReturnType<typeof likelihoodRatioFor> | undefined,
): string {
  const r = outcome.result;
  const values = r
    ? [
        r.cmc.combined,
        r.cmc.ab,
        r.cmc.ba,
        r.directions[0].validCells,
        r.directions[1].validCells,
        r.registration.thetaDeg.toFixed(2),
        r.registration.tx.toFixed(2),
        r.registration.ty.toFixed(2),
        r.registration.score.toFixed(4),
        calibrated?.frequency.toPrecision(4),
        calibrated?.upper95.toPrecision(4),
        lr?.log10Lr.toFixed(3),
        lr?.interval[0].toFixed(3),
        lr?.interval[1].toFixed(3),
        r.timing.totalMs.toFixed(0),
        '',
      ]
    : [...new Array<string>(outputColumns.length - 1).fill(''), `${outcome.error?.code}: ${outcome.error?.message}`];
  return [pair.a, pair.b, ...values, ...pair.extra].map(csvField).join(',');
}

export const scorePairsCommand: Command = {
  name: ['score-pairs'],
  summary: 'CMC-score every pair listed in a CSV file (parallel worker threads)',
  help: `Usage: casebench score-pairs --pairs pairs.csv --dir DIR --out scores.csv [options]

The pairs file needs a header with columns a and b (file names relative to DIR); other columns are copied to
the output. The output has columns a,b,cmc,cmc_ab,cmc_ba,cells_ab,cells_ba,theta_deg,tx_px,ty_px,
registration_corr,knm_frequency,knm_upper95,log10_lr,log10_lr_low,log10_lr_high,ms,error followed by the
copied columns. cmc is the combined count; knm_frequency is how often a count this high occurs among the Fadul
known non-matches; log10_lr is the likelihood ratio of the model trained on Fadul (same firearm vs different
firearms), log10_lr_low/high its 90 % interval.
A pair that fails (unreadable file, empty surface) gets its error in the error column; the others go on.
Progress is printed on stderr. Exit code 1 if any pair failed.

Options:
  --pairs FILE      CSV of pairs (required)
  --dir DIR         folder of the X3P files (required)
  --out FILE        output CSV (required; written atomically)
${analysisOptionsHelp}`,
  async run({ argv, stdout, stderr, signal }) {
    const { values, positionals } = parseCommandArgs(argv, {
      ...analysisOptions,
      pairs: { type: 'string' },
      dir: { type: 'string' },
      out: { type: 'string' },
    });
    if (positionals.length) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
    if (!values.pairs || !values.dir || !values.out) throw new UsageError('--pairs, --dir and --out are required');
    const preprocess = preprocessFromOptions(values);
    const workers = workersFromOptions(values.workers);
    let text: string;
    try {
      text = await readFile(values.pairs, 'utf8');
    } catch {
      throw badInput(`${values.pairs}: cannot read the pairs file`);
    }
    const { extraHeader, pairs } = readPairs(text, values.pairs);
    const dir = values.dir;
    const pathOf = (name: string) => (isAbsolute(name) ? name : resolve(dir, name));
    const missing = [...new Set(pairs.flatMap((p) => [p.a, p.b]))].filter((n) => !existsSync(pathOf(n)));
    if (missing.length)
      throw badInput(
        `${missing.length} file(s) not found in ${dir}: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`,
      );

    const pool = createAnalysisPool({ size: workers });
    const started = performance.now();
    try {
      stderr.write(`scoring ${pairs.length} pairs on ${pool.size} worker(s)…\n`);
      let lastPrint = 0;
      const outcomes = await pool.scorePairs(
        pairs.map((p) => ({ a: { path: pathOf(p.a) }, b: { path: pathOf(p.b) } })),
        {
          preprocess,
          signal,
          onProgress: ({ done, total }) => {
            const now = performance.now();
            if (done === total || now - lastPrint > 1000) {
              lastPrint = now;
              const rate = done / ((now - started) / 1000);
              stderr.write(
                `  ${done}/${total} pairs, ${rate.toFixed(1)} pairs/s, about ${Math.round((total - done) / Math.max(rate, 1e-9))} s left\n`,
              );
            }
          },
        },
      );
      const header = ['a', 'b', ...outputColumns, ...extraHeader].map(csvField).join(',');
      const lines = outcomes.map((o, i) =>
        outputRow(
          pairs[i],
          o,
          o.result ? calibrateFor(o.result, preprocess) : undefined,
          o.result ? likelihoodRatioFor(o.result, preprocess) : undefined,
        ),
      );
      const tmp = `${values.out}.tmp-${process.pid}`;
      await writeFile(tmp, `${header}\n${lines.join('\n')}\n`);
      await rename(tmp, values.out);
      const failed = outcomes.filter((o) => o.error).length;
      const seconds = (performance.now() - started) / 1000;
      const summary = { pairs: pairs.length, failed, seconds: Math.round(seconds * 10) / 10, out: values.out };
      if (values.json) stdout.write(`${JSON.stringify(summary)}\n`);
      else
        stdout.write(
          `scored ${pairs.length - failed} of ${pairs.length} pairs in ${summary.seconds} s → ${values.out}${failed ? ` (${failed} failed: see the error column)` : ''}\n`,
        );
      return failed ? ExitCode.failed : ExitCode.ok;
    } catch (error) {
      throw cliError(error);
    } finally {
      await pool.close();
    }
  },
};
