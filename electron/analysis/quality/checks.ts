// Quality checks at capture (issue 4 §5): focus, saturation, coverage of the region, calibration validity.
// Each check returns a value, the threshold it was held to and a sentence for the technician; the capture
// stores them all, and the UI shows them. Thresholds are parameters, never hidden.
import type { RawFrame } from '../calibration/frames.ts';

export type QualityCheckId = 'focus' | 'saturation' | 'coverage' | 'calibration';

export interface QualityCheck {
  id: QualityCheckId;
  passed: boolean;
  value: number;
  threshold: number;
  message: string;
}

export interface QualityReport {
  passed: boolean;
  checks: QualityCheck[];
}

/** Sharpness of the capture relative to the best found by autofocus (1 = as sharp). */
export function checkFocus(score: number, bestScore: number, minRatio = 0.8): QualityCheck {
  const ratio = bestScore > 0 ? score / bestScore : 0;
  const passed = ratio >= minRatio;
  return {
    id: 'focus',
    passed,
    value: ratio,
    threshold: minRatio,
    message: passed
      ? `in focus (${(ratio * 100).toFixed(0)} % of the best sharpness)`
      : `out of focus: ${(ratio * 100).toFixed(0)} % of the best sharpness (needs ${(minRatio * 100).toFixed(0)} %); refocus`,
  };
}

/** Fraction of pixels at full scale in the frames of one region; 0.1 % by default. */
export function checkSaturation(frames: Pick<RawFrame, 'bitDepth' | 'data'>[], maxFraction = 0.001): QualityCheck {
  let worst = 0;
  for (const frame of frames) {
    const full = frame.bitDepth === 8 ? 255 : 65535;
    let n = 0;
    for (let i = 0; i < frame.data.length; i++) if (frame.data[i] >= full) n++;
    worst = Math.max(worst, n / frame.data.length);
  }
  const passed = worst <= maxFraction;
  return {
    id: 'saturation',
    passed,
    value: worst,
    threshold: maxFraction,
    message: passed
      ? `no significant saturation (worst frame ${(worst * 100).toFixed(2)} %)`
      : `${(worst * 100).toFixed(2)} % of pixels saturated in the worst frame (limit ${(maxFraction * 100).toFixed(2)} %); lower the exposure`,
  };
}

/**
 * Share of the region of interest (a circle in pixels, e.g. the breech face around the firing pin) where
 * the topography is valid.
 */
export function checkCoverage(
  valid: Uint8Array,
  width: number,
  height: number,
  region: { cx: number; cy: number; radius: number; innerRadius?: number },
  minFraction = 0.9,
): QualityCheck {
  if (valid.length !== width * height)
    throw new RangeError(`validity mask holds ${valid.length} entries, expected ${width} × ${height}`);
  let inside = 0;
  let covered = 0;
  const r2 = region.radius * region.radius;
  const inner2 = (region.innerRadius ?? 0) ** 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d2 = (x + 0.5 - region.cx) ** 2 + (y + 0.5 - region.cy) ** 2;
      if (d2 > r2 || d2 < inner2) continue;
      inside++;
      covered += valid[y * width + x];
    }
  }
  const fraction = inside > 0 ? covered / inside : 0;
  const passed = inside > 0 && fraction >= minFraction;
  return {
    id: 'coverage',
    passed,
    value: fraction,
    threshold: minFraction,
    message:
      inside === 0
        ? 'the region of interest lies outside the image'
        : passed
          ? `${(fraction * 100).toFixed(1)} % of the region measured`
          : `only ${(fraction * 100).toFixed(1)} % of the region measured (needs ${(minFraction * 100).toFixed(0)} %); re-centre the casing or check the lights`,
  };
}

export interface CalibrationStamp {
  id: string;
  rigProfile: string;
  /** Device identities the calibration was made with, e.g. { camera: 'SN123', ring: 'R-8-001' }. */
  deviceSerials: Record<string, string>;
  performedAt: string;
  expiresAt: string;
}

/** Why a calibration does not hold for a capture, as data (the UI words it; the check's message says it in English). */
export type CalibrationProblem =
  | { kind: 'missing' }
  | { kind: 'unreadable_expiry'; expiresAt: string }
  | { kind: 'expired'; expiresAt: string }
  | { kind: 'other_rig'; rigProfile: string }
  | { kind: 'devices_changed'; devices: string[] };

/** Valid = not expired, same rig profile, same devices; null when it holds. */
export function calibrationProblem(
  stamp: CalibrationStamp | undefined,
  current: { rigProfile: string; deviceSerials: Record<string, string>; now: Date },
): CalibrationProblem | null {
  if (!stamp) return { kind: 'missing' };
  const expires = Date.parse(stamp.expiresAt);
  if (!Number.isFinite(expires)) return { kind: 'unreadable_expiry', expiresAt: stamp.expiresAt };
  if (expires <= current.now.getTime()) return { kind: 'expired', expiresAt: stamp.expiresAt };
  if (stamp.rigProfile !== current.rigProfile) return { kind: 'other_rig', rigProfile: stamp.rigProfile };
  const changed = Object.keys({ ...stamp.deviceSerials, ...current.deviceSerials }).filter(
    (k) => stamp.deviceSerials[k] !== current.deviceSerials[k],
  );
  return changed.length ? { kind: 'devices_changed', devices: changed } : null;
}

/** A mismatch or expiry blocks (or flags) capture. */
export function checkCalibration(
  stamp: CalibrationStamp | undefined,
  current: { rigProfile: string; deviceSerials: Record<string, string>; now: Date },
): QualityCheck {
  const fail = (message: string): QualityCheck => ({
    id: 'calibration',
    passed: false,
    value: 0,
    threshold: 1,
    message,
  });
  const problem = calibrationProblem(stamp, current);
  if (!stamp || problem?.kind === 'missing')
    return fail('no calibration on record for this rig; calibrate before capture');
  switch (problem?.kind) {
    case 'unreadable_expiry':
      return fail(`calibration ${stamp.id} has an unreadable expiry date "${stamp.expiresAt}"`);
    case 'expired':
      return fail(`calibration ${stamp.id} expired on ${stamp.expiresAt}; recalibrate`);
    case 'other_rig':
      return fail(`calibration ${stamp.id} was made on rig profile "${stamp.rigProfile}", not "${current.rigProfile}"`);
    case 'devices_changed':
      return fail(
        `devices changed since calibration ${stamp.id}: ${problem.devices.map((k) => `${k} ${stamp.deviceSerials[k] ?? 'none'} → ${current.deviceSerials[k] ?? 'none'}`).join(', ')}`,
      );
  }
  const daysLeft = (Date.parse(stamp.expiresAt) - current.now.getTime()) / 86_400_000;
  return {
    id: 'calibration',
    passed: true,
    value: 1,
    threshold: 1,
    message: `calibration ${stamp.id} valid for ${daysLeft.toFixed(0)} more day(s)`,
  };
}

export function qualityReport(checks: QualityCheck[]): QualityReport {
  return { passed: checks.every((c) => c.passed), checks };
}
