import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../api/hooks.tsx';
import { UsersPanel } from './UsersPanel.tsx';
import { VerifyPanel } from './VerifyPanel.tsx';

export function AdminPage() {
  const { t } = useTranslation();
  const canVerify = useCan('audit.verify');
  return (
    <Stack gap="md">
      <Title order={1} size="h4">
        {t('admin.title')}
      </Title>
      <UsersPanel />
      {canVerify ? <VerifyPanel /> : null}
    </Stack>
  );
}
