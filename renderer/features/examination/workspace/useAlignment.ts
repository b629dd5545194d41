// How B sits on A and where that came from: auto-alignment from the analysis registration, a reset, or moves of
// one side by hand (noticed from the store), kept for the view records of annotations and snapshots.
import { useCallback, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { compose } from '../../../shared/field/geometry.ts';
import { initialState, withPlacement } from '../../../shared/field/fieldState.ts';
import type { FieldStore } from '../../../shared/field/fieldStore.ts';
import type { SideLayer } from '../../../shared/field/layers/sideLayers.ts';
import { aFromB } from './registration.ts';
import type { WorkspaceAnalysis } from './workspaceTypes.ts';
import { formatNumber } from '../../../app/format.ts';

export interface Alignment {
  from: 'none' | 'auto' | 'manual';
  analysisId: number | null;
}

export function useAlignment(
  store: FieldStore,
  layers: readonly [SideLayer | null, SideLayer | null],
  result: WorkspaceAnalysis | null,
  say: (message: { text: string; tone: 'info' | 'error' }) => void,
) {
  const { t } = useTranslation();
  const alignment = useRef<Alignment>({ from: 'none', analysisId: null });

  const autoAlign = useCallback(() => {
    if (!result || !layers[1]) return;
    const m = aFromB(result.registration, result.pixelUm, layers[1].sourceExtent);
    store.setField((s) => withPlacement(s, 1, compose(s.placement[0], m)));
    alignment.current = { from: 'auto', analysisId: result.id ?? null };
    say({
      text: t('exam.align.done', {
        theta: formatNumber(result.registration.thetaDeg, 1),
        dx: formatNumber(result.registration.tx * result.pixelUm, 0),
        dy: formatNumber(result.registration.ty * result.pixelUm, 0),
      }),
      tone: 'info',
    });
  }, [result, layers, store, t, say]);

  const resetAlignment = useCallback(() => {
    if (!layers[0] || !layers[1]) return;
    const start = initialState(layers[0].extent, layers[1].extent);
    store.setField((s) => withPlacement(withPlacement(s, 0, start.placement[0]), 1, start.placement[1]));
    alignment.current = { from: 'none', analysisId: null };
  }, [layers, store]);

  // A side moved on its own changes the alignment by hand.
  const placedSides = useRef(store.get().field.placement);
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

  return { alignment, autoAlign, resetAlignment };
}
