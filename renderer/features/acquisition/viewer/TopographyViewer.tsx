// A topography as a shaded relief under an adjustable virtual light: the comparison field (renderer/shared/field)
// with one picture, so the acquisition page and the comparison workspace light, colour and zoom surfaces the
// same way, on the GPU. Keys on the relief: A/D turn the light, W/S raise and lower it, C toggles false colour,
// + − zoom, 0 fits, 1 shows full size, arrows pan (Shift: further).
import { ActionIcon, Box, Group, Stack, Text, Tooltip } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AcquisitionDetail } from '../../../../electron/contract/index.ts';
import { useErrorText } from '../../../api/useErrorText.ts';
import { colourTable } from '../../../shared/heightColour.ts';
import { Field, type FieldHandle } from '../../../shared/field/Field.tsx';
import { fit, initialState, pan, panelsOf, zoomAt } from '../../../shared/field/fieldState.ts';
import { createFieldStore, defaultLook, useFieldView } from '../../../shared/field/fieldStore.ts';
import { LookControls } from '../../../shared/field/LookControls.tsx';
import { sourceOfDetail } from '../../../shared/field/layers/sideSource.ts';
import { useSideLayer } from '../../../shared/field/layers/useSideLayer.ts';
import { missingDataHatch } from '../../../shared/field/shaders.ts';
import { niceLength } from '../../../shared/scale.ts';
import { formatNumber } from '../../../app/format.ts';

const rgb = (c: readonly number[]) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
const gradient = `linear-gradient(to right, ${[0, 64, 128, 192, 255].map((i) => rgb(Array.from(colourTable.subarray(i * 3, i * 3 + 3)))).join(', ')})`;
const zoomStep = 1.25;

