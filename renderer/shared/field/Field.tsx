// The comparison field on screen: the WebGL canvas, an SVG layer for what is drawn over the specimens (cells,
// annotations, the profile line) and an HTML layer for handles. Drawing happens on the next animation frame
// after any change of the view, the look or a side's picture, straight from the store (no React render), and at
// most once per frame however many changes arrive.
//
// Mouse: drag pans (the active side only when unlocked; in side-by-side mode the side under the pointer becomes
// active), the wheel zooms about the pointer. A drawing tool takes the pointer instead.
import { Alert, Box } from '@mantine/core';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apply, invert, type Affine, type Point } from './geometry.ts';
import {
  panelAt,
  panelsOf,
  pan,
  screenFromOwn,
  screenFromWorld,
  zoomAt,
  type FieldState,
  type Panel,
  type SideIndex,
} from './fieldState.ts';
import { useFieldView, type FieldStore } from './fieldStore.ts';
import { FieldRendererError, type FieldRenderer } from './renderer.ts';
import { sharedField } from './sharedRenderer.ts';
import type { SideLayer } from './layers/sideLayers.ts';

export interface FieldGeometry {
  width: number;
  height: number;
  state: FieldState;
  panels: Panel[];
  /** Own frame of `side` → screen (CSS pixels of the field) in panel `panel`. */
  screenFromOwn(panel: number, side: SideIndex): Affine;
  screenFromWorld(panel: number): Affine;
}

export interface FieldPointer {
  phase: 'down' | 'move' | 'up';
  screen: Point;
  panel: number;
  world: Point;
  /** The side the pointer acts on (the panel's side by side, else the active side), and the point in its frame. */
  side: SideIndex;
  own: Point;
  shiftKey: boolean;
}

export interface FieldHandle {
  renderer: FieldRenderer;
  size: { width: number; height: number };
}

export function geometryOf(state: FieldState, width: number, height: number): FieldGeometry {
  const panels = panelsOf(state.mode, width, height);
  return {
    width,
    height,
    state,
    panels,
    screenFromOwn: (panel, side) => screenFromOwn(state, panels[panel]!, side),
    screenFromWorld: (panel) => screenFromWorld(state, panels[panel]!),
  };
}

const zoomStep = 1.25;

