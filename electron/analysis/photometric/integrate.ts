// Height from slopes: least-squares integration of a gradient field with free (Neumann) boundaries.
// Without a mask the normal equations are the Poisson equation ∇²z = ∇·g, solved exactly by the discrete
// cosine transform (Simchony, Chellappa & Shao 1990); unlike the periodic Frankot–Chellappa FFT it does not
// wrap one edge onto the other. With a mask, only slopes between two valid pixels count: the weighted
// least-squares system is solved by conjugate gradients preconditioned with that same DCT Poisson solver,
// starting from the direct solution, so holes neither pin the surface flat nor pull it.
import type { OpenCv } from '../opencv.ts';
import { dctRows, idctRows, transpose } from './dct.ts';

export interface GradientField {
  width: number;
  height: number;
  /** ∂z/∂x and ∂z/∂y (dimensionless slopes) at each pixel centre, x along columns, y along rows. */
  p: Float64Array;
  q: Float64Array;
  /** 1 = slope known. Omitted = all known. */
  valid?: Uint8Array;
  /** Pixel spacing in metres. */
  dx: number;
  dy: number;
}

export interface IntegrateOptions {
  /** Conjugate-gradient iterations at most (masked fields only). Default 100. */
  maxIterations?: number;
  /** Stop when the residual falls below this fraction of the right-hand side. Default 1e-4 (heights then change by far less than the instrument noise). */
  tolerance?: number;
}

export interface IntegrationResult {
  /** Heights in metres, mean zero over valid points, NaN outside the mask. */
  z: Float64Array;
  iterations: number;
  relativeResidual: number;
}

/** Solves L z = f (L = unit-weight Neumann Laplacian on W × H, W and H even); returns the mean-zero solution. */
function solvePoisson(cv: OpenCv, f: Float64Array, W: number, H: number): Float64Array {
  const spectrumT = dctRows(cv, transpose(dctRows(cv, f, H, W), H, W), W, H); // indexed [kx][ky]
  for (let kx = 0; kx < W; kx++) {
    const ex = 2 * Math.cos((Math.PI * kx) / W) - 2;
    for (let ky = 0; ky < H; ky++) {
      const eigen = ex + 2 * Math.cos((Math.PI * ky) / H) - 2;
      const i = kx * H + ky;
      spectrumT[i] = eigen === 0 ? 0 : spectrumT[i] / eigen;
    }
  }
  return idctRows(cv, transpose(idctRows(cv, spectrumT, W, H), W, H), H, W);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function integrateGradients(
  cv: OpenCv,
  field: GradientField,
  options: IntegrateOptions = {},
): IntegrationResult {
  const { width, height, p, q, valid, dx, dy } = field;
  if (p.length !== width * height || q.length !== width * height)
    throw new RangeError(`slopes hold ${p.length}/${q.length} values, expected ${width} × ${height}`);
  // The cosine transform pairs samples: pad to even sizes. Pad pixels are "unknown" like masked ones.
  const W = width + (width % 2);
  const H = height + (height % 2);
  const ok = (x: number, y: number) => x < width && y < height && (!valid || valid[y * width + x] === 1);
  // Edge (x,y)→(x+1,y) and (x,y)→(x,y+1): known (weight 1) with its height step, or unknown (weight 0).
  const gx = new Float64Array(W * H);
  const gy = new Float64Array(W * H);
  const wx = new Uint8Array(W * H);
  const wy = new Uint8Array(W * H);
  const allKnown = !valid || valid.every((v) => v === 1);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const s = y * width + x;
      if (x + 1 < W) {
        if (ok(x, y) && ok(x + 1, y)) {
          wx[i] = 1;
          gx[i] = 0.5 * (p[s] + p[s + 1]) * dx;
        }
      }
      if (y + 1 < H) {
        if (ok(x, y) && ok(x, y + 1)) {
          wy[i] = 1;
          gy[i] = 0.5 * (q[s] + q[s + width]) * dy;
        }
      }
    }
  }
  const divergence = (stepX: Float64Array, stepY: Float64Array) => {
    const f = new Float64Array(W * H);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = y * W + x;
        f[i] = stepX[i] - (x > 0 ? stepX[i - 1] : 0) + stepY[i] - (y > 0 ? stepY[i - W] : 0);
      }
    }
    return f;
  };
  // Direct solution: unknown steps taken as 0, except that pad pixels copy their neighbour's steps so the
  // pad adds no constraint. Exact when every in-image slope is known.
  const gxStart = gx.slice();
  const gyStart = gy.slice();
  if (W > width) for (let y = 0; y < height; y++) gyStart[y * W + width] = gyStart[y * W + width - 1];
  if (H > height) for (let x = 0; x < width; x++) gxStart[height * W + x] = gxStart[(height - 1) * W + x];
  let z = solvePoisson(cv, divergence(gxStart, gyStart), W, H);
  let iterations = 0;
  let relativeResidual = 0;

  if (!allKnown) {
    // Normal equations of Σ_known (z_j − z_i − g)²: L_w z = b, L_w the Laplacian over the known edges only.
    const applyA = (v: Float64Array) => {
      const out = new Float64Array(W * H);
      for (let i = 0; i < W * H; i++) {
        if (wx[i]) {
          const d = v[i + 1] - v[i];
          out[i] += d;
          out[i + 1] -= d;
        }
        if (wy[i]) {
          const d = v[i + W] - v[i];
          out[i] += d;
          out[i + W] -= d;
        }
      }
      return out; // L_w v
    };
    const b = divergence(gx, gy); // L-convention right-hand side
    const precondition = (r: Float64Array) => solvePoisson(cv, r, W, H);
    const Lz = applyA(z);
    const r = Float64Array.from(b, (v, i) => v - Lz[i]);
    const normB = Math.sqrt(dot(b, b)) || 1;
    let s = precondition(r);
    const direction = s.slice();
    // L_w is negative semi-definite; CG on (−L_w) z = −b gives exactly these updates (the signs cancel).
    let rs = dot(r, s);
    const maxIterations = options.maxIterations ?? 100;
    const tolerance = options.tolerance ?? 1e-4;
    relativeResidual = Math.sqrt(dot(r, r)) / normB;
    while (iterations < maxIterations && relativeResidual > tolerance) {
      const Ld = applyA(direction);
      const curvature = dot(direction, Ld);
      if (curvature === 0) break;
      const alpha = rs / curvature;
      for (let i = 0; i < z.length; i++) {
        z[i] += alpha * direction[i];
        r[i] -= alpha * Ld[i];
      }
      iterations++;
      relativeResidual = Math.sqrt(dot(r, r)) / normB;
      s = precondition(r);
      const rsNext = dot(r, s);
      const beta = rsNext / rs;
      rs = rsNext;
      for (let i = 0; i < z.length; i++) direction[i] = s[i] + beta * direction[i];
    }
  }

  const out = new Float64Array(width * height);
  let sum = 0;
  let count = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!ok(x, y)) {
        out[y * width + x] = NaN;
        continue;
      }
      const v = z[y * W + x];
      out[y * width + x] = v;
      sum += v;
      count++;
    }
  }
  const mean = count > 0 ? sum / count : 0;
  for (let i = 0; i < out.length; i++) out[i] -= mean;
  z = out;
  return { z, iterations, relativeResidual };
}
