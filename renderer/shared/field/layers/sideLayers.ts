// One side's picture for the field: the host's preview of a topography or of a 2D image (any light of the
// capture), prepared for the GPU. Prepared layers are kept in a small cache bounded by bytes, so going back to
// a search result and opening the same pair again draws at once; topographies are prepared in workers.
import { quickPreviewMaxSize, type AcquisitionPreview } from '../../../../electron/contract/index.ts';
import type { Station } from '../../../api/station.ts';
import type { FieldLayer } from '../renderer.ts';
import type { SideExtent } from '../fieldState.ts';
import type { HeightGrid } from '../surfaceTexture.ts';
import { prepareSurface, type PreparedSurface, type PrepareSurfaceRequest } from './prepare.ts';
import { filePixelUm, type SideSource } from './sideSource.ts';
import { forgetWithSession } from '../../../api/sessionMemory.ts';

/** Largest side the workspace asks the host for (the contract's own bound on previews). */
export const workspaceMaxSize = 2048;
/**
 * The side of the first, quick preview: about what a field panel shows at fit, so the first view looks as the
 * full one does until the examiner zooms in, and arrives in a fraction of the time (a 2048² topography is 16 MB;
 * the host keeps a derived copy of this size per file, so it answers without reading the full file).
 */
export const quickMaxSize = quickPreviewMaxSize;

export interface SideLayer {
  acquisitionId: number;
  role: string;
  layer: FieldLayer;
  /** Heights for line profiles (topographies only). */
  heights: HeightGrid | null;
  extent: SideExtent;
  /** The stored file's extent (the analysis works on it; a reduced preview may overhang it by a block). */
  sourceExtent: SideExtent;
  /** Micrometres per pixel of the side's stored files (annotations are kept in file pixels); 1 when unknown. */
  filePixelUm: number;
  /** Micrometres per point as shown (after any reduction by the host); null when the pixel size is unknown. */
  spacingUm: number | null;
  /** Points of the stored file, and whether the preview was reduced from it. */
  sourceSize: [number, number];
  reduced: boolean;
  bytes: number;
}

type ImagePreview = Extract<AcquisitionPreview, { kind: 'image' }>;
type TopographyPreview = Extract<AcquisitionPreview, { kind: 'topography' }>;

// --- workers -------------------------------------------------------------------------------------------------

interface Pending {
  resolve: (p: PreparedSurface) => void;
  reject: (e: Error) => void;
}
const workers: Worker[] = [];
const pending = new Map<number, Pending>();
let nextJob = 1;
let workersBroken = false;

function workerFor(job: number): Worker | null {
  if (workersBroken || typeof Worker === 'undefined') return null;
  const count = Math.max(1, Math.min(2, navigator.hardwareConcurrency || 1));
  try {
    while (workers.length < count) {
      const worker = new Worker(new URL('./prepare.worker.ts', import.meta.url), { type: 'module' });
      worker.onmessage = (event: MessageEvent<{ id: number; prepared?: PreparedSurface; error?: string }>) => {
        const { id, prepared, error } = event.data;
        const entry = pending.get(id);
        pending.delete(id);
        if (!entry) return;
        if (prepared) entry.resolve(prepared);
        else entry.reject(new Error(error ?? 'the topography could not be prepared'));
      };
      worker.onerror = () => {
        // A worker that cannot start (e.g. a policy forbids it) makes every later job run on this thread.
        workersBroken = true;
        for (const [id, entry] of pending) {
          pending.delete(id);
          entry.reject(new Error('worker failed'));
        }
      };
      workers.push(worker);
    }
  } catch {
    workersBroken = true;
    return null;
  }
  return workers[job % workers.length]!;
}

/** Below this many points a topography is prepared at once on this thread (tens of milliseconds): starting a
 * worker would cost more than it saves. */
const workerThreshold = 1_000_000;

/** Starts the workers before the first large topography arrives (their start-up overlaps the host's reading). */
export function warmWorkers(): void {
  workerFor(0);
}

/** Prepares a topography from the preview's bytes (copied once: the copy is aligned and handed to the worker). */
function prepareInWorker(preview: TopographyPreview): Promise<PreparedSurface> {
  const request = (): PrepareSurfaceRequest => ({
    width: preview.width,
    height: preview.height,
    spacingUm: preview.spacingUm,
    bytes: preview.data.slice().buffer as ArrayBuffer,
  });
  const job = nextJob++;
  const worker = preview.width * preview.height >= workerThreshold ? workerFor(job) : null;
  if (!worker) return Promise.resolve(prepareSurface(request()));
  const transferred = request();
  return new Promise<PreparedSurface>((resolve, reject) => {
    pending.set(job, { resolve, reject });
    worker.postMessage({ id: job, request: transferred }, [transferred.bytes]);
  }).catch((error: Error) => {
    if (error.message === 'worker failed') return prepareSurface(request());
    throw error;
  });
}

