// The screening index: every stored casing's screening signature (screening.ts) in a compact encoding held in one
// flat array, and a query that scores all of them by the signature's rotation-searched correlation and returns
// the best. It is the first stage of a search (it decides which candidates are compared in full) and the one
// screening code a station and a hub share: a hub stores each casing's encoding (encodeScreeningSignature) as
// bytes and screens a batch of them with addEncoded + query.
//
// Score: for each ring r the angular spectrum A_r(k) of the query and B_r(k) of a candidate; the correlation at
// rotation φ is Σ_r Σ_k A_r(k) conj(B_r(k)) e^{ikφ}, maximised over φ (64 angles over 180°) — compareSignatures'
// score over the first `harmonics` angular frequencies (24 of 32 by default: the finer ones add little and cost
// as much), with the spectra stored as 8-bit integers (one scale per casing: every ring is unit-norm, so their
// spectra span the same range). Encoding per casing: an 8-byte header + harmonics × rings × 2 bytes
// (24 × 12 × 2 + 8 = 584 bytes by default).
import type { ScreeningSignature } from './screening.ts';

export const screeningEncodingVersion = 1;
/** Angular frequencies kept by default (of angularBins / 2 = 32). */
export const defaultScreeningHarmonics = 24;
const headerBytes = 8;
/** Rotations tried over 180°. */
const angles = 64;
const half = angles / 2;

export interface ScreeningEncodingShape {
  rings: number;
  harmonics: number;
}

export function screeningEncodingBytes({ rings, harmonics }: ScreeningEncodingShape): number {
  return headerBytes + rings * harmonics * 2;
}

/**
 * One casing's signature as the index holds it: version, rings, harmonics (bytes 0–2), its scale (float32 LE at
 * byte 4), then per harmonic k = 1…harmonics and ring the real and imaginary parts as int8 (k = 0 is left out:
 * every ring is zero-mean). Store these bytes (a hub's bytea column) and screen them with ScreeningIndex.addEncoded.
 */
export function encodeScreeningSignature(
  signature: ScreeningSignature,
  options: { harmonics?: number } = {},
): Uint8Array {
  const harmonics = options.harmonics ?? defaultScreeningHarmonics;
  const rings = signature.radialBins;
  if (!Number.isInteger(harmonics) || harmonics < 1 || harmonics >= signature.angularBins / 2 || harmonics > 255)
    throw new RangeError(`harmonics must be an integer 1…${signature.angularBins / 2 - 1}, got ${harmonics}`);
  if (rings < 1 || rings > 255) throw new RangeError(`cannot encode a signature of ${rings} rings`);
  if (signature.spectrumRe.length !== rings * signature.angularBins)
    throw new RangeError('screening signature spectrum does not match its shape');
  const out = new Uint8Array(screeningEncodingBytes({ rings, harmonics }));
  out[0] = screeningEncodingVersion;
  out[1] = rings;
  out[2] = harmonics;
  const A = signature.angularBins;
  let max = 0;
  for (let r = 0; r < rings; r++)
    for (let k = 1; k <= harmonics; k++)
      max = Math.max(max, Math.abs(signature.spectrumRe[r * A + k]), Math.abs(signature.spectrumIm[r * A + k]));
  // A featureless signature (all zero) or a corrupt one (NaN) encodes as zeros: it scores 0 against anything.
  const scale = max > 0 && Number.isFinite(max) ? max / 127 : 0;
  new DataView(out.buffer).setFloat32(4, scale, true);
  const codes = new Int8Array(out.buffer, headerBytes);
  if (scale > 0)
    for (let r = 0; r < rings; r++)
      for (let k = 1; k <= harmonics; k++) {
        const j = ((k - 1) * rings + r) * 2;
        codes[j] = Math.round(signature.spectrumRe[r * A + k] / scale);
        codes[j + 1] = Math.round(signature.spectrumIm[r * A + k] / scale);
      }
  return out;
}

