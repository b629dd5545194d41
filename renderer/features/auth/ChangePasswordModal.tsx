import { Alert, Button, Group, Modal, PasswordInput, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { calls } from '../../../electron/contract/index.ts';
import { useStation } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';

const changeSchema = calls['auth.changePassword'].input
  .extend({ confirm: z.string() })
  .refine((v) => v.newPassword === v.confirm, { path: ['confirm'], message: 'passwords differ' })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ['newPassword'], message: 'same password' });
type Form = z.input<typeof changeSchema>;
const empty: Form = { currentPassword: '', newPassword: '', confirm: '' };

/** The fields and checks of a password change, for the account menu's dialog and the first-sign-in screen. */
export function ChangePasswordForm({
  onDone,
  onCancel,
  currentLabel,
}: {
  onDone: () => void;
  onCancel?: () => void;
  currentLabel?: string;
}) {
  const { t } = useTranslation();
  const station = useStation();
  const { errorText, fieldText } = useErrorText();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<Form, unknown, z.output<typeof changeSchema>>({
    resolver: zodResolver(changeSchema),
    defaultValues: empty,
  });
  const { errors, isSubmitting } = form.formState;
  const message = (e: { message?: string } | undefined) =>
    e?.message === 'passwords differ'
      ? t('validation.passwordsDiffer')
      : e?.message === 'same password'
        ? t('validation.samePassword')
        : fieldText(e);

  const submit = form.handleSubmit(async ({ currentPassword, newPassword }) => {
    setFailure(null);
    try {
      await station.call('auth.changePassword', { currentPassword, newPassword });
      notifications.show({ color: 'teal', message: t('password.changed') });
      onDone();
    } catch (error) {
      setFailure(errorText(error));
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label={t('password.title')}>
      <Stack gap="xs">
        <PasswordInput
          label={currentLabel ?? t('password.current')}
          autoComplete="current-password"
          data-autofocus
          autoFocus
          {...form.register('currentPassword')}
          error={message(errors.currentPassword)}
        />
        <PasswordInput
          label={t('password.new')}
          description={t('firstRun.passwordHint')}
          autoComplete="new-password"
          {...form.register('newPassword')}
          error={message(errors.newPassword)}
        />
        <PasswordInput
          label={t('fields.confirmPassword')}
          autoComplete="new-password"
          {...form.register('confirm')}
          error={message(errors.confirm)}
        />
        {failure ? (
          <Alert color="red" role="alert">
            {failure}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          {onCancel ? (
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          ) : null}
          <Button type="submit" loading={isSubmitting}>
            {t('password.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The signed-in user changes their own password (for example after an administrator reset it). */
export function ChangePasswordModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('password.title')}>
      {/* Mounted only while open, so every opening starts empty. */}
      {opened ? <ChangePasswordForm onDone={onClose} onCancel={onClose} /> : null}
    </Modal>
  );
}
