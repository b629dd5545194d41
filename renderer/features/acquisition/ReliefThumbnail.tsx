// A small picture of an acquisition's topography as a shaded relief (light from the upper left, heights
// exaggerated so marks show at this size), for lists and results where people would rather look than read.
import { Box, Skeleton } from '@mantine/core';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../api/hooks.tsx';
import { defaultLook } from '../../shared/field/fieldStore.ts';
import { picturePixels } from '../../shared/field/picture.ts';

export function ReliefThumbnail({
  acquisitionId,
  label,
  size = 64,
}: {
  acquisitionId: number;
  /** What the picture shows, in words (the lab's reference), for people who cannot see it. */
  label: string;
  size?: number;
}) {
  const { t } = useTranslation();
  // Twice the shown size, so the relief stays sharp on high-density screens; one cached answer per acquisition.
  const preview = useCall('acquisitions.preview', { acquisitionId, role: 'topography', maxSize: 2 * size });
  // Drawn by the field's renderer (the same shading as the viewer); a browser without WebGL2 shows no picture.
  const drawn = useMemo(() => {
    if (preview.data?.kind !== 'topography') return null;
    try {
      return picturePixels(preview.data, { ...defaultLook, exaggeration: 4 });
    } catch {
      return 'failed' as const;
    }
  }, [preview.data]);
  const map = drawn === 'failed' ? null : drawn;
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (map && context) context.putImageData(map, 0, 0);
  }, [map]);

  if (preview.error || drawn === 'failed')
    return <Box w={size} h={size} bg="dark.6" aria-label={t('viewer.unavailable')} role="img" />;
  if (!map) return <Skeleton w={size} h={size} />;
  const scale = size / Math.max(map.width, map.height);
  return (
    <canvas
      ref={canvas}
      width={map.width}
      height={map.height}
      role="img"
      aria-label={t('viewer.thumbnail', { what: label })}
      data-testid={`relief-${acquisitionId}`}
      style={{ width: map.width * scale, height: map.height * scale, display: 'block', background: 'black' }}
    />
  );
}
