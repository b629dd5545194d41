// Exposure and gain with the camera's own limits, live view start / stop, and snap.
import { Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RigDeviceView, RigProperty, RigStatus } from '../../../../electron/contract/index.ts';
import { NumberSetting } from './NumberSetting.tsx';
import { formatNumber } from '../../../app/format.ts';

export interface CameraControlsProps {
  camera: RigDeviceView;
  live: RigStatus['live'];
  disabled: boolean;
  pending: ReadonlySet<string>;
  snapping: boolean;
  onSet(setting: { exposureUs?: number; gainDb?: number }): void;
  onLive(start: boolean): void;
  onSnap(): void;
}

function property(device: RigDeviceView, name: string): RigProperty | undefined {
  return device.properties.find((p) => p.name === name);
}

export function CameraControls({
  camera,
  live,
  disabled,
  pending,
  snapping,
  onSet,
  onLive,
  onSnap,
}: CameraControlsProps) {
  const { t } = useTranslation();
  const exposure = property(camera, 'exposureUs');
  const gain = property(camera, 'gainDb');
  const settingProps = (p: RigProperty | undefined) => ({
    value: typeof p?.value === 'number' ? p.value : null,
    min: p?.min ?? undefined,
    max: p?.max ?? undefined,
    disabled: disabled || !p || p.readOnly,
  });
  return (
    <Stack gap="xs">
      <Group gap="sm" align="start">
        <NumberSetting
          label={t('rig.camera.exposure')}
          unit="µs"
          step={100}
          decimals={0}
          {...settingProps(exposure)}
          onApply={(v) => onSet({ exposureUs: v })}
        />
        <NumberSetting
          label={t('rig.camera.gain')}
          unit="dB"
          step={0.5}
          decimals={1}
          {...settingProps(gain)}
          onApply={(v) => onSet({ gainDb: v })}
        />
      </Group>
      <Group gap="xs">
        {live.running ? (
          <Button variant="default" onClick={() => onLive(false)} loading={pending.has('live')}>
            {t('rig.camera.liveStop')}
          </Button>
        ) : (
          <Button onClick={() => onLive(true)} disabled={disabled} loading={pending.has('live')}>
            {t('rig.camera.liveStart')}
          </Button>
        )}
        <Button variant="default" onClick={onSnap} disabled={disabled} loading={snapping}>
          {t('rig.camera.snap')}
        </Button>
        <Text size="xs" c={live.paused ? 'yellow' : 'dimmed'} data-testid="rig-live-state">
          {live.running
            ? live.paused
              ? t('rig.camera.paused')
              : t('rig.camera.running', { fps: formatNumber(live.fps, 1) })
            : t('rig.camera.stopped')}
        </Text>
      </Group>
    </Stack>
  );
}
