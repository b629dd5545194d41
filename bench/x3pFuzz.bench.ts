// Longer X3P fuzzing run (issue 10): several seeds, a minute in all by default (FUZZ_SECONDS to change it).
// The property is the unit test's: every mutated input reads or fails with an X3PError. Any escape fails the run.
import { writeBenchReport } from './report.ts';
import { fuzzX3PReader, type FuzzReport } from '../tests/fixtures/x3p/fuzz.ts';

const seconds = Number(process.env.FUZZ_SECONDS ?? 60);
const seeds = [Date.now() % 1_000_000, 1, 2, 3];
const reports: FuzzReport[] = seeds.map((seed) => fuzzX3PReader(seed, (seconds * 1000) / seeds.length));
const inputs = reports.reduce((n, r) => n + r.inputs, 0);
const escapes = reports.flatMap((r) => r.escapes.map((e) => ({ seed: r.seed, ...e })));
writeBenchReport(
  'x3pFuzz',
  [
    { metric: 'X3P fuzz inputs', value: inputs, unit: 'files' },
    { metric: 'inputs per second', value: inputs / seconds, unit: '/s' },
    {
      metric: 'errors other than X3PError',
      value: escapes.length,
      unit: '',
      target: '= 0',
      pass: escapes.length === 0,
    },
    { metric: 'slowest single input', value: Math.max(...reports.map((r) => r.slowestMs)), unit: 'ms' },
  ],
  { seeds, reports: reports.map((r) => ({ ...r, escapes: r.escapes.slice(0, 20) })) },
);
if (escapes.length) process.exit(1);
