// Lighting uniformity and repeatability report per light channel, with a picture the lab can file: one
// false-colour tile per channel showing its flat-field response (blue = dim, red = bright, ±10 % full scale).
import type { CalibrationProblem } from '../../contract/acquisitions.ts';
import { encodePng } from './png.ts';
import { problemEnglish } from './problems.ts';
import { averageFrames, type DarkFrame, type FlatField, type RawFrame } from './frames.ts';

export interface ChannelReport {
  channel: string;
  levelDn: number;
  /** Dimmest and brightest 1 % of the field relative to its mean (the flat field's 1st/99th percentiles). */
  minRelative: number;
  maxRelative: number;
  /** Coefficient of variation of the response over the field. */
  nonUniformity: number;
  /** Mean level of each repeat relative to their average; repeatability = their standard deviation. */
  repeatability: number;
  passed: boolean;
  problems: CalibrationProblem[];
  messages: string[];
}

export interface UniformityReport {
  channels: ChannelReport[];
  passed: boolean;
  limits: { maxNonUniformity: number; maxRepeatability: number };
  /** PNG: tiles in channel order, left to right, rows of four. */
  picture: Uint8Array;
}

function percentile(sorted: Float32Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(p * sorted.length)))];
}

/** Blue → white → red over −10 % … +10 % around the mean. */
function colourFor(relative: number): [number, number, number] {
  const t = Math.max(-1, Math.min(1, (relative - 1) / 0.1));
  if (t < 0) return [Math.round(255 * (1 + t)), Math.round(255 * (1 + t)), 255];
  return [255, Math.round(255 * (1 - t)), Math.round(255 * (1 - t))];
}

export function uniformityReport(
  channels: { name: string; flat: FlatField; repeats: RawFrame[] }[],
  dark: DarkFrame,
  limits = { maxNonUniformity: 0.05, maxRepeatability: 0.01 },
): UniformityReport {
  if (channels.length === 0) throw new RangeError('uniformity report: no channels');
  const reports = channels.map(({ name, flat, repeats }): ChannelReport => {
    const sorted = Float32Array.from(flat.gain).sort();
    let sum = 0;
    let sumSq = 0;
    for (const g of flat.gain) {
      sum += g;
      sumSq += g * g;
    }
    const mean = sum / flat.gain.length;
    const nonUniformity = Math.sqrt(Math.max(0, sumSq / flat.gain.length - mean * mean)) / mean;
    const levels = repeats.map((frame) => {
      const values = averageFrames([frame]);
      let s = 0;
      for (let i = 0; i < values.length; i++) s += values[i] - dark.mean[i];
      return s / values.length;
    });
    const levelMean = levels.reduce((a, b) => a + b, 0) / Math.max(1, levels.length);
    const repeatability =
      levels.length >= 2
        ? Math.sqrt(levels.reduce((a, b) => a + (b - levelMean) ** 2, 0) / (levels.length - 1)) / levelMean
        : NaN;
    // The channel is named by the report's channel list; its problems carry it for whoever lists them together.
    const problems: CalibrationProblem[] = [];
    if (nonUniformity > limits.maxNonUniformity)
      problems.push({ code: 'non_uniformity', channel: name, value: nonUniformity, limit: limits.maxNonUniformity });
    if (Number.isNaN(repeatability)) problems.push({ code: 'repeats_missing', channel: name });
    else if (!(repeatability <= limits.maxRepeatability))
      problems.push({ code: 'repeatability', channel: name, value: repeatability, limit: limits.maxRepeatability });
    return {
      channel: name,
      levelDn: flat.levelDn,
      minRelative: percentile(sorted, 0.01),
      maxRelative: percentile(sorted, 0.99),
      nonUniformity,
      repeatability,
      passed: problems.length === 0,
      problems,
      // Without the channel: the report lists them under it.
      messages: problems.map((p) => problemEnglish({ ...p, channel: undefined })),
    };
  });

  const tile = 128;
  const gap = 4;
  const perRow = Math.min(4, channels.length);
  const rows = Math.ceil(channels.length / perRow);
  const width = perRow * tile + (perRow + 1) * gap;
  const height = rows * tile + (rows + 1) * gap;
  const rgb = new Uint8Array(width * height * 3).fill(40);
  channels.forEach(({ flat }, k) => {
    const ox = gap + (k % perRow) * (tile + gap);
    const oy = gap + Math.floor(k / perRow) * (tile + gap);
    for (let ty = 0; ty < tile; ty++) {
      for (let tx = 0; tx < tile; tx++) {
        const sx = Math.min(flat.width - 1, Math.floor(((tx + 0.5) * flat.width) / tile));
        const sy = Math.min(flat.height - 1, Math.floor(((ty + 0.5) * flat.height) / tile));
        const [r, g, b] = colourFor(flat.gain[sy * flat.width + sx]);
        const at = ((oy + ty) * width + ox + tx) * 3;
        rgb[at] = r;
        rgb[at + 1] = g;
        rgb[at + 2] = b;
      }
    }
  });
  return {
    channels: reports,
    passed: reports.every((r) => r.passed),
    limits,
    picture: encodePng({ width, height, bitDepth: 8, colour: 'rgb', data: rgb }),
  };
}
