// Every workspace action by name (the toolbar and the keys run the same ones), and the keyboard map: while the
// workspace is open its keys (keys.ts) win over the application's single-letter shortcuts, except in a dialog, in
// the help overlay or in a control that needs the key itself.
import { useCallback, useEffect, type Dispatch, type SetStateAction } from 'react';
import { pan, panelsOf, rotate, viewModes, zoomAt, type ViewMode } from '../../../shared/field/fieldState.ts';
import type { FieldStore } from '../../../shared/field/fieldStore.ts';
import type { CellsView } from './CellsPanel.tsx';
import { actionOf, keyBelongsToControl, type WorkspaceAction } from './keys.ts';
import type { Tool } from './workspaceTypes.ts';

const panStep = 40;
const zoomStep = 1.25;

export interface WorkspaceActions {
  store: FieldStore;
  fieldSize: { width: number; height: number };
  /** Both sides show a topography: the light, relief and false colour apply. */
  surfaces: boolean;
  fitView: () => void;
  setMode: (mode: ViewMode) => void;
  autoAlign: () => void;
  resetAlignment: () => void;
  /** The active side shows its next picture (its topography, then each light of the capture). */
  nextPicture: () => void;
  stepCell: (delta: number) => void;
  setCellsView: Dispatch<SetStateAction<CellsView>>;
  selectTool: (tool: Tool) => void;
  addPoint: () => void;
  finishShape: () => void;
  undoPoint: () => void;
  takeSnapshot: () => Promise<void>;
  openHelp: () => void;
}

/** Runs one action; `shift` makes moves bigger. */
export function useWorkspaceActions(a: WorkspaceActions): (action: WorkspaceAction, shift: boolean) => void {
  const {
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
  } = a;
  const { selectTool, addPoint, finishShape, undoPoint, takeSnapshot, openHelp } = a;
  return useCallback(
    (action: WorkspaceAction, shift: boolean) => {
      const big = shift ? 4 : 1;
      const centreZoom = (factor: number) =>
        store.setField((s) => {
          const panel = panelsOf(s.mode, fieldSize.width, fieldSize.height)[s.mode === 'side' ? s.active : 0]!;
          return zoomAt(s, panel, factor, [panel.x + panel.width / 2, panel.y + panel.height / 2]);
        });
      const look = (update: Parameters<typeof store.setLook>[0]) => (surfaces ? store.setLook(update) : undefined);
      const modeIndex = viewModes.indexOf(store.get().field.mode as ViewMode);
      // The split line, the blend's mix or the checkerboard's squares, whichever the mode shows.
      const adjustMix = (direction: number) =>
        store.setField((s) => {
          if (s.mode === 'blend') return { ...s, blend: Math.min(1, Math.max(0, s.blend + 0.05 * big * direction)) };
          if (s.mode === 'checker')
            return { ...s, checkerPx: Math.min(400, Math.max(8, s.checkerPx + 8 * big * direction)) };
          return { ...s, split: Math.min(0.98, Math.max(0.02, s.split + 0.02 * big * direction)) };
        });
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
        resetAlignment,
        nextMode: () => setMode(viewModes[(modeIndex + 1) % viewModes.length]!),
        previousMode: () => setMode(viewModes[(modeIndex + viewModes.length - 1) % viewModes.length]!),
        splitLeft: () => adjustMix(-1),
        splitRight: () => adjustMix(1),
        nextPicture,
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
        toolPan: () => selectTool('pan'),
        toolProfile: () => selectTool('profile'),
        toolPolygon: () => selectTool('polygon'),
        toolBrush: () => selectTool('brush'),
        addPoint,
        finishShape,
        undoPoint,
        snapshot: () => void takeSnapshot(),
        help: openHelp,
      };
      actions[action]();
    },
    [
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
      selectTool,
      addPoint,
      finishShape,
      undoPoint,
      takeSnapshot,
      openHelp,
    ],
  );
}

/** The workspace's keys, listened to on the whole window while it is open (and the help overlay closed). */
export function useWorkspaceKeys(run: (action: WorkspaceAction, shift: boolean) => void, helpOpen: boolean): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      if (helpOpen || document.querySelector('[role="dialog"]')) return;
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
  }, [run, helpOpen]);
}
