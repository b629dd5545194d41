// Zoom and pan of a raster in a view: `zoom` is screen pixels per image pixel, (x, y) is where the image's
// top-left corner sits in the view. Pure, so the viewer's behaviour can be tested without a browser.

export interface ViewState {
  zoom: number;
  x: number;
  y: number;
}

export const minZoom = 1 / 64;
export const maxZoom = 64;

/** The whole image in the view, centred. */
export function fitView(viewW: number, viewH: number, imageW: number, imageH: number): ViewState {
  const zoom = clampZoom(Math.min(viewW / imageW, viewH / imageH));
  return { zoom, x: (viewW - imageW * zoom) / 2, y: (viewH - imageH * zoom) / 2 };
}

export function clampZoom(zoom: number): number {
  return Math.min(maxZoom, Math.max(minZoom, zoom));
}

/** Zooms by `factor` keeping the image point under (cx, cy) where it is. */
export function zoomAt(view: ViewState, factor: number, cx: number, cy: number): ViewState {
  const zoom = clampZoom(view.zoom * factor);
  const f = zoom / view.zoom;
  return { zoom, x: cx - (cx - view.x) * f, y: cy - (cy - view.y) * f };
}

export function panBy(view: ViewState, dx: number, dy: number): ViewState {
  return { ...view, x: view.x + dx, y: view.y + dy };
}

/** The image pixel under a view point (may lie outside the image). */
export function toImage(view: ViewState, vx: number, vy: number): { x: number; y: number } {
  return { x: (vx - view.x) / view.zoom, y: (vy - view.y) / view.zoom };
}
