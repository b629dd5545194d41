import { describe, expect, it } from 'vitest';
import { focusMeasure, frameStats, greyFromRgba } from './frameStats.ts';

function image(width: number, height: number, at: (x: number, y: number) => number): Uint8Array {
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = at(x, y);
  return pixels;
}

describe('frame statistics', () => {
  it('gives zero focus on a flat frame and a known value on a checkerboard', () => {
    expect(
      focusMeasure(
        image(8, 8, () => 100),
        8,
        8,
      ),
    ).toBe(0);
    // Checkerboard 0/100: the Laplacian is ±400 everywhere inside.
    expect(
      focusMeasure(
        image(8, 8, (x, y) => ((x + y) % 2 ? 100 : 0)),
        8,
        8,
      ),
    ).toBe(160_000);
  });

  it('ranks a sharp edge above a blurred one', () => {
    const sharp = image(64, 64, (x) => (x < 32 ? 20 : 220));
    const blurred = image(64, 64, (x) => Math.round(20 + 200 / (1 + Math.exp(-(x - 32) / 4))));
    expect(focusMeasure(sharp, 64, 64)).toBeGreaterThan(10 * focusMeasure(blurred, 64, 64));
  });

  it('counts grey levels, the mean and the saturated fraction', () => {
    const pixels = image(10, 10, (x, y) => (y === 0 ? 255 : x < 5 ? 0 : 100));
    const stats = frameStats(pixels, 10, 10);
    expect(stats.histogram[255]).toBe(10);
    expect(stats.histogram[0]).toBe(45);
    expect(stats.histogram[100]).toBe(45);
    expect(stats.saturatedFraction).toBeCloseTo(0.1);
    expect(stats.mean).toBeCloseTo((10 * 255 + 45 * 100) / 100);
  });

  it('decimates with a step and still counts every sampled pixel once', () => {
    const stats = frameStats(
      image(100, 100, () => 7),
      100,
      100,
      4,
    );
    expect(stats.histogram[7]).toBe(25 * 25);
  });

  it('refuses a buffer shorter than the frame it claims to be', () => {
    expect(() => frameStats(new Uint8Array(10), 4, 4)).toThrow(/expected 4×4/);
  });

  it('converts RGBA to luma with pure white and black exact', () => {
    const rgba = new Uint8ClampedArray([255, 255, 255, 255, 0, 0, 0, 255, 255, 0, 0, 255, 0, 255, 0, 255]);
    expect([...greyFromRgba(rgba, new Uint8Array(4))]).toEqual([255, 0, 77, 149]);
  });
});
