// A snapshot of the field as evidence: the specimens drawn again off screen at a higher resolution than the
// screen, the overlays (cells, annotations, profile line) drawn over them at the same scale, a scale bar, and a
// caption band naming both items, the view and the time, encoded as PNG. The view record (viewState.ts) travels
// with it so a report can say, and the workspace can restore, exactly what was shown.
import { niceLength } from '../../../shared/scale.ts';

/** Pixels per CSS pixel for a snapshot: about 3000 pixels across, never fewer than the screen, within the GPU's limit. */
export function snapshotScale(cssWidth: number, cssHeight: number, maxPixels = 4096): number {
  const wanted = 3000 / Math.max(1, cssWidth);
  const limit = maxPixels / Math.max(1, cssWidth, cssHeight);
  return Math.max(1, Math.min(wanted, limit, 4));
}

function loadSvg(svg: SVGSVGElement): Promise<HTMLImageElement | null> {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const text = new XMLSerializer().serializeToString(copy);
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  return new Promise((resolve) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => resolve(null);
    image.src = url;
  }).finally(() => URL.revokeObjectURL(url)) as Promise<HTMLImageElement | null>;
}

export async function composeSnapshot(input: {
  field: { width: number; height: number; pixels: Uint8Array };
  scale: number;
  overlay: SVGSVGElement | null;
  /** Micrometres per CSS pixel at the field (side A's scale); null when unknown (no scale bar). */
  umPerCssPixel: number | null;
  scaleBarText: (lengthUm: number) => string;
  caption: string[];
}): Promise<Uint8Array> {
  const { field, scale } = input;
  const lineHeight = Math.round(18 * scale);
  const band = Math.round(12 * scale) + lineHeight * input.caption.length;
  const canvas = document.createElement('canvas');
  canvas.width = field.width;
  canvas.height = field.height + band;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas for the snapshot');
  ctx.putImageData(
    new ImageData(new Uint8ClampedArray(field.pixels.buffer as ArrayBuffer), field.width, field.height),
    0,
    0,
  );
  if (input.overlay) {
    const overlay = await loadSvg(input.overlay);
    if (overlay) ctx.drawImage(overlay, 0, 0, field.width, field.height);
  }
  if (input.umPerCssPixel) {
    const lengthUm = niceLength(160 * input.umPerCssPixel);
    const barPx = (lengthUm / input.umPerCssPixel) * scale;
    const x = Math.round(16 * scale);
    const y = field.height - Math.round(28 * scale);
    ctx.fillStyle = 'rgba(0,0,0,0.55)';
    ctx.fillRect(x - 6 * scale, y - 6 * scale, barPx + 12 * scale, 26 * scale);
    ctx.fillStyle = 'white';
    ctx.fillRect(x, y, barPx, Math.max(2, 4 * scale));
    ctx.font = `${Math.round(12 * scale)}px sans-serif`;
    ctx.textBaseline = 'top';
    ctx.fillText(input.scaleBarText(lengthUm), x, y + 6 * scale);
  }
  ctx.fillStyle = '#141517';
  ctx.fillRect(0, field.height, field.width, band);
  ctx.fillStyle = 'white';
  ctx.font = `${Math.round(13 * scale)}px sans-serif`;
  ctx.textBaseline = 'top';
  input.caption.forEach((line, i) =>
    ctx.fillText(
      line,
      Math.round(10 * scale),
      field.height + Math.round(6 * scale) + i * lineHeight,
      field.width - 20 * scale,
    ),
  );
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the snapshot could not be encoded');
  return new Uint8Array(await blob.arrayBuffer());
}
