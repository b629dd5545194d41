// The comparison-microscope workspace: two acquisitions on one virtual stage, side by side or merged under a
// split line, blended, differenced or in a checkerboard; pan, zoom and rotation locked together or one side at a
// time; auto-alignment from the analysis registration; one virtual light; line profiles; the CMC cells; drawing
// of annotation shapes; snapshots. What happens to shapes and snapshots (stored as annotations and evidence) is
// the examination's business: the page that hosts the workspace passes those callbacks and extra side tabs.
import {
  ActionIcon,
  Alert,
  Badge,
  Box,
  Button,
  Group,
  Kbd,
  SegmentedControl,
  Stack,
  Tabs,
  Text,
  Tooltip,
} from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  AnnotationShape,
  StoredAnalysis,
  ViewState,
  ViewStateInput,
} from '../../../../electron/contract/index.ts';
import { useErrorText } from '../../../api/useErrorText.ts';
import {
  apply,
  compose,
  decompose,
  distance,
  invert,
  normaliseDeg,
  type Point,
} from '../../../shared/field/geometry.ts';
import {
  fit,
  initialState,
  pan,
  panelsOf,
  rotate,
  sideScale,
  viewModes,
  withPlacement,
  zoomAt,
  type SideIndex,
  type ViewMode,
} from '../../../shared/field/fieldState.ts';
import { createFieldStore, defaultLook, useFieldView, type FieldStore } from '../../../shared/field/fieldStore.ts';
import { Field, geometryOf, type FieldHandle, type FieldPointer } from '../../../shared/field/Field.tsx';
import { aFromB } from './registration.ts';
import { useSideLayer } from '../../../shared/field/layers/useSideLayer.ts';
import { warmWorkers } from '../../../shared/field/layers/sideLayers.ts';
import { rolesOf, type SideSource } from '../../../shared/field/layers/sideSource.ts';
import { cellShapes, type CellShape } from './cells.ts';
import { CellsPanel, type CellsView } from './CellsPanel.tsx';
import { LrPanel } from './LrPanel.tsx';
import { FieldOverlay, type AnnotationLayerName, type OverlayShape } from './FieldOverlay.tsx';
import { HelpOverlay } from './HelpOverlay.tsx';
import { actionOf, keyBelongsToControl, type WorkspaceAction } from './keys.ts';
import { LookControls } from '../../../shared/field/LookControls.tsx';
import { lineProfiles } from './profile.ts';
import { ProfilePlot } from './ProfilePlot.tsx';
import { SidePicker } from './SidePicker.tsx';
import { SplitHandle } from './SplitHandle.tsx';
import { composeSnapshot, snapshotScale } from './snapshot.ts';
import { threeDReason, workspaceNotices } from './notices.ts';
import { fromViewState, toViewState } from './viewState.ts';

export type Tool = 'pan' | 'profile' | 'polygon' | 'brush';

/** A shape the examiner finished drawing: in the pixels of the file shown on its side (`frame`). */
export interface DrawnShape {
  side: SideIndex;
  frame: string;
  shape: AnnotationShape;
  view: ViewStateInput;
}

export interface Snapshot {
  png: Uint8Array;
  width: number;
  height: number;
  view: ViewStateInput;
  caption: string;
}

/** A stored annotation to draw: its shape in the pixels of its side's files. */
export interface ShownAnnotation {
  key: string;
  side: SideIndex;
  layer: AnnotationLayerName;
  shape: AnnotationShape;
  highlighted?: boolean;
}

/** The analysis the workspace shows (registration for auto-align, the cells, the scores). */
export type WorkspaceAnalysis = Pick<
  StoredAnalysis,
  'cmc' | 'calibrated' | 'lr' | 'registration' | 'directions' | 'pixelUm'
> &
  Partial<Pick<StoredAnalysis, 'id' | 'algorithm' | 'ranAt'>>;

export interface WorkspaceProps {
  sources: [SideSource, SideSource];
  analysis: WorkspaceAnalysis | null;
  /** What to show while there is no analysis (running, failed, withheld…). */
  analysisStatus: ReactNode;
  /** Both pictures are drawn: the moment to start slow work (the analysis) without delaying the first view. */
  onReady?: () => void;
  annotations?: ShownAnnotation[];
  /** Layer a newly drawn shape is shown in before it is saved. */
  draftLayer?: AnnotationLayerName;
  onShape?: (shape: DrawnShape) => void;
  onSnapshot?: (snapshot: Snapshot) => Promise<void> | void;
  /** A recorded view to show (a snapshot's or an annotation's); `nonce` changes to apply the same view again. */
  restore?: { view: ViewState; nonce: number } | null;
  /** Tabs the host page adds beside the analysis (annotations, conclusion…). */
  tabs?: Array<{ value: string; label: string; content: ReactNode }>;
  defaultTab?: string;
  header?: ReactNode;
}

