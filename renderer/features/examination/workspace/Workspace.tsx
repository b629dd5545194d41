// The comparison-microscope workspace: two acquisitions on one virtual stage, side by side or merged under a
// split line, blended, differenced or in a checkerboard; pan, zoom and rotation locked together or one side at a
// time; auto-alignment from the analysis registration; one virtual light; line profiles; the CMC cells; drawing
// of annotation shapes; snapshots. What happens to shapes and snapshots (stored as annotations and evidence) is
// the examination's business: the page that hosts the workspace passes those callbacks and extra side tabs.
//
// This file puts the pieces together: the stage (useWorkspaceField), the alignment (useAlignment), the tools
// (useDrawing), snapshots (useSnapshot), actions and keys (useWorkspaceKeys), the toolbar and the side panel.
import { Alert, Badge, Box, Group, Kbd, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ViewStateInput } from '../../../../electron/contract/index.ts';
import { useErrorText } from '../../../api/useErrorText.ts';
import type { Point } from '../../../shared/field/geometry.ts';
import type { SideIndex } from '../../../shared/field/fieldState.ts';
import { useFieldView } from '../../../shared/field/fieldStore.ts';
import { Field } from '../../../shared/field/Field.tsx';
import { LookControls } from '../../../shared/field/LookControls.tsx';
import { useSideLayer } from '../../../shared/field/layers/useSideLayer.ts';
import { warmWorkers } from '../../../shared/field/layers/sideLayers.ts';
import { rolesOf } from '../../../shared/field/layers/sideSource.ts';
import { cellShapes, type CellShape } from './cells.ts';
import type { CellsView } from './CellsPanel.tsx';
import { FieldHint } from './FieldHint.tsx';
import { FieldOverlay, type OverlayShape } from './FieldOverlay.tsx';
import { FieldStateText } from './FieldStateText.tsx';
import { HelpOverlay } from './HelpOverlay.tsx';
import { lineProfiles } from './profile.ts';
import { SidePicker } from './SidePicker.tsx';
import { SplitHandle } from './SplitHandle.tsx';
import { threeDReason, workspaceNotices } from './notices.ts';
import { useAlignment } from './useAlignment.ts';
import { brushWidthUm, useDrawing, type ProfileLine } from './useDrawing.ts';
import { useSnapshot } from './useSnapshot.ts';
import { useWorkspaceActions, useWorkspaceKeys } from './useWorkspaceKeys.ts';
import { useWorkspaceField } from './useWorkspaceField.ts';
import { fromViewState, toViewState } from './viewState.ts';
import { WorkspaceTabs } from './WorkspaceTabs.tsx';
import { WorkspaceToolbar } from './WorkspaceToolbar.tsx';
import type { WorkspaceProps } from './workspaceTypes.ts';
import { revealReorderingControls } from '../../../../electron/contract/bidiControls.ts';

/** True from the frame after both pictures were first drawn (the one that drew them has been composited). */
function useFirstPicture(bothLayers: boolean): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!bothLayers || shown) return;
    let frame = requestAnimationFrame(() => (frame = requestAnimationFrame(() => setShown(true))));
    return () => cancelAnimationFrame(frame);
  }, [bothLayers, shown]);
  return shown;
}

