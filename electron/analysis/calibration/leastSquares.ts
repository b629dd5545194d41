// Small dense least squares through the normal equations with partial-pivot Gaussian elimination: enough
// for the handful of parameters a calibration fits (lattice + distortion, light vectors).

/** Solves M x = v for a square n × n matrix (row-major); undefined when singular. */
export function solveLinear(matrix: Float64Array, vector: Float64Array, n: number): Float64Array | undefined {
  const a = Float64Array.from(matrix);
  const b = Float64Array.from(vector);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]) > Math.abs(a[pivot * n + col])) pivot = r;
    if (Math.abs(a[pivot * n + col]) < 1e-300) return undefined;
    if (pivot !== col) {
      for (let c = 0; c < n; c++) [a[col * n + c], a[pivot * n + c]] = [a[pivot * n + c], a[col * n + c]];
      [b[col], b[pivot]] = [b[pivot], b[col]];
    }
    for (let r = col + 1; r < n; r++) {
      const f = a[r * n + col] / a[col * n + col];
      if (f === 0) continue;
      for (let c = col; c < n; c++) a[r * n + c] -= f * a[col * n + c];
      b[r] -= f * b[col];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let c = r + 1; c < n; c++) s -= a[r * n + c] * x[c];
    x[r] = s / a[r * n + r];
  }
  return x;
}

/** Accumulates rows of an overdetermined system and solves it in the least-squares sense. */
export class NormalEquations {
  private readonly ata: Float64Array;
  private readonly atb: Float64Array;
  readonly unknowns: number;
  rows = 0;

  constructor(unknowns: number) {
    this.unknowns = unknowns;
    this.ata = new Float64Array(unknowns * unknowns);
    this.atb = new Float64Array(unknowns);
  }

  add(row: ArrayLike<number>, value: number, weight = 1): void {
    const n = this.unknowns;
    for (let r = 0; r < n; r++) {
      if (row[r] === 0) continue;
      this.atb[r] += weight * row[r] * value;
      for (let c = 0; c < n; c++) this.ata[r * n + c] += weight * row[r] * row[c];
    }
    this.rows++;
  }

  solve(): Float64Array | undefined {
    return solveLinear(this.ata, this.atb, this.unknowns);
  }
}
