// What the workspace must say about the pictures it shows: a side marked unsuitable, a side without pixel size,
// a preview reduced from its file, two different pixel sizes (resampled on screen), a side without topography.
import type { TFunction } from 'i18next';
import type { SideLayer } from '../../../shared/field/layers/sideLayers.ts';
import { filePixelUm, type SideSource } from '../../../shared/field/layers/sideSource.ts';
import { formatNumber } from '../../../app/format.ts';

export interface Notice {
  key: string;
  tone: 'yellow' | 'blue' | 'red';
  text: string;
}

export function workspaceNotices(
  t: TFunction,
  sources: [SideSource, SideSource],
  layers: readonly [SideLayer | null, SideLayer | null],
): Notice[] {
  const notices: Notice[] = [];
  sources.forEach((source, i) => {
    const name = source.label;
    if (source.unsuitableReason)
      notices.push({
        key: `unsuitable-${i}`,
        tone: 'red',
        text: t('exam.notice.unsuitable', { name, reason: source.unsuitableReason }),
      });
    const layer = layers[i];
    if (!layer) return;
    if (layer.spacingUm === null)
      notices.push({ key: `unscaled-${i}`, tone: 'yellow', text: t('exam.notice.unscaled', { name }) });
    if (layer.reduced) {
      const shown = layer.layer.kind === 'surface' ? layer.layer.texels : layer.layer;
      notices.push({
        key: `reduced-${i}`,
        tone: 'blue',
        text: t('exam.notice.reduced', {
          name,
          width: layer.sourceSize[0],
          height: layer.sourceSize[1],
          shownWidth: shown.width,
          shownHeight: shown.height,
        }),
      });
    }
  });
  // The files' pixel sizes, not the shown ones: a quick preview is reduced from its file by its own factor.
  const spacings = sources.map(filePixelUm);
  if (spacings[0] && spacings[1] && Math.abs(spacings[0] / spacings[1] - 1) > 0.01) {
    const coarse = spacings[0] > spacings[1] ? 0 : 1;
    notices.push({
      key: 'resampled',
      tone: 'blue',
      text: t('exam.notice.resampled', {
        a: formatNumber(spacings[0], 2),
        b: formatNumber(spacings[1], 2),
        fine: sources[coarse === 0 ? 1 : 0].label,
        coarse: formatNumber(spacings[coarse], 2),
      }),
    });
  }
  return notices;
}

/** Why the 3D tools are off, or null when both sides show a topography. */
export function threeDReason(
  t: TFunction,
  sources: [SideSource, SideSource],
  layers: readonly [SideLayer | null, SideLayer | null],
): string | null {
  const missing = sources.findIndex((s) => !s.topography);
  if (missing >= 0) return t('exam.notice.twoD', { name: sources[missing]!.label });
  if (layers.some((l) => l && l.layer.kind !== 'surface')) return t('exam.notice.imagesShown');
  return null;
}
