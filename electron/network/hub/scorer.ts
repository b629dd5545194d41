// How the hub compares two casings. Kept tiny on purpose: the analysis engine (electron/analysis/) plugs in a
// CMC scorer through the same two functions and replaces the placeholder below.
import type { Manifest } from '../protocol.ts';

export interface ScorerInput {
  manifest: Manifest;
  /** The bytes of the submission's first artifact of this role, if it has one. */
  artifact(role: Manifest['artifacts'][number]['role']): Buffer | undefined;
}

export interface CasingScorer<Features = unknown> {
  readonly name: string;
  /** Computed once per submission and kept by the hub. */
  prepare(input: ScorerInput): Features;
  /** Higher is more similar; leads are ranked by it. */
  compare(a: Features, b: Features): number;
}

/**
 * PLACEHOLDER until the analysis engine lands: cosine similarity of the byte histograms of each casing's
 * primary artifact (features, else X3P, else image). It has no forensic meaning; it only exercises the
 * correlation path end to end with a deterministic score.
 */
export const byteHistogramScorer: CasingScorer<Float64Array> = {
  name: 'placeholder-byte-histogram',
  prepare(input) {
    const bytes = input.artifact('features') ?? input.artifact('x3p') ?? input.artifact('image') ?? Buffer.alloc(0);
    const histogram = new Float64Array(256);
    for (let i = 0; i < bytes.length; i++) histogram[bytes[i]]++;
    return histogram;
  },
  compare(a, b) {
    let dot = 0, na = 0, nb = 0;
    for (let i = 0; i < 256; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
  },
};
