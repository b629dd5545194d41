// Automatic exposure for a capture: from one probe frame (any exposure that is not saturated), the exposure
// that puts a high percentile of the image at a target fraction of full scale. The sensor is linear above
// its black level, so one probe suffices; a saturated probe is retried shorter by the caller.
import type { RawFrame } from '../calibration/frames.ts';

export interface ExposureOptions {
  /** Fraction of full scale for the bright reference (default 0.8: headroom for highlights). */
  targetFraction?: number;
  /** Which percentile is the bright reference (default 0.999: ignore a few hot pixels). */
  percentile?: number;
  /** Black level in DN, from a dark frame (default 0, which errs towards shorter exposures). */
  blackDn?: number;
  /** The camera's limits in µs. */
  minUs: number;
  maxUs: number;
}

export type ExposureAdvice =
  | { kind: 'ok'; exposureUs: number; brightDn: number }
  /** The probe was saturated at its bright percentile: retry with this shorter exposure. */
  | { kind: 'retry'; exposureUs: number; brightDn: number }
  /** Even the longest exposure stays below target: the light is off, the specimen missing, or the camera blocked. */
  | { kind: 'too-dark'; exposureUs: number; brightDn: number };

function percentileOf(frame: Pick<RawFrame, 'data'>, p: number): number {
  const step = Math.max(1, Math.floor(frame.data.length / 50_000));
  const sample: number[] = [];
  for (let i = 0; i < frame.data.length; i += step) sample.push(frame.data[i]);
  sample.sort((a, b) => a - b);
  return sample[Math.min(sample.length - 1, Math.floor(p * sample.length))];
}

export function adviseExposure(
  probe: Pick<RawFrame, 'bitDepth' | 'data'>,
  probeUs: number,
  options: ExposureOptions,
): ExposureAdvice {
  if (!(probeUs > 0)) throw new RangeError(`probe exposure must be positive, got ${probeUs} µs`);
  const full = probe.bitDepth === 8 ? 255 : 65535;
  const target = (options.targetFraction ?? 0.8) * full;
  const bright = percentileOf(probe, options.percentile ?? 0.999);
  const black = options.blackDn ?? 0;
  const clamp = (us: number) => Math.round(Math.min(options.maxUs, Math.max(options.minUs, us)));
  if (bright >= full * 0.98) return { kind: 'retry', exposureUs: clamp(probeUs / 4), brightDn: bright };
  const signal = bright - black;
  if (signal <= 0) return { kind: 'too-dark', exposureUs: options.maxUs, brightDn: bright };
  const wanted = (probeUs * (target - black)) / signal;
  if (wanted > options.maxUs) return { kind: 'too-dark', exposureUs: options.maxUs, brightDn: bright };
  return { kind: 'ok', exposureUs: clamp(wanted), brightDn: bright };
}
