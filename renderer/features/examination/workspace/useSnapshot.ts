// A high-resolution picture of the current view: the field drawn again off screen at a larger scale, the overlays
// (cells, annotations, profile line) over it, a scale bar and a caption naming both items and the view; handed to
// the page with the view record, which stores it as evidence.
import { useCallback, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { ViewStateInput } from '../../../../electron/contract/index.ts';
import { useErrorText } from '../../../api/useErrorText.ts';
import { compose, invert, normaliseDeg } from '../../../shared/field/geometry.ts';
import { sideScale } from '../../../shared/field/fieldState.ts';
import type { FieldStore } from '../../../shared/field/fieldStore.ts';
import type { FieldHandle } from '../../../shared/field/Field.tsx';
import type { SideLayer } from '../../../shared/field/layers/sideLayers.ts';
import { composeSnapshot, snapshotScale } from './snapshot.ts';
import { scaleOfB } from './viewState.ts';
import type { Snapshot } from './workspaceTypes.ts';
import { formatNumber } from '../../../app/format.ts';

export function useSnapshot({
  handle,
  store,
  layers,
  names,
  currentView,
  overlayRef,
  onSnapshot,
  say,
}: {
  handle: RefObject<FieldHandle | null>;
  store: FieldStore;
  layers: readonly [SideLayer | null, SideLayer | null];
  names: [string, string];
  currentView: () => ViewStateInput | null;
  overlayRef: RefObject<HTMLDivElement | null>;
  onSnapshot: ((snapshot: Snapshot) => Promise<void> | void) | undefined;
  say: (message: { text: string; tone: 'info' | 'error' }) => void;
}) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const [snapping, setSnapping] = useState(false);
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
          relief: formatNumber(look.exaggeration, Number.isInteger(look.exaggeration) ? 0 : 1),
          rotation: formatNumber(normaliseDeg(s.rotationDeg), 1),
          when,
        }),
      ];
      const bScale = scaleOfB(compose(invert(s.placement[0]), s.placement[1]));
      if (bScale !== null) caption.push(t('exam.scaleOfB', { scale: bScale }));
      const umPerCssPixel = layers[0].spacingUm !== null ? 1 / sideScale(s, 0) : null;
      const png = await composeSnapshot({
        field: pixels,
        scale,
        overlay: overlayRef.current?.querySelector('svg') ?? null,
        umPerCssPixel,
        scaleBarText: (length) => t('viewer.scaleBar', { length }),
        caption,
      });
      await onSnapshot?.({ png, width: pixels.width, height: pixels.height, view, caption: caption.join('\n') });
    } catch (error) {
      say({ text: t('exam.snapshot.failed', { message: errorText(error) }), tone: 'error' });
    } finally {
      setSnapping(false);
    }
  }, [handle, layers, snapping, store, currentView, names, overlayRef, onSnapshot, say, t, errorText]);
  return { snapping, takeSnapshot };
}
