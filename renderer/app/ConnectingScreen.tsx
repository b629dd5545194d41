import { Center, Loader, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useConnectionState } from '../api/hooks.tsx';
import { ConnectionNotice } from './ConnectionNotice.tsx';

export function ConnectingScreen() {
  const { t } = useTranslation();
  const connection = useConnectionState();
  return (
    <Center h="100vh">
      <Stack align="center" gap="sm" maw={420}>
        <Title order={3}>{t('app.name')}</Title>
        {connection.status === 'online' || connection.status === 'connecting' ? (
          <Loader size="sm" aria-label={t('connection.connecting')} />
        ) : null}
        <ConnectionNotice />
        {connection.status === 'online' ? <Text size="sm">{t('connection.checkingSession')}</Text> : null}
      </Stack>
    </Center>
  );
}
