import { useEffect, useMemo, useRef } from 'react';
import type { SurfaceView } from '../../../electron/contract/index.ts';
import { falseColour, heightsOf } from './colour.ts';

export interface CellShape {
  index: number;
  /** Corners in working-resolution pixels of the display frame. */
  corners: [number, number][];
  congruent: boolean;
}

/** Canvas pixels per display pixel: lines stay crisp while the image keeps its own resolution. */
const scale = 2;

/**
 * One surface in false colour with cell outlines: congruent cells in green, the others (when shown) dashed grey,
 * the selected one thick. The cells are drawn as the polygons the host computed, so a cell matched at another
 * angle appears rotated.
 */
export function SurfaceCanvas({
  surface,
  cells,
  selected,
  label,
  testId,
}: {
  surface: SurfaceView;
  cells: CellShape[];
  selected: number | null;
  label: string;
  testId: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const image = useMemo(() => {
    const pixels = falseColour(heightsOf(surface.heights));
    const data = new ImageData(new Uint8ClampedArray(pixels.buffer as ArrayBuffer), surface.width, surface.height);
    const offscreen = document.createElement('canvas');
    offscreen.width = surface.width;
    offscreen.height = surface.height;
    offscreen.getContext('2d')!.putImageData(data, 0, 0);
    return offscreen;
  }, [surface]);

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const w = surface.width * scale;
    const h = surface.height * scale;
    ctx.clearRect(0, 0, w, h);
    ctx.fillStyle = '#1a1b1e';
    ctx.fillRect(0, 0, w, h);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(image, 0, 0, w, h);
    const k = scale / surface.factor;
    const ordered = [...cells].sort(
      (a, b) =>
        Number(a.congruent) - Number(b.congruent) || Number(a.index === selected) - Number(b.index === selected),
    );
    for (const cell of ordered) {
      if (cell.corners.length === 0) continue;
      ctx.beginPath();
      cell.corners.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x * k, y * k) : ctx.lineTo(x * k, y * k)));
      ctx.closePath();
      const isSelected = cell.index === selected;
      ctx.setLineDash(cell.congruent ? [] : [6, 4]);
      ctx.lineWidth = isSelected ? 5 : cell.congruent ? 2.5 : 1.5;
      ctx.strokeStyle = isSelected ? '#ffffff' : cell.congruent ? '#40c057' : 'rgba(200, 200, 200, 0.7)';
      ctx.stroke();
    }
    ctx.setLineDash([]);
  }, [image, cells, selected, surface]);

  return (
    <canvas
      ref={canvas}
      width={surface.width * scale}
      height={surface.height * scale}
      role="img"
      aria-label={label}
      data-testid={testId}
      data-cells={cells.filter((c) => c.congruent).length}
      style={{
        width: '100%',
        maxWidth: surface.width * 1.6,
        aspectRatio: `${surface.width} / ${surface.height}`,
        display: 'block',
      }}
    />
  );
}
