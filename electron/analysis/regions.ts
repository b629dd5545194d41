// Regions of a cartridge-case head: the primer (large circle), the firing-pin impression (small circle inside
// it) and the breech-face annulus between them. Found with OpenCV's Hough circle transform on a reduced
// 8-bit picture — of a 2D micrograph, or of a topography (its validity mask when the scan is already masked,
// else its heights). Results are in the input's pixel coordinates; a manual override uses the same schema
// and is stored by the host as an amendment (old and new value kept).
import type { Surface } from './surface.ts';
import { AnalysisError } from './errors.ts';
import { withMats, type CvMat, type OpenCv } from './opencv.ts';
import { countFinite } from './raster.ts';
import { detectBreechFace } from './breechFace.ts';
// One definition of regions, in the contract (the host stores overrides of it, the UI draws it).
import { regionCircleSchema, regionsSchema, type RegionCircle, type Regions } from '../contract/acquisitions.ts';

export { regionsSchema, type Regions };
export const circleSchema = regionCircleSchema;
export type Circle = RegionCircle;

/** Detected regions: the breech-face annulus is the primer minus the firing-pin impression. */
function detected(
  width: number,
  height: number,
  primer: Circle | null,
  firingPin: Circle | null,
  method: string,
): Regions {
  return {
    width,
    height,
    primer,
    firingPin,
    breechFace: primer ? { outer: primer, inner: firingPin } : null,
    origin: 'auto',
    method,
  };
}

export const regionDefaults = {
  /** The picture is reduced so its larger side is at most this (Hough cost grows with area and radius range). */
  workingSize: 320,
  /** Primer radius as a fraction of the picture's smaller side. */
  primerRadius: [0.2, 0.52] as [number, number],
  /** Firing-pin radius as a fraction of the primer radius, and how far off-centre it may sit. */
  firingPinRadius: [0.1, 0.45] as [number, number],
  firingPinMaxOffset: 0.4,
  /** Canny high threshold and accumulator threshold of HOUGH_GRADIENT. */
  cannyHigh: 80,
  accumulator: 30,
};

/** Regions of an 8-bit grey picture (e.g. a ring-light micrograph). */
export function detectRegionsInImage(
  cv: OpenCv,
  grey: Uint8Array,
  width: number,
  height: number,
  options = regionDefaults,
): Regions {
  if (grey.length !== width * height || width < 16 || height < 16)
    throw new AnalysisError('bad_surface', `picture of ${width} × ${height} with ${grey.length} samples`);
  return withMats((track) => {
    const src: CvMat = track(new cv.Mat(height, width, cv.CV_8UC1));
    src.data.set(grey);
    return detect(cv, track, src, width, height, options, 'HoughCircles on the ring-light picture');
  });
}

/**
 * Regions of a topography. A raw scan (crater and primer edge in its heights) gets the breech face the
 * comparison uses (breechFace.ts); a scan masked by its own pipeline, its mask's circles; anything else, Hough
 * circles on its heights.
 */
export function detectRegionsInSurface(cv: OpenCv, surface: Surface, options = regionDefaults): Regions {
  const { width, height, z } = surface;
  const valid = countFinite(z);
  if (valid === 0) throw new AnalysisError('empty_surface', 'the surface has no valid point; no region can be found');
  const raw = detectBreechFace(surface);
  if (raw.raw) return raw.regions;
  const masked = valid < 0.95 * z.length;
  if (masked) return detectInMask(cv, z, width, height);
  // Heights between the 1st and 99th percentile mapped to 0–255, so a few spikes do not flatten the rest.
  // Percentiles from ≤ 65,536 evenly spread points: sorting a 2048² scan whole took most of a second.
  const grey = new Uint8Array(width * height);
  const stride = Math.max(1, Math.floor(z.length / 65536));
  const sample: number[] = [];
  for (let i = 0; i < z.length; i += stride) if (z[i] === z[i]) sample.push(z[i]);
  const sorted = Float64Array.from(sample).sort();
  const lo = sorted[Math.floor(0.01 * (sorted.length - 1))];
  const hi = sorted[Math.floor(0.99 * (sorted.length - 1))];
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  for (let i = 0; i < z.length; i++) grey[i] = Math.max(0, Math.min(255, Math.round((z[i] - lo) * scale)));
  const found = detectRegionsInImage(cv, grey, width, height, options);
  return detected(width, height, found.primer, found.firingPin, 'HoughCircles on the heights');
}

