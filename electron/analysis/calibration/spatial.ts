// Spatial calibration from an image of a dot-grid target of certified pitch: micrometres per pixel along
// both image axes, the grid's rotation and skew, and a distortion check (radial coefficient k1 and the
// residuals left after it). OpenCV-WASM finds the dots (Otsu threshold + connected components); centroids are
// refined by intensity weighting; the lattice is fitted by least squares.
import { withMats, type CvMat, type OpenCv } from '../opencv.ts';
import type { RawFrame } from './frames.ts';
import { NormalEquations } from './leastSquares.ts';
import type { CalibrationProblem } from '../../contract/acquisitions.ts';
import { problemEnglish } from './problems.ts';
import { CalibrationError } from './errors.ts';

export interface DotGridOptions {
  /** Certified centre-to-centre pitch of the dots, metres. */
  pitchM: number;
  /** Largest residual (pixels) after the distortion model for the calibration to pass; default 0.5. */
  maxResidualPx?: number;
  /** Largest radial distortion at the image corner (pixels) for the check to pass; default 2. */
  maxDistortionPx?: number;
}

export interface SpatialCalibration {
  /** Specimen micrometres per image pixel along x (columns) and y (rows). */
  umPerPixelX: number;
  umPerPixelY: number;
  /** Rotation of the grid's x axis in the image, degrees; skew between the axes, degrees (0 = square). */
  rotationDeg: number;
  skewDeg: number;
  dots: number;
  /** Radial distortion: a pixel at normalised radius r (1 = half diagonal) images the point at r(1 + k1 r²). */
  k1: number;
  /** Displacement the distortion causes at the image corner, pixels. */
  cornerDistortionPx: number;
  rmsResidualPx: number;
  maxResidualPx: number;
  /** The limits the checks used, recorded so a report can draw them. */
  limits: { maxResidualPx: number; maxDistortionPx: number };
  passed: boolean;
  problems: CalibrationProblem[];
  messages: string[];
}

interface Dot {
  x: number;
  y: number;
}

function findDots(cv: OpenCv, frame: RawFrame): Dot[] {
  const { width, height, data } = frame;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    if (data[i] < min) min = data[i];
    if (data[i] > max) max = data[i];
  }
  if (!(max > min))
    throw new CalibrationError('grid_uniform', 'dot grid: the image is uniform; is the target in view and lit?');
  return withMats((track) => {
    const gray: CvMat = track(new cv.Mat(height, width, cv.CV_8U));
    const g = gray.data;
    const scale = 255 / (max - min);
    for (let i = 0; i < data.length; i++) g[i] = Math.round((data[i] - min) * scale);
    const binary: CvMat = track(new cv.Mat());
    cv.threshold(gray, binary, 0, 255, cv.THRESH_BINARY_INV | cv.THRESH_OTSU);
    const labels: CvMat = track(new cv.Mat());
    const stats: CvMat = track(new cv.Mat());
    const centroids: CvMat = track(new cv.Mat());
    const count: number = cv.connectedComponentsWithStats(binary, labels, stats, centroids, 8, cv.CV_32S);
    // CV_32S statistics, five per component (left, top, width, height, area).
    const s = new Int32Array(stats.data.buffer, stats.data.byteOffset, count * 5);
    const areas: number[] = [];
    for (let k = 1; k < count; k++) areas.push(s[k * 5 + 4]);
    const sortedAreas = [...areas].sort((a, b) => a - b);
    const medianArea = sortedAreas[sortedAreas.length >> 1] ?? 0;
    if (medianArea < 12)
      throw new CalibrationError(
        'grid_dots_small',
        `dot grid: the dots are only ~${medianArea} pixels each; use a finer target or more magnification`,
        { area: medianArea },
      );
    // The white level around dots, for intensity-weighted centroids.
    const sample = Array.from({ length: 2000 }, (_, i) => data[Math.floor((i * data.length) / 2000)]).sort(
      (a, b) => a - b,
    );
    const white = sample[Math.floor(sample.length * 0.9)];
    const dots: Dot[] = [];
    for (let k = 1; k < count; k++) {
      const [left, top, w, h, area] = [s[k * 5], s[k * 5 + 1], s[k * 5 + 2], s[k * 5 + 3], s[k * 5 + 4]];
      if (area < medianArea * 0.5 || area > medianArea * 1.5) continue;
      if (left <= 1 || top <= 1 || left + w >= width - 1 || top + h >= height - 1) continue; // cut by the border
      let sw = 0;
      let sx = 0;
      let sy = 0;
      for (let y = Math.max(0, top - 2); y < Math.min(height, top + h + 2); y++) {
        for (let x = Math.max(0, left - 2); x < Math.min(width, left + w + 2); x++) {
          const weight = Math.max(0, white - data[y * width + x]);
          sw += weight;
          sx += weight * (x + 0.5);
          sy += weight * (y + 0.5);
        }
      }
      if (sw > 0) dots.push({ x: sx / sw, y: sy / sw });
    }
    return dots;
  });
}

