// Calibrated photometric stereo: per pixel, the albedo-scaled normal g = ρn solves I_k = s_k · g in the least-
// squares sense over the lights that are usable at that pixel (s_k = intensity_k × direction_k). Lights that
// leave the pixel in shadow, saturate it, or (after a first fit) stand out as a specular highlight are left
// out, as long as three non-coplanar lights remain.

export type Vec3 = [number, number, number];

export interface CalibratedLight {
  /** Unit vector from the specimen towards the light (camera frame: x right, y down, z to the camera). */
  direction: Vec3;
  /** Relative radiant intensity (from calibration). */
  intensity: number;
}

export interface PhotometricImages {
  width: number;
  height: number;
  /** One linear image per light: dark-subtracted, flat-field corrected, any consistent scale. */
  images: Float32Array[];
  lights: CalibratedLight[];
  /** Optional per-image masks of saturated pixels (1 = saturated), from the raw frames. */
  saturated?: Uint8Array[];
}

export interface NormalOptions {
  /** A light is "in shadow" at a pixel when its value is below this fraction of the pixel's brightest. Default 0.03. */
  shadowFraction?: number;
  /** Drop the brightest light and refit when its residual exceeds this fraction of the fitted value. Default 0.25. */
  highlightResidual?: number;
  /** Normals steeper than this (nz below) are marked invalid. Default 0.2 (≈ 78°). */
  minNz?: number;
}

export interface NormalField {
  width: number;
  height: number;
  nx: Float32Array;
  ny: Float32Array;
  nz: Float32Array;
  albedo: Float32Array;
  /** 1 = a normal was estimated from ≥ 3 usable lights. */
  valid: Uint8Array;
  /** How many lights were used per pixel (for the quality report). */
  lightsUsed: Uint8Array;
}

/** 3×k pseudo-inverse (SᵀS)⁻¹Sᵀ of the light matrix restricted to the lights in `subset`; undefined if degenerate. */
function pseudoInverse(lights: CalibratedLight[], subset: number): Float64Array | undefined {
  const k = lights.length;
  const s: Vec3[] = lights.map((l) => [
    l.direction[0] * l.intensity,
    l.direction[1] * l.intensity,
    l.direction[2] * l.intensity,
  ]);
  const ata = new Float64Array(9);
  for (let j = 0; j < k; j++) {
    if (!(subset & (1 << j))) continue;
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) ata[r * 3 + c] += s[j][r] * s[j][c];
  }
  const inv = invert3(ata);
  if (!inv) return undefined;
  const out = new Float64Array(3 * k);
  for (let j = 0; j < k; j++) {
    if (!(subset & (1 << j))) continue;
    for (let r = 0; r < 3; r++)
      out[r * k + j] = inv[r * 3] * s[j][0] + inv[r * 3 + 1] * s[j][1] + inv[r * 3 + 2] * s[j][2];
  }
  return out;
}

function invert3(m: Float64Array): Float64Array | undefined {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  const scale = Math.abs(a) + Math.abs(e) + Math.abs(i);
  // Coplanar light directions (or fewer than three lights) make SᵀS singular.
  if (!(Math.abs(det) > 1e-9 * scale * scale * scale)) return undefined;
  return Float64Array.from(
    [A, -(b * i - c * h), b * f - c * e, B, a * i - c * g, -(a * f - c * d), C, -(a * h - b * g), a * e - b * d].map(
      (v) => v / det,
    ),
  );
}

function bitCount(n: number): number {
  let c = 0;
  while (n) {
    n &= n - 1;
    c++;
  }
  return c;
}

