import { describe, expect, it } from 'vitest';
import {
  calibrationProblem,
  checkCalibration,
  checkCoverage,
  checkFocus,
  checkSaturation,
  qualityReport,
  type CalibrationStamp,
} from './index.ts';

const stamp: CalibrationStamp = {
  id: 'cal-7',
  rigProfile: 'demo',
  deviceSerials: { camera: 'CAM-1', ring: 'RING-1' },
  performedAt: '2026-11-01T08:00:00Z',
  expiresAt: '2026-12-01T08:00:00Z',
};
const now = new Date('2026-11-24T19:00:00Z');

describe('quality checks', () => {
  it('focus: relative to the autofocus best', () => {
    expect(checkFocus(0.9, 1).passed).toBe(true);
    const blurred = checkFocus(0.5, 1);
    expect(blurred).toMatchObject({ passed: false, value: 0.5, threshold: 0.8 });
    expect(blurred.message).toMatch(/out of focus: 50 %/);
  });

  it('saturation: worst frame against the limit, 8- and 16-bit', () => {
    const clean = { bitDepth: 16 as const, data: new Uint16Array(1000).fill(30000) };
    const burnt = { bitDepth: 8 as const, data: Uint8Array.from({ length: 1000 }, (_, i) => (i < 20 ? 255 : 100)) };
    expect(checkSaturation([clean]).passed).toBe(true);
    const result = checkSaturation([clean, burnt]);
    expect(result).toMatchObject({ passed: false, value: 0.02 });
    expect(result.message).toMatch(/2.00 % of pixels saturated/);
  });

  it('coverage: fraction of the annular region with valid topography', () => {
    const w = 100;
    const valid = new Uint8Array(w * w).fill(1);
    for (let i = 0; i < w * 50; i++) valid[i] = 0; // top half missing
    const region = { cx: 50, cy: 50, radius: 40, innerRadius: 10 };
    const half = checkCoverage(valid, w, w, region);
    expect(half.passed).toBe(false);
    expect(half.value).toBeCloseTo(0.5, 1);
    expect(checkCoverage(new Uint8Array(w * w).fill(1), w, w, region).passed).toBe(true);
    expect(checkCoverage(valid, w, w, { cx: 500, cy: 500, radius: 5 }).message).toMatch(/outside the image/);
  });

  it('calibration: valid, expired, other rig, changed device, none', () => {
    const current = { rigProfile: 'demo', deviceSerials: { camera: 'CAM-1', ring: 'RING-1' }, now };
    expect(checkCalibration(stamp, current)).toMatchObject({
      passed: true,
      message: 'calibration cal-7 valid for 7 more day(s)',
    });
    expect(checkCalibration(stamp, { ...current, now: new Date('2026-12-02T00:00:00Z') }).message).toMatch(
      /expired on 2026-12-01/,
    );
    expect(checkCalibration(stamp, { ...current, rigProfile: 'lab-2' }).message).toMatch(
      /rig profile "demo", not "lab-2"/,
    );
    expect(checkCalibration(stamp, { ...current, deviceSerials: { camera: 'CAM-2', ring: 'RING-1' } }).message).toBe(
      'devices changed since calibration cal-7: camera CAM-1 → CAM-2',
    );
    expect(checkCalibration(undefined, current).passed).toBe(false);
    expect(qualityReport([checkFocus(1, 1), checkCalibration(undefined, current)]).passed).toBe(false);
  });

  it('calibration problems as data: the same verdicts the messages give', () => {
    const current = { rigProfile: 'demo', deviceSerials: { camera: 'CAM-1', ring: 'RING-1' }, now };
    expect(calibrationProblem(stamp, current)).toBeNull();
    expect(calibrationProblem(stamp, { ...current, now: new Date('2026-12-02T00:00:00Z') })).toEqual({
      kind: 'expired',
      expiresAt: stamp.expiresAt,
    });
    expect(calibrationProblem(stamp, { ...current, rigProfile: 'lab-2' })).toEqual({
      kind: 'other_rig',
      rigProfile: 'demo',
    });
    expect(calibrationProblem(stamp, { ...current, deviceSerials: { camera: 'CAM-2', ring: 'RING-1' } })).toEqual({
      kind: 'devices_changed',
      devices: ['camera'],
    });
    expect(calibrationProblem(undefined, current)).toEqual({ kind: 'missing' });
  });
});
