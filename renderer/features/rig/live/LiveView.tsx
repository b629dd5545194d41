// The live image: 8-bit grey frames drawn through one reused ImageData (no React render per frame), zoom
// (wheel, + / -, fit, 1:1) and pan (drag, arrow keys), and beside it the focus readout with its trend, the
// histogram with a saturation warning, the frame rate and the camera → screen latency.
import { ActionIcon, Box, Button, Group, Kbd, Stack, Text, Tooltip } from '@mantine/core';
import { memo, useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FrameFeed, LiveFrame } from './frameFeed.ts';
import { withStats } from './frameFeed.ts';
import { darkImageMean, saturationWarningFraction } from './frameStats.ts';
import { FpsMeter } from './fpsMeter.ts';
import { drawHistogram, drawSparkline } from './plots.ts';
import {
  canvasTransform,
  oneToOne,
  panBy,
  resolveView,
  zoomAt,
  zoomStep,
  type Size,
  type ViewTransform,
} from './viewTransform.ts';
import { formatNumber, formatSignificant } from '../../../app/format.ts';

const trendLength = 120;
const readoutIntervalMs = 250;
const panStepPx = 40;

// Grey level → opaque RGBA as one 32-bit word (little-endian: R in the low byte), built once.
const greyToRgba = new Uint32Array(256);
for (let v = 0; v < 256; v++) greyToRgba[v] = (0xff000000 | (v << 16) | (v << 8) | v) >>> 0;

interface Readout {
  fps: number;
  focus: number | null;
  saturatedFraction: number;
  mean: number | null;
  width: number;
  height: number;
  latencyMs: number | null;
  zoomPercent: number;
}

const emptyReadout: Readout = {
  fps: 0,
  focus: null,
  saturatedFraction: 0,
  mean: null,
  width: 0,
  height: 0,
  latencyMs: null,
  zoomPercent: 100,
};

export interface LiveViewProps {
  feed: FrameFeed;
  /** Accessible name of the image, e.g. "Live image: camera". */
  label: string;
  /** Shown over the empty image until the first frame arrives. */
  placeholder?: string;
  height?: number | string;
  /** Called after a frame is on screen (the rig uses it to acknowledge frames for flow control). */
  onFrameDrawn?: (frame: LiveFrame) => void;
}

