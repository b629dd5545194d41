// The breech-face region of a topography as any instrument delivers it — raw (form, tilt, the firing-pin crater
// and the primer's edge still in it, points missing where the optics lost the surface) or already masked by
// someone's pipeline. Found from the heights at ~25 µm/px, with thresholds in physical units, so the same rule
// holds on every instrument and resolution:
// - the firing-pin impression is a crater: points far below the primer's surface (or missing), connected,
//   near the middle; aperture shear and the crater's shoulder lie just around it;
// - the primer ends where the surface drops into the gap of the primer pocket, steps to the case head, or the
//   data stop: found along rays from the crater, then a circle fitted robustly to the edge points.
// A raw scan gets margins around both (aperture shear, rim roll-off); a scan whose crater and edge are both
// missing data was already masked by its own pipeline and is left as it is.
import type { Surface } from './surface.ts';
import { downsampleMean, type Raster } from './raster.ts';
import { level as levelInPlace } from './preprocess.ts';
import type { Regions } from './regions.ts';

export const breechFaceDefaults = {
  /** Working pixel size of the detection. */
  pixel: 25e-6,
  /** A crater or gap is at least this deep below the primer's surface (and `sigmas` × its roughness). */
  minDepth: 10e-6,
  sigmas: 8,
  /** The smallest firing-pin impression considered (radius). */
  minFiringPinRadius: 100e-6,
  /** Margins of a raw scan: around the crater (aperture shear, shoulder) and inside the primer's edge. */
  firingPinMargin: 60e-6,
  firingPinMarginFraction: 0.15,
  primerMargin: 60e-6,
  rays: 180,
};

export interface BreechFaceDetection {
  regions: Regions;
  /** True when the crater or the primer's edge was seen in the heights (a raw scan): the mask must be applied. */
  raw: boolean;
  /** What was found, for the record. */
  notes: string[];
}

interface Component {
  pixels: number[];
  missing: number;
  touchesBorder: boolean;
  cx: number;
  cy: number;
}

/** Connected components (4-neighbour) of the pixels where `inside` holds. */
function components(width: number, height: number, inside: (i: number) => boolean, missing: (i: number) => boolean) {
  const label = new Int32Array(width * height).fill(-1);
  const found: Component[] = [];
  const stack: number[] = [];
  for (let start = 0; start < label.length; start++) {
    if (label[start] >= 0 || !inside(start)) continue;
    const c: Component = { pixels: [], missing: 0, touchesBorder: false, cx: 0, cy: 0 };
    label[start] = found.length;
    stack.push(start);
    while (stack.length) {
      const i = stack.pop()!;
      c.pixels.push(i);
      if (missing(i)) c.missing++;
      const x = i % width;
      const y = (i - x) / width;
      c.cx += x;
      c.cy += y;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) c.touchesBorder = true;
      for (const j of [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, y > 0 ? i - width : -1, i + width]) {
        if (j < 0 || j >= label.length || label[j] >= 0 || !inside(j)) continue;
        label[j] = found.length;
        stack.push(j);
      }
    }
    c.cx /= c.pixels.length;
    c.cy /= c.pixels.length;
    found.push(c);
  }
  return found;
}

/** Median by a typed-array sort (numeric and several times faster than sorting a JS array with a comparator). */
function median(values: ArrayLike<number>): number {
  if (values.length === 0) return NaN;
  const s = Float64Array.from(values).sort();
  return s[s.length >> 1];
}

/** Kåsa circle fit, then refits without edge points whose radial residual exceeds 3 robust σ. */
function fitCircle(points: [number, number][]): { cx: number; cy: number; r: number } | undefined {
  let pts = points;
  let circle: { cx: number; cy: number; r: number } | undefined;
  for (let round = 0; round < 3 && pts.length >= 8; round++) {
    // Solve x² + y² = 2a·x + 2b·y + c by least squares (3 × 3 normal equations).
    const m = [
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ];
    for (const [x, y] of pts) {
      const row = [2 * x, 2 * y, 1];
      const rhs = x * x + y * y;
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) m[i][j] += row[i] * row[j];
        m[i][3] += row[i] * rhs;
      }
    }
    for (let c = 0; c < 3; c++) {
      let p = c;
      for (let r = c + 1; r < 3; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
      [m[c], m[p]] = [m[p], m[c]];
      if (Math.abs(m[c][c]) < 1e-12) return circle;
      for (let r = 0; r < 3; r++) {
        if (r === c) continue;
        const f = m[r][c] / m[c][c];
        for (let j = c; j < 4; j++) m[r][j] -= f * m[c][j];
      }
    }
    const a = m[0][3] / m[0][0];
    const b = m[1][3] / m[1][1];
    const c0 = m[2][3] / m[2][2];
    circle = { cx: a, cy: b, r: Math.sqrt(Math.max(0, c0 + a * a + b * b)) };
    const residuals = pts.map(([x, y]) => Math.abs(Math.hypot(x - a, y - b) - circle!.r));
    const spread = 1.4826 * median(residuals) + 1e-9;
    const kept = pts.filter((_, i) => residuals[i] <= 3 * spread);
    if (kept.length === pts.length) break;
    pts = kept;
  }
  return circle;
}

