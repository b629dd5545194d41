// A small 8-bit grey picture (a frame preview sent by the station) drawn on a canvas, with its words for people
// who cannot see it.
import { useEffect, useRef } from 'react';

export function GreyImage({
  width,
  height,
  data,
  label,
  size = 96,
  testId,
}: {
  width: number;
  height: number;
  data: Uint8Array;
  label: string;
  size?: number;
  testId?: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const image = context.createImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      const v = data[i] ?? 0;
      image.data[4 * i] = v;
      image.data[4 * i + 1] = v;
      image.data[4 * i + 2] = v;
      image.data[4 * i + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }, [width, height, data]);
  const scale = size / Math.max(width, height);
  return (
    <canvas
      ref={canvas}
      width={width}
      height={height}
      role="img"
      aria-label={label}
      data-testid={testId}
      style={{ width: width * scale, height: height * scale, background: 'black', display: 'block' }}
    />
  );
}
