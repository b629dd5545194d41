// The screening signature as the hub stores it once per casing and screens it: only what comparing needs (each ring's
// angle spectrum), half of it (the rings are real, so bin A−k is the conjugate of bin k), quantised to int8 with one
// scale per ring. 844 bytes for the default 12 × 64 signature instead of 18 KiB; the network-scale population fits in
// memory and in a database page or two. Screening with it gives the score compareSignatures gives on the full
// signature, to within the quantisation (about 0.01 on a −1…1 score): it only chooses which casings get full CMC.
import { fft1dInPlace } from '../../../analysis/fft.ts';
import type { ScreeningSignature } from '../../../analysis/index.ts';

export const screeningEncodingVersion = 1;
const headerBytes = 4;

/** Bins kept per ring: 0 … A/2. */
const halfBins = (angularBins: number) => angularBins / 2 + 1;

export function encodedSize(radialBins: number, angularBins: number): number {
  return headerBytes + 4 * radialBins + 2 * radialBins * halfBins(angularBins);
}

export function encodeScreening(signature: ScreeningSignature): Buffer {
  const { radialBins: R, angularBins: A } = signature;
  if (R > 255 || A > 510 || A % 2 !== 0) throw new RangeError(`cannot encode a ${R}×${A} signature`);
  const H = halfBins(A);
  const out = Buffer.alloc(encodedSize(R, A));
  out.writeUInt8(screeningEncodingVersion, 0);
  out.writeUInt8(R, 1);
  out.writeUInt8(A / 2, 2);
  const scales = new Float32Array(R);
  for (let r = 0; r < R; r++) {
    let max = 0;
    for (let k = 0; k < H; k++)
      max = Math.max(max, Math.abs(signature.spectrumRe[r * A + k]!), Math.abs(signature.spectrumIm[r * A + k]!));
    scales[r] = max > 0 ? max / 127 : 0;
  }
  Buffer.from(scales.buffer).copy(out, headerBytes);
  const data = headerBytes + 4 * R;
  for (let r = 0; r < R; r++)
    for (let k = 0; k < H; k++) {
      const at = data + 2 * (r * H + k);
      const scale = scales[r]!;
      out.writeInt8(scale > 0 ? Math.round(signature.spectrumRe[r * A + k]! / scale) : 0, at);
      out.writeInt8(scale > 0 ? Math.round(signature.spectrumIm[r * A + k]! / scale) : 0, at + 1);
    }
  return out;
}

/** The shape an encoding claims, or an error for bytes that are not one. */
export function encodingShape(bytes: Uint8Array): { radialBins: number; angularBins: number } {
  if (bytes.byteLength < headerBytes || bytes[0] !== screeningEncodingVersion)
    throw new RangeError('not a screening encoding of this version');
  const shape = { radialBins: bytes[1]!, angularBins: 2 * bytes[2]! };
  if (bytes.byteLength !== encodedSize(shape.radialBins, shape.angularBins))
    throw new RangeError('screening encoding of the wrong length');
  return shape;
}

/**
 * A signature back from its encoding, for screening and for the full comparison's own screening step: the angle
 * spectra as stored (within the quantisation); the ring values are not kept and read as zeros.
 */
export function decodeScreening(encoded: Uint8Array): ScreeningSignature {
  const { radialBins: R, angularBins: A } = encodingShape(encoded);
  const H = halfBins(A);
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const spectrumRe = new Float64Array(R * A);
  const spectrumIm = new Float64Array(R * A);
  let at = headerBytes + 4 * R;
  for (let r = 0; r < R; r++) {
    const scale = view.getFloat32(headerBytes + 4 * r, true);
    for (let k = 0; k < H; k++) {
      spectrumRe[r * A + k] = view.getInt8(at) * scale;
      spectrumIm[r * A + k] = view.getInt8(at + 1) * scale;
      at += 2;
    }
    for (let k = H; k < A; k++) {
      spectrumRe[r * A + k] = spectrumRe[r * A + A - k]!;
      spectrumIm[r * A + k] = -spectrumIm[r * A + A - k]!;
    }
  }
  return { version: 1, radialBins: R, angularBins: A, values: new Float64Array(R * A), spectrumRe, spectrumIm };
}

/**
 * Scores one query against many encoded casings as compareSignatures does (mean over rings of the angular
 * correlation at the best shift), reusing its buffers: about a microsecond or two a casing.
 */
export class Screener {
  private readonly R: number;
  private readonly A: number;
  private readonly H: number;
  private readonly qRe: Float64Array;
  private readonly qIm: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly scales = new Float32Array(255);

  constructor(query: ScreeningSignature) {
    this.R = query.radialBins;
    this.A = query.angularBins;
    this.H = halfBins(this.A);
    this.qRe = new Float64Array(this.R * this.H);
    this.qIm = new Float64Array(this.R * this.H);
    for (let r = 0; r < this.R; r++)
      for (let k = 0; k < this.H; k++) {
        this.qRe[r * this.H + k] = query.spectrumRe[r * this.A + k]!;
        this.qIm[r * this.H + k] = query.spectrumIm[r * this.A + k]!;
      }
    this.re = new Float64Array(this.A);
    this.im = new Float64Array(this.A);
  }

  /** The screening score of an encoded casing; NaN when its shape differs from the query's. */
  score(encoded: Uint8Array): number {
    const { R, A, H, qRe, qIm, re, im, scales } = this;
    if (encoded.byteLength !== encodedSize(R, A) || encoded[1] !== R || encoded[2] !== A / 2) return NaN;
    const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
    for (let r = 0; r < R; r++) scales[r] = view.getFloat32(headerBytes + 4 * r, true);
    re.fill(0, 0, H);
    im.fill(0, 0, H);
    let at = headerBytes + 4 * R;
    for (let r = 0; r < R; r++) {
      const scale = scales[r]!;
      const q = r * H;
      for (let k = 0; k < H; k++) {
        const br = ((encoded[at]! << 24) >> 24) * scale;
        const bi = ((encoded[at + 1]! << 24) >> 24) * scale;
        at += 2;
        const ar = qRe[q + k]!;
        const ai = qIm[q + k]!;
        re[k]! += ar * br + ai * bi;
        im[k]! += ar * bi - ai * br;
      }
    }
    // The other half by conjugate symmetry, then every shift at once.
    for (let k = H; k < A; k++) {
      re[k] = re[A - k]!;
      im[k] = -im[A - k]!;
    }
    fft1dInPlace(re, im, 1);
    let best = -Infinity;
    for (let s = 0; s < A; s++) if (re[s]! > best) best = re[s]!;
    return best / A / R;
  }
}

/** The `keep` best of scored candidates, best first (ties by id, so every worker ranks alike). */
export class BestOf<T extends { score: number; id: string }> {
  readonly items: T[] = [];
  private readonly keep: number;
  constructor(keep: number) {
    this.keep = keep;
  }
  offer(item: T): void {
    const items = this.items;
    if (items.length === this.keep) {
      const worst = items[items.length - 1]!;
      if (item.score < worst.score || (item.score === worst.score && item.id > worst.id)) return;
    }
    let i = items.length;
    while (
      i > 0 &&
      (items[i - 1]!.score < item.score || (items[i - 1]!.score === item.score && items[i - 1]!.id > item.id))
    )
      i--;
    items.splice(i, 0, item);
    if (items.length > this.keep) items.pop();
  }
}
