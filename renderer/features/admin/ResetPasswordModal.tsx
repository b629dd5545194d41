import { Alert, Button, Checkbox, Group, Modal, PasswordInput, Stack } from '@mantine/core';
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { passwordSchema, type User } from '../../../electron/contract/index.ts';
import { useCallMutation } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';

const resetSchema = z
  .object({ password: passwordSchema, confirm: z.string(), passwordChangeDue: z.boolean() })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'passwords differ' });
const empty = { password: '', confirm: '', passwordChangeDue: true };

export function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { errorText, fieldText } = useErrorText();
  const [failure, setFailure] = useState<string | null>(null);
  const reset = useCallMutation('users.resetPassword', ['audit.list']);
  const form = useForm<z.input<typeof resetSchema>>({
    resolver: zodResolver(resetSchema),
    defaultValues: empty,
  });
  useEffect(() => {
    if (user) {
      form.reset(empty);
      setFailure(null);
    }
  }, [user, form]);

  const message = (e: { message?: string } | undefined) =>
    e?.message === 'passwords differ' ? t('validation.passwordsDiffer') : fieldText(e);
  const submit = form.handleSubmit(async ({ password, passwordChangeDue }) => {
    if (!user) return;
    try {
      await reset.mutateAsync({ id: user.id, password, passwordChangeDue });
      onClose();
    } catch (error) {
      setFailure(errorText(error));
    }
  });

  return (
    <Modal
      opened={user !== null}
      onClose={onClose}
      title={t('admin.resetPasswordOf', { username: user?.username ?? '' })}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="xs">
          <PasswordInput
            label={t('admin.newPassword')}
            autoComplete="new-password"
            data-autofocus
            {...form.register('password')}
            error={message(form.formState.errors.password)}
          />
          <PasswordInput
            label={t('fields.confirmPassword')}
            autoComplete="new-password"
            {...form.register('confirm')}
            error={message(form.formState.errors.confirm)}
          />
          <Checkbox label={t('admin.passwordChangeDue')} {...form.register('passwordChangeDue')} />
          {failure ? (
            <Alert color="red" role="alert">
              {failure}
            </Alert>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={form.formState.isSubmitting}>
              {t('admin.resetPassword')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
