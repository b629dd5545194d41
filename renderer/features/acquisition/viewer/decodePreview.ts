// The host sends previews as bytes (they cross the socket as one binary frame); these views turn them back
// into the viewer's height map and grey image.
import type { AcquisitionPreview } from '../../../../electron/contract/index.ts';
import type { GreyImage } from './grey.ts';
import type { HeightMap } from './shading.ts';

type TopographyPreview = Extract<AcquisitionPreview, { kind: 'topography' }>;
type ImagePreview = Extract<AcquisitionPreview, { kind: 'image' }>;

export function previewHeightMap(preview: TopographyPreview): HeightMap {
  const n = preview.width * preview.height;
  if (preview.data.byteLength !== n * 4)
    throw new RangeError(`topography preview holds ${preview.data.byteLength} bytes, expected ${n * 4}`);
  // Float32 needs 4-byte alignment and little-endian order; a DataView handles both wherever the bytes sit.
  const view = new DataView(preview.data.buffer, preview.data.byteOffset, preview.data.byteLength);
  const heights = new Float32Array(n);
  for (let i = 0; i < n; i++) heights[i] = view.getFloat32(i * 4, true);
  return { width: preview.width, height: preview.height, heights, pixelUm: preview.spacingUm };
}

export function previewGreyImage(preview: ImagePreview): GreyImage {
  if (preview.data.byteLength !== preview.width * preview.height)
    throw new RangeError('image preview size does not match its data');
  // The host already stretched the levels into 8 bits; 256 means no sample counts as saturated here.
  return { width: preview.width, height: preview.height, data: preview.data, maxValue: 256 };
}
