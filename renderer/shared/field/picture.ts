// A still picture of one preview (a topography lit from the upper left, or a 2D image) drawn by the field's own
// renderer off screen, for pictures that carry their own overlays (the regions editor) and for thumbnails in lists.
// One renderer serves every picture: it is made on first use and kept.
import type { AcquisitionPreview } from '../../../electron/contract/index.ts';
import { initialState } from './fieldState.ts';
import { defaultLook } from './fieldStore.ts';
import { prepareSurface } from './layers/prepare.ts';
import { FieldRenderer, type FieldLayer, type Look } from './renderer.ts';

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

/** The preview drawn at its own size (one picture pixel per preview point), under `look` (default light). */
export function picturePixels(preview: AcquisitionPreview, look: Look = defaultLook): ImageData {
  // No texture cache: each picture is drawn once.
  shared ??= new FieldRenderer(new OffscreenCanvas(1, 1), 0);
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
    const { width, height, pixels } = shared.renderPixels(state, look, preview.width, preview.height, 1);
    return new ImageData(new Uint8ClampedArray(pixels.buffer as ArrayBuffer), width, height);
  } finally {
    shared.setLayer(0, null);
  }
}

/** The preview as a PNG data URL at its own size. */
export function pictureUrl(preview: AcquisitionPreview): string {
  const image = picturePixels(preview);
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  canvas.getContext('2d')!.putImageData(image, 0, 0);
  return canvas.toDataURL();
}
