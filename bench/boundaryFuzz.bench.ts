// Longer trust-boundary fuzzing run (issue 10): fresh seeds, FUZZ_SECONDS (default 60) shared among the targets
// of tests/fixtures/fuzz/boundary.ts. Any escape fails the run and is listed with its seed and input index.
import { writeBenchReport } from './report.ts';
import {
  fuzzBundles,
  fuzzContractMessages,
  fuzzDeviceWire,
  fuzzHttpRequests,
  fuzzWebSocketFrames,
  makeBundleFuzzBase,
  makeServeFuzzBase,
  type BoundaryFuzzReport,
} from '../tests/fixtures/fuzz/boundary.ts';

const seconds = Number(process.env.FUZZ_SECONDS ?? 60);
const seed = Date.now() % 1_000_000;
const budgetMs = (seconds * 1000) / 5;
const serve = await makeServeFuzzBase();
const bundles = await makeBundleFuzzBase();
const reports: BoundaryFuzzReport[] = [];
try {
  reports.push(await fuzzDeviceWire(seed, { budgetMs }));
  reports.push(await fuzzBundles(seed, { budgetMs }, bundles));
  reports.push(await fuzzWebSocketFrames(seed, { budgetMs }, serve));
  reports.push(await fuzzContractMessages(seed, { budgetMs }, serve));
  reports.push(await fuzzHttpRequests(seed, { budgetMs }, serve));
} finally {
  await serve.dispose();
  bundles.dispose();
}
const escapes = reports.flatMap((r) => r.escapes.map((e) => ({ target: r.target, seed: r.seed, ...e })));
writeBenchReport(
  'boundaryFuzz',
  [
    ...reports.map((r) => ({ metric: `${r.target}: inputs`, value: r.inputs, unit: 'inputs' })),
    ...reports.map((r) => ({ metric: `${r.target}: slowest input`, value: r.slowestMs, unit: 'ms' })),
    { metric: 'escapes (bugs)', value: escapes.length, unit: '', target: '= 0', pass: escapes.length === 0 },
  ],
  { seed, seconds, reports: reports.map((r) => ({ ...r, escapes: r.escapes.slice(0, 20) })) },
);
if (escapes.length) process.exit(1);
