// The imaging rig: the station's rig (devices, lights, stage, camera and live view) and, on its own tab, a USB
// (UVC) microscope through the browser.
import { Stack, Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { RigPanel } from './panel/RigPanel.tsx';
import { UvcPanel } from './uvc/UvcPanel.tsx';

export function RigPage() {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Title order={1} size="h4">
        {t('rig.title')}
      </Title>
      {/* Unmounted when hidden: the USB camera is released and the rig's frames stop arriving on a tab nobody sees. */}
      <Tabs defaultValue="rig" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="rig">{t('rig.tabs.rig')}</Tabs.Tab>
          <Tabs.Tab value="uvc">{t('rig.tabs.uvc')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="rig" pt="xs">
          <RigPanel />
        </Tabs.Panel>
        <Tabs.Panel value="uvc" pt="xs">
          <UvcPanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
