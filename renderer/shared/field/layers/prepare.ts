// Turning the host's preview bytes into what the field draws: for a topography the heights (kept for line
// profiles) and the GPU texels; for a 2D image its grey levels. Runs in a worker (prepare.worker.ts) so two
// 2048² surfaces are prepared in parallel and the page stays responsive, or here when workers are unavailable.
import { surfaceTexels, type SurfaceTexels } from '../surfaceTexture.ts';

export interface PrepareSurfaceRequest {
  width: number;
  height: number;
  spacingUm: number;
  /** Little-endian float32 heights, micrometres. */
  bytes: ArrayBuffer;
}

export interface PreparedSurface {
  heights: Float32Array;
  texels: SurfaceTexels;
}

export function prepareSurface(request: PrepareSurfaceRequest): PreparedSurface {
  const n = request.width * request.height;
  if (request.bytes.byteLength !== n * 4)
    throw new RangeError(`the topography holds ${request.bytes.byteLength} bytes, expected ${n * 4}`);
  const heights = new Float32Array(request.bytes);
  const texels = surfaceTexels({ width: request.width, height: request.height, heights, spacingUm: request.spacingUm });
  return { heights, texels };
}