/** The shape and scale an encoding claims, after checking the bytes are one (they may come from the network). */
export function decodeScreeningEncoding(
  bytes: Uint8Array,
): ScreeningEncodingShape & { scale: number; codes: Int8Array } {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength < headerBytes)
    throw new RangeError('not a screening encoding: too short');
  if (bytes[0] !== screeningEncodingVersion)
    throw new RangeError(`not a screening encoding of version ${screeningEncodingVersion} (version byte ${bytes[0]})`);
  const shape = { rings: bytes[1], harmonics: bytes[2] };
  if (shape.rings < 1 || shape.harmonics < 1) throw new RangeError('screening encoding of an empty shape');
  if (bytes.byteLength !== screeningEncodingBytes(shape))
    throw new RangeError(
      `screening encoding of ${bytes.byteLength} bytes; ${shape.rings} rings × ${shape.harmonics} harmonics take ${screeningEncodingBytes(shape)}`,
    );
  const scale = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getFloat32(4, true);
  if (!Number.isFinite(scale) || scale < 0) throw new RangeError('screening encoding with an invalid scale');
  return {
    ...shape,
    scale,
    codes: new Int8Array(bytes.buffer, bytes.byteOffset + headerBytes, bytes.byteLength - headerBytes),
  };
}

export interface ScreeningIndexOptions {
  /** Angular frequencies kept per ring (1 … angularBins / 2 − 1: below the Nyquist bin). */
  harmonics?: number;
  /** Harmonics of the first (coarse) stage of a large query: 1 … `harmonics` (default 6, defaultCoarseHarmonics). */
  coarseHarmonics?: number;
  /** Initial capacity (entries); the index grows by doubling. */
  capacity?: number;
}

export interface IndexHit {
  id: string;
  /** Correlation over rings and kept harmonics at the best rotation (≈ compareSignatures' score, −1…1). */
  score: number;
  /** The best rotation of the candidate relative to the query, modulo 180°. */
  angleDeg: number;
}

export interface IndexQueryResult {
  /** The best `limit` entries, best first. */
  ranked: IndexHit[];
  /** Entries scored (the whole index less the excluded ones). */
  scanned: number;
  /** How many entries the coarse stage passed to the full score, or null when every entry was scored in full. */
  shortlisted: number | null;
  /** Entries of the full stage whose score bound could not reach the ranked list (rotation search skipped). */
  pruned: number;
  ms: number;
}

/**
 * Harmonics of the coarse stage by default. Real signatures' angular spectra are nearly flat (harmonic 24 holds a
 * fifth of harmonic 1's power), so the low harmonics alone rank poorly. At 10⁵ stored casings (synthetic
 * background, 40 real queries) a shortlist of 10 000 kept 91 of the 106 real mates the full score puts in the
 * best 100 with harmonics 1–4, 96 with 1–6, 98 with 1–8; the coarse pass costs about in proportion (at 10⁶, on
 * this shared 2-core machine at load ~10: 1–4 about 0.5–1.1 s, 1–8 about twice that). 6 keeps a 10⁶ query under
 * 1 s here; a hub that prefers recall passes 8.
 */
export const defaultCoarseHarmonics = 6;

/**
 * Rotations the coarse stage tries (every 4th of the 64): at least 2 samples per period of its harmonics (up to 8)
 * — enough to rank a shortlist, which the full score then scores at every rotation.
 */
const coarseRotationStep = 4;

export class ScreeningIndex {
  readonly harmonics: number;
  readonly coarseHarmonics: number;
  private rings = 0;
  // Each entry's codes are split where the coarse stage stops: harmonics 1…coarseHarmonics of every entry in one
  // contiguous array (`low`, read by the coarse pass over the whole index), the rest in another (`high`, read only
  // for the shortlist). Same bytes as the encodings, no copy kept twice.
  private lowStride = 0;
  private highStride = 0;
  private capacity: number;
  private count = 0;
  private low: Int8Array = new Int8Array(0);
  private high: Int8Array = new Int8Array(0);
  private scales: Float32Array = new Float32Array(0);
  private ids: string[] = [];
  private slotOf = new Map<string, number>();
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;

