import { describe, expect, it } from 'vitest';
import { calibrationFigures, calibrationParts } from './figures.ts';

const suite = {
  scale: {
    umPerPixelX: 3.3298,
    umPerPixelY: 3.3298,
    rotationDeg: 0,
    k1: 0.0001,
    cornerDistortionPx: 0.07,
    rmsResidualPx: 0.011,
    dots: 1089,
    passed: true,
  },
  flatDark: { darkNoiseDn: 12.58, channels: [{ key: 'ring/0', levelDn: 22707.7 }] },
  lights: {
    lights: {
      'ring/0': { direction: [0.866, 0, 0.5], intensity: 0.9998 },
      'ring/2': { direction: [0, 0.866, 0.5], intensity: 1 },
    },
    residuals: { 'ring/0': 0.015 },
  },
  uniformity: {
    channels: [
      {
        channel: 'ring/0',
        nonUniformity: 0.0084,
        repeatability: 0.00002,
        minRelative: 0.98,
        maxRelative: 1.02,
        passed: true,
      },
    ],
    passed: true,
  },
};

describe('calibration figures', () => {
  it('reads every part of a whole-suite record', () => {
    const tables = calibrationFigures('suite', suite);
    expect(tables.map((t) => t.group)).toEqual(['scale', 'flatDark', 'lights', 'uniformity']);
    expect(tables[0]!.rows[0]!.values[0]).toBe('3.3298');
    const lights = tables[2]!.rows;
    expect(lights[0]!.values.slice(0, 2)).toEqual(['0.0', '30.0']);
    expect(lights[1]!.values.slice(0, 2)).toEqual(['90.0', '30.0']);
    expect(lights[1]!.values[3]).toBe('—'); // no residual recorded for that channel
    expect(tables[3]!.rows[0]).toMatchObject({
      label: 'ring/0',
      values: ['0.84', '0.0020', '0.980', '1.020'],
      passed: true,
    });
  });

  it('reads a single-kind record held at the top, and gives nothing for an unknown shape', () => {
    expect(calibrationFigures('scale', suite.scale).map((t) => t.group)).toEqual(['scale']);
    expect(calibrationFigures('uniformity', suite.uniformity).map((t) => t.group)).toEqual(['uniformity']);
    expect(calibrationFigures('lights', suite.lights).map((t) => t.group)).toEqual(['lights']);
    expect(calibrationFigures('flat_dark', suite.flatDark).map((t) => t.group)).toEqual(['flatDark']);
    expect(calibrationFigures('suite', { something: 1 })).toEqual([]);
  });

  it('gives the report figure its panels with the limits the checks used', () => {
    const record = {
      ...suite,
      scale: { ...suite.scale, maxResidualPx: 0.03, limits: { maxResidualPx: 0.5, maxDistortionPx: 2 } },
      lights: { ...suite.lights, maxResidual: 0.1 },
      uniformity: { ...suite.uniformity, limits: { maxNonUniformity: 0.05, maxRepeatability: 0.01 } },
    };
    const parts = calibrationParts('suite', record);
    expect(parts.uniformity).toEqual({
      channels: [{ channel: 'ring/0', nonUniformity: 0.0084, repeatability: 0.00002, passed: true }],
      maxNonUniformity: 0.05,
    });
    expect(parts.lights!.maxResidual).toBe(0.1);
    expect(parts.lights!.lights.map((l) => [l.channel, Math.round(l.azimuthDeg), Math.round(l.elevationDeg)])).toEqual([
      ['ring/0', 0, 30],
      ['ring/2', 90, 30],
    ]);
    expect(parts.lights!.lights.map((l) => l.residual)).toEqual([0.015, null]);
    expect(parts.scale).toMatchObject({ umPerPixelX: 3.3298, k1: 0.0001, maxResidualPx: 0.03 });
    expect(parts.scale!.limits).toEqual({ maxResidualPx: 0.5, maxDistortionPx: 2 });
  });

  it('gives no panel, or no limits, where an older or foreign record lacks them', () => {
    const parts = calibrationParts('suite', suite);
    expect(parts.uniformity!.maxNonUniformity).toBeNull();
    expect(parts.lights!.maxResidual).toBeNull();
    expect(parts.scale!.limits).toBeNull();
    expect(calibrationParts('suite', { scale: { umPerPixelX: 'x' }, lights: 3 })).toEqual({
      uniformity: null,
      lights: null,
      scale: null,
    });
  });
});