export function TopographyViewer({ detail, height }: { detail: AcquisitionDetail; height?: number | string }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const source = useMemo(() => sourceOfDetail(detail, ''), [detail]);
  const side = useSideLayer(source, 'topography');
  const layer = side.layer;
  const store = useMemo(
    () =>
      createFieldStore({
        field: initialState({ widthUm: 1, heightUm: 1 }, { widthUm: 1, heightUm: 1 }, 'single'),
        look: defaultLook,
      }),
    [],
  );
  const field = useFieldView(store, (v) => v.field);
  const look = useFieldView(store, (v) => v.look);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const onHandle = useCallback((h: FieldHandle | null) => {
    if (h) setSize((s) => (s.width === h.size.width && s.height === h.size.height ? s : h.size));
  }, []);
  const fitted = useRef(false);
  const fitView = useCallback(() => {
    if (!layer || size.width === 0) return;
    store.setField((s) =>
      fit(
        { ...s, placement: initialState(layer.extent, layer.extent, 'single').placement },
        [layer.extent, null],
        panelsOf('single', size.width, size.height)[0]!,
      ),
    );
  }, [layer, size, store]);
  useEffect(() => {
    if (fitted.current || !layer || size.width === 0) return;
    fitted.current = true;
    fitView();
  }, [layer, size, fitView]);

  const zoomCentre = (factor: number) =>
    store.setField((s) =>
      zoomAt(s, panelsOf('single', size.width, size.height)[0]!, factor, [size.width / 2, size.height / 2]),
    );
  const onKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const lightStep = event.shiftKey ? 45 : 15;
    const panStep = event.shiftKey ? 200 : 50;
    const actions: Record<string, () => void> = {
      a: () => store.setLook((l) => ({ ...l, azimuthDeg: (l.azimuthDeg - lightStep + 360) % 360 })),
      d: () => store.setLook((l) => ({ ...l, azimuthDeg: (l.azimuthDeg + lightStep) % 360 })),
      w: () => store.setLook((l) => ({ ...l, elevationDeg: Math.min(90, l.elevationDeg + 5) })),
      s: () => store.setLook((l) => ({ ...l, elevationDeg: Math.max(5, l.elevationDeg - 5) })),
      c: () => store.setLook((l) => ({ ...l, falseColour: !l.falseColour })),
      '+': () => zoomCentre(zoomStep),
      '=': () => zoomCentre(zoomStep),
      '-': () => zoomCentre(1 / zoomStep),
      '0': fitView,
      // One screen pixel per point of the preview.
      '1': () => layer?.spacingUm && zoomCentre(1 / (store.get().field.zoom * layer.spacingUm)),
      ArrowLeft: () => store.setField((s) => pan(s, panStep, 0)),
      ArrowRight: () => store.setField((s) => pan(s, -panStep, 0)),
      ArrowUp: () => store.setField((s) => pan(s, 0, panStep)),
      ArrowDown: () => store.setField((s) => pan(s, 0, -panStep)),
    };
    const action = actions[event.key.length === 1 ? event.key.toLowerCase() : event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };

  if (side.error)
    return (
      <Text c="red" role="alert">
        {errorText(side.error)}
      </Text>
    );
  const umPerPixel = 1 / field.zoom;
  const scale = layer?.spacingUm ? niceLength(140 * umPerPixel) : 0;
  return (
    <Stack gap="xs" data-refining={side.refining}>
      <Field
        store={store}
        layers={[layer, null]}
        label={t('viewer.reliefLabel', {
          width: layer?.sourceSize[0] ?? 0,
          height: layer?.sourceSize[1] ?? 0,
          azimuth: Math.round(look.azimuthDeg),
          elevation: Math.round(look.elevationDeg),
        })}
        height={height ?? 'max(360px, calc(100vh - 330px))'}
        drawing={false}
        onHandle={onHandle}
        onKeyDown={onKey}
        testId="relief"
        html={() => (
          <>
            {!layer ? (
              <Text pos="absolute" top={12} left={12} c="white" role="status">
                {t('common.loading')}
              </Text>
            ) : null}
            <Stack
              gap={4}
              p={6}
              pos="absolute"
              right={8}
              top={8}
              style={{ background: 'rgba(0,0,0,0.55)', borderRadius: 4, pointerEvents: 'none' }}
            >
              {look.falseColour && layer?.layer.kind === 'surface' ? (
                <div>
                  <Box w={140} h={8} style={{ background: gradient }} />
                  <Group justify="space-between" gap={4}>
                    <Text size="xs" c="white">
                      {t('viewer.micrometres', { value: formatNumber(layer.layer.texels.range.min, 1) })}
                    </Text>
                    <Text size="xs" c="white">
                      {t('viewer.micrometres', { value: formatNumber(layer.layer.texels.range.max, 1) })}
                    </Text>
                  </Group>
                </div>
              ) : null}
              <Group gap={6}>
                <Box
                  w={14}
                  h={14}
                  style={{
                    background: `repeating-linear-gradient(45deg, ${rgb(missingDataHatch[0])} 0 4px, ${rgb(missingDataHatch[1])} 4px 8px)`,
                  }}
                />
                <Text size="xs" c="white">
                  {t('viewer.invalid')}
                </Text>
              </Group>
            </Stack>
            {scale > 0 ? (
              <Box pos="absolute" left={12} bottom={10} data-testid="scale-bar" style={{ pointerEvents: 'none' }}>
                <Box w={scale / umPerPixel} h={4} bg="white" style={{ boxShadow: '0 0 2px black' }} />
                <Text size="xs" c="white" style={{ textShadow: '0 0 3px black' }}>
                  {t('viewer.scaleBar', { length: scale })}
                </Text>
              </Box>
            ) : null}
            <Group gap={4} pos="absolute" right={8} bottom={8}>
              <Text size="xs" c="white" style={{ textShadow: '0 0 3px black' }} data-testid="zoom-level">
                {layer?.spacingUm
                  ? t('viewer.zoomLevel', { percent: Math.round(field.zoom * layer.spacingUm * 100) })
                  : ''}
              </Text>
              <Tooltip label={t('viewer.zoomOut')}>
                <ActionIcon
                  size="sm"
                  variant="default"
                  aria-label={t('viewer.zoomOut')}
                  onClick={() => zoomCentre(1 / zoomStep)}
                >
                  −
                </ActionIcon>
              </Tooltip>
              <Tooltip label={t('viewer.zoomIn')}>
                <ActionIcon
                  size="sm"
                  variant="default"
                  aria-label={t('viewer.zoomIn')}
                  onClick={() => zoomCentre(zoomStep)}
                >
                  +
                </ActionIcon>
              </Tooltip>
              <Tooltip label={t('viewer.fit')}>
                <ActionIcon size="sm" variant="default" aria-label={t('viewer.fit')} onClick={fitView}>
                  ⤢
                </ActionIcon>
              </Tooltip>
            </Group>
          </>
        )}
      />
      <LookControls store={store} disabledReason={null} />
      <Text size="xs" c="dimmed">
        {t('viewer.reliefKeys')}
      </Text>
    </Stack>
  );
}