// --- cache ---------------------------------------------------------------------------------------------------

const cacheLimitBytes = 384 * 1024 * 1024;
const cache = new Map<string, Promise<SideLayer>>();
const sizes = new Map<string, number>();

function remember(key: string, promise: Promise<SideLayer>) {
  cache.set(key, promise);
  promise.then(
    (layer) => {
      if (cache.get(key) !== promise) return;
      sizes.set(key, layer.bytes);
      let total = [...sizes.values()].reduce((a, b) => a + b, 0);
      // Oldest first (Map keeps insertion order; a hit re-inserts).
      for (const old of [...cache.keys()]) {
        if (total <= cacheLimitBytes || old === key) continue;
        total -= sizes.get(old) ?? 0;
        cache.delete(old);
        sizes.delete(old);
      }
    },
    () => {
      if (cache.get(key) === promise) cache.delete(key);
    },
  );
}

/** Forgets prepared layers (at the session's end; tests and the bench use it to measure a cold start). */
export function clearLayerCache(): void {
  cache.clear();
  sizes.clear();
}
forgetWithSession(clearLayerCache);

// --- loading -------------------------------------------------------------------------------------------------

/** The stored file's extent in micrometres (what the analysis registered), from its own pixel size. */
function sourceExtentOf(width: number, height: number, pixelUm: number): SideExtent {
  return { widthUm: width * pixelUm, heightUm: height * pixelUm };
}

function surfaceLayer(source: SideSource, preview: TopographyPreview, prepared: PreparedSurface): SideLayer {
  const spacingUm = preview.spacingUm;
  const pixelUm = filePixelUm(source) ?? spacingUm * (preview.width / preview.sourceWidth);
  return {
    acquisitionId: source.acquisitionId,
    role: preview.role,
    layer: { kind: 'surface', texels: prepared.texels, spacingUm },
    heights: { width: preview.width, height: preview.height, heights: prepared.heights, spacingUm },
    extent: { widthUm: preview.width * spacingUm, heightUm: preview.height * spacingUm },
    sourceExtent: sourceExtentOf(preview.sourceWidth, preview.sourceHeight, pixelUm),
    filePixelUm: pixelUm,
    spacingUm,
    sourceSize: [preview.sourceWidth, preview.sourceHeight],
    reduced: preview.width !== preview.sourceWidth || preview.height !== preview.sourceHeight,
    bytes: prepared.texels.rgba.byteLength + prepared.heights.byteLength,
  };
}

function imageLayer(source: SideSource, preview: ImagePreview): SideLayer {
  // Images of a capture share the camera's grid with its topography; a side without a pixel size is shown one
  // micrometre per file pixel and said to be unscaled.
  const known = filePixelUm(source);
  const pixelUm = known ?? 1;
  const spacing = pixelUm * (preview.sourceWidth / preview.width);
  return {
    acquisitionId: source.acquisitionId,
    role: preview.role,
    layer: { kind: 'image', width: preview.width, height: preview.height, grey: preview.data, spacingUm: spacing },
    heights: null,
    extent: { widthUm: preview.width * spacing, heightUm: preview.height * spacing },
    sourceExtent: sourceExtentOf(preview.sourceWidth, preview.sourceHeight, pixelUm),
    filePixelUm: pixelUm,
    spacingUm: known === null ? null : spacing,
    sourceSize: [preview.sourceWidth, preview.sourceHeight],
    reduced: preview.width !== preview.sourceWidth || preview.height !== preview.sourceHeight,
    bytes: preview.data.byteLength,
  };
}

function keyOf(source: SideSource, role: string, maxSize: number): string {
  const sha256 = role === 'topography' ? source.topography?.sha256 : source.images.find((i) => i.role === role)?.sha256;
  return `${source.acquisitionId}:${role}:${sha256 ?? ''}:${maxSize}`;
}

/** The layer already loaded (or loading) at this size, if any. */
export function cachedSideLayer(source: SideSource, role: string, maxSize: number): Promise<SideLayer> | undefined {
  return cache.get(keyOf(source, role, maxSize));
}

export function loadSideLayer(
  station: Station,
  source: SideSource,
  role: string,
  maxSize = workspaceMaxSize,
  signal?: AbortSignal,
): Promise<SideLayer> {
  const key = keyOf(source, role, maxSize);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const promise = (async () => {
    const preview = await station.call(
      'acquisitions.preview',
      { acquisitionId: source.acquisitionId, role, maxSize },
      { signal },
    );
    if (preview.kind === 'image') return imageLayer(source, preview);
    return surfaceLayer(source, preview, await prepareInWorker(preview));
  })();
  remember(key, promise);
  return promise;
}