/**
 * A masked scan (e.g. the processed Fadul set) already says where the breech face is: the primer is the smallest
 * circle enclosing the valid points, and the firing-pin aperture the largest invalid disc inside it (distance
 * transform maximum). Exact and cheap; Hough would have to guess between the two edges.
 */
function detectInMask(cv: OpenCv, z: Float64Array, width: number, height: number): Regions {
  const valid = new Uint8Array(z.length);
  for (let i = 0; i < z.length; i++) valid[i] = z[i] === z[i] ? 255 : 0;
  return circlesOfArea(cv, valid, width, height, 'validity mask: enclosing circle and largest invalid disc');
}

/**
 * The regions of a picture whose breech face is its bright area: a capture's coaxial image, where the flat primer
 * face reflects the light back into the lens and the firing-pin impression (steep walls), like anything not
 * measured, stays dark. Otsu's threshold splits bright from dark; then the same circles as a validity mask.
 * For a captured topography whose heights show no firing-pin edge (the demo rig's flat, unmeasured hole).
 */
export function detectRegionsInBrightArea(cv: OpenCv, grey: Uint8Array, width: number, height: number): Regions {
  if (grey.length !== width * height || width < 16 || height < 16)
    throw new AnalysisError('bad_surface', `picture of ${width} × ${height} with ${grey.length} samples`);
  const bright = withMats((track) => {
    const src: CvMat = track(new cv.Mat(height, width, cv.CV_8UC1));
    src.data.set(grey);
    const blurred: CvMat = track(new cv.Mat());
    cv.GaussianBlur(src, blurred, new cv.Size(9, 9), 2, 2, cv.BORDER_REPLICATE);
    const split: CvMat = track(new cv.Mat());
    cv.threshold(blurred, split, 0, 255, cv.THRESH_BINARY + cv.THRESH_OTSU);
    // Specks of either kind (noise, a bright burr in the hole) are not region edges.
    const kernel: CvMat = track(cv.getStructuringElement(cv.MORPH_ELLIPSE, new cv.Size(15, 15)));
    const opened: CvMat = track(new cv.Mat());
    cv.morphologyEx(split, opened, cv.MORPH_OPEN, kernel);
    const closed: CvMat = track(new cv.Mat());
    cv.morphologyEx(opened, closed, cv.MORPH_CLOSE, kernel);
    return Uint8Array.from(closed.data);
  });
  return circlesOfArea(
    cv,
    bright,
    width,
    height,
    'bright area of the coaxial image: enclosing circle and largest dark disc',
  );
}

