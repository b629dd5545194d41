import { describe, expect, it } from 'vitest';
import type { CalibrationDetail } from '../../../contract/acquisitions.ts';
import { summaryOf } from './calibrationsRepo.ts';

const base: CalibrationDetail = {
  id: 1,
  reference: 'CAL-2026-0001',
  kind: 'suite',
  rigProfile: 'demo',
  deviceSerials: {},
  operator: 'tech',
  performedAt: '2026-12-01T10:00:00.000Z',
  expiresAt: '2026-12-31T10:00:00.000Z',
  expired: false,
  passed: true,
  messages: [],
  problems: [],
  reportSha256: null,
  results: {},
};

describe('calibration summaries', () => {
  it('carry the headline figures of whichever parts the record measured, without the results', () => {
    const summary = summaryOf({
      ...base,
      results: {
        scale: { umPerPixelX: 3.33, umPerPixelY: 3.34 },
        lights: { lights: { 'ring/0': { direction: [1, 0, 0] }, 'ring/1': { direction: [0, 1, 0] } } },
        uniformity: { channels: [{ nonUniformity: 0.012 }, { nonUniformity: 0.031 }, { other: 1 }] },
        passed: true,
        messages: [],
      },
    });
    expect(summary.headline).toEqual({ umPerPixel: 3.33, lights: 2, worstNonUniformity: 0.031 });
    expect('results' in summary).toBe(false);
  });

  it('give null figures for parts a record lacks or holds in an unknown shape', () => {
    expect(summaryOf({ ...base, kind: 'flat_dark', results: { flatDark: {} } }).headline).toEqual({
      umPerPixel: null,
      lights: null,
      worstNonUniformity: null,
    });
    expect(
      summaryOf({ ...base, results: { scale: { umPerPixelX: '3' }, lights: [], uniformity: { channels: 'x' } } })
        .headline,
    ).toEqual({ umPerPixel: null, lights: null, worstNonUniformity: null });
  });
});
