// A USB (UVC) microscope camera shown in the same live view as the rig's camera.
import { Alert, Button, Group, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LiveView } from '../live/LiveView.tsx';
import { useUvcCamera } from './useUvcCamera.ts';

export function UvcPanel() {
  const { t } = useTranslation();
  const { state, feed, list, open, close } = useUvcCamera();
  const [chosen, setChosen] = useState<string | null>(null);

  // Before access is granted the browser hides names (and often ids): number the cameras instead.
  const options = state.devices.map((d, i) => ({
    value: d.deviceId || `#${i}`,
    label: d.label || t('rig.uvc.unnamed', { n: i + 1 }),
  }));
  const selected = chosen && options.some((o) => o.value === chosen) ? chosen : (options[0]?.value ?? null);
  const deviceIdOf = (value: string | null) => (value && !value.startsWith('#') ? value : '');
  const live = state.phase === 'live';

  return (
    <Stack gap="xs">
      <Group gap="xs" align="end">
        <Select
          label={t('rig.uvc.camera')}
          data={options}
          value={selected}
          onChange={setChosen}
          disabled={options.length === 0 || live}
          placeholder={t('rig.uvc.none')}
          w={320}
          allowDeselect={false}
        />
        {live ? (
          <Button variant="default" onClick={close}>
            {t('rig.uvc.close')}
          </Button>
        ) : (
          <Button
            onClick={() => void open(deviceIdOf(selected))}
            disabled={options.length === 0}
            loading={state.phase === 'opening'}
          >
            {t('rig.uvc.open')}
          </Button>
        )}
        <Button variant="subtle" onClick={() => void list()}>
          {t('rig.uvc.refresh')}
        </Button>
      </Group>
      {state.problem ? (
        <Alert
          color={state.problem === 'noCamera' ? 'gray' : 'red'}
          variant="light"
          title={t(`rig.uvc.problem.${state.problem}`)}
          data-testid="uvc-problem"
          role="status"
        >
          <Text size="sm">{t(`rig.uvc.advice.${state.problem}`)}</Text>
          {state.detail ? (
            <Text size="xs" c="dimmed">
              {state.detail}
            </Text>
          ) : null}
        </Alert>
      ) : null}
      <LiveView
        feed={feed}
        label={t('rig.uvc.image')}
        placeholder={live ? t('rig.live.waiting') : t('rig.uvc.placeholder')}
      />
    </Stack>
  );
}