export function Workspace(props: WorkspaceProps) {
  const { sources } = props;
  // Spelled out: an override in an exhibit number would disguise it and turn the other side's name around.
  const names: [string, string] = [
    revealReorderingControls(sources[0].label),
    revealReorderingControls(sources[1].label),
  ];
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
  // Slow work waits for the first picture of the pair: the full resolutions and the analysis are asked for once
  // both quick previews are on screen (or a side has failed), so they do not compete with it for the processors.
  const [refine, setRefine] = useState(false);
  const sideA = useSideLayer(sources[0], roles[0], refine);
  const sideB = useSideLayer(sources[1], roles[1], refine);
  const layers = useMemo(() => [sideA.layer, sideB.layer] as const, [sideA.layer, sideB.layer]);
  const bothShown = useFirstPicture(!!layers[0] && !!layers[1]);
  const settled = [sideA, sideB].every((s) => !s.loading || s.refining || !!s.error);
  useEffect(() => {
    if (settled && (bothShown || !layers[0] || !layers[1])) setRefine(true);
  }, [settled, bothShown, layers]);
  const surfaces = layers[0]?.layer.kind === 'surface' && layers[1]?.layer.kind === 'surface';

  const { store, handle, fieldSize, onHandle, placed, fitView, setMode, crosshair } = useWorkspaceField(layers);
  // Only the slices the page shows: panning and zooming must not re-render the whole workspace (the field and its
  // overlays follow the store themselves).
  const mode = useFieldView(store, (v) => v.field.mode);
  const placement = useFieldView(store, (v) => v.field.placement);

  const result = props.analysis;
  const onReady = props.onReady;
  useEffect(() => {
    if (bothShown) onReady?.();
  }, [bothShown, onReady]);

  const [profileLine, setProfileLine] = useState<ProfileLine>(null);
  const [cellsView, setCellsView] = useState<CellsView>({
    visible: false,
    direction: 0,
    showAll: false,
    selected: null,
  });
  const [hoveredCell, setHoveredCell] = useState<{ side: SideIndex; cell: CellShape } | null>(null);
  const [help, setHelp] = useState(false);
  const [message, setMessage] = useState<{ text: string; tone: 'info' | 'error' } | null>(null);
  const overlayRef = useRef<HTMLDivElement>(null);
  const { alignment, autoAlign, resetAlignment } = useAlignment(store, layers, result, setMessage);

  const cells = useMemo(
    () => (result && layers[1] ? cellShapes(result, cellsView.direction, layers[1].sourceExtent) : null),
    [result, cellsView.direction, layers],
  );

  const profiles = useMemo(() => {
    if (!profileLine || !surfaces) return null;
    return lineProfiles(placement, [layers[0]!.heights, layers[1]!.heights], profileLine.from, profileLine.to);
  }, [profileLine, surfaces, placement, layers]);

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
  }, [store, layers, roles, fieldSize, cellsView.visible, profileLine, alignment]);

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

  const drawing = useDrawing({
    store,
    layers,
    roles,
    currentView,
    onShape: props.onShape,
    setProfileLine,
    crosshair,
    surfaces,
  });
  const { tool, draft } = drawing;
  const { snapping, takeSnapshot } = useSnapshot({
    handle,
    store,
    layers,
    names,
    currentView,
    overlayRef,
    onSnapshot: props.onSnapshot,
    say: setMessage,
  });

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

  const nextPicture = useCallback(() => {
    const side = store.get().field.active;
    const list = rolesOf(sources[side]!);
    if (list.length < 2) return;
    setRoles((r) => {
      const next = list[(list.indexOf(r[side] ?? '') + 1) % list.length]!;
      return side === 0 ? [next, r[1]] : [r[0], next];
    });
  }, [store, sources]);

  const openHelp = useCallback(() => setHelp(true), []);
  const run = useWorkspaceActions({
    store,
    fieldSize,
    surfaces,
    fitView,
    setMode,
    autoAlign,
    resetAlignment,
    nextPicture,
    stepCell,
    setCellsView,
    selectTool: drawing.selectTool,
    addPoint: drawing.addPoint,
    finishShape: drawing.finishDraft,
    undoPoint: drawing.undoPoint,
    takeSnapshot,
    openHelp,
  });
  useWorkspaceKeys(run, help);

  const error = sideA.error ?? sideB.error;
  const missing = sources.filter((_, i) => !roles[i]);
  const threeDOff = threeDReason(t, sources, layers);
  const refining = sideA.refining || sideB.refining;
  // While the full resolution is on its way the quick preview is shown: said once, not as a reduction.
  const notices = workspaceNotices(t, sources, layers).filter((n) => !refining || !n.key.startsWith('reduced'));

  const ready = !!layers[0] && !!layers[1];
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
      <WorkspaceToolbar
        store={store}
        run={run}
        setMode={setMode}
        tool={tool}
        analysed={!!result}
        both3d={both3d}
        surfaces={surfaces}
        canDraw={!!props.onShape}
        canSnapshot={ready && !!props.onSnapshot}
        snapping={snapping}
      />
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
      {/* The panel takes 30 % of the window between 300 and 400 px, so the field keeps most of a 1024 px window. */}
      <Box style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) clamp(300px, 30vw, 400px)', gap: 8 }}>
        <Stack gap={4} miw={0}>
          {/* The stage shows A on the left and B on the right in every language: what names a side sits over it. Two
              equal columns, each picker folding within its own (name, then picture), and the stage's state under
              them: nothing runs into the panel beside the field or is cut, whatever the width. */}
          <Box
            dir="ltr"
            style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)', gap: '4px 12px' }}
          >
            <SidePicker
              side={0}
              name={names[0]}
              roles={rolesOf(sources[0])}
              value={roles[0]}
              onChange={(r) => setRoles(([, b]) => [r, b])}
            />
            <SidePicker
              side={1}
              name={names[1]}
              roles={rolesOf(sources[1])}
              value={roles[1]}
              onChange={(r) => setRoles(([a]) => [a, r])}
            />
            <Box style={{ gridColumn: '1 / -1' }}>
              <FieldStateText store={store} layers={layers} />
            </Box>
          </Box>
          <div ref={overlayRef}>
            <Field
              store={store}
              layers={[layers[0], layers[1]]}
              label={
                t('exam.field.label', { a: names[0], b: names[1], mode: t(`exam.mode.${mode}`) }) +
                (tool === 'pan'
                  ? ''
                  : ` · ${t('exam.field.drawing', { tool: t(`exam.tool.${tool}`), points: draft?.points.length ?? 0 })}`)
              }
              focusable
              height="max(420px, calc(100vh - 330px))"
              drawing={tool !== 'pan'}
              onPointer={drawing.onPointer}
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
                    dir="ltr"
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
          <FieldHint hovered={hoveredCell?.cell ?? null} selected={cellsView.selected} cells={cells} tool={tool} />
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
        <WorkspaceTabs
          result={result}
          analysisStatus={props.analysisStatus}
          cellsView={cellsView}
          setCellsView={setCellsView}
          names={names}
          profiles={profiles}
          surfaces={surfaces}
          threeDOff={threeDOff}
          tabs={props.tabs}
          defaultTab={props.defaultTab}
        />
      </Box>
      <Text size="xs" c="dimmed">
        <Kbd size="xs">?</Kbd> {t('exam.help.short')}
      </Text>
      <HelpOverlay opened={help} onClose={() => setHelp(false)} />
    </Stack>
  );
}
