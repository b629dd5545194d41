// casebench x3p info|validate|convert FILE — inspect, check and rewrite X3P topographies.
import { existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parseCommandArgs } from '../args.ts';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { readX3PFile, writeX3P, X3PError, type X3PReadResult, type X3PRecord2 } from '../../analysis/x3p/index.ts';

function oneFile(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError(`expected exactly one FILE, got ${positionals.length}`);
  return positionals[0];
}

function heightRange(result: X3PReadResult): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of result.surface.z) {
    if (Number.isNaN(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

function summary(file: string, result: X3PReadResult) {
  const { surface } = result;
  return {
    file,
    featureType: result.record1.featureType,
    layout: result.layout,
    source: result.source,
    width: surface.width,
    height: surface.height,
    dxMetres: surface.dx,
    dyMetres: surface.dy,
    validPoints: result.validPoints,
    heightRangeMetres: heightRange(result),
    record2: result.record2 ?? null,
    forensic: result.forensic ?? null,
    corrections: result.corrections,
  };
}

/** Reading failures are input errors (exit 3) with the reader's specific message. */
async function read(file: string, verifyChecksums = true): Promise<X3PReadResult> {
  try {
    return await readX3PFile(file, { verifyChecksums });
  } catch (error) {
    if (error instanceof X3PError)
      throw Object.assign(new Error(`${file}: ${error.message} [${error.code}]`), { exitCode: ExitCode.badInput });
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw Object.assign(new Error(`${file}: no such file`), { exitCode: ExitCode.badInput });
    throw error;
  }
}

const um = (metres: number) => `${(metres * 1e6).toPrecision(4)} µm`;

export const x3pInfoCommand: Command = {
  name: ['x3p', 'info'],
  summary: 'show size, spacing, provenance and forensic metadata of an X3P file',
  help: `Usage: casebench x3p info FILE [--json]

Reads FILE (checksums verified) and prints its geometry, Record2 provenance, Open-FMC metadata and every
deviation from ISO 5436-2 the reader corrected. Exit 3 when the file cannot be read.`,
  async run({ argv, stdout }) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } });
    const file = oneFile(positionals);
    const info = summary(file, await read(file));
    if (values.json) {
      stdout.write(`${JSON.stringify(info, null, 2)}\n`);
      return ExitCode.ok;
    }
    const lines = [
      `${basename(file)}: ${info.featureType} ${info.width} × ${info.height} points (${info.layout}, ${info.source} data)`,
      `spacing     ${um(info.dxMetres)} × ${um(info.dyMetres)}`,
      `valid       ${info.validPoints} of ${info.width * info.height} points`,
      `heights     ${um(info.heightRangeMetres.min)} … ${um(info.heightRangeMetres.max)}`,
    ];
    if (info.record2) {
      const r = info.record2;
      lines.push(`measured    ${r.date}${r.creator ? ` by ${r.creator}` : ''}`);
      lines.push(
        `instrument  ${[r.instrument.manufacturer, r.instrument.model, r.instrument.serial, r.instrument.version].filter(Boolean).join(' / ')}`,
      );
      lines.push(`calibrated  ${r.calibrationDate}`);
      if (r.comment) lines.push(`comment     ${r.comment}`);
    } else lines.push('provenance  none (no Record2)');
    if (info.forensic) lines.push(`forensic    ${JSON.stringify(info.forensic)}`);
    lines.push(
      info.corrections.length ? `corrections (${info.corrections.length}):` : 'corrections none: strict ISO 5436-2',
    );
    for (const c of info.corrections) lines.push(`  - ${c}`);
    stdout.write(`${lines.join('\n')}\n`);
    return ExitCode.ok;
  },
};

export const x3pValidateCommand: Command = {
  name: ['x3p', 'validate'],
  summary: 'check an X3P file: exit 0 strict, 1 readable with deviations, 3 refused',
  help: `Usage: casebench x3p validate FILE [--json]

Exit codes: 0 the file is strict ISO 5436-2 with matching checksums; 1 it is readable but deviates from the
standard (each deviation listed); 3 it cannot be read (damaged, checksum mismatch, hostile, no data).`,
  async run({ argv, stdout }) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } });
    const file = oneFile(positionals);
    let result: X3PReadResult;
    try {
      result = await read(file);
    } catch (error) {
      if (values.json && (error as { exitCode?: number }).exitCode === ExitCode.badInput) {
        stdout.write(`${JSON.stringify({ file, valid: false, strict: false, error: (error as Error).message })}\n`);
        return ExitCode.badInput;
      }
      throw error;
    }
    const strict = result.corrections.length === 0;
    if (values.json)
      stdout.write(`${JSON.stringify({ file, valid: true, strict, corrections: result.corrections })}\n`);
    else {
      stdout.write(
        strict
          ? `${file}: valid, strict ISO 5436-2\n`
          : `${file}: readable with ${result.corrections.length} deviation(s):\n`,
      );
      for (const c of result.corrections) stdout.write(`  - ${c}\n`);
    }
    return strict ? ExitCode.ok : ExitCode.failed;
  },
};

export const x3pConvertCommand: Command = {
  name: ['x3p', 'convert'],
  summary: 'rewrite an X3P file (any layout or deviation) as strict X3P',
  help: `Usage: casebench x3p convert FILE --out OUT.x3p [--float32] [--force] [--json]

Reads FILE with every correction the reader knows (listed on stderr) and writes a strict X3P: float64 binary
heights in metres, valid.bin for missing points, MD5 checksums, Record2 and any Open-FMC metadata kept.
FILE is never modified; OUT must differ from FILE and is not overwritten without --force.

Options:
  --out PATH   output file (required)
  --float32    store heights as float32 (half the size, ~7 significant digits)
  --force      overwrite OUT if it exists
  --json       print a JSON summary of the written file`,
  async run({ argv, stdout, stderr }) {
    const { values, positionals } = parseCommandArgs(argv, {
      out: { type: 'string' },
      float32: { type: 'boolean' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const file = oneFile(positionals);
    if (!values.out) throw new UsageError('--out is required');
    const out = resolve(values.out);
    if (out === resolve(file)) throw new UsageError('--out must differ from FILE (originals are never modified)');
    if (existsSync(out) && !values.force)
      throw Object.assign(new Error(`${values.out} exists; use --force to overwrite`), { exitCode: ExitCode.badInput });

    const result = await read(file);
    for (const c of result.corrections) stderr.write(`corrected: ${c}\n`);
    const record2: X3PRecord2 = result.record2 ?? {
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      instrument: { manufacturer: 'unknown', model: 'unknown', serial: 'unknown', version: 'unknown' },
      calibrationDate: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      probingSystem: { type: 'NonContacting', identification: 'unknown' },
      comment: `Converted by casebench from ${basename(file)}, which had no Record2; dates are the conversion time`,
    };
    const bytes = writeX3P(result.surface, {
      record2,
      forensic: result.forensic,
      dataType: values.float32 ? 'F' : 'D',
    });
    // Temp file then rename: a crash never leaves a half-written X3P under the final name.
    const temp = `${out}.${process.pid}.tmp`;
    await writeFile(temp, bytes, { flush: true });
    await rename(temp, out);
    const written = {
      file: values.out,
      bytes: bytes.length,
      width: result.surface.width,
      height: result.surface.height,
      corrections: result.corrections,
    };
    stdout.write(
      values.json
        ? `${JSON.stringify(written)}\n`
        : `wrote ${values.out} (${bytes.length} bytes, ${written.width} × ${written.height}, strict X3P)\n`,
    );
    return ExitCode.ok;
  },
};
