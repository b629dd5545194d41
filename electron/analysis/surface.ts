// The one in-memory form of a measured surface (topography), shared by X3P I/O, preprocessing, CMC,
// photometric stereo and the simulated camera. Heights and spacings are SI metres, as in X3P.
export interface Surface {
  /** Number of points along x (columns). */
  width: number;
  /** Number of points along y (rows). */
  height: number;
  /** Point spacing along x and y, in metres. */
  dx: number;
  dy: number;
  /** Heights in metres, row-major with x fastest (index = y * width + x); NaN = not measured or masked. */
  z: Float64Array;
}

export function surfaceAt(surface: Surface, x: number, y: number): number {
  return surface.z[y * surface.width + x];
}

export function countValid(surface: Surface): number {
  let n = 0;
  for (const v of surface.z) if (!Number.isNaN(v)) n++;
  return n;
}
