import { describe, expect, it } from 'vitest';
import { FpsMeter } from './fpsMeter.ts';

describe('frame rate meter', () => {
  it('measures a steady 20 frames/s and drops to 0 when frames stop', () => {
    const meter = new FpsMeter(1000);
    for (let t = 0; t <= 2000; t += 50) meter.tick(t);
    expect(meter.rate(2000)).toBeCloseTo(20);
    expect(meter.rate(4000)).toBe(0);
  });

  it('reports 0 before a second frame arrives', () => {
    const meter = new FpsMeter();
    meter.tick(10);
    expect(meter.rate(10)).toBe(0);
  });
});
