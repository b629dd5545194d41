// First sign-in with a password an administrator chose (new account or reset): the station refuses everything
// else until the user sets one only they know, so this screen stands in for the whole application.
import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Session } from '../../../electron/contract/index.ts';
import { useStation } from '../../api/hooks.tsx';
import { AuthFrame } from './AuthFrame.tsx';
import { ChangePasswordForm } from './ChangePasswordModal.tsx';

export function PasswordChangeRequiredPage({ session }: { session: Session }) {
  const { t } = useTranslation();
  const station = useStation();
  const done = async () => {
    const status = await station.call('auth.status', {});
    if (status.session) station.signedIn(status.session);
  };
  return (
    <AuthFrame
      title={t('password.requiredTitle')}
      subtitle={t('password.requiredHint', { name: session.user.displayName })}
    >
      <ChangePasswordForm onDone={() => void done()} currentLabel={t('password.given')} />
      <Group justify="flex-start">
        <Button variant="subtle" size="xs" onClick={() => void station.signOut()}>
          {t('shell.signOut')}
        </Button>
      </Group>
    </AuthFrame>
  );
}
