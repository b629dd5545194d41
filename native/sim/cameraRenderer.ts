// What the emulated camera sees: a small interface between the USB3 Vision emulator and the image-formation
// model (native/sim/optics), so the emulator knows registers and transfers, not physics. The scene (lights on,
// focus distance) is read at every frame from whatever models the rest of the rig.
import {
  checkScene,
  defaultOptics,
  defocusBlurSigmaM,
  exposeRadiance,
  prepareSpecimen,
  renderRadiance,
  type HeightField,
  type Light,
  type Scene,
  type Specimen,
} from './optics/index.ts';

export interface RenderRequest {
  /** ROI size and offset on the sensor, in pixels. */
  width: number;
  height: number;
  offsetX: number;
  offsetY: number;
  sensorWidth: number;
  sensorHeight: number;
  exposureUs: number;
  /** Linear analog gain (1 = unity). */
  gain: number;
  bitDepth: 8 | 16;
  seed: number;
}

export interface FrameRenderer {
  /** Pixels row-major; 16-bit frames as little-endian byte pairs. */
  render(request: RenderRequest): Uint8Array;
  /** Puts another specimen under the camera (the demo rig's "loaded" casing); the next frame shows it. */
  setSurface?(surface: HeightField): void;
}

export interface CameraScene {
  lights(): Light[];
  /** Focus plane minus specimen surface, metres (0 = sharp). */
  defocusM(): number;
}

export interface OpticsRendererOptions {
  /** Specimen metres per sensor pixel; default: the specimen fills the sensor width. */
  pixelSizeM?: number;
  numericalAperture?: number;
  /** Metal primers are partly specular. */
  specular?: number;
}

export function opticsFrameRenderer(
  surface: HeightField,
  scene: CameraScene,
  options: OpticsRendererOptions = {},
): FrameRenderer {
  let specimen: Specimen = prepareSpecimen(surface);
  // The optics (shading under the lights, defocus blur, sampling) cost tens of milliseconds per 1024² frame and
  // change only when the lights, focus or ROI do; live view reuses them and draws only fresh sensor noise.
  let cached: { key: string; radiance: Float32Array } | undefined;
  return {
    setSurface(next) {
      specimen = prepareSpecimen(next);
      cached = undefined;
    },
    render(request) {
      const pixelSizeM = options.pixelSizeM ?? (specimen.width * specimen.dx) / request.sensorWidth;
      const centerM: [number, number] = [
        (request.offsetX + request.width / 2 - request.sensorWidth / 2) * pixelSizeM,
        (request.offsetY + request.height / 2 - request.sensorHeight / 2) * pixelSizeM,
      ];
      const optics = {
        ...defaultOptics,
        defocusM: scene.defocusM(),
        ...(options.numericalAperture ? { numericalAperture: options.numericalAperture } : {}),
      };
      const frame: Scene = {
        specimen,
        lights: scene.lights(),
        camera: {
          width: request.width,
          height: request.height,
          bitDepth: request.bitDepth,
          exposureMs: request.exposureUs / 1000,
          gain: request.gain,
          pixelSizeM,
          centerM,
        },
        optics,
        reflectance: { specular: options.specular ?? 0.2, ambient: 0.02 },
        seed: request.seed,
      };
      checkScene(frame);
      const blurSigmaM = defocusBlurSigmaM(optics);
      const key = JSON.stringify([
        frame.lights,
        request.width,
        request.height,
        centerM,
        pixelSizeM,
        blurSigmaM,
        frame.reflectance,
      ]);
      if (cached?.key !== key) cached = { key, radiance: renderRadiance(frame, pixelSizeM, blurSigmaM) };
      const image = exposeRadiance(cached.radiance, frame, pixelSizeM);
      return image.data instanceof Uint8Array
        ? image.data
        : new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
    },
  };
}
