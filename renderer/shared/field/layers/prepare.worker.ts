// Worker entry: prepares one topography and hands its buffers back without copying them.
import { prepareSurface, type PrepareSurfaceRequest } from './prepare.ts';

self.onmessage = (event: MessageEvent<{ id: number; request: PrepareSurfaceRequest }>) => {
  const { id, request } = event.data;
  try {
    const prepared = prepareSurface(request);
    (self as unknown as Worker).postMessage({ id, prepared }, [
      prepared.heights.buffer as ArrayBuffer,
      prepared.texels.rgba.buffer as ArrayBuffer,
    ]);
  } catch (error) {
    (self as unknown as Worker).postMessage({ id, error: (error as Error).message });
  }
};
