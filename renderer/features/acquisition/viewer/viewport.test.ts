import { describe, expect, it } from 'vitest';
import { fitView, maxZoom, panBy, toImage, zoomAt } from './viewport.ts';
import { autoWindow, greyToRgba } from './grey.ts';

describe('viewport', () => {
  it('fits and centres the image', () => {
    expect(fitView(800, 400, 2000, 1000)).toEqual({ zoom: 0.4, x: 0, y: 0 });
    expect(fitView(800, 800, 100, 200)).toEqual({ zoom: 4, x: 200, y: 0 });
  });

  it('zooms about the pointer and keeps that image point still', () => {
    const view = { zoom: 1, x: 10, y: 20 };
    const before = toImage(view, 300, 200);
    const after = zoomAt(view, 2.5, 300, 200);
    expect(after.zoom).toBe(2.5);
    const moved = toImage(after, 300, 200);
    expect(moved.x).toBeCloseTo(before.x);
    expect(moved.y).toBeCloseTo(before.y);
    expect(zoomAt(view, 1e6, 0, 0).zoom).toBe(maxZoom);
  });

  it('pans', () => {
    expect(panBy({ zoom: 2, x: 0, y: 0 }, 5, -3)).toEqual({ zoom: 2, x: 5, y: -3 });
  });
});

describe('grey images', () => {
  it('stretches a dim 16-bit frame and tints saturated pixels', () => {
    const data = new Uint16Array(100).map((_, i) => 1000 + i * 10);
    data[99] = 65535;
    const image = { width: 10, height: 10, data, maxValue: 65535 };
    const window = autoWindow(image, 0, 0.98);
    expect(window).toEqual({ lo: 1000, hi: 1970 });
    const out = new Uint8ClampedArray(400);
    greyToRgba(image, window, out);
    expect(out[0]).toBe(0);
    expect(out[98 * 4]).toBe(255);
    expect([out[99 * 4], out[99 * 4 + 1]]).toEqual([255, 40]);
  });
});

describe('previews from the host', async () => {
  const { previewGreyImage } = await import('./decodePreview.ts');
  it('checks an image preview against its size', () => {
    const image = previewGreyImage({
      kind: 'image',
      role: 'ring',
      width: 2,
      height: 1,
      sourceWidth: 4,
      sourceHeight: 2,
      data: new Uint8Array([0, 255]),
      low: 0,
      high: 1,
    });
    expect(image.maxValue).toBe(256);
    expect(() =>
      previewGreyImage({
        kind: 'image',
        role: 'ring',
        width: 2,
        height: 2,
        sourceWidth: 4,
        sourceHeight: 2,
        data: new Uint8Array(3),
        low: 0,
        high: 1,
      }),
    ).toThrow(RangeError);
  });
});