export function Field({
  store,
  layers,
  label,
  height,
  drawing,
  onPointer,
  overlay,
  html,
  onHandle,
  onKeyDown,
  focusable = false,
  testId = 'field',
}: {
  store: FieldStore;
  layers: [SideLayer | null, SideLayer | null];
  label: string;
  height: number | string;
  /** True while a drawing tool takes the pointer (no panning). */
  drawing: boolean;
  onPointer?: (pointer: FieldPointer) => void;
  overlay?: (geometry: FieldGeometry) => ReactNode;
  html?: (geometry: FieldGeometry) => ReactNode;
  onHandle?: (handle: FieldHandle | null) => void;
  /** Keys while the field has the focus (it is focusable when given). */
  onKeyDown?: (event: KeyboardEvent<HTMLDivElement>) => void;
  /** A stop for the keyboard even without onKeyDown (the page's own key handler acts while it has the focus). */
  focusable?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  const boxRef = useRef<HTMLDivElement>(null);
  const holderRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const rendererRef = useRef<FieldRenderer | null>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [failure, setFailure] = useState<string | null>(null);
  const sizeRef = useRef(size);
  sizeRef.current = size;
  const frame = useRef(0);
  const drag = useRef<{ x: number; y: number } | null>(null);
  const field = useFieldView(store, (v) => v.field);

  const redraw = useMemo(
    () => () => {
      if (frame.current) return;
      frame.current = requestAnimationFrame(() => {
        frame.current = 0;
        const renderer = rendererRef.current;
        const canvas = canvasRef.current;
        const { width, height } = sizeRef.current;
        if (!renderer || !canvas || width === 0 || height === 0) return;
        const scale = window.devicePixelRatio || 1;
        const w = Math.round(width * scale);
        const h = Math.round(height * scale);
        if (canvas.width !== w || canvas.height !== h) {
          canvas.width = w;
          canvas.height = h;
        }
        const { field: state, look } = store.get();
        renderer.draw(state, look, width, height, scale);
        canvas.dataset.framesSubmitted = String(renderer.submitted);
        canvas.dataset.framesCompleted = String(renderer.completed);
      });
    },
    [store],
  );

  // The page's one renderer (sharedRenderer.ts) is lent to this view while it is on screen.
  useEffect(() => {
    let canvas: HTMLCanvasElement;
    let renderer: FieldRenderer;
    try {
      ({ canvas, renderer } = sharedField());
    } catch (error) {
      setFailure(
        error instanceof FieldRendererError && error.reason === 'no_webgl2'
          ? t('exam.field.noWebgl')
          : t('exam.field.failed', { message: (error as Error).message }),
      );
      return;
    }
    holderRef.current!.appendChild(canvas);
    canvas.dataset.testid = `${testId}-canvas`;
    canvas.dataset.layers = '';
    renderer.resetCounters();
    canvas.dataset.framesSubmitted = '0';
    canvas.dataset.framesCompleted = '0';
    canvasRef.current = canvas;
    rendererRef.current = renderer;
    const lost = (event: Event) => {
      event.preventDefault();
      setFailure(t('exam.field.contextLost'));
    };
    canvas.addEventListener('webglcontextlost', lost);
    // Fences of the last frames signal after drawing stops: keep the completed count honest while idle.
    const poll = window.setInterval(() => {
      renderer.collectFences();
      canvas.dataset.framesCompleted = String(renderer.completed);
    }, 250);
    return () => {
      window.clearInterval(poll);
      canvas.removeEventListener('webglcontextlost', lost);
      cancelAnimationFrame(frame.current);
      frame.current = 0;
      rendererRef.current = null;
      canvasRef.current = null;
      for (const side of [0, 1] as const) renderer.setLayer(side, null);
      canvas.remove();
    };
  }, [t, testId]);

  useEffect(() => {
    const renderer = rendererRef.current;
    if (!renderer) return;
    try {
      for (const side of [0, 1] as const) renderer.setLayer(side, layers[side]?.layer ?? null);
      // Which pictures are shown, and the first frame that shows them (frames completed beyond it did).
      canvasRef.current!.dataset.layers = layers.map((l) => (l ? l.role : '')).join('|');
      canvasRef.current!.dataset.layersFrom = String(renderer.submitted + 1);
    } catch (error) {
      setFailure(t('exam.field.failed', { message: (error as Error).message }));
    }
    redraw();
  }, [layers, redraw, t]);

  useEffect(() => store.subscribe(redraw), [store, redraw]);
  useEffect(redraw, [size, redraw]);

  useEffect(() => {
    const box = boxRef.current!;
    const observer = new ResizeObserver(() => setSize({ width: box.clientWidth, height: box.clientHeight }));
    observer.observe(box);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const renderer = rendererRef.current;
    onHandle?.(renderer && size.width > 0 ? { renderer, size } : null);
  }, [onHandle, size, failure]);

  // Wheel zoom, registered by hand: React's wheel listener is passive and could not stop the page scrolling.
  useEffect(() => {
    const box = boxRef.current!;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = box.getBoundingClientRect();
      const at: Point = [event.clientX - rect.left, event.clientY - rect.top];
      store.setField((s) => {
        const panels = panelsOf(s.mode, rect.width, rect.height);
        const index = panelAt(panels, at);
        return zoomAt(s, panels[index]!, event.deltaY < 0 ? zoomStep : 1 / zoomStep, at);
      });
    };
    box.addEventListener('wheel', onWheel, { passive: false });
    return () => box.removeEventListener('wheel', onWheel);
  }, [store]);

  const geometry = useMemo(() => geometryOf(field, size.width, size.height), [field, size]);

  const pointer = (phase: FieldPointer['phase'], event: PointerEvent<HTMLDivElement>): FieldPointer => {
    const rect = boxRef.current!.getBoundingClientRect();
    const screen: Point = [event.clientX - rect.left, event.clientY - rect.top];
    const state = store.get().field;
    const panels = panelsOf(state.mode, rect.width, rect.height);
    const panel = panelAt(panels, screen);
    const side = state.mode === 'side' ? panels[panel]!.sides[0]! : state.active;
    return {
      phase,
      screen,
      panel,
      world: apply(invert(screenFromWorld(state, panels[panel]!)), screen),
      side,
      own: apply(invert(screenFromOwn(state, panels[panel]!, side)), screen),
      shiftKey: event.shiftKey,
    };
  };

  return (
    <Box pos="relative" h={height} style={{ borderRadius: 4, overflow: 'hidden' }}>
      <Box
        ref={boxRef}
        data-testid={testId}
        role="img"
        aria-label={label}
        aria-roledescription={t('exam.field.roleDescription')}
        data-zoom={field.zoom.toFixed(6)}
        data-rotation={field.rotationDeg.toFixed(3)}
        data-locked={field.locked}
        data-mode={field.mode}
        tabIndex={onKeyDown || focusable ? 0 : undefined}
        onKeyDown={onKeyDown}
        pos="absolute"
        inset={0}
        style={{
          cursor: drawing ? 'crosshair' : drag.current ? 'grabbing' : 'grab',
          touchAction: 'none',
          // The focus ring inside the box: the field's frame clips anything drawn outside it.
          outlineOffset: -3,
          // The field is composited as a surface of its own (an identity filter makes one). Without it, Chromium
          // crops the WebGL canvas's picture where an opaque element covers part of it (the window's fixed footer
          // or header as the page scrolls) and reads the crop upside down: the picture slid a few pixels down, with
          // a black band along the field's top (seen in Arabic at 1024 × 700, where the field's foot lay under the
          // footer; in English only at some scroll positions). The surface is cropped instead, the right way up.
          filter: 'blur(0px)',
        }}
        onPointerDown={(event) => {
          if (event.button !== 0) return;
          event.currentTarget.setPointerCapture(event.pointerId);
          const p = pointer('down', event);
          if (drawing) return onPointer?.(p);
          // Side by side and unlocked: the side under the pointer is the one that moves.
          if (field.mode === 'side' && !field.locked) store.setField((s) => ({ ...s, active: p.side }));
          drag.current = { x: event.clientX, y: event.clientY };
        }}
        onPointerMove={(event) => {
          if (drawing) {
            if (event.buttons & 1 || event.pointerType !== 'mouse') onPointer?.(pointer('move', event));
            return;
          }
          const from = drag.current;
          if (!from) return;
          drag.current = { x: event.clientX, y: event.clientY };
          store.setField((s) => pan(s, event.clientX - from.x, event.clientY - from.y));
        }}
        onPointerUp={(event) => {
          if (drawing) onPointer?.(pointer('up', event));
          drag.current = null;
        }}
        onPointerCancel={() => (drag.current = null)}
      >
        <div ref={holderRef} style={{ width: '100%', height: '100%' }} />
        {size.width > 0 && overlay ? (
          <svg
            data-field-overlay=""
            width={size.width}
            height={size.height}
            style={{ position: 'absolute', inset: 0, overflow: 'hidden' }}
            aria-hidden="true"
          >
            {overlay(geometry)}
          </svg>
        ) : null}
      </Box>
      {size.width > 0 && html ? <div data-field-overlay="">{html(geometry)}</div> : null}
      {failure ? (
        <Alert color="red" role="alert" pos="absolute" top={8} left={8} right={8}>
          {failure}
        </Alert>
      ) : null}
    </Box>
  );
}
