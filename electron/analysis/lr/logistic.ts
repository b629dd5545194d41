// Weighted logistic regression with an L2 penalty (Newton's method; a handful of features, so the Hessian is
// tiny). Used to turn comparison features into a log likelihood ratio: with the two classes weighted equally,
// the fitted log-odds is the natural log of the LR. The penalty keeps weights finite when the training classes
// separate completely (as Fadul's do), which is what makes the LRs bounded and stable.

export interface LogisticFit {
  /** Intercept first, then one weight per feature (on the standardised features). */
  coefficients: number[];
  iterations: number;
}

/**
 * Fits P(y=1|x) = σ(b0 + w·x). `weights` per sample (default 1); `l2` penalises w (not b0) as ½·l2·|w|², in
 * units of the total sample weight, so the same l2 means the same shrinkage for any sample size.
 */
export function fitLogistic(
  x: number[][],
  y: number[],
  options: { l2: number; weights?: number[]; maxIterations?: number },
): LogisticFit {
  const n = x.length;
  const k = (x[0]?.length ?? 0) + 1;
  const w = options.weights ?? new Array<number>(n).fill(1);
  const total = w.reduce((s, v) => s + v, 0);
  const lambda = options.l2 * total;
  const beta = new Array<number>(k).fill(0);
  let iterations = 0;
  for (; iterations < (options.maxIterations ?? 100); iterations++) {
    const gradient = new Array<number>(k).fill(0);
    const hessian = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let i = 0; i < n; i++) {
      const row = [1, ...x[i]];
      let eta = 0;
      for (let j = 0; j < k; j++) eta += beta[j] * row[j];
      const p = 1 / (1 + Math.exp(-eta));
      const r = w[i] * (y[i] - p);
      const h = w[i] * Math.max(p * (1 - p), 1e-12);
      for (let a = 0; a < k; a++) {
        gradient[a] += r * row[a];
        for (let b = 0; b < k; b++) hessian[a][b] += h * row[a] * row[b];
      }
    }
    for (let a = 1; a < k; a++) {
      gradient[a] -= lambda * beta[a];
      hessian[a][a] += lambda;
    }
    const step = solve(hessian, gradient);
    let change = 0;
    for (let j = 0; j < k; j++) {
      beta[j] += step[j];
      change = Math.max(change, Math.abs(step[j]));
    }
    if (change < 1e-9) break;
  }
  return { coefficients: beta, iterations };
}

/** The fitted log-odds (natural log) for one feature vector. */
export function logOdds(coefficients: number[], features: number[]): number {
  let eta = coefficients[0];
  for (let j = 0; j < features.length; j++) eta += coefficients[j + 1] * features[j];
  return eta;
}

function solve(a: number[][], b: number[]): number[] {
  const k = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const pivot = m[c][c] || 1e-12;
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = m[r][c] / pivot;
      for (let j = c; j <= k; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row, i) => row[k] / (row[i] || 1e-12));
}
