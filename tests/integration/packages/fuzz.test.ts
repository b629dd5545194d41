// Seeded, time-bounded fuzzing of the package verifier (issue 15): whatever is done to a valid package — its bytes,
// its headers, its members, its manifest signed again — verification answers ok or names a problem, and never
// throws; and a package that verifies is imported or refused with a clear error. A longer run with fresh seeds is bench/packagesFuzz.bench.ts; a failing seed and input index reproduce.
import { describe, expect, it } from 'vitest';
import { fuzzPackageVerifier, fuzzReceiver, makeFuzzBase } from '../../fixtures/packages/fuzz.ts';

describe('package verifier fuzzing', () => {
  it('answers every mutated package with ok or a named problem, and nothing escapes', async () => {
    const base = await makeFuzzBase();
    const receiver = await fuzzReceiver(base);
    let report;
    try {
      report = await fuzzPackageVerifier(20_261_204, { inputs: 300 }, base, receiver.importer);
      // Whatever was imported or refused, the receiving station's audit chain is whole.
      expect(await receiver.auditIntact()).toBe(true);
    } finally {
      await receiver.dispose();
    }
    expect(report.escapes).toEqual([]);
    expect(report.accepted).toBeGreaterThan(0); // some imports were tried
    // The run did real work and reached past the zip layer: signatures, schemas and member hashes refused things.
    expect(report.inputs).toBe(300);
    expect(report.refused.unreadable ?? 0).toBeGreaterThan(0);
    expect((report.refused.altered ?? 0) + (report.refused.missing ?? 0) + (report.refused.extra ?? 0)).toBeGreaterThan(
      0,
    );
    expect((report.refused.manifest ?? 0) + (report.refused.audit ?? 0)).toBeGreaterThan(0);
  }, 60_000);
});