const panStep = 40;
const zoomStep = 1.25;
const brushWidthUm = 30;

/** The stage's zoom and rotation and how B sits on A: a small part of its own, the one that follows every move. */
function FieldStateText({
  store,
  spacingUm,
  relative,
}: {
  store: FieldStore;
  spacingUm: number;
  relative: { rotationDeg: number; shift: number[] };
}) {
  const { t } = useTranslation();
  const zoom = useFieldView(store, (v) => sideScale(v.field, 0) * spacingUm);
  const rotation = useFieldView(store, (v) => v.field.rotationDeg);
  return (
    <Text size="xs" c="dimmed" data-testid="field-state">
      {t('exam.fieldState', {
        zoom: zoom.toFixed(2),
        rotation: normaliseDeg(rotation).toFixed(1),
        theta: normaliseDeg(relative.rotationDeg).toFixed(1),
        dx: relative.shift[0]!.toFixed(0),
        dy: relative.shift[1]!.toFixed(0),
      })}
    </Text>
  );
}

export function Workspace(props: WorkspaceProps) {
  const { sources } = props;
  const names: [string, string] = [sources[0].label, sources[1].label];
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const both3d = !!sources[0].topography && !!sources[1].topography;
  // With a topography on both sides the surfaces are compared; otherwise 2D images (each side's first light).
  const [roles, setRoles] = useState<[string | null, string | null]>(
    () =>
      sources.map((s) => (both3d ? 'topography' : (s.images[0]?.role ?? (s.topography ? 'topography' : null)))) as [
        string | null,
        string | null,
      ],
  );
  useEffect(() => {
    if (sources.some((s) => s.topography && (s.topography.width ?? 0) * (s.topography.height ?? 0) >= 1_000_000))
      warmWorkers();
  }, [sources]);
  const sideA = useSideLayer(sources[0], roles[0]);
  const sideB = useSideLayer(sources[1], roles[1]);
  const layers = useMemo(() => [sideA.layer, sideB.layer] as const, [sideA.layer, sideB.layer]);
  const surfaces = layers[0]?.layer.kind === 'surface' && layers[1]?.layer.kind === 'surface';

  const store = useMemo(
    () =>
      createFieldStore({
        field: initialState({ widthUm: 1, heightUm: 1 }, { widthUm: 1, heightUm: 1 }),
        look: defaultLook,
      }),
    [],
  );
  // Only the slices the page shows: panning and zooming must not re-render the whole workspace (the field and its
  // overlays follow the store themselves).
  const mode = useFieldView(store, (v) => v.field.mode);
  const locked = useFieldView(store, (v) => v.field.locked);
  const active = useFieldView(store, (v) => v.field.active);
  const placement = useFieldView(store, (v) => v.field.placement);
  const handle = useRef<FieldHandle | null>(null);
  const [fieldSize, setFieldSize] = useState({ width: 0, height: 0 });
  const onHandle = useCallback((h: FieldHandle | null) => {
    handle.current = h;
    if (h) setFieldSize((s) => (s.width === h.size.width && s.height === h.size.height ? s : h.size));
  }, []);

  // Place and fit once both pictures are known (and the field has a size).
  const placed = useRef(false);
  useEffect(() => {
    if (placed.current || !layers[0] || !layers[1] || fieldSize.width === 0) return;
    placed.current = true;
    const start = initialState(layers[0].extent, layers[1].extent, store.get().field.mode);
    const panel = panelsOf(start.mode, fieldSize.width, fieldSize.height)[0]!;
    store.setField(() => fit(start, [layers[0]!.extent, layers[1]!.extent], panel));
  }, [layers, fieldSize, store]);

  const result = props.analysis;
  const onReady = props.onReady;
  useEffect(() => {
    if (layers[0] && layers[1]) onReady?.();
  }, [layers, onReady]);

  const [tool, setTool] = useState<Tool>('pan');
  const [draft, setDraft] = useState<{ side: SideIndex; kind: 'polygon' | 'stroke'; points: Point[] } | null>(null);
  const [profileLine, setProfileLine] = useState<{ from: Point; to: Point } | null>(null);
  const profileStart = useRef<Point | null>(null);
  const [cellsView, setCellsView] = useState<CellsView>({
    visible: false,
    direction: 0,
    showAll: false,
    selected: null,
  });
  const [hoveredCell, setHoveredCell] = useState<{ side: SideIndex; cell: CellShape } | null>(null);
  const [help, setHelp] = useState(false);
  const [tab, setTab] = useState<string | null>(null);
  const [snapping, setSnapping] = useState(false);
  const alignment = useRef<{ from: 'none' | 'auto' | 'manual'; analysisId: number | null }>({
    from: 'none',
    analysisId: null,
  });
  const [message, setMessage] = useState<{ text: string; tone: 'info' | 'error' } | null>(null);
  const overlayRef = useRef<HTMLDivElement>(null);

  const cells = useMemo(
    () => (result && layers[1] ? cellShapes(result, cellsView.direction, layers[1].sourceExtent) : null),
    [result, cellsView.direction, layers],
  );

  const profiles = useMemo(() => {
    if (!profileLine || !surfaces) return null;
    return lineProfiles(placement, [layers[0]!.heights, layers[1]!.heights], profileLine.from, profileLine.to);
  }, [profileLine, surfaces, placement, layers]);

  const autoAlign = useCallback(() => {
    if (!result || !layers[1]) return;
    const m = aFromB(result.registration, result.pixelUm, layers[1].sourceExtent);
    store.setField((s) => withPlacement(s, 1, compose(s.placement[0], m)));
    alignment.current = { from: 'auto', analysisId: result.id ?? null };
    setMessage({
      text: t('exam.align.done', {
        theta: result.registration.thetaDeg.toFixed(1),
        dx: (result.registration.tx * result.pixelUm).toFixed(0),
        dy: (result.registration.ty * result.pixelUm).toFixed(0),
      }),
      tone: 'info',
    });
  }, [result, layers, store, t]);

  const resetAlignment = useCallback(() => {
    if (!layers[0] || !layers[1]) return;
    const start = initialState(layers[0].extent, layers[1].extent);
    store.setField((s) => withPlacement(withPlacement(s, 0, start.placement[0]), 1, start.placement[1]));
    alignment.current = { from: 'none', analysisId: null };
  }, [layers, store]);

  const fitView = useCallback(() => {
    if (!layers[0] || fieldSize.width === 0) return;
    store.setField((s) =>
      fit(s, [layers[0]!.extent, layers[1]?.extent ?? null], panelsOf(s.mode, fieldSize.width, fieldSize.height)[0]!),
    );
  }, [layers, fieldSize, store]);

  const setMode = useCallback(
    (mode: ViewMode) => {
      store.setField((s) => ({ ...s, mode }));
      fitView();
    },
    [store, fitView],
  );

  /** The panel the active side shows in, and its centre in screen and own coordinates (the keyboard crosshair). */
  const crosshair = useCallback((): { side: SideIndex; own: Point; world: Point } | null => {
    const s = store.get().field;
    if (fieldSize.width === 0) return null;
    const g = geometryOf(s, fieldSize.width, fieldSize.height);
    const panel = s.mode === 'side' ? s.active : 0;
    const p = g.panels[panel]!;
    const screen: Point = [p.x + p.width / 2, p.y + p.height / 2];
    return {
      side: s.active,
      own: apply(invert(g.screenFromOwn(panel, s.active)), screen),
      world: apply(invert(g.screenFromWorld(panel)), screen),
    };
  }, [store, fieldSize]);

  const currentView = useCallback((): ViewStateInput | null => {
    if (!layers[0] || !layers[1] || !roles[0] || !roles[1]) return null;
    const { field: s, look } = store.get();
    return toViewState(s, look, {
      size: fieldSize,
      roles: [roles[0], roles[1]],
      filePixelUm: [layers[0].filePixelUm, layers[1].filePixelUm],
      extents: [layers[0].extent, layers[1].extent],
      alignment: alignment.current,
      cells: cellsView.visible,
      profile: profileLine,
    });
  }, [store, layers, roles, fieldSize, cellsView.visible, profileLine]);

  // A recorded view asked for: both sides, the look and the profile line as they were.
  const restore = props.restore;
  useEffect(() => {
    if (!restore || !layers[0] || !layers[1] || fieldSize.width === 0) return;
    const back = fromViewState(restore.view, [layers[0].filePixelUm, layers[1].filePixelUm], fieldSize);
    store.set({ field: back.field, look: back.look });
    setProfileLine(back.profile);
    setCellsView((v) => ({ ...v, visible: restore.view.cmcCells }));
    const wanted = [restore.view.a.source, restore.view.b.source];
    setRoles((r) => r.map((role, i) => (rolesOf(sources[i]!).includes(wanted[i]!) ? wanted[i]! : role)) as typeof r);
    alignment.current = { from: restore.view.alignment.from, analysisId: restore.view.alignment.analysisId };
    placed.current = true;
    // Only a new request restores; later moves are the examiner's.
    // (layers and size are read once, when the request arrives)
  }, [restore?.nonce]);

  const finishDraft = useCallback(() => {
    setDraft((d) => {
      const view = currentView();
      const layer = d ? layers[d.side] : null;
      if (d && layer && view) {
        const px = layer.filePixelUm;
        const points = d.points.map(([x, y]) => [x / px, y / px] as [number, number]);
        const frame = roles[d.side]!;
        if (d.kind === 'polygon' && points.length >= 3)
          props.onShape?.({ side: d.side, frame, shape: { kind: 'polygon', points }, view });
        if (d.kind === 'stroke' && points.length >= 1)
          props.onShape?.({ side: d.side, frame, shape: { kind: 'stroke', width: brushWidthUm / px, points }, view });
      }
      return null;
    });
  }, [props, currentView, layers, roles]);

  const takeSnapshot = useCallback(async () => {
    const h = handle.current;
    if (!h || !layers[0] || !layers[1] || snapping) return;
    setSnapping(true);
    try {
      const { field: s, look } = store.get();
      const scale = snapshotScale(h.size.width, h.size.height);
      const pixels = h.renderer.renderPixels(s, look, h.size.width, h.size.height, scale);
      const view = currentView();
      if (!view) return;
      const when = new Date().toISOString().replace('T', ' ').slice(0, 19);
      const caption = [
        t('exam.snapshot.captionSides', { a: names[0], b: names[1] }),
        t('exam.snapshot.captionView', {
          mode: t(`exam.mode.${s.mode}`),
          light: Math.round(look.azimuthDeg),
          elevation: Math.round(look.elevationDeg),
          relief: look.exaggeration,
          rotation: normaliseDeg(s.rotationDeg).toFixed(1),
          when,
        }),
      ];
      const umPerCssPixel = layers[0].spacingUm !== null ? 1 / sideScale(s, 0) : null;
      const png = await composeSnapshot({
        field: pixels,
        scale,
        overlay: overlayRef.current?.querySelector('svg') ?? null,
        umPerCssPixel,
        scaleBarText: (length) => t('viewer.scaleBar', { length }),
        caption,
      });
      await props.onSnapshot?.({ png, width: pixels.width, height: pixels.height, view, caption: caption.join('\n') });
    } catch (error) {
      setMessage({ text: t('exam.snapshot.failed', { message: errorText(error) }), tone: 'error' });
    } finally {
      setSnapping(false);
    }
  }, [layers, snapping, store, currentView, names, props, t, errorText]);

  const stepCell = useCallback(
    (delta: number) => {
      if (!result) return;
      const list = result.directions[cellsView.direction].cells.filter((c) => c.congruent || cellsView.showAll);
      if (list.length === 0) return;
      const at = list.findIndex((c) => c.index === cellsView.selected);
      const next = at < 0 ? (delta > 0 ? 0 : list.length - 1) : (at + delta + list.length) % list.length;
      setCellsView((v) => ({ ...v, visible: true, selected: list[next]!.index }));
    },
    [result, cellsView],
  );

  // A side moved on its own changes the alignment by hand.
  useEffect(
    () =>
      store.subscribe(() => {
        const f = store.get().field;
        if (!f.locked && alignment.current.from !== 'manual' && placedSides.current !== f.placement)
          alignment.current = { from: 'manual', analysisId: alignment.current.analysisId };
        placedSides.current = f.placement;
      }),
    [store],
  );
  const placedSides = useRef(store.get().field.placement);

  const run = useCallback(
    (action: WorkspaceAction, shift: boolean) => {
      const big = shift ? 4 : 1;
      const centreZoom = (factor: number) =>
        store.setField((s) => {
          const panel = panelsOf(s.mode, fieldSize.width, fieldSize.height)[s.mode === 'side' ? s.active : 0]!;
          return zoomAt(s, panel, factor, [panel.x + panel.width / 2, panel.y + panel.height / 2]);
        });
      const look = (update: Parameters<typeof store.setLook>[0]) => (surfaces ? store.setLook(update) : undefined);
      const modeIndex = viewModes.indexOf(store.get().field.mode as ViewMode);
      const actions: Record<WorkspaceAction, () => void> = {
        panLeft: () => store.setField((s) => pan(s, panStep * big, 0)),
        panRight: () => store.setField((s) => pan(s, -panStep * big, 0)),
        panUp: () => store.setField((s) => pan(s, 0, panStep * big)),
        panDown: () => store.setField((s) => pan(s, 0, -panStep * big)),
        zoomIn: () => centreZoom(zoomStep),
        zoomOut: () => centreZoom(1 / zoomStep),
        fit: fitView,
        rotateLeft: () => store.setField((s) => rotate(s, shift ? -10 : -1)),
        rotateRight: () => store.setField((s) => rotate(s, shift ? 10 : 1)),
        toggleLock: () => store.setField((s) => ({ ...s, locked: !s.locked })),
        sideA: () => store.setField((s) => ({ ...s, active: 0 })),
        sideB: () => store.setField((s) => ({ ...s, active: 1 })),
        autoAlign,
        resetAlignment: resetAlignment,
        nextMode: () => setMode(viewModes[(modeIndex + 1) % viewModes.length]!),
        previousMode: () => setMode(viewModes[(modeIndex + viewModes.length - 1) % viewModes.length]!),
        splitLeft: () => adjustMix(-1, big),
        splitRight: () => adjustMix(1, big),
        lightLeft: () => look((l) => ({ ...l, azimuthDeg: (l.azimuthDeg - (shift ? 45 : 15) + 360) % 360 })),
        lightRight: () => look((l) => ({ ...l, azimuthDeg: (l.azimuthDeg + (shift ? 45 : 15)) % 360 })),
        lightUp: () => look((l) => ({ ...l, elevationDeg: Math.min(90, l.elevationDeg + 5) })),
        lightDown: () => look((l) => ({ ...l, elevationDeg: Math.max(5, l.elevationDeg - 5) })),
        reliefUp: () => look((l) => ({ ...l, exaggeration: Math.min(20, l.exaggeration + 1) })),
        reliefDown: () => look((l) => ({ ...l, exaggeration: Math.max(1, l.exaggeration - 1) })),
        falseColour: () => look((l) => ({ ...l, falseColour: !l.falseColour })),
        contrast: () => store.setLook((l) => ({ ...l, contrast: !l.contrast })),
        cells: () => setCellsView((v) => ({ ...v, visible: !v.visible })),
        cellDirection: () => setCellsView((v) => ({ ...v, direction: v.direction === 0 ? 1 : 0, selected: null })),
        nextCell: () => stepCell(1),
        previousCell: () => stepCell(-1),
        toolPan: () => {
          setTool('pan');
          setDraft(null);
          profileStart.current = null;
        },
        toolProfile: () => surfaces && setTool('profile'),
        toolPolygon: () => setTool('polygon'),
        toolBrush: () => setTool('brush'),
        addPoint: () => {
          const c = crosshair();
          if (!c) return;
          if (tool === 'profile') {
            if (!profileStart.current) profileStart.current = c.world;
            else {
              setProfileLine({ from: profileStart.current, to: c.world });
              profileStart.current = null;
            }
          } else if (tool === 'polygon' || tool === 'brush') {
            const kind = tool === 'polygon' ? 'polygon' : 'stroke';
            setDraft((d) =>
              d && d.side === c.side ? { ...d, points: [...d.points, c.own] } : { side: c.side, kind, points: [c.own] },
            );
          }
        },
        finishShape: finishDraft,
        undoPoint: () => setDraft((d) => (d && d.points.length > 1 ? { ...d, points: d.points.slice(0, -1) } : null)),
        snapshot: () => void takeSnapshot(),
        help: () => setHelp(true),
      };
      actions[action]();
    },
    [
      store,
      fieldSize,
      surfaces,
      fitView,
      autoAlign,
      resetAlignment,
      setMode,
      stepCell,
      crosshair,
      tool,
      finishDraft,
      takeSnapshot,
    ],
  );

  function adjustMix(direction: number, big: number) {
    store.setField((s) => {
      if (s.mode === 'blend') return { ...s, blend: Math.min(1, Math.max(0, s.blend + 0.05 * big * direction)) };
      if (s.mode === 'checker')
        return { ...s, checkerPx: Math.min(400, Math.max(8, s.checkerPx + 8 * big * direction)) };
      return { ...s, split: Math.min(0.98, Math.max(0.02, s.split + 0.02 * big * direction)) };
    });
  }

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      if (help || document.querySelector('[role="dialog"]')) return;
      if (keyBelongsToControl(event.target, event.key)) return;
      const action = actionOf(event.key);
      if (!action) return;
      event.preventDefault();
      event.stopPropagation();
      run(action, event.shiftKey);
    };
    // Capture phase: the workspace's keys win over the application's single-letter shortcuts while it is open.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [run, help]);

  const onPointer = useCallback(
    (p: FieldPointer) => {
      if (tool === 'profile') {
        if (p.phase === 'down') profileStart.current = p.world;
        else if (profileStart.current) {
          const line = { from: profileStart.current, to: p.world };
          if (distance(line.from, line.to) > 0) setProfileLine(line);
          if (p.phase === 'up') profileStart.current = null;
        }
        return;
      }
      if (tool === 'brush') {
        if (p.phase === 'down') setDraft({ side: p.side, kind: 'stroke', points: [p.own] });
        else if (p.phase === 'move')
          setDraft((d) => {
            if (!d) return d;
            const last = d.points[d.points.length - 1]!;
            // A new point every couple of screen pixels keeps strokes light.
            return distance(last, p.own) * sideScale(store.get().field, d.side) > 2
              ? { ...d, points: [...d.points, p.own] }
              : d;
          });
        else finishDraft();
        return;
      }
      if (tool === 'polygon' && p.phase === 'down') {
        setDraft((d) => {
          if (!d || d.side !== p.side) return { side: p.side, kind: 'polygon', points: [p.own] };
          // A click on the first point closes the polygon.
          const first = d.points[0]!;
          if (d.points.length >= 3 && distance(first, p.own) * sideScale(store.get().field, d.side) < 8) {
            queueMicrotask(finishDraft);
            return d;
          }
          return { ...d, points: [...d.points, p.own] };
        });
      }
    },
    [tool, finishDraft, store],
  );

  const error = sideA.error ?? sideB.error;
  const missing = sources.filter((_, i) => !roles[i]);
  const threeDOff = threeDReason(t, sources, layers);
  const refining = sideA.refining || sideB.refining;
  // While the full resolution is on its way the quick preview is shown: said once, not as a reduction.
  const notices = workspaceNotices(t, sources, layers).filter((n) => !refining || !n.key.startsWith('reduced'));

  // How B sits on A (A⁻¹ ∘ B), whatever the stage does: its turn, and where its centre lies from A's centre.
  const onA = compose(invert(placement[0]), placement[1]);
  const bCentre = layers[1] ? apply(onA, [layers[1].extent.widthUm / 2, layers[1].extent.heightUm / 2]) : [0, 0];
  const relative = {
    rotationDeg: decompose(onA).rotationDeg,
    shift: layers[0]
      ? [bCentre[0]! - layers[0].extent.widthUm / 2, bCentre[1]! - layers[0].extent.heightUm / 2]
      : [0, 0],
  };

  const ready = layers[0] && layers[1];
  const shownShapes: OverlayShape[] = (props.annotations ?? []).flatMap((a) => {
    const px = layers[a.side]?.filePixelUm;
    if (!px) return [];
    const points = a.shape.points.map(([x, y]) => [x * px, y * px] as Point);
    return [
      {
        key: a.key,
        side: a.side,
        layer: a.layer,
        kind: a.shape.kind,
        points,
        widthUm: a.shape.kind === 'stroke' ? a.shape.width * px : 0,
        highlighted: a.highlighted,
      },
    ];
  });
  return (
    <Stack gap={6} data-testid="workspace" data-refining={refining}>
      {props.header}
      <Group gap="xs" wrap="wrap" role="toolbar" aria-label={t('exam.toolbar')}>
        <SegmentedControl
          size="xs"
          aria-label={t('exam.mode.label')}
          value={mode}
          onChange={(v) => setMode(v as ViewMode)}
          data={viewModes.map((m) => ({ value: m, label: t(`exam.mode.${m}`) }))}
        />
        <Button
          size="xs"
          variant={locked ? 'filled' : 'outline'}
          color={locked ? 'blue' : 'orange'}
          aria-pressed={locked}
          onClick={() => run('toggleLock', false)}
          data-testid="lock-toggle"
        >
          {locked ? t('exam.lock.locked') : t('exam.lock.unlocked')}
        </Button>
        <SegmentedControl
          size="xs"
          aria-label={t('exam.activeSide')}
          value={String(active)}
          onChange={(v) => store.setField((s) => ({ ...s, active: Number(v) as SideIndex }))}
          data={[
            { value: '0', label: t('exam.sideShort', { side: 'A' }) },
            { value: '1', label: t('exam.sideShort', { side: 'B' }) },
          ]}
        />
        <Tooltip label={result ? t('exam.align.tooltip') : both3d ? t('exam.align.waiting') : t('exam.align.needs3d')}>
          <Button size="xs" variant="light" onClick={autoAlign} disabled={!result} data-testid="auto-align">
            {t('exam.align.button')}
          </Button>
        </Tooltip>
        <Button size="xs" variant="subtle" onClick={resetAlignment}>
          {t('exam.align.reset')}
        </Button>
        <SegmentedControl
          size="xs"
          aria-label={t('exam.tool.label')}
          value={tool}
          onChange={(v) =>
            run(
              ({ pan: 'toolPan', profile: 'toolProfile', polygon: 'toolPolygon', brush: 'toolBrush' } as const)[
                v as Tool
              ],
              false,
            )
          }
          data={[
            { value: 'pan', label: t('exam.tool.pan') },
            { value: 'profile', label: t('exam.tool.profile'), disabled: !surfaces },
            { value: 'polygon', label: t('exam.tool.polygon'), disabled: !props.onShape },
            { value: 'brush', label: t('exam.tool.brush'), disabled: !props.onShape },
          ]}
        />
        <Button
          size="xs"
          variant="light"
          onClick={() => void takeSnapshot()}
          loading={snapping}
          disabled={!ready || !props.onSnapshot}
        >
          {t('exam.snapshot.button')}
        </Button>
        <Tooltip label={t('exam.help.title')}>
          <ActionIcon variant="default" onClick={() => setHelp(true)} aria-label={t('exam.help.title')}>
            ?
          </ActionIcon>
        </Tooltip>
      </Group>
      {error ? (
        <Alert color="red" role="alert">
          {errorText(error)}
        </Alert>
      ) : null}
      {missing.map((s) => (
        <Alert color="red" role="alert" key={s.acquisitionId}>
          {t('exam.notice.nothingToShow', { name: s.label })}
        </Alert>
      ))}
      <Box style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) 400px', gap: 8 }}>
        <Stack gap={4}>
          <Group gap="xs" justify="space-between" wrap="nowrap">
            <SidePicker
              side={0}
              name={names[0]}
              roles={rolesOf(sources[0])}
              value={roles[0]}
              onChange={(r) => setRoles(([, b]) => [r, b])}
            />
            <FieldStateText store={store} spacingUm={layers[0]?.spacingUm ?? 1} relative={relative} />
            <SidePicker
              side={1}
              name={names[1]}
              roles={rolesOf(sources[1])}
              value={roles[1]}
              onChange={(r) => setRoles(([a]) => [a, r])}
            />
          </Group>
          <div ref={overlayRef}>
            <Field
              store={store}
              layers={[layers[0], layers[1]]}
              label={t('exam.field.label', { a: names[0], b: names[1], mode: t(`exam.mode.${mode}`) })}
              height="max(420px, calc(100vh - 330px))"
              drawing={tool !== 'pan'}
              onPointer={onPointer}
              onHandle={onHandle}
              overlay={(g) => (
                <FieldOverlay
                  geometry={g}
                  content={{
                    cells: cellsView.visible ? cells : null,
                    showAllCells: cellsView.showAll,
                    selectedCell: cellsView.selected,
                    onHoverCell: setHoveredCell,
                    shapes: shownShapes,
                    draft: draft
                      ? { key: 'draft', layer: props.draftLayer ?? 'similar', widthUm: brushWidthUm, ...draft }
                      : null,
                    profile: profileLine,
                    crosshair: tool !== 'pan',
                  }}
                />
              )}
              html={(g) => (
                <>
                  {g.state.mode === 'split' ? (
                    <SplitHandle store={store} panel={g.panels[0]!} split={g.state.split} />
                  ) : null}
                  {!sideA.layer || !sideB.layer ? (
                    <Text pos="absolute" top={12} left={12} c="white" role="status" aria-live="polite">
                      {t('exam.loading')}
                    </Text>
                  ) : null}
                  <Group
                    pos="absolute"
                    top={6}
                    left={8}
                    right={8}
                    justify="space-between"
                    style={{ pointerEvents: 'none' }}
                  >
                    <Badge variant="filled" color="dark.8">
                      {g.state.mode === 'split' || g.state.mode === 'side'
                        ? `A · ${names[0]}`
                        : `A · ${names[0]}  /  B · ${names[1]}`}
                    </Badge>
                    {g.state.mode === 'side' || g.state.mode === 'split' ? (
                      <Badge variant="filled" color="dark.8">{`B · ${names[1]}`}</Badge>
                    ) : null}
                  </Group>
                </>
              )}
            />
          </div>
          <Text size="xs" c="dimmed" aria-live="polite" data-testid="cell-hover">
            {hoveredCell
              ? cellText(hoveredCell.cell)
              : cellsView.selected !== null && cells
                ? cellText(
                    cells.flat().find((c) => c.index === cellsView.selected && c.role === 'reference') ??
                      cells.flat()[0]!,
                  )
                : tool !== 'pan'
                  ? t(`exam.tool.hint.${tool}`)
                  : t('exam.hint')}
          </Text>
          <LookControls store={store} disabledReason={threeDOff} />
          {refining ? (
            <Text size="xs" c="dimmed" role="status" aria-live="polite">
              {t('exam.refining')}
            </Text>
          ) : null}
          {notices.map((n) => (
            <Text size="xs" c={n.tone} key={n.key} data-testid={`notice-${n.key.replace(/-\d$/, '')}`}>
              {n.text}
            </Text>
          ))}
          {message ? (
            <Text
              size="xs"
              c={message.tone === 'error' ? 'red' : 'dimmed'}
              role={message.tone === 'error' ? 'alert' : 'status'}
            >
              {message.text}
            </Text>
          ) : null}
        </Stack>
        <Tabs value={tab ?? props.defaultTab ?? 'view'} onChange={setTab} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="view">{t('exam.tab.analysis')}</Tabs.Tab>
            <Tabs.Tab value="profile">{t('exam.tab.profile')}</Tabs.Tab>
            {result ? <Tabs.Tab value="lr">{t('exam.tab.lr')}</Tabs.Tab> : null}
            {(props.tabs ?? []).map((x) => (
              <Tabs.Tab value={x.value} key={x.value}>
                {x.label}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Tabs.Panel value="view" pt="xs">
            {result ? (
              <CellsPanel
                result={result}
                view={cellsView}
                onChange={(v) => setCellsView((c) => ({ ...c, ...v }))}
                names={names}
              />
            ) : (
              props.analysisStatus
            )}
          </Tabs.Panel>
          {result ? (
            <Tabs.Panel value="lr" pt="xs">
              <LrPanel lr={result.lr} />
            </Tabs.Panel>
          ) : null}
          <Tabs.Panel value="profile" pt="xs">
            {profiles ? (
              <ProfilePlot profiles={profiles} names={names} />
            ) : (
              <Text size="sm" c="dimmed">
                {surfaces ? t('exam.profile.none') : threeDOff}
              </Text>
            )}
          </Tabs.Panel>
          {(props.tabs ?? []).map((x) => (
            <Tabs.Panel value={x.value} key={x.value} pt="xs">
              {x.content}
            </Tabs.Panel>
          ))}
        </Tabs>
      </Box>
      <Text size="xs" c="dimmed">
        <Kbd size="xs">?</Kbd> {t('exam.help.short')}
      </Text>
      <HelpOverlay opened={help} onClose={() => setHelp(false)} />
    </Stack>
  );

  function cellText(cell: CellShape): string {
    return t('exam.cells.hover', {
      cell: `${cell.col + 1},${cell.row + 1}`,
      corr: cell.corr === null ? '—' : cell.corr.toFixed(3),
      theta: cell.thetaDeg === null ? '—' : cell.thetaDeg.toFixed(1),
      dx: cell.dxUm === null ? '—' : cell.dxUm.toFixed(0),
      dy: cell.dyUm === null ? '—' : cell.dyUm.toFixed(0),
      state: cell.congruent ? t('exam.cells.congruent') : t('exam.cells.notCongruent'),
    });
  }
}
