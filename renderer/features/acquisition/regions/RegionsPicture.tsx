// The acquisition's picture (topography as a shaded relief, or the image) with the regions drawn over it in an
// SVG whose coordinates are the picture's own pixels. In edit mode each circle has a centre handle (drag to
// move) and an edge handle (drag to resize), shown for the one circle chosen; the numeric fields beside it do the same from the keyboard.
import { Box, Text } from '@mantine/core';
import { useMemo, useRef, useState, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RegionCircle } from '../../../../electron/contract/index.ts';
import { useCall } from '../../../api/hooks.tsx';
import { useErrorText } from '../../../api/useErrorText.ts';
import { pictureUrl } from '../../../shared/field/picture.ts';
import type { CircleKey } from './regionDraft.ts';

export const circleColours: Record<CircleKey, string> = {
  primer: '#4dabf7',
  firingPin: '#ff922b',
  outer: '#51cf66',
  inner: '#51cf66',
};

export interface DrawnCircle {
  key: CircleKey;
  circle: RegionCircle;
  label: string;
  dashed?: boolean;
}

export function RegionsPicture(props: {
  acquisitionId: number;
  role: string;
  width: number;
  height: number;
  circles: DrawnCircle[];
  /** The circle whose handles are shown (circles may coincide, so only one is handled at a time). */
  active: CircleKey | null;
  onDrag?: (key: CircleKey, part: 'centre' | 'edge', x: number, y: number) => void;
}) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const preview = useCall('acquisitions.preview', {
    acquisitionId: props.acquisitionId,
    role: props.role,
    maxSize: 768,
  });
  // The relief is lit from the upper left by the field's renderer (the same shading as every viewer).
  const url = useMemo(() => {
    if (!preview.data) return null;
    try {
      return pictureUrl(preview.data);
    } catch {
      return null;
    }
  }, [preview.data]);
  const svg = useRef<SVGSVGElement>(null);
  const [dragging, setDragging] = useState<{ key: CircleKey; part: 'centre' | 'edge' } | null>(null);
  const { width, height } = props;
  // Handles and labels keep their screen size whatever the picture's resolution.
  const unit = Math.max(width, height) / 600;

  if (preview.error)
    return (
      <Text c="red" role="alert">
        {errorText(preview.error)}
      </Text>
    );
  if (!url) return <Text>{t('common.loading')}</Text>;

  const pointAt = (event: PointerEvent) => {
    const rect = svg.current!.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) / rect.width) * width,
      y: ((event.clientY - rect.top) / rect.height) * height,
    };
  };
  const onMove = (event: PointerEvent<SVGSVGElement>) => {
    if (!dragging || !props.onDrag) return;
    const { x, y } = pointAt(event);
    props.onDrag(dragging.key, dragging.part, x, y);
  };
  const grab = (key: CircleKey, part: 'centre' | 'edge') => (event: PointerEvent<SVGCircleElement>) => {
    event.currentTarget.setPointerCapture?.(event.pointerId);
    event.preventDefault();
    setDragging({ key, part });
  };

  return (
    <Box
      pos="relative"
      w="100%"
      maw={720}
      style={{ aspectRatio: `${width} / ${height}` }}
      data-testid="regions-picture"
    >
      <img
        src={url}
        alt={t('regions.pictureAlt', { role: props.role })}
        style={{ position: 'absolute', inset: 0, width: '100%', height: '100%' }}
      />
      <svg
        ref={svg}
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="none"
        style={{ position: 'absolute', inset: 0, width: '100%', height: '100%', touchAction: 'none' }}
        onPointerMove={onMove}
        onPointerUp={() => setDragging(null)}
        onPointerCancel={() => setDragging(null)}
        role="img"
        aria-label={props.circles.map((c) => c.label).join('; ')}
      >
        {props.circles.map(({ key, circle, label, dashed }) => (
          <g key={key} data-testid={`region-${key}`} data-cx={circle.cx} data-cy={circle.cy} data-r={circle.r}>
            <circle
              cx={circle.cx}
              cy={circle.cy}
              r={circle.r}
              fill="none"
              stroke={circleColours[key]}
              strokeWidth={2}
              strokeDasharray={dashed ? '6 4' : undefined}
              vectorEffect="non-scaling-stroke"
            />
            {/* Annulus labels go below their circle: its circles often coincide with the primer and firing pin. */}
            <text
              x={circle.cx}
              y={
                dashed
                  ? Math.min(height - 4 * unit, circle.cy + circle.r + 14 * unit)
                  : Math.max(12 * unit, circle.cy - circle.r - 4 * unit)
              }
              fill={circleColours[key]}
              fontSize={13 * unit}
              textAnchor="middle"
              stroke="black"
              strokeWidth={0.6 * unit}
              paintOrder="stroke"
            >
              {label}
            </text>
            {props.active === key ? (
              <>
                <circle
                  cx={circle.cx}
                  cy={circle.cy}
                  r={6 * unit}
                  fill={circleColours[key]}
                  style={{ cursor: 'move' }}
                  onPointerDown={grab(key, 'centre')}
                  data-testid={`handle-${key}-centre`}
                />
                <circle
                  cx={circle.cx + circle.r}
                  cy={circle.cy}
                  r={6 * unit}
                  fill="white"
                  stroke={circleColours[key]}
                  strokeWidth={2}
                  vectorEffect="non-scaling-stroke"
                  style={{ cursor: 'ew-resize' }}
                  onPointerDown={grab(key, 'edge')}
                  data-testid={`handle-${key}-edge`}
                />
              </>
            ) : null}
          </g>
        ))}
      </svg>
    </Box>
  );
}
