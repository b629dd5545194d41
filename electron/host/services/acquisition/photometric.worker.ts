// Worker thread for photometric stereo during a capture: a second or more of CPU per region that must not
// stall the host's event loop, where the rig's drivers read their ports and watch their devices.
// One worker serves a whole capture (OpenCV loads once); each request is answered with the height map.
import { parentPort } from 'node:worker_threads';
import { loadOpenCv } from '../../../analysis/opencv.ts';
import { reconstructTopography, type PhotometricImages } from '../../../analysis/photometric/index.ts';

export interface ReconstructRequest {
  id: number;
  input: PhotometricImages;
  dx: number;
  dy: number;
}

export type ReconstructReply =
  | { id: number; ok: true; z: Float64Array; valid: Uint8Array; width: number; height: number; dx: number; dy: number }
  | { id: number; ok: false; name: string; message: string };

const cv = loadOpenCv();
parentPort!.on('message', async ({ id, input, dx, dy }: ReconstructRequest) => {
  try {
    const { surface, valid } = reconstructTopography(await cv, input, { dx, dy });
    const reply: ReconstructReply = {
      id,
      ok: true,
      z: surface.z,
      valid,
      width: surface.width,
      height: surface.height,
      dx: surface.dx,
      dy: surface.dy,
    };
    parentPort!.postMessage(reply, [surface.z.buffer as ArrayBuffer, valid.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort!.postMessage({
      id,
      ok: false,
      name: (error as Error).name,
      message: (error as Error).message,
    } satisfies ReconstructReply);
  }
});
