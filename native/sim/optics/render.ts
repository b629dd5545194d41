// Image formation for the simulated microscope camera: a specimen (prepared height field) under a set of
// lights, seen through a lens with finite numerical aperture (defocus blur) by a sensor with full well,
// shot and read noise, gain, black level and an ADC of 8 or 16 bits. Pure and seeded: same scene, same image.
import { gaussianBlurInPlace } from './blur.ts';
import type { Light } from './lights.ts';
import { gaussianSource } from './noise.ts';
import type { Specimen } from './specimen.ts';

export interface CameraSettings {
  width: number;
  height: number;
  bitDepth: 8 | 16;
  exposureMs: number;
  /** Analog gain; 1 maps the full well to the ADC's full scale. */
  gain?: number;
  /** Specimen metres per camera pixel. Default: the specimen's width fills the image width. */
  pixelSizeM?: number;
  /** Alternative to pixelSizeM: the width of the field of view in metres. */
  fieldOfViewM?: number;
  /** The specimen point at the image centre, relative to the specimen's centre (stage x, y), metres. */
  centerM?: [number, number];
  /**
   * Radial lens distortion: a pixel at normalised radius r (1 = half the image diagonal) images the specimen
   * point at r·(1 + k1·r²). Positive k1 = pincushion. Default 0 (and the fast separable sampling).
   */
  distortionK1?: number;
}

export interface SensorModel {
  fullWellE: number;
  readNoiseE: number;
  /** Electrons per millisecond collected at radiance 1 (a white diffuser facing a unit light). */
  electronsPerMs: number;
  /** Black level as a fraction of full scale (keeps read noise visible around zero). */
  blackLevel: number;
}

export interface OpticsSettings {
  numericalAperture: number;
  /** Focus plane minus specimen surface (metres); 0 = in focus. */
  defocusM: number;
}

export interface Reflectance {
  /** Weight of the Blinn–Phong highlight (metal primers are partly specular); 0 = Lambertian. */
  specular: number;
  shininess: number;
  /** Stray light reaching every point, as a radiance. */
  ambient: number;
}

export interface Scene {
  specimen: Specimen;
  lights: Light[];
  camera: CameraSettings;
  sensor?: Partial<SensorModel>;
  optics?: Partial<OpticsSettings>;
  reflectance?: Partial<Reflectance>;
  /** false renders the noiseless expected image (for tests and calibration ground truth). */
  noise?: boolean;
  seed?: number;
}

export interface RenderedImage {
  width: number;
  height: number;
  bitDepth: 8 | 16;
  data: Uint8Array | Uint16Array;
  /** Fraction of pixels at the ADC's full scale. */
  saturatedFraction: number;
  pixelSizeM: number;
}

export const defaultSensor: SensorModel = { fullWellE: 20_000, readNoiseE: 4, electronsPerMs: 2_000, blackLevel: 0.01 };
export const defaultOptics: OpticsSettings = { numericalAperture: 0.1, defocusM: 0 };
export const defaultReflectance: Reflectance = { specular: 0, shininess: 50, ambient: 0 };

/** Where each camera column (or row) samples the specimen: lower index and bilinear weight; -1 = outside. */
function sampling(pixels: number, pixelSize: number, centre: number, spacing: number, points: number) {
  const index = new Int32Array(pixels);
  const weight = new Float32Array(pixels);
  const extent = points * spacing;
  for (let u = 0; u < pixels; u++) {
    const position = (u + 0.5 - pixels / 2) * pixelSize + centre + extent / 2;
    const f = position / spacing - 0.5;
    if (f < -0.5 || f > points - 0.5) {
      index[u] = -1;
      continue;
    }
    const clamped = Math.min(Math.max(f, 0), points - 1);
    const i0 = Math.min(Math.floor(clamped), points - 2 < 0 ? 0 : points - 2);
    index[u] = i0;
    weight[u] = points > 1 ? clamped - i0 : 0;
  }
  return { index, weight };
}

interface ShadingCache {
  key: string;
  shading: Float32Array;
  background: number;
}
const shadingCache = new WeakMap<Specimen, ShadingCache>();

/**
 * Radiance of every specimen point under the lights (Lambert + optional Blinn–Phong highlight, camera looking
 * down +z). Cached per specimen for the last light set: live view at fixed lights only re-samples and adds noise.
 */
