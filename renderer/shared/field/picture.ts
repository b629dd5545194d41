// A still picture of one preview (a topography lit from the upper left, or a 2D image) drawn by the field's own
// renderer off screen, for pictures that carry their own overlays (the regions editor). One renderer serves every
// picture: it is made on first use and kept.
import type { AcquisitionPreview } from '../../../electron/contract/index.ts';
import { initialState } from './fieldState.ts';
import { defaultLook } from './fieldStore.ts';
import { prepareSurface } from './layers/prepare.ts';
import { FieldRenderer, type FieldLayer } from './renderer.ts';

let shared: FieldRenderer | null = null;

function layerOf(preview: AcquisitionPreview): FieldLayer {
  if (preview.kind === 'image')
    return { kind: 'image', width: preview.width, height: preview.height, grey: preview.data, spacingUm: 1 };
  const { texels } = prepareSurface({
    width: preview.width,
    height: preview.height,
    spacingUm: preview.spacingUm,
    bytes: preview.data.slice().buffer as ArrayBuffer,
  });
  return { kind: 'surface', texels, spacingUm: preview.spacingUm };
}

/** The preview as a PNG data URL at its own size (one picture pixel per preview point). */
export function pictureUrl(preview: AcquisitionPreview): string {
  shared ??= new FieldRenderer(new OffscreenCanvas(1, 1));
  const layer = layerOf(preview);
  const spacing = layer.spacingUm;
  const extent = { widthUm: preview.width * spacing, heightUm: preview.height * spacing };
  const state = {
    ...initialState(extent, extent, 'single'),
    centre: [extent.widthUm / 2, extent.heightUm / 2] as [number, number],
    zoom: 1 / spacing,
  };
  shared.setLayer(0, layer);
  try {
    const { width, height, pixels } = shared.renderPixels(state, defaultLook, preview.width, preview.height, 1);
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    canvas
      .getContext('2d')!
      .putImageData(new ImageData(new Uint8ClampedArray(pixels.buffer as ArrayBuffer), width, height), 0, 0);
    return canvas.toDataURL();
  } finally {
    shared.setLayer(0, null);
  }
}
