// The imaging rig: its devices, lights, stage and camera, and a USB (UVC) microscope through the browser.
import { Stack, Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { UvcPanel } from './uvc/UvcPanel.tsx';

export function RigPage() {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Title order={4}>{t('rig.title')}</Title>
      <Tabs defaultValue="uvc" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="uvc">{t('rig.tabs.uvc')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="uvc" pt="xs">
          <UvcPanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
