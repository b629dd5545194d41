import { Alert, Button, Group, PasswordInput } from '@mantine/core';
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { calls, type Session } from '../../../electron/contract/index.ts';
import { useStation } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { AuthFrame } from './AuthFrame.tsx';
import { navigate } from '../../app/router.ts';

const unlockSchema = calls['auth.unlock'].input;

/** Shown when the session locked after idle: the same user unlocks with the password, or signs out. */
export function LockScreen({ session }: { session: Session }) {
  const { t } = useTranslation();
  const station = useStation();
  const { errorText, fieldText } = useErrorText();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<z.input<typeof unlockSchema>, unknown, z.output<typeof unlockSchema>>({
    resolver: zodResolver(unlockSchema),
    defaultValues: { password: '' },
  });

  const submit = form.handleSubmit(async (input) => {
    setFailure(null);
    try {
      station.signedIn(await station.call('auth.unlock', input));
    } catch (error) {
      setFailure(errorText(error));
      form.setValue('password', '');
      form.setFocus('password');
    }
  });

  return (
    <AuthFrame
      title={t('lock.title')}
      subtitle={t('lock.intro', { name: session.user.displayName, username: session.user.username })}
    >
      <form onSubmit={submit} noValidate aria-label={t('lock.title')}>
        <PasswordInput
          label={t('fields.password')}
          autoComplete="current-password"
          autoFocus
          {...form.register('password')}
          error={fieldText(form.formState.errors.password)}
          mb="sm"
        />
        {failure ? (
          <Alert color="red" mb="sm" role="alert">
            {failure}
          </Alert>
        ) : null}
        <Group grow>
          <Button type="submit" loading={form.formState.isSubmitting}>
            {t('lock.unlock')}
          </Button>
          <Button variant="default" onClick={() => void station.signOut().finally(() => navigate('/cases'))}>
            {t('shell.signOut')}
          </Button>
        </Group>
      </form>
    </AuthFrame>
  );
}