export function shadeSpecimen(
  specimen: Specimen,
  lights: Light[],
  reflectance: Partial<Reflectance> = {},
): ShadingCache {
  const r = { ...defaultReflectance, ...reflectance };
  const key = JSON.stringify([lights, r]);
  const cached = shadingCache.get(specimen);
  if (cached && cached.key === key) return cached;
  const L = lights.length;
  const l = new Float64Array(L * 3);
  const h = new Float64Array(L * 3);
  const intensity = new Float64Array(L);
  lights.forEach((light, k) => {
    const [x, y, z] = light.direction;
    const n = Math.hypot(x, y, z);
    l[3 * k] = x / n;
    l[3 * k + 1] = y / n;
    l[3 * k + 2] = z / n;
    const hn = Math.hypot(x / n, y / n, z / n + 1);
    h[3 * k] = x / n / hn;
    h[3 * k + 1] = y / n / hn;
    h[3 * k + 2] = (z / n + 1) / hn;
    intensity[k] = light.intensity;
  });
  const shade = (nx: number, ny: number, nz: number, albedo: number) => {
    let diffuse = 0;
    let specular = 0;
    for (let k = 0; k < L; k++) {
      const ndotl = nx * l[3 * k] + ny * l[3 * k + 1] + nz * l[3 * k + 2];
      if (ndotl <= 0) continue;
      diffuse += intensity[k] * ndotl;
      if (r.specular > 0) {
        const ndoth = nx * h[3 * k] + ny * h[3 * k + 1] + nz * h[3 * k + 2];
        if (ndoth > 0) specular += intensity[k] * Math.pow(ndoth, r.shininess);
      }
    }
    return albedo * (diffuse + r.ambient) + r.specular * specular;
  };
  const n = specimen.width * specimen.height;
  const shading = new Float32Array(n);
  for (let i = 0; i < n; i++) shading[i] = shade(specimen.nx[i], specimen.ny[i], specimen.nz[i], specimen.albedo[i]);
  const result = { key, shading, background: shade(0, 0, 1, backgroundAlbedo) };
  shadingCache.set(specimen, result);
  return result;
}

/** What the camera sees around the specimen (the rest of the casing head, out of the scan). */
const backgroundAlbedo = 0.25;

/** Expected radiance per camera pixel: the shaded specimen, optionally blurred, sampled bilinearly. */
export function renderRadiance(scene: Scene, pixelSizeM: number, blurSigmaM = 0): Float32Array {
  const { specimen: s, camera } = scene;
  const { shading: shaded, background } = shadeSpecimen(s, scene.lights, scene.reflectance);
  let shading = shaded;
  // Defocus acts on the specimen's light field, so blur on the specimen grid (smaller than the frame).
  const sigmaPoints = blurSigmaM / Math.min(s.dx, s.dy);
  if (sigmaPoints > 0.01) {
    shading = shaded.slice();
    gaussianBlurInPlace(shading, s.width, s.height, sigmaPoints);
  }
  const { width: W, height: H } = camera;
  const [cx, cy] = camera.centerM ?? [0, 0];
  if (camera.distortionK1) return sampleDistorted(shading, background, s, camera, pixelSizeM);
  const cols = sampling(W, pixelSizeM, cx, s.dx, s.width);
  const rows = sampling(H, pixelSizeM, cy, s.dy, s.height);
  const out = new Float32Array(W * H);
  const sw = s.width;
  for (let v = 0; v < H; v++) {
    const y0 = rows.index[v];
    const wy = rows.weight[v];
    const line = v * W;
    if (y0 < 0) {
      out.fill(background, line, line + W);
      continue;
    }
    const rowOffset = y0 * sw;
    const nextRow = wy > 0 ? sw : 0;
    for (let u = 0; u < W; u++) {
      const x0 = cols.index[u];
      if (x0 < 0) {
        out[line + u] = background;
        continue;
      }
      const wx = cols.weight[u];
      const i00 = rowOffset + x0;
      const i01 = wx > 0 ? i00 + 1 : i00;
      const top = shading[i00] + wx * (shading[i01] - shading[i00]);
      const bottom = shading[i00 + nextRow] + wx * (shading[i01 + nextRow] - shading[i00 + nextRow]);
      out[line + u] = top + wy * (bottom - top);
    }
  }
  return out;
}

/** Per-pixel bilinear sampling through a radially distorting lens (slower; calibration targets only). */
function sampleDistorted(
  shading: Float32Array,
  background: number,
  s: Specimen,
  camera: CameraSettings,
  pixelSizeM: number,
): Float32Array {
  const { width: W, height: H } = camera;
  const [cx, cy] = camera.centerM ?? [0, 0];
  const k1 = camera.distortionK1 ?? 0;
  const halfDiagonal = Math.hypot(W, H) / 2;
  const out = new Float32Array(W * H);
  for (let v = 0; v < H; v++) {
    for (let u = 0; u < W; u++) {
      const px = u + 0.5 - W / 2;
      const py = v + 0.5 - H / 2;
      const r2 = (px * px + py * py) / (halfDiagonal * halfDiagonal);
      const factor = 1 + k1 * r2;
      const fx = (px * factor * pixelSizeM + cx + (s.width * s.dx) / 2) / s.dx - 0.5;
      const fy = (py * factor * pixelSizeM + cy + (s.height * s.dy) / 2) / s.dy - 0.5;
      if (fx < 0 || fy < 0 || fx > s.width - 1 || fy > s.height - 1) {
        out[v * W + u] = background;
        continue;
      }
      const x0 = Math.min(Math.floor(fx), s.width - 2);
      const y0 = Math.min(Math.floor(fy), s.height - 2);
      const wx = fx - x0;
      const wy = fy - y0;
      const i = y0 * s.width + x0;
      const top = shading[i] + wx * (shading[i + 1] - shading[i]);
      const bottom = shading[i + s.width] + wx * (shading[i + s.width + 1] - shading[i + s.width]);
      out[v * W + u] = top + wy * (bottom - top);
    }
  }
  return out;
}

