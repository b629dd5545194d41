import { Alert, Button, PasswordInput, TextInput } from '@mantine/core';
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { calls } from '../../../electron/contract/index.ts';
import { useStation } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { AuthFrame } from './AuthFrame.tsx';

const signInSchema = calls['auth.signIn'].input;

export function SignInPage({ notice }: { notice?: 'sessionEnded' }) {
  const { t } = useTranslation();
  const station = useStation();
  const { errorText, fieldText } = useErrorText();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<z.input<typeof signInSchema>, unknown, z.output<typeof signInSchema>>({
    resolver: zodResolver(signInSchema),
    defaultValues: { username: '', password: '' },
  });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (input) => {
    setFailure(null);
    try {
      station.signedIn(await station.call('auth.signIn', input));
    } catch (error) {
      setFailure(errorText(error));
      form.setValue('password', '');
      form.setFocus('password');
    }
  });

  return (
    <AuthFrame title={t('signIn.title')}>
      {notice === 'sessionEnded' ? (
        <Alert color="blue" role="status">
          {t('signIn.sessionEnded')}
        </Alert>
      ) : null}
      <form onSubmit={submit} noValidate aria-label={t('signIn.title')}>
        <TextInput
          label={t('fields.username')}
          autoComplete="username"
          autoFocus
          {...form.register('username')}
          error={fieldText(errors.username)}
          mb="xs"
        />
        <PasswordInput
          label={t('fields.password')}
          autoComplete="current-password"
          {...form.register('password')}
          error={fieldText(errors.password)}
          mb="sm"
        />
        {failure ? (
          <Alert color="red" mb="sm" role="alert">
            {failure}
          </Alert>
        ) : null}
        <Button type="submit" loading={isSubmitting} fullWidth>
          {t('signIn.submit')}
        </Button>
      </form>
    </AuthFrame>
  );
}