/** Primer = smallest circle enclosing the area (255), firing pin = largest disc without it inside the primer. */
function circlesOfArea(cv: OpenCv, area: Uint8Array, width: number, height: number, method: string): Regions {
  return withMats((track) => {
    const m = area;
    if (!m.some((v) => v !== 0)) return detected(width, height, null, null, method);
    // Boundary points of the valid area (opencv-js has no findNonZero; the boundary is all the circle needs).
    const boundary: number[] = [];
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if (!m[i]) continue;
        if (
          x === 0 ||
          y === 0 ||
          x === width - 1 ||
          y === height - 1 ||
          !m[i - 1] ||
          !m[i + 1] ||
          !m[i - width] ||
          !m[i + width]
        )
          boundary.push(x, y);
      }
    const points: CvMat = track(cv.matFromArray(boundary.length / 2, 1, cv.CV_32SC2, boundary));
    const enclosing = cv.minEnclosingCircle(points) as { center: { x: number; y: number }; radius: number };
    const primer = { cx: enclosing.center.x, cy: enclosing.center.y, r: enclosing.radius };
    // Invalid pixels inside the primer circle, as 255, for the distance transform.
    const holes: CvMat = track(new cv.Mat(height, width, cv.CV_8UC1));
    const h = holes.data;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        h[i] = m[i] === 0 && (x - primer.cx) ** 2 + (y - primer.cy) ** 2 < primer.r ** 2 ? 255 : 0;
      }
    const distance: CvMat = track(new cv.Mat());
    cv.distanceTransform(holes, distance, cv.DIST_L2, 5);
    const d = distance.data32F;
    let best = 0;
    let at = -1;
    for (let i = 0; i < d.length; i++)
      if (d[i] > best) {
        best = d[i];
        at = i;
      }
    // A hole smaller than 5 % of the primer radius is a defect, not the firing-pin aperture.
    const firingPin =
      at >= 0 && best >= 0.05 * primer.r ? { cx: at % width, cy: Math.floor(at / width), r: best } : null;
    return detected(width, height, primer, firingPin, method);
  });
}

function detect(
  cv: OpenCv,
  track: <M extends CvMat>(m: M) => M,
  src: CvMat,
  width: number,
  height: number,
  o: typeof regionDefaults,
  method: string,
): Regions {
  const scale = Math.min(1, o.workingSize / Math.max(width, height));
  const small: CvMat = track(new cv.Mat());
  cv.resize(src, small, new cv.Size(Math.round(width * scale), Math.round(height * scale)), 0, 0, cv.INTER_AREA);
  const blurred: CvMat = track(new cv.Mat());
  cv.GaussianBlur(small, blurred, new cv.Size(9, 9), 2, 2, cv.BORDER_REPLICATE);
  const side = Math.min(small.rows, small.cols);
  const circles = (minR: number, maxR: number, minDist: number): Circle[] => {
    const out: CvMat = track(new cv.Mat());
    cv.HoughCircles(
      blurred,
      out,
      cv.HOUGH_GRADIENT,
      1,
      Math.max(1, minDist),
      o.cannyHigh,
      o.accumulator,
      Math.max(1, Math.round(minR)),
      Math.max(2, Math.round(maxR)),
    );
    const d = out.data32F;
    const list: Circle[] = [];
    for (let i = 0; i + 2 < d.length; i += 3)
      list.push({ cx: d[i] / scale, cy: d[i + 1] / scale, r: d[i + 2] / scale });
    return list; // strongest first
  };
  const primer = circles(o.primerRadius[0] * side, o.primerRadius[1] * side, side / 4)[0] ?? null;
  let firingPin: Circle | null = null;
  if (primer) {
    const minR = o.firingPinRadius[0] * primer.r * scale;
    const candidates = circles(minR, o.firingPinRadius[1] * primer.r * scale, minR);
    firingPin =
      candidates.find((c) => Math.hypot(c.cx - primer.cx, c.cy - primer.cy) <= o.firingPinMaxOffset * primer.r) ?? null;
  }
  return detected(width, height, primer, firingPin, method);
}

/** 1 inside the breech-face annulus (inside its outer circle, outside its inner one), 0 elsewhere. */
export function breechFaceMask(regions: Regions): Uint8Array {
  const { width, height, breechFace } = regions;
  const mask = new Uint8Array(width * height);
  if (!breechFace) return mask;
  const { outer, inner } = breechFace;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inOuter = (x - outer.cx) ** 2 + (y - outer.cy) ** 2 <= outer.r ** 2;
      const inInner = inner !== null && (x - inner.cx) ** 2 + (y - inner.cy) ** 2 <= inner.r ** 2;
      mask[y * width + x] = inOuter && !inInner ? 1 : 0;
    }
  }
  return mask;
}
