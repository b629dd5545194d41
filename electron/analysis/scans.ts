// Turning inputs (an X3P file or an in-memory surface) into prepared scans, with the preprocessing recorded.
// Shared by the worker pool, the CLI and tests so there is one path from a file to a comparable scan.
import { statSync } from 'node:fs';
import type { Surface } from './surface.ts';
import { readX3PFile } from './x3p/index.ts';
import type { OpenCv } from './opencv.ts';
import { preprocessSurface, type PreprocessParams, type PreprocessParamsInput } from './preprocess.ts';
import { prepareScan, type PreparedScan } from './cmc/prepared.ts';
import { breechFaceMask, type Regions } from './regions.ts';
import { detectBreechFace } from './breechFace.ts';
import { AnalysisError } from './errors.ts';

/** Where a scan comes from. `id` of an in-memory surface must identify its content (e.g. its SHA-256).
 * `regions`: an examiner's override; only its breech-face annulus is then compared. */
export type ScanRef = ({ path: string } | { id: string; surface: Surface }) & { regions?: Regions };

export interface LoadedScan {
  scan: PreparedScan;
  /** The preprocessing applied, or null when the surface was used as given. */
  preprocessing: { params: PreprocessParams; report: Record<string, unknown> } | null;
  /** Which area was compared: the examiner's override, the breech face found in a raw scan, or the scan as stored. */
  area: { source: 'manual' | 'auto' | 'scan'; regions?: Regions; notes: string[] };
}

export function scanRefKey(ref: ScanRef, preprocess: PreprocessParamsInput | null): string {
  const pre = JSON.stringify(preprocess);
  const regions = ref.regions ? `:regions:${JSON.stringify(ref.regions.breechFace)}` : '';
  if ('path' in ref) {
    const st = statSync(ref.path);
    return `file:${ref.path}:${st.size}:${st.mtimeMs}:${pre}${regions}`;
  }
  return `surface:${ref.id}:${pre}${regions}`;
}

export function scanRefName(ref: ScanRef): string {
  return 'path' in ref ? (ref.path.split(/[\\/]/).pop() ?? ref.path) : ref.id;
}

export async function loadScan(
  cv: OpenCv,
  ref: ScanRef,
  preprocess: PreprocessParamsInput | null,
): Promise<LoadedScan> {
  const name = scanRefName(ref);
  let surface = 'path' in ref ? (await readX3PFile(ref.path)).surface : ref.surface;
  const { mask, area } = comparedArea(ref, surface, preprocess !== null);
  if (!preprocess) {
    if (mask) surface = { ...surface, z: surface.z.map((v, i) => (mask[i] ? v : NaN)) };
    return { scan: prepareScan(name, surface), preprocessing: null, area };
  }
  const processed = preprocessSurface(cv, surface, preprocess, mask);
  return {
    scan: prepareScan(name, processed.surface),
    preprocessing: { params: processed.params, report: processed.report },
    area,
  };
}

/**
 * The area compared: an examiner's override when there is one; otherwise, for a scan that is preprocessed here,
 * the breech face found in its heights when it is raw (crater and primer edge still in it). A scan already
 * masked by its own pipeline is compared as stored.
 */
function comparedArea(
  ref: ScanRef,
  surface: Surface,
  preprocessed: boolean,
): { mask?: Uint8Array; area: LoadedScan['area'] } {
  if (ref.regions)
    return {
      mask: regionMask(ref.regions, surface),
      area: { source: 'manual', regions: ref.regions, notes: ["the examiner's breech-face region"] },
    };
  if (!preprocessed) return { area: { source: 'scan', notes: ['compared as stored (no preprocessing)'] } };
  const detection = detectBreechFace(surface);
  if (detection.raw && detection.regions.breechFace)
    return {
      mask: breechFaceMask(detection.regions),
      area: { source: 'auto', regions: detection.regions, notes: detection.notes },
    };
  return { area: { source: 'scan', notes: [...detection.notes, 'already masked: compared as stored'] } };
}

/** The breech-face mask of an override, refused when it was drawn on a picture of another size. */
function regionMask(regions: Regions, surface: Surface): Uint8Array {
  if (regions.width !== surface.width || regions.height !== surface.height) {
    throw new AnalysisError(
      'bad_surface',
      `the regions were set on a ${regions.width} × ${regions.height} picture, the scan is ${surface.width} × ${surface.height}`,
    );
  }
  return breechFaceMask(regions);
}

/** Rough resident size of a prepared scan and its caches, for bounding the per-thread cache. */
export function preparedBytes(scan: PreparedScan): number {
  let bytes = scan.raster.data.byteLength;
  for (const level of scan.levels.values()) bytes += level.data.byteLength;
  for (const value of scan.cache.values()) {
    if (Array.isArray(value))
      for (const cell of value as { spectrum?: Float32Array; values?: Float64Array }[])
        bytes += (cell.spectrum?.byteLength ?? 0) + (cell.values?.byteLength ?? 0);
    else if (value && typeof value === 'object') {
      // Coarse templates hold a spectrum; screening signatures hold values and per-ring spectra.
      for (const part of Object.values(value)) if (ArrayBuffer.isView(part)) bytes += part.byteLength;
    }
  }
  return bytes;
}
