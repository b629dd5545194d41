// The 2D images of an acquisition, one per light (segments, ring, coaxial, ...): a row of thumbnails to choose
// from (arrow keys move between them) and the chosen image with zoom and pan. Previews come from the host
// already reduced to 8 bits; the contrast is stretched again here so a dim frame stays readable.
import { Center, Group, Loader, Stack, Text, UnstyledButton } from '@mantine/core';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../../api/hooks.tsx';
import { useErrorText } from '../../../api/useErrorText.ts';
import { previewGreyImage } from './decodePreview.ts';
import { autoWindow, greyToRgba, type GreyImage } from './grey.ts';
import { RasterView } from './RasterView.tsx';
import { roleLabel } from '../roles.ts';
import { useLightWords } from '../../rig/lightWords.ts';

function toCanvas(image: GreyImage): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const ctx = canvas.getContext('2d');
  if (ctx) {
    const pixels = ctx.createImageData(image.width, image.height);
    greyToRgba(image, autoWindow(image), pixels.data, false);
    ctx.putImageData(pixels, 0, 0);
  }
  return canvas;
}

function Thumbnail({
  acquisitionId,
  role,
  selected,
  onSelect,
  tabIndex,
  buttonRef,
}: {
  acquisitionId: number;
  role: string;
  selected: boolean;
  onSelect: () => void;
  tabIndex: number;
  buttonRef: (el: HTMLButtonElement | null) => void;
}) {
  const { t } = useTranslation();
  const light = useLightWords();
  const preview = useCall('acquisitions.preview', { acquisitionId, role, maxSize: 96 });
  const url = useMemo(
    () => (preview.data?.kind === 'image' ? toCanvas(previewGreyImage(preview.data)).toDataURL() : null),
    [preview.data],
  );
  return (
    <UnstyledButton
      ref={buttonRef}
      role="tab"
      aria-selected={selected}
      tabIndex={tabIndex}
      onClick={onSelect}
      p={4}
      style={{ border: `2px solid ${selected ? 'var(--mantine-color-blue-5)' : 'transparent'}`, borderRadius: 4 }}
    >
      <Stack gap={2} align="center" w={88}>
        {url ? (
          <img src={url} alt="" width={80} height={80} style={{ objectFit: 'contain', background: 'black' }} />
        ) : (
          <Center w={80} h={80} bg="black">
            {preview.error ? (
              <Text size="xs" c="red">
                {t('viewer.unavailable')}
              </Text>
            ) : (
              <Loader size="xs" aria-label={t('common.loading')} />
            )}
          </Center>
        )}
        <Text size="xs" ta="center" lineClamp={1}>
          {roleLabel(t, role, light)}
        </Text>
      </Stack>
    </UnstyledButton>
  );
}

export function ImageViewer({
  acquisitionId,
  roles,
  sourcePixelUm,
}: {
  acquisitionId: number;
  roles: string[];
  sourcePixelUm: number | null;
}) {
  const { t } = useTranslation();
  const light = useLightWords();
  const { errorText } = useErrorText();
  const [selected, setSelected] = useState(roles[0] ?? '');
  const preview = useCall(
    'acquisitions.preview',
    { acquisitionId, role: selected, maxSize: 2048 },
    { enabled: selected !== '' },
  );
  const image = preview.data?.kind === 'image' ? preview.data : null;
  const canvas = useMemo(() => (image ? toCanvas(previewGreyImage(image)) : null), [image]);
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);

  useEffect(() => {
    if (!roles.includes(selected)) setSelected(roles[0] ?? '');
  }, [roles, selected]);

  const move = (event: KeyboardEvent<HTMLDivElement>) => {
    const at = roles.indexOf(selected);
    const next =
      event.key === 'ArrowRight'
        ? at + 1
        : event.key === 'ArrowLeft'
          ? at - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? roles.length - 1
              : null;
    if (next === null) return;
    event.preventDefault();
    const index = (next + roles.length) % roles.length;
    setSelected(roles[index]!);
    buttons.current[index]?.focus();
  };

  if (roles.length === 0) return <Text c="dimmed">{t('viewer.noImages')}</Text>;
  return (
    <Stack gap="xs">
      <Group gap={4} role="tablist" aria-label={t('viewer.lights')} onKeyDown={move} wrap="wrap">
        {roles.map((role, i) => (
          <Thumbnail
            key={role}
            acquisitionId={acquisitionId}
            role={role}
            selected={role === selected}
            onSelect={() => setSelected(role)}
            tabIndex={role === selected ? 0 : -1}
            buttonRef={(el) => (buttons.current[i] = el)}
          />
        ))}
      </Group>
      {preview.error ? (
        <Text c="red" role="alert">
          {errorText(preview.error)}
        </Text>
      ) : null}
      <RasterView
        source={canvas}
        version={0}
        pixelUm={image && sourcePixelUm ? (sourcePixelUm * image.sourceWidth) / image.width : null}
        label={t('viewer.imageLabel', { light: roleLabel(t, selected, light) })}
        testId="light-image"
        overlay={preview.isFetching ? <Loader size="sm" aria-label={t('common.loading')} /> : null}
        height="max(320px, calc(100vh - 470px))"
      />
      {image ? (
        <Text size="xs" c="dimmed">
          {t('viewer.imageInfo', {
            width: image.sourceWidth,
            height: image.sourceHeight,
            low: image.low,
            high: image.high,
          })}
        </Text>
      ) : null}
    </Stack>
  );
}
