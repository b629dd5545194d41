// Zoom and pan over a raster held in an off-screen canvas: the raster is drawn once per change of its pixels
// (a new light, a new image) and only re-composited on zoom and pan, so both stay smooth on 2048² maps.
// Mouse: wheel zooms about the pointer, drag pans. Keyboard (when focused): + − zoom, 0 fits, 1 shows 1:1,
// arrows pan (Shift: further); `onKey` lets the owner add its own keys.
import { ActionIcon, Box, Group, Text, Tooltip } from '@mantine/core';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { niceLength } from '../../../shared/scale.ts';
import { fitView, panBy, zoomAt, type ViewState } from './viewport.ts';

export interface RasterViewProps {
  /** The raster at its own resolution; `version` changes whenever its pixels do. */
  source: HTMLCanvasElement | null;
  version: number;
  /** Micrometres per raster pixel, for the scale bar (none when unknown). */
  pixelUm: number | null;
  label: string;
  /** CSS height of the view; by default most of the window below the page header. */
  height?: number | string;
  onKey?: (event: KeyboardEvent<HTMLDivElement>) => boolean;
  /** Drawn over the top-right corner (legends). */
  overlay?: ReactNode;
  testId?: string;
}

const zoomStep = 1.25;

export function RasterView({
  source,
  version,
  pixelUm,
  label,
  height = 'max(360px, calc(100vh - 330px))',
  onKey,
  overlay,
  testId,
}: RasterViewProps) {
  const { t } = useTranslation();
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ w: 0, h: 0 });
  const [view, setView] = useState<ViewState | null>(null);
  // Until the user zooms or pans, the view keeps fitting the raster (also when the box is resized).
  const [fitted, setFitted] = useState(true);
  const drag = useRef<{ x: number; y: number } | null>(null);

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const observer = new ResizeObserver(() => setSize({ w: box.clientWidth, h: box.clientHeight }));
    observer.observe(box);
    return () => observer.disconnect();
  }, []);

  const fit = useCallback(() => {
    if (!source || size.w === 0) return;
    setView(fitView(size.w, size.h, source.width, source.height));
    setFitted(true);
  }, [source, size]);

  useEffect(() => {
    if (fitted || !view) fit();
    // Only a new raster size or box size re-fits; a user's zoom stays.
  }, [source?.width, source?.height, size.w, size.h]);

  // Composite: the off-screen raster into the visible canvas at the current zoom and offset.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !view || size.w === 0) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(size.w * dpr);
    canvas.height = Math.round(size.h * dpr);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size.w, size.h);
    if (!source) return;
    // Enlarged pixels stay crisp (the examiner sees the real sampling); reductions are smoothed.
    ctx.imageSmoothingEnabled = view.zoom < 1;
    ctx.drawImage(source, view.x, view.y, source.width * view.zoom, source.height * view.zoom);
  }, [source, version, view, size]);

  const change = (next: ViewState) => {
    setView(next);
    setFitted(false);
  };

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    // Registered by hand: React's wheel listener is passive and could not stop the page from scrolling.
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = canvas.getBoundingClientRect();
      setView((v) =>
        v
          ? zoomAt(v, event.deltaY < 0 ? zoomStep : 1 / zoomStep, event.clientX - rect.left, event.clientY - rect.top)
          : v,
      );
      setFitted(false);
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, []);

  const keyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (onKey?.(event)) {
      event.preventDefault();
      return;
    }
    if (!view) return;
    const step = event.shiftKey ? 200 : 50;
    const centre = (factor: number) => change(zoomAt(view, factor, size.w / 2, size.h / 2));
    const actions: Record<string, () => void> = {
      '+': () => centre(zoomStep),
      '=': () => centre(zoomStep),
      '-': () => centre(1 / zoomStep),
      '0': fit,
      '1': () => centre(1 / view.zoom),
      ArrowLeft: () => change(panBy(view, step, 0)),
      ArrowRight: () => change(panBy(view, -step, 0)),
      ArrowUp: () => change(panBy(view, 0, step)),
      ArrowDown: () => change(panBy(view, 0, -step)),
    };
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  };

  const scale = view && pixelUm ? niceLength((140 / view.zoom) * pixelUm) : 0;
  return (
    <Box pos="relative">
      <Box
        ref={boxRef}
        tabIndex={0}
        role="img"
        aria-label={label}
        aria-roledescription={t('viewer.roleDescription')}
        data-testid={testId}
        data-zoom={view ? view.zoom.toFixed(4) : undefined}
        onKeyDown={keyDown}
        className="cb-raster"
        h={height}
        style={{
          position: 'relative',
          overflow: 'hidden',
          cursor: drag.current ? 'grabbing' : 'grab',
          background: 'var(--mantine-color-dark-8)',
          borderRadius: 4,
          outlineOffset: 2,
        }}
        onPointerDown={(e) => {
          drag.current = { x: e.clientX, y: e.clientY };
          e.currentTarget.setPointerCapture(e.pointerId);
        }}
        onPointerMove={(e) => {
          const from = drag.current;
          if (!from || !view) return;
          drag.current = { x: e.clientX, y: e.clientY };
          change(panBy(view, e.clientX - from.x, e.clientY - from.y));
        }}
        onPointerUp={() => (drag.current = null)}
        onPointerCancel={() => (drag.current = null)}
      >
        <canvas ref={canvasRef} style={{ width: '100%', height: '100%', display: 'block' }} />
        {scale > 0 && view && pixelUm ? (
          <Box pos="absolute" left={12} bottom={10} data-testid="scale-bar" style={{ pointerEvents: 'none' }}>
            <Box w={(scale / pixelUm) * view.zoom} h={4} bg="white" style={{ boxShadow: '0 0 2px black' }} />
            <Text size="xs" c="white" style={{ textShadow: '0 0 3px black' }}>
              {t('viewer.scaleBar', { length: scale })}
            </Text>
          </Box>
        ) : null}
        {overlay ? (
          <Box pos="absolute" right={8} top={8} style={{ pointerEvents: 'none' }}>
            {overlay}
          </Box>
        ) : null}
      </Box>
      <Group gap={4} pos="absolute" right={8} bottom={8}>
        <Text size="xs" c="white" style={{ textShadow: '0 0 3px black' }} data-testid="zoom-level">
          {view ? t('viewer.zoomLevel', { percent: Math.round(view.zoom * 100) }) : ''}
        </Text>
        <Tooltip label={t('viewer.zoomOut')}>
          <ActionIcon
            size="sm"
            variant="default"
            aria-label={t('viewer.zoomOut')}
            onClick={() => view && change(zoomAt(view, 1 / zoomStep, size.w / 2, size.h / 2))}
          >
            −
          </ActionIcon>
        </Tooltip>
        <Tooltip label={t('viewer.zoomIn')}>
          <ActionIcon
            size="sm"
            variant="default"
            aria-label={t('viewer.zoomIn')}
            onClick={() => view && change(zoomAt(view, zoomStep, size.w / 2, size.h / 2))}
          >
            +
          </ActionIcon>
        </Tooltip>
        <Tooltip label={t('viewer.fit')}>
          <ActionIcon size="sm" variant="default" aria-label={t('viewer.fit')} onClick={fit}>
            ⤢
          </ActionIcon>
        </Tooltip>
      </Group>
    </Box>
  );
}