/**
 * A robust plane (tilt) removed from the level, iteratively ignoring far points (crater, gap, case head). Form
 * (a domed primer) stays in the residual: a plane cannot bend into a crater the way a quadratic can. Returns the
 * spread of the residual over the primer (form included) and its point-to-point roughness (form excluded).
 */
export function robustResidual(lv: Raster): { residual: Float64Array; sigma: number; roughness: number } {
  const { width, height, data } = lv;
  let residual = Float64Array.from(data);
  let sigma = Infinity;
  let work = Float64Array.from(data);
  for (let round = 0; round < 5; round++) {
    work = Float64Array.from(data);
    if (Number.isFinite(sigma)) {
      const centre = median(Array.from(residual.filter((v) => v === v)));
      for (let i = 0; i < work.length; i++) if (!(Math.abs(residual[i] - centre) <= 2.5 * sigma)) work[i] = NaN;
    }
    const [c0, c1, c2] = levelInPlace(work, width, height, 1);
    residual = Float64Array.from(data);
    const sx = 2 / Math.max(1, width - 1);
    const sy = 2 / Math.max(1, height - 1);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) residual[y * width + x] -= c0 + c1 * (x * sx - 1) + c2 * (y * sy - 1);
    const inliers: number[] = [];
    for (let i = 0; i < residual.length; i++) if (work[i] === work[i]) inliers.push(residual[i]);
    const centre = median(inliers);
    sigma = 1.4826 * median(inliers.map((v) => Math.abs(v - centre))) || 1e-9;
  }
  // Roughness from differences of neighbouring inliers (the form cancels in a difference).
  const steps: number[] = [];
  for (let i = 0; i + 1 < residual.length; i++)
    if ((i + 1) % width !== 0 && work[i] === work[i] && work[i + 1] === work[i + 1])
      steps.push(Math.abs(residual[i + 1] - residual[i]));
  const roughness = (1.4826 * median(steps)) / Math.SQRT2 || 1e-9;
  return { residual, sigma, roughness };
}

/**
 * The rim of a firing-pin crater whose core is `core`: the primer's form (a quadratic) fitted robustly over the
 * primer outside the core, then along rays from the core's centre the first point back within `step` of that
 * form. A generous radius (the 90th percentile of the rays around their fitted centre): a little breech face lost
 * next to the crater costs less than a wall left in.
 */
