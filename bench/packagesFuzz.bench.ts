// Longer fuzzing of the package verifier (issue 15): several seeds, a minute in all by default (FUZZ_SECONDS to
// change it). The property is the test's: every mutated package is answered with ok or a named problem.
import { writeBenchReport } from './report.ts';
import {
  fuzzPackageVerifier,
  fuzzReceiver,
  makeFuzzBase,
  type PackageFuzzReport,
} from '../tests/fixtures/packages/fuzz.ts';

const seconds = Number(process.env.FUZZ_SECONDS ?? 60);
const seeds = [Date.now() % 1_000_000, 1, 2, 3];
const base = await makeFuzzBase();
const receiver = await fuzzReceiver(base);
const reports: PackageFuzzReport[] = [];
let auditIntact: boolean;
try {
  for (const seed of seeds)
    reports.push(await fuzzPackageVerifier(seed, { ms: (seconds * 1000) / seeds.length }, base, receiver.importer));
  auditIntact = await receiver.auditIntact();
} finally {
  await receiver.dispose();
}
const inputs = reports.reduce((n, r) => n + r.inputs, 0);
const escapes = reports.flatMap((r) => r.escapes.map((e) => ({ seed: r.seed, ...e })));
const refused: Record<string, number> = {};
for (const r of reports) for (const [kind, n] of Object.entries(r.refused)) refused[kind] = (refused[kind] ?? 0) + n;
writeBenchReport(
  'packagesFuzz',
  [
    { metric: 'package fuzz inputs', value: inputs, unit: 'packages' },
    { metric: 'inputs per second', value: inputs / seconds, unit: '/s' },
    {
      metric: 'accepted (a valid package: signed again, or only unsigned header fields changed)',
      value: reports.reduce((n, r) => n + r.accepted, 0),
      unit: '',
    },
    {
      metric: 'accepted, then refused by the import',
      value: reports.reduce((n, r) => n + r.importRefused, 0),
      unit: '',
    },
    {
      metric: 'receiving station audit chain intact',
      value: auditIntact ? 1 : 0,
      unit: '',
      target: '= 1',
      pass: auditIntact,
    },
    {
      metric: 'verifications or imports that threw',
      value: escapes.length,
      unit: '',
      target: '= 0',
      pass: escapes.length === 0,
    },
    { metric: 'slowest single input', value: Math.max(...reports.map((r) => r.slowestMs)), unit: 'ms' },
  ],
  {
    seeds,
    refused,
    acceptedBy: reports.reduce<Record<string, number>>((all, r) => {
      for (const [k, n] of Object.entries(r.acceptedBy)) all[k] = (all[k] ?? 0) + n;
      return all;
    }, {}),
    escapes: escapes.slice(0, 20),
  },
);
if (escapes.length || !auditIntact) process.exit(1);
