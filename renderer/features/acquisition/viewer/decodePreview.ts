// The host sends previews as bytes (they cross the socket as one binary frame); this turns an image preview back
// into the viewer's grey image (topographies are prepared by renderer/shared/field/layers).
import type { AcquisitionPreview } from '../../../../electron/contract/index.ts';
import type { GreyImage } from './grey.ts';

type ImagePreview = Extract<AcquisitionPreview, { kind: 'image' }>;

export function previewGreyImage(preview: ImagePreview): GreyImage {
  if (preview.data.byteLength !== preview.width * preview.height)
    throw new RangeError('image preview size does not match its data');
  // The host already stretched the levels into 8 bits; 256 means no sample counts as saturated here.
  return { width: preview.width, height: preview.height, data: preview.data, maxValue: 256 };
}