export function estimateNormals(input: PhotometricImages, options: NormalOptions = {}): NormalField {
  const { width, height, images, lights, saturated } = input;
  const k = lights.length;
  if (k < 3) throw new RangeError(`photometric stereo needs at least 3 lights, got ${k}`);
  if (k > 16) throw new RangeError(`at most 16 lights are supported, got ${k}`);
  if (images.length !== k) throw new RangeError(`${images.length} images for ${k} lights`);
  const n = width * height;
  for (const image of images)
    if (image.length !== n)
      throw new RangeError(`an image holds ${image.length} pixels, expected ${width} × ${height}`);
  if (!pseudoInverse(lights, (1 << k) - 1))
    throw new RangeError('the light directions are coplanar: normals cannot be recovered');
  const shadowFraction = options.shadowFraction ?? 0.03;
  const highlightResidual = options.highlightResidual ?? 0.25;
  const minNz = options.minNz ?? 0.2;

  // Pseudo-inverses per subset of usable lights, in a flat table indexed by the subset's bit mask.
  const solvers: (Float64Array | null | undefined)[] = new Array(1 << k);
  const solverFor = (subset: number): Float64Array | null => {
    let m = solvers[subset];
    if (m === undefined) {
      m = bitCount(subset) >= 3 ? (pseudoInverse(lights, subset) ?? null) : null;
      solvers[subset] = m;
    }
    return m;
  };
  const sx = Float64Array.from(lights, (l) => l.direction[0] * l.intensity);
  const sy = Float64Array.from(lights, (l) => l.direction[1] * l.intensity);
  const sz = Float64Array.from(lights, (l) => l.direction[2] * l.intensity);
  const field: NormalField = {
    width,
    height,
    nx: new Float32Array(n),
    ny: new Float32Array(n),
    nz: new Float32Array(n),
    albedo: new Float32Array(n),
    valid: new Uint8Array(n),
    lightsUsed: new Uint8Array(n),
  };
  const values = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    let brightest = 0;
    for (let j = 0; j < k; j++) {
      const v = images[j][i];
      values[j] = v;
      if (v > brightest) brightest = v;
    }
    let subset = 0;
    const shadow = shadowFraction * brightest;
    for (let j = 0; j < k; j++) {
      if (values[j] >= shadow && values[j] > 0 && !(saturated && saturated[j][i])) subset |= 1 << j;
    }
    let solver = solverFor(subset);
    if (!solver) continue;
    let gx = 0;
    let gy = 0;
    let gz = 0;
    for (let j = 0; j < k; j++) {
      if (!(subset & (1 << j))) continue;
      gx += solver[j] * values[j];
      gy += solver[k + j] * values[j];
      gz += solver[2 * k + j] * values[j];
    }
    let used = bitCount(subset);
    if (used >= 4) {
      // A specular highlight shows as one light far brighter than the Lambertian fit predicts.
      let worst = -1;
      let worstExcess = 0;
      for (let j = 0; j < k; j++) {
        if (!(subset & (1 << j))) continue;
        const predicted = sx[j] * gx + sy[j] * gy + sz[j] * gz;
        const excess = values[j] - predicted;
        if (excess > highlightResidual * Math.max(predicted, 1e-12) && excess > worstExcess) {
          worstExcess = excess;
          worst = j;
        }
      }
      if (worst >= 0) {
        const reducedSubset = subset & ~(1 << worst);
        const reduced = solverFor(reducedSubset);
        if (reduced) {
          subset = reducedSubset;
          solver = reduced;
          used--;
          gx = gy = gz = 0;
          for (let j = 0; j < k; j++) {
            if (!(subset & (1 << j))) continue;
            gx += solver[j] * values[j];
            gy += solver[k + j] * values[j];
            gz += solver[2 * k + j] * values[j];
          }
        }
      }
    }
    const rho = Math.sqrt(gx * gx + gy * gy + gz * gz);
    if (!(rho > 0)) continue;
    const nz = gz / rho;
    if (nz < minNz) continue;
    field.nx[i] = gx / rho;
    field.ny[i] = gy / rho;
    field.nz[i] = nz;
    field.albedo[i] = rho;
    field.valid[i] = 1;
    field.lightsUsed[i] = used;
  }
  return field;
}
