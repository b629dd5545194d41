// A screening signature as a file: what a station sends to the network as its casing's feature signature
// (artifact role "features"), and what the reference hub keeps so it never computes a signature twice, across
// restarts too. JSON with the values as base64 little-endian float64, so any tool can read it; the file names the
// topography it was computed from and every parameter it depends on (`paramsKey`), so a reader can tell whether it
// is comparable with its own signatures.
import { cmcPreprocessDefaults } from './cmc/params.ts';
import { screeningDefaults, type ScreeningSignature } from './screening.ts';

export const signatureFileFormat = 'casebench-screening-signature/1';
export const signatureMediaType = 'application/vnd.casebench.screening-signature+json';

/** Everything a screening signature of a whole stored scan depends on: equal keys, comparable signatures. */
export const screeningParamsKey = JSON.stringify({
  version: 1,
  preprocess: cmcPreprocessDefaults,
  screening: screeningDefaults,
});

export interface SignatureFile {
  topographySha256: string;
  paramsKey: string;
  signature: ScreeningSignature;
}

/** Refusal of a file that is not a usable signature, with the reason. */
export class SignatureFileError extends Error {}

export function encodeSignatureFile({ topographySha256, paramsKey, signature }: SignatureFile): Buffer {
  const n = signature.radialBins * signature.angularBins;
  const all = new Float64Array(3 * n);
  all.set(signature.values, 0);
  all.set(signature.spectrumRe, n);
  all.set(signature.spectrumIm, 2 * n);
  const bytes = Buffer.alloc(all.byteLength);
  all.forEach((v, i) => bytes.writeDoubleLE(v, i * 8));
  return Buffer.from(
    JSON.stringify({
      format: signatureFileFormat,
      topographySha256,
      paramsKey,
      version: 1,
      radialBins: signature.radialBins,
      angularBins: signature.angularBins,
      float64le: bytes.toString('base64'),
    }),
  );
}

const maxBins = 4096;
/** Far above any real signature (the default 12 × 64 bins make about 25 kB): a reader refuses more unread. */
export const maxSignatureFileBytes = 4 * 1024 * 1024;

export function decodeSignatureFile(bytes: Uint8Array): SignatureFile {
  if (bytes.byteLength > maxSignatureFileBytes)
    throw new SignatureFileError(
      `${bytes.byteLength} bytes is too large for a signature file (at most ${maxSignatureFileBytes})`,
    );
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new SignatureFileError('not JSON');
  }
  if (json === null || typeof json !== 'object' || json.format !== signatureFileFormat)
    throw new SignatureFileError(`not a ${signatureFileFormat} file`);
  const { topographySha256, paramsKey, version, radialBins, angularBins, float64le } = json;
  if (typeof topographySha256 !== 'string' || !/^[0-9a-f]{64}$/.test(topographySha256))
    throw new SignatureFileError('topographySha256 is not a SHA-256');
  if (typeof paramsKey !== 'string') throw new SignatureFileError('paramsKey is missing');
  if (version !== 1) throw new SignatureFileError(`signature version ${String(version)} is not known`);
  const bins = (v: unknown) => Number.isInteger(v) && (v as number) > 0 && (v as number) <= maxBins;
  if (!bins(radialBins) || !bins(angularBins))
    throw new SignatureFileError('radialBins and angularBins must be positive integers');
  const n = (radialBins as number) * (angularBins as number);
  const raw = typeof float64le === 'string' ? Buffer.from(float64le, 'base64') : undefined;
  if (!raw || raw.byteLength !== 3 * 8 * n)
    throw new SignatureFileError(`float64le must hold 3 × ${radialBins} × ${angularBins} values`);
  const all = new Float64Array(3 * n);
  for (let i = 0; i < all.length; i++) {
    all[i] = raw.readDoubleLE(i * 8);
    if (!Number.isFinite(all[i]))
      throw new SignatureFileError('the signature holds a value that is not a finite number');
  }
  return {
    topographySha256,
    paramsKey,
    signature: {
      version: 1,
      radialBins: radialBins as number,
      angularBins: angularBins as number,
      values: all.slice(0, n),
      spectrumRe: all.slice(n, 2 * n),
      spectrumIm: all.slice(2 * n),
    },
  };
}

/**
 * Whether two signatures of the same scan agree: the same shape and values within `tolerance` (the engine is
 * deterministic, so two stations running the same version agree to rounding).
 */
export function signaturesAgree(a: ScreeningSignature, b: ScreeningSignature, tolerance = 1e-9): boolean {
  if (a.radialBins !== b.radialBins || a.angularBins !== b.angularBins) return false;
  for (let i = 0; i < a.values.length; i++) if (Math.abs(a.values[i] - b.values[i]) > tolerance) return false;
  return true;
}