// Memoised: the panel around it re-renders on every rig status event (positions while a stage moves), the image need not.
export const LiveView = memo(function LiveView({
  feed,
  label,
  placeholder,
  height = 'calc(100vh - 300px)',
  onFrameDrawn,
}: LiveViewProps) {
  const { t } = useTranslation();
  const helpId = useId();
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const histogramRef = useRef<HTMLCanvasElement>(null);
  const trendRef = useRef<HTMLCanvasElement>(null);
  const [hasFrame, setHasFrame] = useState(false);
  const [readout, setReadout] = useState<Readout>(emptyReadout);
  const drawnListener = useRef(onFrameDrawn);
  drawnListener.current = onFrameDrawn;

  // Everything the frame loop touches lives in one mutable record, not in React state.
  const loop = useRef({
    latest: null as LiveFrame | null,
    drawn: null as LiveFrame | null,
    acked: null as LiveFrame | null,
    offscreen: null as HTMLCanvasElement | null,
    imageData: null as ImageData | null,
    raf: 0,
    view: { width: 0, height: 0 } as Size,
    image: { width: 0, height: 0 } as Size,
    transform: { mode: 'fit' } as ViewTransform,
    fps: new FpsMeter(),
    trend: [] as number[],
    focus: null as number | null,
    saturatedFraction: 0,
    mean: null as number | null,
    latencyMs: null as number | null,
    frames: 0,
    received: 0,
    /** Smoothed milliseconds the UI thread spends putting one frame on screen (conversion, upload, draw). */
    drawMs: 0,
  });

  const draw = useCallback(() => {
    const s = loop.current;
    s.raf = 0;
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const frame = s.latest;
    const started = performance.now();
    const fresh = frame !== null && frame !== s.drawn;
    if (frame && fresh) {
      if (!s.offscreen) s.offscreen = document.createElement('canvas');
      if (!s.imageData || s.imageData.width !== frame.width || s.imageData.height !== frame.height) {
        s.offscreen.width = frame.width;
        s.offscreen.height = frame.height;
        s.imageData = new ImageData(frame.width, frame.height);
        s.image = { width: frame.width, height: frame.height };
      }
      const out = new Uint32Array(s.imageData.data.buffer);
      const pixels = frame.pixels;
      const n = Math.min(out.length, pixels.length);
      for (let i = 0; i < n; i++) out[i] = greyToRgba[pixels[i]];
      s.offscreen.getContext('2d')!.putImageData(s.imageData, 0, 0);
      s.drawn = frame;
      s.frames++;
      const now = performance.now();
      s.fps.tick(now);
      const stats = withStats(frame);
      s.focus = stats.focus;
      s.saturatedFraction = stats.saturatedFraction;
      s.mean = stats.mean;
      s.latencyMs = frame.capturedAt !== undefined ? Math.max(0, Date.now() - frame.capturedAt) : null;
      s.trend.push(stats.focus);
      if (s.trend.length > trendLength) s.trend.shift();
      if (histogramRef.current)
        drawHistogram(histogramRef.current, stats.histogram, stats.saturatedFraction > saturationWarningFraction);
      if (trendRef.current) drawSparkline(trendRef.current, s.trend);
      // Cheap attributes for tests and benchmarks: count and content of what is on screen.
      canvas.dataset.frames = String(s.frames);
      canvas.dataset.focus = stats.focus.toFixed(3);
      canvas.dataset.mean = stats.mean.toFixed(3);
    }
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (!s.offscreen || !s.drawn) return;
    const r = resolveView(s.transform, s.view, s.image);
    const c = canvasTransform(r, s.view);
    ctx.setTransform(c.scale * dpr, 0, 0, c.scale * dpr, c.offsetX * dpr, c.offsetY * dpr);
    // Enlarged pixels stay sharp squares (an examiner must see real pixels); reduced images are smoothed.
    ctx.imageSmoothingEnabled = c.scale * dpr < 1;
    ctx.drawImage(s.offscreen, 0, 0);
    if (fresh) {
      s.drawMs = s.drawMs === 0 ? performance.now() - started : 0.9 * s.drawMs + 0.1 * (performance.now() - started);
      canvas.dataset.drawMs = s.drawMs.toFixed(2);
    }
    if (frame && frame === s.drawn && s.acked !== frame) {
      s.acked = frame;
      drawnListener.current?.(frame);
    }
  }, []);

  const schedule = useCallback(() => {
    const s = loop.current;
    if (!s.raf) s.raf = requestAnimationFrame(draw);
  }, [draw]);

  useEffect(() => {
    const s = loop.current;
    const unsubscribe = feed.subscribe((frame) => {
      s.latest = frame;
      s.received++;
      if (canvasRef.current) canvasRef.current.dataset.received = String(s.received);
      schedule();
    });
    return () => {
      unsubscribe();
      if (s.raf) cancelAnimationFrame(s.raf);
      s.raf = 0;
    };
  }, [feed, schedule]);

  // The text readouts change a few times a second: a timer, not the frame loop, renders them.
  useEffect(() => {
    const timer = setInterval(() => {
      const s = loop.current;
      const r = resolveView(s.transform, s.view, s.image);
      setHasFrame(s.drawn !== null);
      setReadout({
        fps: s.fps.rate(performance.now()),
        focus: s.focus,
        saturatedFraction: s.saturatedFraction,
        mean: s.mean,
        width: s.image.width,
        height: s.image.height,
        latencyMs: s.latencyMs,
        zoomPercent: Math.round(r.scale * (window.devicePixelRatio || 1) * 100),
      });
    }, readoutIntervalMs);
    return () => clearInterval(timer);
  }, []);

  const setTransform = useCallback(
    (update: (t: ViewTransform) => ViewTransform) => {
      const s = loop.current;
      s.transform = update(s.transform);
      schedule();
    },
    [schedule],
  );

  useEffect(() => {
    const box = boxRef.current;
    const canvas = canvasRef.current;
    if (!box || !canvas) return;
    const observer = new ResizeObserver(() => {
      const dpr = window.devicePixelRatio || 1;
      loop.current.view = { width: box.clientWidth, height: box.clientHeight };
      canvas.width = Math.round(box.clientWidth * dpr);
      canvas.height = Math.round(box.clientHeight * dpr);
      schedule();
    });
    observer.observe(box);
    // React's wheel listener is passive; zooming must stop the page from scrolling, so register our own.
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = box.getBoundingClientRect();
      setTransform((t) =>
        zoomAt(t, Math.exp(-event.deltaY * 0.0015), loop.current.view, loop.current.image, {
          x: event.clientX - rect.left,
          y: event.clientY - rect.top,
        }),
      );
    };
    box.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      observer.disconnect();
      box.removeEventListener('wheel', onWheel);
    };
  }, [schedule, setTransform]);

  const zoomIn = () => setTransform((t) => zoomAt(t, zoomStep, loop.current.view, loop.current.image));
  const zoomOut = () => setTransform((t) => zoomAt(t, 1 / zoomStep, loop.current.view, loop.current.image));
  const fit = () => setTransform(() => ({ mode: 'fit' }));
  const actualSize = () =>
    setTransform((t) => oneToOne(t, loop.current.view, loop.current.image, window.devicePixelRatio || 1));
  const pan = (dx: number, dy: number) => setTransform((t) => panBy(t, dx, dy, loop.current.view, loop.current.image));

  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.shiftKey ? panStepPx * 5 : panStepPx;
    const actions: Record<string, () => void> = {
      '+': zoomIn,
      '=': zoomIn,
      '-': zoomOut,
      '0': fit,
      '1': actualSize,
      ArrowLeft: () => pan(step, 0),
      ArrowRight: () => pan(-step, 0),
      ArrowUp: () => pan(0, step),
      ArrowDown: () => pan(0, -step),
    };
    const action = actions[event.key];
    if (!action || event.ctrlKey || event.altKey || event.metaKey) return;
    event.preventDefault();
    action();
  };

  const drag = useRef<{ x: number; y: number } | null>(null);
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { x: event.clientX, y: event.clientY };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const from = drag.current;
    if (!from) return;
    drag.current = { x: event.clientX, y: event.clientY };
    pan(event.clientX - from.x, event.clientY - from.y);
  };
  const endDrag = () => {
    drag.current = null;
  };

  const saturated = readout.saturatedFraction > saturationWarningFraction;
  const dark = hasFrame && readout.mean !== null && readout.mean < darkImageMean;
  return (
    // The focus and histogram column goes below the image when the image would be narrower than 400 px beside it.
    <Group align="stretch" gap="sm" wrap="wrap">
      <Stack gap={4} style={{ flex: '1 1 400px', minWidth: 0 }}>
        <Group gap={4} justify="space-between">
          <Group gap={4}>
            <Tooltip label={`${t('rig.live.zoomOut')} (-)`}>
              <ActionIcon variant="default" size="sm" onClick={zoomOut} aria-label={t('rig.live.zoomOut')}>
                −
              </ActionIcon>
            </Tooltip>
            <Tooltip label={`${t('rig.live.zoomIn')} (+)`}>
              <ActionIcon variant="default" size="sm" onClick={zoomIn} aria-label={t('rig.live.zoomIn')}>
                +
              </ActionIcon>
            </Tooltip>
            <Button variant="default" size="compact-xs" onClick={fit} title="0">
              {t('rig.live.fit')}
            </Button>
            <Button variant="default" size="compact-xs" onClick={actualSize} title="1">
              {t('rig.live.actualSize')}
            </Button>
            <Text size="xs" c="dimmed" data-testid="live-zoom">
              {t('rig.live.zoom', { percent: readout.zoomPercent })}
            </Text>
          </Group>
          <Group gap="sm">
            {readout.width > 0 ? (
              <Text size="xs" c="dimmed" className="cb-mono">
                {readout.width} × {readout.height}
              </Text>
            ) : null}
            <Text size="xs" className="cb-mono" data-testid="live-fps">
              {t('rig.live.fps', { fps: formatNumber(readout.fps, 1) })}
            </Text>
            {readout.latencyMs !== null ? (
              <Text size="xs" c="dimmed" className="cb-mono" data-testid="live-latency">
                {t('rig.live.latency', { ms: Math.round(readout.latencyMs) })}
              </Text>
            ) : null}
          </Group>
        </Group>
        <Box
          ref={boxRef}
          tabIndex={0}
          role="group"
          aria-label={label}
          aria-describedby={helpId}
          onKeyDown={onKeyDown}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={endDrag}
          onPointerCancel={endDrag}
          onDoubleClick={fit}
          style={{
            position: 'relative',
            height,
            minHeight: 240,
            background: 'var(--mantine-color-dark-8)',
            border: '1px solid var(--mantine-color-default-border)',
            borderRadius: 'var(--mantine-radius-sm)',
            overflow: 'hidden',
            cursor: 'grab',
            touchAction: 'none',
          }}
        >
          <canvas
            ref={canvasRef}
            role="img"
            aria-label={label}
            data-testid="live-canvas"
            style={{ display: 'block', width: '100%', height: '100%' }}
          />
          {!hasFrame && placeholder ? (
            <Text
              c="gray.5"
              size="sm"
              style={{
                position: 'absolute',
                inset: 0,
                display: 'flex',
                alignItems: 'center',
                justifyContent: 'center',
                pointerEvents: 'none',
              }}
            >
              {placeholder}
            </Text>
          ) : null}
          {dark ? (
            <Text
              size="sm"
              role="status"
              data-testid="live-dark-hint"
              style={{
                position: 'absolute',
                insetInline: 8,
                bottom: 8,
                padding: '4px 8px',
                borderRadius: 'var(--mantine-radius-sm)',
                background: 'rgba(0, 0, 0, 0.75)',
                color: 'white',
                textAlign: 'center',
                pointerEvents: 'none',
              }}
            >
              {t('rig.live.dark')}
            </Text>
          ) : null}
        </Box>
        <Text id={helpId} size="xs" c="dimmed">
          <Kbd size="xs">+</Kbd> <Kbd size="xs">-</Kbd> {t('rig.live.keysZoom')} · <Kbd size="xs">0</Kbd>{' '}
          {t('rig.live.fit')} · <Kbd size="xs">1</Kbd> {t('rig.live.actualSize')} · <Kbd size="xs">←↑→↓</Kbd>{' '}
          {t('rig.live.keysPan')}
        </Text>
      </Stack>
      <Stack gap={6} style={{ flex: '0 0 220px' }}>
        <Text size="xs" fw={600}>
          {t('rig.live.focus')}
        </Text>
        <Text size="lg" className="cb-mono" data-testid="live-focus" aria-live="off">
          {readout.focus === null ? '—' : formatFocus(readout.focus)}
        </Text>
        <canvas
          ref={trendRef}
          width={220}
          height={40}
          role="img"
          aria-label={t('rig.live.focusTrend')}
          style={{ width: 220, height: 40 }}
        />
        <Text size="xs" fw={600}>
          {t('rig.live.histogram')}
        </Text>
        <canvas
          ref={histogramRef}
          width={256}
          height={80}
          role="img"
          aria-label={t('rig.live.histogram')}
          style={{
            width: 220,
            height: 80,
            background: 'var(--mantine-color-dark-8)',
            borderRadius: 'var(--mantine-radius-xs)',
          }}
        />
        <Text
          size="xs"
          c={saturated ? 'red' : 'dimmed'}
          fw={saturated ? 600 : undefined}
          data-testid="live-saturation"
          data-saturated={saturated}
        >
          {saturated
            ? t('rig.live.saturated', { percent: formatNumber(readout.saturatedFraction * 100, 1) })
            : t('rig.live.saturation', { percent: formatNumber(readout.saturatedFraction * 100, 2) })}
        </Text>
      </Stack>
    </Group>
  );
});

/** Focus spans decades between defocused and sharp; three significant figures read well across them. */
function formatFocus(value: number): string {
  return value >= 1000 ? formatNumber(value, 0) : formatSignificant(value, 3);
}