function craterRim(
  lv: Raster,
  core: { cx: number; cy: number; r: number },
  primer: { cx: number; cy: number; r: number } | null,
  step: number,
  rays: number,
): { cx: number; cy: number; r: number } {
  const { width, height, data } = lv;
  const inPrimer = (x: number, y: number) => !primer || Math.hypot(x - primer.cx, y - primer.cy) < primer.r;
  let work = new Float64Array(data.length).fill(NaN);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (inPrimer(x, y) && Math.hypot(x - core.cx, y - core.cy) > core.r) work[y * width + x] = data[y * width + x];
  // Iteratively reweighted: the wall and anything else far from the form (3 robust σ) leave the fit.
  let residual = Float64Array.from(data);
  for (let round = 0; round < 4; round++) {
    const fit = Float64Array.from(work);
    const coef = levelInPlace(fit, width, height, 2);
    residual = Float64Array.from(data);
    const sx = 2 / Math.max(1, width - 1);
    const sy = 2 / Math.max(1, height - 1);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const u = x * sx - 1;
        const v = y * sy - 1;
        residual[y * width + x] -=
          coef[0] + coef[1] * u + coef[2] * v + coef[3] * u * u + coef[4] * u * v + coef[5] * v * v;
      }
    const inliers: number[] = [];
    for (let i = 0; i < work.length; i++) if (work[i] === work[i]) inliers.push(residual[i]);
    const centre = median(inliers);
    const sigma = 1.4826 * median(inliers.map((v) => Math.abs(v - centre))) || 1e-9;
    const next = Float64Array.from(work);
    for (let i = 0; i < next.length; i++) if (!(Math.abs(residual[i] - centre) <= 3 * sigma)) next[i] = NaN;
    work = next;
  }
  const points: [number, number][] = [];
  for (let k = 0; k < rays; k++) {
    const ux = Math.cos((2 * Math.PI * k) / rays);
    const uy = Math.sin((2 * Math.PI * k) / rays);
    let level = 0;
    for (let s = core.r; ; s += 0.5) {
      const x = Math.round(core.cx + s * ux);
      const y = Math.round(core.cy + s * uy);
      if (x < 0 || y < 0 || x >= width || y >= height || !inPrimer(x, y)) break;
      const v = residual[y * width + x];
      if (v !== v) continue;
      // Two samples in a row back at the form: the rim (one could be a mark's peak on the wall).
      level = v >= -step ? level + 1 : 0;
      if (level >= 2) {
        points.push([core.cx + (s - 0.5) * ux, core.cy + (s - 0.5) * uy]);
        break;
      }
    }
  }
  if (points.length < 0.5 * rays) return core;
  const centre = fitCircle(points) ?? core;
  const radii = Float64Array.from(points, ([x, y]) => Math.hypot(x - centre.cx, y - centre.cy)).sort();
  return { cx: centre.cx, cy: centre.cy, r: Math.max(core.r, radii[Math.floor(0.9 * (radii.length - 1))]) };
}

