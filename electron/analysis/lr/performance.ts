// Performance of a likelihood-ratio system on validation pairs of known truth, in the forensic-statistics
// vocabulary a court report uses: Cllr (the cost of the LRs, 0 = perfect, 1 = as uninformative as LR = 1),
// Cllr-min (the cost after the best monotone recalibration: what the scores could give; the difference is the
// calibration loss), empirical cross-entropy over priors (Ramos & González-Rodríguez 2013), the Tippett curves,
// and the empirical lower and upper bounds (ELUB, Vergeer et al. 2016) beyond which the validation data cannot
// support an LR. All LRs are given as log10 values; KM = same source (Hp), KNM = different sources (Hd).

const log2 = (x: number) => Math.log(x) / Math.LN2;

/** log2(1 + 10^x) without overflow. */
function log2OnePlusPow10(x: number): number {
  if (x > 30) return x / Math.log10(2);
  return log2(1 + Math.pow(10, x));
}

/** Cllr = ½ [mean over KM of log2(1 + 1/LR) + mean over KNM of log2(1 + LR)]. */
export function cllr(km: number[], knm: number[]): number {
  const p = km.reduce((s, l) => s + log2OnePlusPow10(-l), 0) / km.length;
  const d = knm.reduce((s, l) => s + log2OnePlusPow10(l), 0) / knm.length;
  return (p + d) / 2;
}

/**
 * Pool-adjacent-violators: the non-decreasing fit of the labels (1 = KM) in score order, i.e. the optimally
 * calibrated posterior for each validation pair at the sample's own prior.
 */
export function pav(scores: number[], labels: number[]): number[] {
  const order = scores.map((s, i) => i).sort((a, b) => scores[a] - scores[b] || labels[a] - labels[b]);
  const blocks: { sum: number; n: number }[] = [];
  for (const i of order) {
    blocks.push({ sum: labels[i], n: 1 });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1];
      const prev = blocks[blocks.length - 2];
      if (prev.sum / prev.n <= last.sum / last.n) break;
      prev.sum += last.sum;
      prev.n += last.n;
      blocks.pop();
    }
  }
  const fitted = new Array<number>(scores.length);
  let k = 0;
  for (const b of blocks) for (let j = 0; j < b.n; j++) fitted[order[k++]] = b.sum / b.n;
  return fitted;
}

/** log10 LRs after PAV: posterior odds divided by the sample's prior odds (±Infinity where PAV gives 0 or 1). */
export function pavLog10Lrs(km: number[], knm: number[]): { km: number[]; knm: number[] } {
  const scores = [...km, ...knm];
  const labels = [...km.map(() => 1), ...knm.map(() => 0)];
  const posterior = pav(scores, labels);
  const priorLog10Odds = Math.log10(km.length / knm.length);
  const lr = posterior.map((p) => Math.log10(p / (1 - p)) - priorLog10Odds);
  return { km: lr.slice(0, km.length), knm: lr.slice(km.length) };
}

export function cllrMin(km: number[], knm: number[]): number {
  const calibrated = pavLog10Lrs(km, knm);
  return cllr(calibrated.km, calibrated.knm);
}

export interface EcePoint {
  priorLog10Odds: number;
  /** The system's LRs. */
  ece: number;
  /** After PAV (the minimum the scores allow). */
  eceMin: number;
  /** LR = 1 always (no evidence). */
  neutral: number;
}

/** Empirical cross-entropy (bits) of posterior beliefs at each prior, for the LRs, their PAV version and LR = 1. */
export function eceCurve(km: number[], knm: number[], priors = range(-2.5, 2.5, 0.1)): EcePoint[] {
  const calibrated = pavLog10Lrs(km, knm);
  const at = (lrKm: number[], lrKnm: number[], o: number) => {
    const pHp = 1 / (1 + Math.pow(10, -o));
    const p = lrKm.reduce((s, l) => s + log2OnePlusPow10(-(l + o)), 0) / lrKm.length;
    const d = lrKnm.reduce((s, l) => s + log2OnePlusPow10(l + o), 0) / lrKnm.length;
    return pHp * p + (1 - pHp) * d;
  };
  return priors.map((o) => ({
    priorLog10Odds: o,
    ece: at(km, knm, o),
    eceMin: at(calibrated.km, calibrated.knm, o),
    neutral: at([0], [0], o),
  }));
}

export function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to + step / 2; v += step) out.push(Math.round(v / step) * step);
  return out;
}

/**
 * Tippett curves: for each log10 LR threshold t, the share of KM and of KNM pairs with log10 LR ≥ t. Sampled
 * at every distinct value, so the step curves can be drawn exactly.
 */
export function tippett(km: number[], knm: number[]): { threshold: number; km: number; knm: number }[] {
  const thresholds = [...new Set([...km, ...knm])].sort((a, b) => a - b);
  const share = (values: number[], t: number) => values.filter((v) => v >= t).length / values.length;
  return thresholds.map((t) => ({ threshold: t, km: share(km, t), knm: share(knm, t) }));
}

/**
 * Empirical lower and upper bounds (ELUB; Vergeer et al., Sci. Justice 56 (2016) 482–491): the widest range of
 * log10 LRs over which the system, with one misleading pseudo-observation added at each threshold, has a lower
 * normalised Bayes error than LR = 1. LRs outside are not supported by the validation data and are clipped.
 */
export function elub(km: number[], knm: number[], step = 0.01, limit = 10): { lower: number; upper: number } {
  let lower = 0;
  let upper = 0;
  for (let rho = -limit; rho <= limit + step / 2; rho += step) {
    const theta = Math.pow(10, rho);
    let nbe: number;
    if (rho < 0) {
      // A misleading KM pair at LR = θ added.
      const below = km.filter((l) => l <= rho).length + 1;
      nbe = ((1 / theta) * below) / (km.length + 1) + knm.filter((l) => l > rho).length / knm.length;
    } else {
      const above = knm.filter((l) => l >= rho).length + 1;
      nbe = (theta * above) / (knm.length + 1) + km.filter((l) => l < rho).length / km.length;
    }
    if (nbe < 1) {
      lower = Math.min(lower, rho);
      upper = Math.max(upper, rho);
    }
  }
  return { lower: Math.round(lower * 100) / 100, upper: Math.round(upper * 100) / 100 };
}

/** Rates of misleading evidence: KM with LR < 1 and KNM with LR > 1. */
export function misleading(km: number[], knm: number[]): { km: number; knm: number } {
  return { km: km.filter((l) => l < 0).length / km.length, knm: knm.filter((l) => l > 0).length / knm.length };
}
