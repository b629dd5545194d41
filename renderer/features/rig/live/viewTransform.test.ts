import { describe, expect, it } from 'vitest';
import {
  canvasTransform,
  fitScale,
  maxScale,
  oneToOne,
  panBy,
  resolveView,
  zoomAt,
  type ViewTransform,
} from './viewTransform.ts';

const view = { width: 800, height: 600 };
const image = { width: 1024, height: 1024 };
const fit: ViewTransform = { mode: 'fit' };

describe('live view zoom and pan', () => {
  it('fits the whole image, centred', () => {
    expect(fitScale(view, image)).toBeCloseTo(600 / 1024);
    const r = resolveView(fit, view, image);
    const c = canvasTransform(r, view);
    // The image's left edge lands where the centred, fitted image starts.
    expect(c.offsetX).toBeCloseTo((800 - 600) / 2);
    expect(c.offsetY).toBeCloseTo(0);
  });

  it('keeps the image point under the cursor still while zooming', () => {
    const anchor = { x: 700, y: 100 };
    const before = resolveView(fit, view, image);
    const after = resolveView(zoomAt(fit, 2, view, image, anchor), view, image);
    const imagePoint = (r: typeof before) => ({
      x: r.cx + (anchor.x - 400) / r.scale,
      y: r.cy + (anchor.y - 300) / r.scale,
    });
    expect(after.scale).toBeCloseTo(before.scale * 2);
    expect(imagePoint(after).x).toBeCloseTo(imagePoint(before).x);
    expect(imagePoint(after).y).toBeCloseTo(imagePoint(before).y);
  });

  it('bounds the zoom at both ends', () => {
    let t: ViewTransform = fit;
    for (let i = 0; i < 50; i++) t = zoomAt(t, 2, view, image);
    expect(resolveView(t, view, image).scale).toBe(maxScale);
    for (let i = 0; i < 100; i++) t = zoomAt(t, 0.5, view, image);
    expect(resolveView(t, view, image).scale).toBeCloseTo(600 / 1024 / 4);
  });

  it('pans with a drag and never lets the centre leave the image', () => {
    const one = oneToOne(fit, view, image);
    expect(resolveView(one, view, image)).toEqual({ scale: 1, cx: 512, cy: 512 });
    const moved = resolveView(panBy(one, 100, -50, view, image), view, image);
    expect(moved).toEqual({ scale: 1, cx: 412, cy: 562 });
    const far = resolveView(panBy(one, 1e6, 1e6, view, image), view, image);
    expect(far.cx).toBe(0);
    expect(far.cy).toBe(0);
  });

  it('shows one image pixel per device pixel at 1:1 on a high-density screen', () => {
    expect(resolveView(oneToOne(fit, view, image, 2), view, image).scale).toBe(0.5);
  });
});
