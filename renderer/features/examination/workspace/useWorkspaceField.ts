// The stage of the workspace: its store (view and look, outside React), the field's size and renderer handle, the
// first placement once both pictures are known, fitting, the view mode and the keyboard crosshair.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { apply, invert, type Point } from '../../../shared/field/geometry.ts';
import { fit, initialState, panelsOf, type SideIndex, type ViewMode } from '../../../shared/field/fieldState.ts';
import { createFieldStore, defaultLook } from '../../../shared/field/fieldStore.ts';
import { geometryOf, type FieldHandle } from '../../../shared/field/Field.tsx';
import type { SideLayer } from '../../../shared/field/layers/sideLayers.ts';

export function useWorkspaceField(layers: readonly [SideLayer | null, SideLayer | null]) {
  const store = useMemo(
    () =>
      createFieldStore({
        field: initialState({ widthUm: 1, heightUm: 1 }, { widthUm: 1, heightUm: 1 }),
        look: defaultLook,
      }),
    [],
  );
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

  return { store, handle, fieldSize, onHandle, placed, fitView, setMode, crosshair };
}