export function detectBreechFace(surface: Surface, options = breechFaceDefaults): BreechFaceDetection {
  const notes: string[] = [];
  const factor = Math.max(1, Math.round(options.pixel / surface.dx));
  const pixel = surface.dx * factor;
  const lv = downsampleMean({ width: surface.width, height: surface.height, data: surface.z }, factor);
  const { width, height } = lv;
  const toFull = (c: { cx: number; cy: number; r: number }) => ({
    cx: Math.min(surface.width, Math.max(0, factor * c.cx + (factor - 1) / 2)),
    cy: Math.min(surface.height, Math.max(0, factor * c.cy + (factor - 1) / 2)),
    r: factor * c.r,
  });
  const { residual, sigma, roughness } = robustResidual(lv);
  // Deeper than the primer's form (3 σ of the plane residual) and than its marks (8 × the roughness).
  const depth = Math.max(options.minDepth, 3 * sigma, options.sigmas * roughness);
  // Along a ray the form cancels (the level is followed): only the marks set the edge threshold.
  const step = Math.max(options.minDepth, options.sigmas * roughness);
  const isMissing = (i: number) => residual[i] !== residual[i];

  // Firing-pin crater: deep or missing, not touching the border, nearest the middle of the measured primer.
  let mx = 0;
  let my = 0;
  let n = 0;
  for (let i = 0; i < residual.length; i++)
    if (residual[i] === residual[i] && Math.abs(residual[i]) < depth) {
      mx += i % width;
      my += Math.floor(i / width);
      n++;
    }
  mx /= n || 1;
  my /= n || 1;
  const minArea = Math.PI * (options.minFiringPinRadius / pixel) ** 2;
  const craters = components(width, height, (i) => isMissing(i) || residual[i] < -depth, isMissing).filter(
    (c) => !c.touchesBorder && c.pixels.length >= minArea,
  );
  craters.sort((a, b) => Math.hypot(a.cx - mx, a.cy - my) - Math.hypot(b.cx - mx, b.cy - my));
  const crater = craters[0];
  let firingPin: { cx: number; cy: number; r: number } | null = null;
  let craterFromHeights = false;
  if (crater) {
    let r = 0;
    for (const i of crater.pixels)
      r = Math.max(r, Math.hypot((i % width) - crater.cx, Math.floor(i / width) - crater.cy));
    firingPin = { cx: crater.cx, cy: crater.cy, r: r + 0.5 };
    craterFromHeights = crater.missing < 0.5 * crater.pixels.length;
    notes.push(
      `firing-pin impression: ${craterFromHeights ? 'a crater in the heights' : 'a hole in the data'}, radius ${((r + 0.5) * pixel * 1e6).toFixed(0)} µm`,
    );
  } else notes.push('no firing-pin impression found');

  // Primer edge along rays from the crater: a drop into the gap, a step, or the data ending.
  const origin = firingPin ?? { cx: mx, cy: my, r: 0 };
  const window = Math.max(3, Math.round(250e-6 / pixel));
  const edges: [number, number][] = [];
  let fromHeights = 0;
  for (let k = 0; k < options.rays; k++) {
    const angle = (2 * Math.PI * k) / options.rays;
    const ux = Math.cos(angle);
    const uy = Math.sin(angle);
    const recent: number[] = [];
    let missingRun = 0;
    let deviating = 0;
    for (let s = origin.r + 1; ; s += 0.5) {
      const x = Math.round(origin.cx + s * ux);
      const y = Math.round(origin.cy + s * uy);
      if (x < 0 || y < 0 || x >= width || y >= height) break;
      const v = residual[y * width + x];
      if (v !== v) {
        // A run of missing data (not a drop-out blob) ends the primer once the ray is on it.
        if (++missingRun >= 8 && recent.length >= window) {
          edges.push([origin.cx + (s - 4) * ux, origin.cy + (s - 4) * uy]);
          break;
        }
        continue;
      }
      missingRun = 0;
      // Still on the crater's wall or shoulder: the primer starts where the surface is back at its level.
      if (recent.length === 0 && Math.abs(v) > depth) continue;
      if (recent.length >= window) {
        const level = median(recent.slice(-window));
        // An edge is a drop into the gap, or a step up higher than any form (the case head), lasting a few
        // samples: not one deep mark, and not the crater's wall still rising behind the ray.
        deviating = v < level - step || v > level + depth ? deviating + 1 : 0;
        if (deviating >= 3) {
          edges.push([origin.cx + (s - 1) * ux, origin.cy + (s - 1) * uy]);
          fromHeights++;
          break;
        }
        if (deviating > 0) continue;
      }
      recent.push(v);
    }
  }
  let primer: { cx: number; cy: number; r: number } | null = null;
  let edgeFromHeights = false;
  if (edges.length >= 0.4 * options.rays) {
    primer = fitCircle(edges) ?? null;
    edgeFromHeights = fromHeights > edges.length / 2;
    if (primer)
      notes.push(
        `primer edge: ${edgeFromHeights ? 'seen in the heights' : 'where the data end'} on ${edges.length} of ${options.rays} rays, radius ${(primer.r * pixel * 1e6).toFixed(0)} µm`,
      );
  } else
    notes.push(`primer edge seen on only ${edges.length} of ${options.rays} rays: the scan lies inside the primer`);

  // The crater found above is its deep core: deeper than the primer's form, which a plane leaves in the residual.
  // Its wall goes on rising to the rim, and a wall left in the compared area survives the band-pass as a ring
  // far stronger than any mark. Measured against the primer's own form (a quadratic), the crater ends where the
  // surface is back within the marks' step of it.
  if (firingPin && craterFromHeights) {
    const rim = craterRim(lv, firingPin, primer, step, options.rays);
    if (rim.r > firingPin.r + 0.5) {
      notes.push(
        `crater rim: where the surface is back at the primer's form, radius ${(rim.r * pixel * 1e6).toFixed(0)} µm`,
      );
      firingPin = rim;
    }
  }

  const raw = craterFromHeights || edgeFromHeights;
  const outer = primer
    ? { ...primer, r: Math.max(1, primer.r - (raw ? options.primerMargin / pixel : 0)) }
    : { cx: origin.cx, cy: origin.cy, r: Math.hypot(width, height) };
  const inner = firingPin
    ? {
        ...firingPin,
        r:
          firingPin.r * (1 + (raw ? options.firingPinMarginFraction : 0)) + (raw ? options.firingPinMargin / pixel : 0),
      }
    : null;
  const regions: Regions = {
    width: surface.width,
    height: surface.height,
    primer: primer ? toFull(primer) : null,
    firingPin: firingPin ? toFull(firingPin) : null,
    breechFace: inner && inner.r >= outer.r ? null : { outer: toFull(outer), inner: inner ? toFull(inner) : null },
    origin: 'auto',
    method: `heights at ${(pixel * 1e6).toFixed(1)} µm/px: crater and primer edge${raw ? ', raw scan: margins applied' : ''}`,
  };
  if (regions.breechFace && regions.breechFace.outer.r > Math.hypot(surface.width, surface.height))
    regions.breechFace.outer.r = Math.hypot(surface.width, surface.height);
  return { regions, raw, notes };
}