  constructor(options: ScreeningIndexOptions = {}) {
    this.harmonics = options.harmonics ?? defaultScreeningHarmonics;
    this.capacity = Math.max(16, options.capacity ?? 1024);
    if (!Number.isInteger(this.harmonics) || this.harmonics < 1 || this.harmonics > 255)
      throw new RangeError(`harmonics must be an integer 1…255, got ${this.harmonics}`);
    const coarse = options.coarseHarmonics ?? defaultCoarseHarmonics;
    if (!Number.isInteger(coarse) || coarse < 1)
      throw new RangeError(`coarseHarmonics must be a positive integer, got ${coarse}`);
    this.coarseHarmonics = Math.min(this.harmonics, coarse);
    const H = this.harmonics;
    // Rotation s of 64 over the 180° signature ↔ e^{ik·2πs/64} for harmonic k (doubled: a real signal's
    // correlation is 2 Σ_{k≥1} Re(C(k) e^{ik·2πs/64})).
    this.cos = new Float64Array(angles * H);
    this.sin = new Float64Array(angles * H);
    for (let s = 0; s < angles; s++)
      for (let k = 1; k <= H; k++) {
        this.cos[s * H + k - 1] = 2 * Math.cos((2 * Math.PI * k * s) / angles);
        this.sin[s * H + k - 1] = 2 * Math.sin((2 * Math.PI * k * s) / angles);
      }
  }