export function calibrateFromDotGrid(cv: OpenCv, frame: RawFrame, options: DotGridOptions): SpatialCalibration {
  if (!(options.pitchM > 0)) throw new RangeError(`dot pitch must be positive, got ${options.pitchM}`);
  const dots = findDots(cv, frame);
  if (dots.length < 9)
    throw new CalibrationError(
      'grid_too_few_dots',
      `dot grid: found ${dots.length} whole dots, need at least 9 (is the target in focus and filling the view?)`,
      { dots: dots.length },
    );
  if (dots.length > 20_000)
    throw new CalibrationError(
      'grid_too_many_dots',
      `dot grid: ${dots.length} dots is more than a calibration target has; wrong target or noise`,
      { dots: dots.length },
    );

  // Pitch and orientation from nearest neighbours.
  const nearest = dots.map((d, a) => {
    let best = Infinity;
    let vector: [number, number] = [0, 0];
    for (let b = 0; b < dots.length; b++) {
      if (a === b) continue;
      const dx = dots[b].x - d.x;
      const dy = dots[b].y - d.y;
      const dist = dx * dx + dy * dy;
      if (dist < best) {
        best = dist;
        vector = [dx, dy];
      }
    }
    return { dist: Math.sqrt(best), vector };
  });
  const pitchPx = [...nearest.map((n) => n.dist)].sort((a, b) => a - b)[nearest.length >> 1];
  // Angles modulo 90°, averaged on the circle of 4θ.
  let c4 = 0;
  let s4 = 0;
  for (const n of nearest) {
    const angle = Math.atan2(n.vector[1], n.vector[0]);
    c4 += Math.cos(4 * angle);
    s4 += Math.sin(4 * angle);
  }
  const theta = Math.atan2(s4, c4) / 4;
  const centre = { x: frame.width / 2, y: frame.height / 2 };
  const origin = dots.reduce((a, b) =>
    Math.hypot(b.x - centre.x, b.y - centre.y) < Math.hypot(a.x - centre.x, a.y - centre.y) ? b : a,
  );
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const ii: number[] = [];
  const jj: number[] = [];
  const cells = new Set<string>();
  for (const d of dots) {
    const u = ((d.x - origin.x) * cos + (d.y - origin.y) * sin) / pitchPx;
    const v = (-(d.x - origin.x) * sin + (d.y - origin.y) * cos) / pitchPx;
    ii.push(Math.round(u));
    jj.push(Math.round(v));
    const cell = `${Math.round(u)},${Math.round(v)}`;
    if (cells.has(cell))
      throw new CalibrationError(
        'grid_irregular',
        'dot grid: two dots fall on the same grid node; the dots do not form a regular grid',
      );
    cells.add(cell);
  }

  // Affine lattice and radial distortion in one linear least-squares fit: the ideal lattice point
  // q = A·(1, i, j) is imaged at p with q − c = (p − c)(1 + k1 r_p²), i.e. for x:
  // a0 + a1·i + a2·j − k1·r_p²·(p_x − c_x) = p_x (and likewise for y with b0..b2 and the same k1).
  const halfDiagonal = Math.hypot(frame.width, frame.height) / 2;
  const fit = new NormalEquations(7);
  for (let k = 0; k < dots.length; k++) {
    const px = dots[k].x - centre.x;
    const py = dots[k].y - centre.y;
    const r2 = (px * px + py * py) / halfDiagonal ** 2;
    fit.add([1, ii[k], jj[k], 0, 0, 0, -r2 * px], dots[k].x);
    fit.add([0, 0, 0, 1, ii[k], jj[k], -r2 * py], dots[k].y);
  }
  const solution = fit.solve();
  if (!solution) throw new CalibrationError('grid_irregular', 'dot grid: the dots do not span two directions');
  const ax = [solution[0], solution[1], solution[2]];
  const ay = [solution[3], solution[4], solution[5]];
  const k1 = solution[6];
  const residuals = dots.map((d, k) => {
    const px = d.x - centre.x;
    const py = d.y - centre.y;
    const r2 = (px * px + py * py) / halfDiagonal ** 2;
    return Math.hypot(
      ax[0] + ax[1] * ii[k] + ax[2] * jj[k] - k1 * r2 * px - d.x,
      ay[0] + ay[1] * ii[k] + ay[2] * jj[k] - k1 * r2 * py - d.y,
    );
  });
  if (Math.max(...residuals) > 0.25 * pitchPx)
    throw new CalibrationError(
      'grid_irregular',
      `dot grid: dots lie up to ${Math.max(...residuals).toFixed(1)} px off the best grid (pitch ${pitchPx.toFixed(1)} px); not a regular grid`,
    );
  const stepX = Math.hypot(ax[1], ay[1]);
  const stepY = Math.hypot(ax[2], ay[2]);
  const pitchUm = options.pitchM * 1e6;
  const rotationDeg = (Math.atan2(ay[1], ax[1]) * 180) / Math.PI;
  const skewDeg = 90 - (Math.acos((ax[1] * ax[2] + ay[1] * ay[2]) / (stepX * stepY)) * 180) / Math.PI;
  const rms = Math.sqrt(residuals.reduce((s, r) => s + r * r, 0) / residuals.length);
  const maxResidual = Math.max(...residuals);
  const cornerDistortionPx = Math.abs(k1) * halfDiagonal;
  const maxResidualPx = options.maxResidualPx ?? 0.5;
  const maxDistortionPx = options.maxDistortionPx ?? 2;
  const problems: CalibrationProblem[] = [];
  if (maxResidual > maxResidualPx) problems.push({ code: 'dot_residual', value: maxResidual, limit: maxResidualPx });
  if (cornerDistortionPx > maxDistortionPx)
    problems.push({ code: 'lens_distortion', value: cornerDistortionPx, limit: maxDistortionPx });
  const scaleDifference = Math.abs(stepX - stepY) / Math.max(stepX, stepY);
  if (scaleDifference > 0.02) problems.push({ code: 'scale_xy', value: scaleDifference, limit: 0.02 });
  return {
    umPerPixelX: pitchUm / stepX,
    umPerPixelY: pitchUm / stepY,
    rotationDeg,
    skewDeg,
    dots: dots.length,
    k1,
    cornerDistortionPx,
    rmsResidualPx: rms,
    maxResidualPx: maxResidual,
    limits: { maxResidualPx, maxDistortionPx },
    passed: problems.length === 0,
    problems,
    messages: problems.map(problemEnglish),
  };
}
