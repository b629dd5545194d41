// Signature files: what a station sends as its casing's features and what the hub keeps across restarts.
import { describe, expect, it } from 'vitest';
import {
  decodeSignatureFile,
  encodeSignatureFile,
  screeningParamsKey,
  SignatureFileError,
  signaturesAgree,
} from './signatureFile.ts';
import type { ScreeningSignature } from './screening.ts';

const sha = 'ab'.repeat(32);

function signature(seed: number): ScreeningSignature {
  const n = 3 * 8;
  const fill = (k: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(seed + k * 100 + i) / 3);
  return { version: 1, radialBins: 3, angularBins: 8, values: fill(0), spectrumRe: fill(1), spectrumIm: fill(2) };
}

describe('signature file', () => {
  it('round-trips a signature bit for bit, with its topography and parameters', () => {
    const original = signature(1);
    const decoded = decodeSignatureFile(
      encodeSignatureFile({ topographySha256: sha, paramsKey: screeningParamsKey, signature: original }),
    );
    expect(decoded.topographySha256).toBe(sha);
    expect(decoded.paramsKey).toBe(screeningParamsKey);
    expect(decoded.signature).toEqual(original);
  });

  it('refuses what is not a usable signature, saying why', () => {
    const good = JSON.parse(
      encodeSignatureFile({ topographySha256: sha, paramsKey: screeningParamsKey, signature: signature(1) }).toString(),
    ) as Record<string, unknown>;
    const variant = (change: Record<string, unknown>) => Buffer.from(JSON.stringify({ ...good, ...change }));
    const refusal = (bytes: Uint8Array) => {
      try {
        decodeSignatureFile(bytes);
      } catch (error) {
        expect(error).toBeInstanceOf(SignatureFileError);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refusal(Buffer.from('{"format":'))).toMatch(/not JSON/);
    expect(refusal(variant({ format: 'something-else/1' }))).toMatch(/not a casebench-screening-signature\/1 file/);
    expect(refusal(variant({ topographySha256: 'xyz' }))).toMatch(/not a SHA-256/);
    expect(refusal(variant({ version: 2 }))).toMatch(/version 2 is not known/);
    expect(refusal(variant({ radialBins: 0 }))).toMatch(/positive integers/);
    expect(refusal(variant({ angularBins: 9 }))).toMatch(/must hold 3 × 3 × 9 values/);
    const nan = Buffer.from(good.float64le as string, 'base64');
    nan.writeDoubleLE(Number.NaN, 16);
    expect(refusal(variant({ float64le: nan.toString('base64') }))).toMatch(/not a finite number/);
  });

  it('says whether two signatures agree (same shape, values within rounding)', () => {
    const a = signature(1);
    const nudged = { ...a, values: a.values.map((v, i) => (i === 5 ? v + 1e-12 : v)) };
    expect(signaturesAgree(a, nudged)).toBe(true);
    expect(signaturesAgree(a, signature(2))).toBe(false);
    expect(signaturesAgree(a, { ...a, angularBins: 4, radialBins: 6 })).toBe(false);
  });
});
