import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useConnectionState, useStation } from '../api/hooks.tsx';

/** Says plainly when the station is out of reach and when the next try is; nothing when online. */
export function ConnectionNotice() {
  const { t } = useTranslation();
  const station = useStation();
  const state = useConnectionState();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (state.status !== 'offline') return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [state.status]);

  if (state.status === 'refused') {
    return (
      <Alert color="red" title={t(`connection.refusedTitle.${state.reason}`)} role="alert">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{t(`connection.refusedAdvice.${state.reason}`)}</Text>
          <Button variant="light" onClick={() => station.connection.retryNow()}>
            {t('connection.tryAgain')}
          </Button>
        </Stack>
      </Alert>
    );
  }
  if (state.status === 'connecting') return <Text size="sm">{t('connection.connecting')}</Text>;
  if (state.status !== 'offline') return null;
  const seconds = Number.isFinite(state.retryAt) ? Math.max(0, Math.ceil((state.retryAt - now) / 1000)) : null;
  return (
    <Alert color="orange" title={t('connection.offlineTitle')} role="alert">
      <Group justify="space-between" gap="xs">
        <Text size="sm">
          {seconds === null ? t('connection.waitingForShell') : t('connection.retryIn', { count: seconds })}
        </Text>
        {seconds !== null ? (
          <Button variant="light" onClick={() => station.connection.retryNow()}>
            {t('connection.retryNow')}
          </Button>
        ) : null}
      </Group>
    </Alert>
  );
}
