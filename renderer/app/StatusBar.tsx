import { Group, Text, Tooltip } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Session, SystemStatus } from '../../electron/contract/index.ts';
import { callKey, useCall, useConnectionState, useEvent } from '../api/hooks.tsx';

const stateColour: Record<string, string> = {
  ok: 'teal',
  warning: 'yellow',
  error: 'red',
  offline: 'gray',
  unknown: 'gray',
};

function Light({ label, state, detail }: { label: string; state: string; detail: string }) {
  const { t } = useTranslation();
  return (
    <Tooltip label={detail}>
      <Group gap={4} wrap="nowrap" tabIndex={0} aria-label={`${label}: ${t(`componentState.${state}`)}`}>
        <Text span c={stateColour[state] ?? 'gray'} size="xs" aria-hidden>
          ●
        </Text>
        <Text span size="xs">
          {label}: {t(`componentState.${state}`)}
        </Text>
      </Group>
    </Tooltip>
  );
}

const linkWords = {
  connecting: 'connection.connecting',
  online: 'connection.online',
  offline: 'connection.offline',
  refused: 'connection.refused',
} as const;

/** The bottom line: who is signed in and the state of the link, database, rig and network. */
export function StatusBar({ session }: { session: Session }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const connection = useConnectionState();
  const status = useCall('system.status', {});
  useEvent('system.onStatus', {}, (next: SystemStatus) => queryClient.setQueryData(callKey('system.status', {}), next));
  const s = status.data;
  return (
    <Group h="100%" px="sm" gap="lg" justify="space-between" data-testid="status-bar" wrap="nowrap">
      <Group gap="lg" wrap="nowrap">
        <Text size="xs">
          {t('status.user', { name: session.user.username, role: t(`roles.${session.user.role}`) })}
        </Text>
        <Light
          label={t('status.link')}
          state={connection.status === 'online' ? 'ok' : 'offline'}
          detail={t(linkWords[connection.status])}
        />
        <Light
          label={t('status.database')}
          state={s?.database.state ?? 'unknown'}
          detail={s ? t('status.databaseDetail', { path: s.database.path, version: s.database.schemaVersion }) : ''}
        />
        <Light label={t('status.rig')} state={s?.rig.state ?? 'unknown'} detail={s?.rig.label ?? ''} />
        <Light label={t('status.network')} state={s?.network.state ?? 'unknown'} detail={s?.network.label ?? ''} />
      </Group>
      <Text size="xs" c="dimmed">
        {s ? t('status.version', { version: s.version, shell: t(`status.shell.${s.shell}`) }) : ''}
      </Text>
    </Group>
  );
}