  get size(): number {
    return this.count;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** Bytes held by the index's arrays, ids and the id map counted at ~64 bytes per entry. */
  memoryBytes(): number {
    return this.low.byteLength + this.high.byteLength + this.scales.byteLength + this.count * 64;
  }

  /** Encodes a signature the way this index holds it. */
  encode(signature: ScreeningSignature): Uint8Array {
    return encodeScreeningSignature(signature, { harmonics: this.harmonics });
  }

  add(id: string, signature: ScreeningSignature): void {
    this.addEncoded(id, this.encode(signature));
  }

  /** Adds (or replaces) an entry from its stored encoding; refuses bytes of another shape than the index's. */
  addEncoded(id: string, bytes: Uint8Array): void {
    const encoding = this.checked(bytes);
    let slot = this.slotOf.get(id);
    if (slot === undefined) {
      if (this.count === this.capacity) this.grow();
      slot = this.count++;
      this.ids[slot] = id;
      this.slotOf.set(id, slot);
    }
    this.low.set(encoding.codes.subarray(0, this.lowStride), slot * this.lowStride);
    this.high.set(encoding.codes.subarray(this.lowStride), slot * this.highStride);
    this.scales[slot] = encoding.scale;
  }

  private checked(bytes: Uint8Array) {
    const encoding = decodeScreeningEncoding(bytes);
    if (encoding.harmonics !== this.harmonics)
      throw new RangeError(`encoding of ${encoding.harmonics} harmonics in an index of ${this.harmonics}`);
    if (this.rings === 0) {
      this.rings = encoding.rings;
      this.lowStride = this.coarseHarmonics * this.rings * 2;
      this.highStride = encoding.codes.length - this.lowStride;
      this.low = new Int8Array(this.capacity * this.lowStride);
      this.high = new Int8Array(this.capacity * this.highStride);
      this.scales = new Float32Array(this.capacity);
    } else if (encoding.rings !== this.rings)
      throw new RangeError(`encoding of ${encoding.rings} rings in an index of ${this.rings}`);
    return encoding;
  }

  remove(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    // The last entry moves into the hole: removal is O(1) and the arrays stay dense.
    const last = this.count - 1;
    if (slot !== last) {
      for (const [codes, stride] of [
        [this.low, this.lowStride],
        [this.high, this.highStride],
      ] as const)
        codes.copyWithin(slot * stride, last * stride, (last + 1) * stride);
      this.scales[slot] = this.scales[last];
      this.ids[slot] = this.ids[last];
      this.slotOf.set(this.ids[slot], slot);
    }
    this.ids.length = last;
    this.slotOf.delete(id);
    this.count = last;
    return true;
  }

  private grow(): void {
    this.capacity *= 2;
    const low = new Int8Array(this.capacity * this.lowStride);
    low.set(this.low);
    const high = new Int8Array(this.capacity * this.highStride);
    high.set(this.high);
    const scales = new Float32Array(this.capacity);
    scales.set(this.scales);
    this.low = low;
    this.high = high;
    this.scales = scales;
  }

  /**
   * The best `limit` entries (default all) for a query (a signature or its encoding), best first. `exclude` leaves
   * ids out (the query itself, other scans of the same item).
   *
   * Above `shortlist` entries (default max(100 × limit, 10 000)) the query runs in two stages, both reported:
   * every entry is scored on its first `coarseHarmonics` (6) harmonics at 16 rotations (the broad direction of
   * its texture, from one contiguous array: about a tenth of the work), and only the best `shortlist` are scored
   * in full. Entries the coarse stage ranks below the shortlist are not seen by the full score; how often that
   * loses one of the full score's best is a bench figure (bench/screening.bench.ts). `shortlist: Infinity` scores
   * every entry in full.
   */
  query(
    query: ScreeningSignature | Uint8Array,
    options: { limit?: number; exclude?: ReadonlySet<string>; shortlist?: number } = {},
  ): IndexQueryResult {
    const started = performance.now();
    const limit = Math.max(0, Math.min(this.count, options.limit ?? this.count));
    const shortlist = Math.max(limit, options.shortlist ?? Math.max(100 * limit, 10_000));
    const result: IndexQueryResult = { ranked: [], scanned: 0, shortlisted: null, pruned: 0, ms: 0 };
    if (this.count === 0 || limit === 0) return { ...result, ms: performance.now() - started };
    const encoded = this.checked(query instanceof Uint8Array ? query : this.encode(query));
    // Excluded slots in increasing order: the scans below step over them without a lookup per entry.
    const skip: number[] = [];
    for (const id of options.exclude ?? []) {
      const slot = this.slotOf.get(id);
      if (slot !== undefined) skip.push(slot);
    }
    skip.sort((a, b) => a - b);
    skip.push(this.count); // a sentinel no slot reaches
    // The coarse stage also orders what the full score sees, best first: the ranked list then fills with strong
    // entries early and the exact bound skips the rotation search of most of the rest.
    const candidates = this.count - skip.length + 1;
    const coarse = new TopScores(Math.min(shortlist, candidates));
    result.scanned = this.score(encoded, null, skip, this.coarseHarmonics, coarseRotationStep, coarse);
    const entries = Int32Array.from(coarse.sorted(() => 0).map((e) => e.entry));
    if (candidates > shortlist) result.shortlisted = shortlist;
    const top = new TopScores(limit);
    this.score(encoded, entries, skip, this.harmonics, 1, top);
    result.pruned = top.pruned;
    result.ranked = top
      .sorted((a, b) => (this.ids[a] < this.ids[b] ? -1 : 1))
      .map(({ entry, score, shift }) => ({ id: this.ids[entry], score, angleDeg: (180 * shift) / angles }));
    result.ms = performance.now() - started;
    return result;
  }

  /**
   * Scores entries (all but the `skip` slots when `entries` is null) on harmonics 1…K at every `step`-th rotation
   * into `top`; returns how many were scored.
   */
  private score(
    query: { codes: Int8Array; scale: number },
    entries: Int32Array | null,
    skip: number[],
    K: number,
    step: number,
    top: TopScores,
  ): number {
    const H = this.harmonics;
    const R = this.rings;
    const { low, high, lowStride, highStride, scales, cos, sin } = this;
    const q = Float64Array.from(query.codes);
    const lowHarmonics = Math.min(K, this.coarseHarmonics);
    const norm = (1 / (angles * R)) * query.scale;
    const cRe = new Float64Array(K);
    const cIm = new Float64Array(K);
    const total = entries ? entries.length : this.count;
    let scored = 0;
    for (let n = 0, next = 0; n < total; n++) {
      let e: number;
      if (entries) e = entries[n];
      else {
        e = n;
        if (e === skip[next]) {
          next++;
          continue;
        }
      }
      scored++;
      // C(k) = Σ_r conj(Q_r(k))·B_r(k), as compareSignatures: Σ_i a[i]·b[i + s]. Harmonics below the split from
      // `low`, the others from `high`.
      const bound =
        crossSpectrum(q, low, e * lowStride, 0, lowHarmonics, R, cRe, cIm) +
        crossSpectrum(q, high, e * highStride, lowHarmonics, K, R, cRe, cIm);
      const scale = scales[e] * norm;
      // S(s) = 2 Σ_k Re(C(k) e^{ik·2πs/64}) ≤ 2 Σ_k |C(k)|. An entry whose bound cannot enter the list is not
      // searched over rotations: exact, and it skips much of a large index.
      if (top.full && 2 * bound * scale < top.worst) {
        top.pruned++;
        continue;
      }
      // Half a turn of the 64 rotations multiplies harmonic k by (−1)^k: the even and odd harmonics' sums at
      // rotation s give S(s) = even + odd and S(s + 32) = even − odd, half the work of summing at every rotation.
      let best = -Infinity;
      let bestShift = 0;
      for (let shift = 0; shift < half; shift += step) {
        const t = shift * H;
        let even = 0;
        let odd = 0;
        for (let k = 0; k < K; k += 2) odd += cRe[k] * cos[t + k] - cIm[k] * sin[t + k]; // harmonic k + 1 odd
        for (let k = 1; k < K; k += 2) even += cRe[k] * cos[t + k] - cIm[k] * sin[t + k];
        if (even + odd > best) {
          best = even + odd;
          bestShift = shift;
        }
        if (even - odd > best) {
          best = even - odd;
          bestShift = shift + half;
        }
      }
      top.offer(e, best * scale, bestShift);
    }
    return scored;
  }
}

/**
 * C(k) = Σ_r conj(Q_r(k))·B_r(k) for harmonics `from`…`to` − 1 into cRe/cIm, with B read from `bank` starting at
 * `j` (harmonic `from`'s first ring) and Q from the query's own place for those harmonics; returns Σ |C(k)|, the
 * bound on the entry's score over all rotations.
 */
function crossSpectrum(
  q: Float64Array,
  bank: Int8Array,
  j: number,
  from: number,
  to: number,
  R: number,
  cRe: Float64Array,
  cIm: Float64Array,
): number {
  let bound = 0;
  for (let k = from, i = from * R * 2; k < to; k++) {
    let re = 0;
    let im = 0;
    for (let r = 0; r < R; r++, j += 2, i += 2) {
      const br = bank[j];
      const bi = bank[j + 1];
      const ar = q[i];
      const ai = q[i + 1];
      re += ar * br + ai * bi;
      im += ar * bi - ai * br;
    }
    cRe[k] = re;
    cIm[k] = im;
    bound += Math.sqrt(re * re + im * im);
  }
  return bound;
}

/** The `k` best scores seen: a bounded min-heap, O(n log k). */
class TopScores {
  pruned = 0;
  private readonly entries: number[] = [];
  private readonly scores: number[] = [];
  private readonly shifts: number[] = [];
  private readonly k: number;
  constructor(k: number) {
    this.k = k;
  }

  get full(): boolean {
    return this.entries.length === this.k;
  }

  get worst(): number {
    return this.scores[0];
  }

  offer(entry: number, score: number, shift: number): void {
    if (!this.full) {
      this.entries.push(entry);
      this.scores.push(score);
      this.shifts.push(shift);
      this.up(this.entries.length - 1);
    } else if (score > this.scores[0]) {
      this.entries[0] = entry;
      this.scores[0] = score;
      this.shifts[0] = shift;
      this.down(0);
    }
  }

  sorted(tie: (a: number, b: number) => number) {
    return this.entries
      .map((entry, i) => ({ entry, score: this.scores[i], shift: this.shifts[i] }))
      .sort((a, b) => b.score - a.score || tie(a.entry, b.entry));
  }

  private swap(i: number, j: number): void {
    for (const a of [this.entries, this.scores, this.shifts]) [a[i], a[j]] = [a[j], a[i]];
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.scores[i] >= this.scores[p]) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.entries.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.scores[l] < this.scores[m]) m = l;
      if (r < n && this.scores[r] < this.scores[m]) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
