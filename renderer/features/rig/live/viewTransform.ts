// Zoom and pan of the live image as plain data: which image point sits at the centre of the view and how many
// screen pixels one image pixel covers. 'fit' follows the view and image size until the user zooms or pans.

export interface Size {
  width: number;
  height: number;
}

export type ViewTransform = { mode: 'fit' } | { mode: 'manual'; scale: number; cx: number; cy: number };

export interface ResolvedView {
  scale: number;
  /** Image coordinates shown at the centre of the view. */
  cx: number;
  cy: number;
}

export const maxScale = 32;
export const zoomStep = 1.25;

export function fitScale(view: Size, image: Size): number {
  if (image.width <= 0 || image.height <= 0 || view.width <= 0 || view.height <= 0) return 1;
  return Math.min(view.width / image.width, view.height / image.height);
}

/** Zooming out stops at a quarter of the fitted size; there is nothing to see beyond that. */
function minScale(view: Size, image: Size): number {
  return Math.min(fitScale(view, image), 1) / 4;
}

export function resolveView(t: ViewTransform, view: Size, image: Size): ResolvedView {
  if (t.mode === 'fit') return { scale: fitScale(view, image), cx: image.width / 2, cy: image.height / 2 };
  return { scale: t.scale, cx: t.cx, cy: t.cy };
}

function clamped(scale: number, cx: number, cy: number, view: Size, image: Size): ViewTransform {
  const s = Math.min(maxScale, Math.max(minScale(view, image), scale));
  // The centre stays on the image, so the image can never be panned out of sight.
  return {
    mode: 'manual',
    scale: s,
    cx: Math.min(image.width, Math.max(0, cx)),
    cy: Math.min(image.height, Math.max(0, cy)),
  };
}

/** Zooms by `factor`, keeping the image point under `anchor` (view pixels; default the view centre) still. */
export function zoomAt(
  t: ViewTransform,
  factor: number,
  view: Size,
  image: Size,
  anchor?: { x: number; y: number },
): ViewTransform {
  const r = resolveView(t, view, image);
  const ax = anchor?.x ?? view.width / 2;
  const ay = anchor?.y ?? view.height / 2;
  const s = Math.min(maxScale, Math.max(minScale(view, image), r.scale * factor));
  // Image point under the anchor before and after must be the same.
  const ix = r.cx + (ax - view.width / 2) / r.scale;
  const iy = r.cy + (ay - view.height / 2) / r.scale;
  return clamped(s, ix - (ax - view.width / 2) / s, iy - (ay - view.height / 2) / s, view, image);
}

/** Moves the image by (dx, dy) screen pixels, the way a drag does. */
export function panBy(t: ViewTransform, dx: number, dy: number, view: Size, image: Size): ViewTransform {
  const r = resolveView(t, view, image);
  return clamped(r.scale, r.cx - dx / r.scale, r.cy - dy / r.scale, view, image);
}

/** One image pixel per device pixel (scale is in CSS pixels, hence 1 / devicePixelRatio), keeping the centre. */
export function oneToOne(t: ViewTransform, view: Size, image: Size, devicePixelRatio = 1): ViewTransform {
  const r = resolveView(t, view, image);
  return clamped(1 / devicePixelRatio, r.cx, r.cy, view, image);
}

/** The canvas transform (a, d = scale; e, f = offset) that draws the image for this view. */
export function canvasTransform(r: ResolvedView, view: Size): { scale: number; offsetX: number; offsetY: number } {
  return { scale: r.scale, offsetX: view.width / 2 - r.cx * r.scale, offsetY: view.height / 2 - r.cy * r.scale };
}
