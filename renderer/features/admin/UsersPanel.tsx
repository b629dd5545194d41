import { Alert, Badge, Button, Group, Paper, Select, Switch, Text, Title } from '@mantine/core';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { roles, type User } from '../../../electron/contract/index.ts';
import { useCall, useCallMutation, useSession } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { formatDateTime } from '../../app/format.ts';
import { NewUserModal } from './NewUserModal.tsx';
import { ResetPasswordModal } from './ResetPasswordModal.tsx';
import { UserText } from '../../shared/UserText.tsx';

export function UsersPanel() {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const me = useSession();
  const users = useCall('users.list', {});
  const update = useCallMutation('users.update', ['users.list', 'audit.list']);
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<User | null>(null);

  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5">
          {t('admin.users')}
        </Title>
        <Button onClick={() => setCreating(true)}>{t('admin.newUser')}</Button>
      </Group>
      {users.error ? (
        <Alert color="red" role="alert">
          {errorText(users.error)}
        </Alert>
      ) : null}
      {update.error ? (
        <Alert color="red" role="alert" mb="xs">
          {errorText(update.error)}
        </Alert>
      ) : null}
      <DataTable<User>
        aria-label={t('admin.users')}
        withTableBorder
        striped
        verticalSpacing={4}
        fz="sm"
        minHeight={100}
        records={users.data ?? []}
        idAccessor="id"
        fetching={users.isFetching}
        noRecordsText={t('admin.noUsers')}
        columns={[
          {
            accessor: 'username',
            title: t('fields.username'),
            render: (u) => <span className="cb-mono">{u.username}</span>,
          },
          { accessor: 'displayName', title: t('fields.displayName'), render: (u) => <UserText text={u.displayName} /> },
          {
            accessor: 'role',
            title: t('fields.role'),
            render: (u) => (
              <Select
                size="xs"
                w={140}
                aria-label={t('admin.roleOf', { username: u.username })}
                data={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                value={u.role}
                allowDeselect={false}
                // An administrator cannot demote or disable themselves: the station would lose its last admin.
                disabled={u.id === me?.user.id}
                onChange={(role) => role && role !== u.role && update.mutate({ id: u.id, role: role as User['role'] })}
              />
            ),
          },
          {
            accessor: 'disabled',
            title: t('admin.active'),
            render: (u) => (
              <Switch
                size="xs"
                checked={!u.disabled}
                disabled={u.id === me?.user.id}
                aria-label={t('admin.activeOf', { username: u.username })}
                onChange={(e) => update.mutate({ id: u.id, disabled: !e.currentTarget.checked })}
              />
            ),
          },
          { accessor: 'createdAt', title: t('fields.createdAt'), render: (u) => formatDateTime(u.createdAt) },
          {
            accessor: 'actions',
            title: '',
            textAlign: 'right',
            render: (u) => (
              <Group gap={4} justify="flex-end">
                {u.disabled ? (
                  <Badge size="xs" color="gray">
                    {t('admin.disabled')}
                  </Badge>
                ) : null}
                <Button
                  size="compact-xs"
                  variant="subtle"
                  onClick={() => setResetting(u)}
                  aria-label={t('admin.resetPasswordOf', { username: u.username })}
                >
                  {t('admin.resetPassword')}
                </Button>
              </Group>
            ),
          },
        ]}
      />
      <Text size="xs" c="dimmed" mt={4}>
        {t('admin.rolesHint')}
      </Text>
      <NewUserModal opened={creating} onClose={() => setCreating(false)} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </Paper>
  );
}
