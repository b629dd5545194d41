// Dark-frame and flat-field correction per light channel. Raw frames are what the camera delivers (8- or
// 16-bit); the corrected frame is linear in scene radiance, free of black level and of the illumination's
// and sensor's spatial non-uniformity, and marks saturated pixels (their true value is unknown).
import { CalibrationError } from './errors.ts';

export interface RawFrame {
  width: number;
  height: number;
  bitDepth: 8 | 16;
  data: Uint8Array | Uint16Array;
}

export interface DarkFrame {
  width: number;
  height: number;
  /** Mean dark level per pixel, in DN (black level + dark current, at the capture's exposure). */
  mean: Float32Array;
  /** Temporal noise (DN, median over pixels) from the spread between the frames averaged. */
  noiseDn: number;
}

export interface FlatField {
  width: number;
  height: number;
  /** Relative response per pixel under this light, mean 1 over the field. */
  gain: Float32Array;
  /** Mean dark-subtracted level of the flat target under this light (DN): the channel's effective brightness. */
  levelDn: number;
}

function checkSameSize(frames: RawFrame[], what: string): void {
  if (frames.length === 0) throw new RangeError(`${what}: at least one frame is needed`);
  const { width, height } = frames[0];
  for (const f of frames) {
    if (f.width !== width || f.height !== height || f.data.length !== width * height) {
      throw new RangeError(
        `${what}: frames differ in size (${f.width} × ${f.height} vs ${width} × ${height}) or hold the wrong number of pixels`,
      );
    }
  }
}

export function averageFrames(frames: RawFrame[]): Float32Array {
  checkSameSize(frames, 'average');
  const sum = new Float32Array(frames[0].data.length);
  for (const f of frames) for (let i = 0; i < sum.length; i++) sum[i] += f.data[i];
  for (let i = 0; i < sum.length; i++) sum[i] /= frames.length;
  return sum;
}

/** Median of a sample of values (sampling every `step`-th entry keeps it cheap on large frames). */
export function sampleMedian(values: ArrayLike<number>, step = 1): number {
  const sample: number[] = [];
  for (let i = 0; i < values.length; i += step) if (Number.isFinite(values[i])) sample.push(values[i]);
  sample.sort((a, b) => a - b);
  return sample.length ? sample[sample.length >> 1] : NaN;
}

/** Dark frame from frames taken with every light off, at the exposure used for capture. */
export function buildDarkFrame(frames: RawFrame[]): DarkFrame {
  const mean = averageFrames(frames);
  let noiseDn = 0;
  if (frames.length >= 2) {
    // Difference of two frames has twice the temporal variance of one.
    const a = frames[0].data;
    const b = frames[1].data;
    const diffs = new Float32Array(a.length);
    for (let i = 0; i < a.length; i++) diffs[i] = Math.abs(a[i] - b[i]);
    // median |N(0, 2σ²)| = 0.6745 · √2 · σ
    noiseDn = sampleMedian(diffs, Math.max(1, Math.floor(a.length / 100_000))) / (0.6745 * Math.SQRT2);
  }
  return { width: frames[0].width, height: frames[0].height, mean, noiseDn };
}

/** Flat field from frames of a uniform diffuse target under one light channel. */
export function buildFlatField(frames: RawFrame[], dark: DarkFrame): FlatField {
  const mean = averageFrames(frames);
  if (mean.length !== dark.mean.length) throw new RangeError('flat field: frames and dark frame differ in size');
  const maxDn = frames[0].bitDepth === 8 ? 255 : 65535;
  let sum = 0;
  let saturated = 0;
  for (let i = 0; i < mean.length; i++) {
    if (mean[i] >= maxDn * 0.98) saturated++;
    mean[i] -= dark.mean[i];
    sum += mean[i];
  }
  const levelDn = sum / mean.length;
  if (saturated > mean.length * 0.001)
    throw new CalibrationError(
      'flat_saturated',
      `flat field: ${saturated} pixels are saturated; lower the exposure or the light`,
      { pixels: saturated },
    );
  if (!(levelDn > 20 * Math.max(dark.noiseDn, 1 / 20)))
    throw new CalibrationError(
      'flat_too_dark',
      `flat field: mean level ${levelDn.toFixed(1)} DN is too close to the dark level; is the light on?`,
      { levelDn },
    );
  const gain = new Float32Array(mean.length);
  for (let i = 0; i < gain.length; i++) gain[i] = Math.max(mean[i], levelDn * 0.01) / levelDn;
  return { width: frames[0].width, height: frames[0].height, gain, levelDn };
}

export interface CorrectedFrame {
  width: number;
  height: number;
  /** Linear values in DN above dark, divided by the flat field's relative gain. */
  linear: Float32Array;
  /** 1 = the raw pixel was saturated (excluded by photometric stereo). */
  saturated: Uint8Array;
}

export function correctFrame(raw: RawFrame, dark: DarkFrame, flat?: FlatField): CorrectedFrame {
  const n = raw.width * raw.height;
  if (raw.data.length !== n || dark.mean.length !== n || (flat && flat.gain.length !== n)) {
    throw new RangeError(
      `correction: frame ${raw.width} × ${raw.height}, dark frame and flat field must have the same size`,
    );
  }
  const maxDn = raw.bitDepth === 8 ? 255 : 65535;
  const linear = new Float32Array(n);
  const saturated = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const value = raw.data[i];
    if (value >= maxDn) saturated[i] = 1;
    linear[i] = (value - dark.mean[i]) / (flat ? flat.gain[i] : 1);
  }
  return { width: raw.width, height: raw.height, linear, saturated };
}
