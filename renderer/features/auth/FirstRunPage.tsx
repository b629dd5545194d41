import { Alert, Button, PasswordInput, TextInput } from '@mantine/core';
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { calls } from '../../../electron/contract/index.ts';
import { useStation } from '../../api/hooks.tsx';
import { applyHostIssues } from '../../api/errors.ts';
import { useErrorText } from '../../api/useErrorText.ts';
import { AuthFrame } from './AuthFrame.tsx';

const setupSchema = calls['auth.setupAdmin'].input
  .extend({ confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'passwords differ' });
type SetupForm = z.input<typeof setupSchema>;

/** The first start of a station: create the administrator account. */
export function FirstRunPage() {
  const { t } = useTranslation();
  const station = useStation();
  const { errorText, fieldText } = useErrorText();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<SetupForm, unknown, z.output<typeof setupSchema>>({
    resolver: zodResolver(setupSchema),
    defaultValues: { username: 'admin', displayName: '', password: '', confirm: '' },
  });
  const { errors, isSubmitting } = form.formState;
  const fieldMessage = (e: { message?: string } | undefined) =>
    e?.message === 'passwords differ' ? t('validation.passwordsDiffer') : fieldText(e);

  const submit = form.handleSubmit(async ({ confirm: _confirm, ...input }) => {
    setFailure(null);
    try {
      station.signedIn(await station.call('auth.setupAdmin', input));
    } catch (error) {
      if (!applyHostIssues(error, ['username', 'displayName', 'password'], form.setError)) setFailure(errorText(error));
    }
  });

  return (
    <AuthFrame title={t('firstRun.title')} subtitle={t('firstRun.intro')}>
      <form onSubmit={submit} noValidate aria-label={t('firstRun.title')}>
        <TextInput
          label={t('fields.username')}
          autoComplete="username"
          {...form.register('username')}
          error={fieldMessage(errors.username)}
          mb="xs"
        />
        <TextInput
          label={t('fields.displayName')}
          autoComplete="name"
          data-autofocus
          autoFocus
          {...form.register('displayName')}
          error={fieldMessage(errors.displayName)}
          mb="xs"
        />
        <PasswordInput
          label={t('fields.password')}
          description={t('firstRun.passwordHint')}
          autoComplete="new-password"
          {...form.register('password')}
          error={fieldMessage(errors.password)}
          mb="xs"
        />
        <PasswordInput
          label={t('fields.confirmPassword')}
          autoComplete="new-password"
          {...form.register('confirm')}
          error={fieldMessage(errors.confirm)}
          mb="sm"
        />
        {failure ? (
          <Alert color="red" mb="sm" role="alert">
            {failure}
          </Alert>
        ) : null}
        <Button type="submit" loading={isSubmitting} fullWidth>
          {t('firstRun.submit')}
        </Button>
      </form>
    </AuthFrame>
  );
}