export function pixelSizeOf(scene: Pick<Scene, 'specimen' | 'camera'>): number {
  const { camera, specimen } = scene;
  if (camera.pixelSizeM !== undefined) return camera.pixelSizeM;
  if (camera.fieldOfViewM !== undefined) return camera.fieldOfViewM / camera.width;
  return (specimen.width * specimen.dx) / camera.width;
}

/** Refuses impossible camera settings and lights before any work. */
export function checkScene(scene: Scene): void {
  const { width, height, bitDepth, exposureMs } = scene.camera;
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width < 1 ||
    height < 1 ||
    width * height > 64 * 1024 * 1024
  ) {
    throw new RangeError(`camera size ${width} × ${height} is not a positive size up to 64 Mpixel`);
  }
  if (bitDepth !== 8 && bitDepth !== 16) throw new RangeError(`bit depth must be 8 or 16, got ${bitDepth}`);
  if (!(exposureMs >= 0 && Number.isFinite(exposureMs)))
    throw new RangeError(`exposure must be ≥ 0 ms, got ${exposureMs}`);
  for (const light of scene.lights)
    if (!(light.intensity >= 0)) throw new RangeError(`light intensity must be ≥ 0, got ${light.intensity}`);
}

export function renderImage(scene: Scene): RenderedImage {
  checkScene(scene);
  const optics = { ...defaultOptics, ...scene.optics };
  const pixelSizeM = pixelSizeOf(scene);
  return exposeRadiance(renderRadiance(scene, pixelSizeM, defocusBlurSigmaM(optics)), scene, pixelSizeM);
}

/** Geometric defocus: a blur disc of radius NA·|Δz| on the specimen, approximated by a Gaussian of σ = r/2. */
export function defocusBlurSigmaM(optics: OpticsSettings): number {
  return (optics.numericalAperture * Math.abs(optics.defocusM)) / 2;
}

/**
 * The sensor's part: expected radiance → electrons (exposure), shot and read noise, full well, gain, black level
 * and ADC. Separate from the optics so a live camera can reuse one radiance image while only the noise changes.
 */
export function exposeRadiance(
  radiance: Float32Array,
  scene: Pick<Scene, 'camera' | 'sensor' | 'noise' | 'seed'>,
  pixelSizeM: number,
): RenderedImage {
  const { width: W, height: H, bitDepth, exposureMs } = scene.camera;
  const gain = scene.camera.gain ?? 1;
  const sensor = { ...defaultSensor, ...scene.sensor };
  const maxDn = bitDepth === 8 ? 255 : 65535;
  const dnPerElectron = (gain * maxDn) / sensor.fullWellE;
  const black = sensor.blackLevel * maxDn;
  const electronsPerUnit = exposureMs * sensor.electronsPerMs;
  const data = bitDepth === 8 ? new Uint8Array(W * H) : new Uint16Array(W * H);
  const noisy = scene.noise ?? true;
  const gauss = gaussianSource(scene.seed ?? 1);
  const readVariance = sensor.readNoiseE * sensor.readNoiseE;
  let saturated = 0;
  for (let i = 0; i < radiance.length; i++) {
    let electrons = radiance[i] * electronsPerUnit;
    // Shot (Poisson ≈ Gaussian, variance = electrons) and read noise are independent: one draw of their sum.
    if (noisy) electrons += Math.sqrt(electrons + readVariance) * gauss.next();
    if (electrons > sensor.fullWellE) electrons = sensor.fullWellE;
    let dn = (electrons * dnPerElectron + black + 0.5) | 0;
    if (dn < 0) dn = 0;
    if (dn >= maxDn) {
      dn = maxDn;
      saturated++;
    }
    data[i] = dn;
  }
  return { width: W, height: H, bitDepth, data, saturatedFraction: saturated / radiance.length, pixelSizeM };
}

export function exposureForPeak(
  peakRadiance: number,
  fraction: number,
  sensor: Partial<SensorModel> = {},
  gain = 1,
): number {
  const s = { ...defaultSensor, ...sensor };
  return (fraction * (1 - s.blackLevel) * s.fullWellE) / (gain * s.electronsPerMs * Math.max(peakRadiance, 1e-9));
}
