// Trust-boundary fuzzing (issue 10): one fixed seed per target, bounded inputs, so a failure reproduces from the
// seed and input index in the report. The longer run with fresh seeds is bench/boundaryFuzz.bench.ts; the X3P
// reader and the package verifier have their own (tests/integration/analysis, tests/integration/packages).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fuzzBundles,
  fuzzContractMessages,
  fuzzDeviceWire,
  fuzzHttpRequests,
  fuzzWebSocketFrames,
  makeBundleFuzzBase,
  makeServeFuzzBase,
  type BoundaryFuzzReport,
  type BundleFuzzBase,
  type ServeFuzzBase,
} from '../../fixtures/fuzz/boundary.ts';

const seed = 20_261_205;
const outcomesOf = (report: BoundaryFuzzReport) => Object.keys(report.outcomes).sort();

describe('trust-boundary fuzzing', () => {
  let serve: ServeFuzzBase;
  let bundles: BundleFuzzBase;
  beforeAll(async () => {
    serve = await makeServeFuzzBase();
    bundles = await makeBundleFuzzBase();
  }, 60_000);
  afterAll(async () => {
    await serve?.dispose();
    bundles?.dispose();
  });

  it('device wire: lines, ring frames, USB3 Vision packets and a line link take any bytes', async () => {
    const report = await fuzzDeviceWire(seed, { inputs: 2000 });
    expect(report.escapes).toEqual([]);
    expect(outcomesOf(report)).toEqual(['line', 'line link', 'ring frames', 'usb packet']);
  });

  it('bundles: every mutated bundle is imported or refused with a BundleError', async () => {
    const report = await fuzzBundles(seed, { inputs: 250 }, bundles);
    expect(report.escapes).toEqual([]);
    expect(report.outcomes.refused).toBeGreaterThan(0);
    expect(report.outcomes.imported).toBeGreaterThan(0); // unmutated ones reach the end
    // Results bundles carry genuine hub-signed receipts and statements, one field changed behind a valid bundle
    // signature: the fuzz reaches the receipt and signed-results checks, and unchanged ones are applied.
    expect(report.outcomes['results refused: receipt']).toBeGreaterThan(0);
    expect(report.outcomes['results refused: leads']).toBeGreaterThan(0);
    expect(report.outcomes['results applied']).toBeGreaterThan(0);
  }, 120_000);

  it('websocket frames: any frame closes at most its own connection; the station keeps serving', async () => {
    const report = await fuzzWebSocketFrames(seed, { inputs: 80 }, serve);
    expect(report.escapes).toEqual([]);
    expect(report.outcomes.closed).toBeGreaterThan(0);
  }, 60_000);

  it('contract messages: every answer is a result or a named error, never internal', async () => {
    const report = await fuzzContractMessages(seed, { inputs: 300 }, serve);
    expect(report.escapes).toEqual([]);
    expect(report.outcomes['error invalid_input']).toBeGreaterThan(0);
    expect(await serve.healthy()).toBe(true);
  }, 60_000);

  it('http requests: answered below 500 or closed; the station keeps serving', async () => {
    const report = await fuzzHttpRequests(seed, { inputs: 120 }, serve);
    expect(report.escapes).toEqual([]);
    expect(Object.keys(report.outcomes).length).toBeGreaterThan(2);
  }, 60_000);
});
