// Seeded, time-bounded fuzzing of the X3P reader (issue 10): nothing but an X3PError may escape. A longer run
// with fresh seeds is in bench/x3pFuzz.bench.ts. A failing seed and input index reproduce exactly.
import { describe, expect, it } from 'vitest';
import { fuzzX3PReader } from '../../../tests/fixtures/x3p/fuzz.ts';

describe('X3P reader fuzzing', () => {
  it('mutated files (bytes, zip headers, main.xml) are read or refused with an X3PError, nothing else', () => {
    const report = fuzzX3PReader(20_240_506, 3000);
    expect(report.escapes).toEqual([]);
    // The run did real work and reached beyond the zip layer (some inputs still read, XML errors found).
    expect(report.inputs).toBeGreaterThan(50);
    expect(report.refused['bad-xml']).toBeGreaterThan(0);
  }, 30_000);
});
