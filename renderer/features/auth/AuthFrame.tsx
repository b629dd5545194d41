import { Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ConnectionNotice } from '../../app/ConnectionNotice.tsx';
import { LanguageSelect } from '../../app/LanguageSwitch.tsx';

export function AuthFrame({ title, subtitle, children }: { title: string; subtitle?: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Center component="main" mih="100vh" p="md">
      <Stack w={380} gap="sm">
        <Group justify="space-between">
          <Text fw={600} c="dimmed" size="sm">
            {t('app.name')} · {t('app.tagline')}
          </Text>
          <LanguageSelect />
        </Group>
        <ConnectionNotice />
        <Paper withBorder p="lg" radius="sm">
          <Stack gap="sm">
            <Title order={1} size="h3">
              {title}
            </Title>
            {subtitle ? (
              <Text size="sm" c="dimmed">
                {subtitle}
              </Text>
            ) : null}
            {children}
          </Stack>
        </Paper>
      </Stack>
    </Center>
  );
}
