// The stage's zoom and rotation and how B sits on A: a small part of its own, the one that follows every move (the
// rest of the workspace does not re-render when the stage pans or zooms).
import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { apply, compose, decompose, invert, normaliseDeg } from '../../../shared/field/geometry.ts';
import { sideScale } from '../../../shared/field/fieldState.ts';
import { useFieldView, type FieldStore } from '../../../shared/field/fieldStore.ts';
import type { SideLayer } from '../../../shared/field/layers/sideLayers.ts';
import { scaleOfB } from './viewState.ts';
import { formatNumber } from '../../../app/format.ts';

export function FieldStateText({
  store,
  layers,
}: {
  store: FieldStore;
  layers: readonly [SideLayer | null, SideLayer | null];
}) {
  const { t, i18n } = useTranslation();
  const spacingUm = layers[0]?.spacingUm ?? 1;
  const zoom = useFieldView(store, (v) => sideScale(v.field, 0) * spacingUm);
  const rotation = useFieldView(store, (v) => v.field.rotationDeg);
  const placement = useFieldView(store, (v) => v.field.placement);
  // How B sits on A (A⁻¹ ∘ B), whatever the stage does: its turn, and where its centre lies from A's centre.
  const onA = compose(invert(placement[0]), placement[1]);
  const bCentre = layers[1] ? apply(onA, [layers[1].extent.widthUm / 2, layers[1].extent.heightUm / 2]) : [0, 0];
  const shift = layers[0]
    ? [bCentre[0]! - layers[0].extent.widthUm / 2, bCentre[1]! - layers[0].extent.heightUm / 2]
    : [0, 0];
  return (
    // Written in the page's direction, although it sits between the two sides' pickers (laid out left to right).
    <Text size="xs" c="dimmed" data-testid="field-state" dir={i18n.dir()}>
      {t('exam.fieldState', {
        zoom: formatNumber(zoom, 2),
        rotation: formatNumber(normaliseDeg(rotation), 1),
        theta: formatNumber(normaliseDeg(decompose(onA).rotationDeg), 1),
        dx: formatNumber(shift[0], 0),
        dy: formatNumber(shift[1], 0),
      })}
      {scaleOfB(onA) !== null ? ` · ${t('exam.scaleOfB', { scale: scaleOfB(onA) })}` : ''}
    </Text>
  );
}
