import { Alert, Button, Group, Modal, PasswordInput, Stack } from '@mantine/core';
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { passwordSchema, type User } from '../../../electron/contract/index.ts';
import { useCallMutation } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';

const resetSchema = z.object({ password: passwordSchema });

export function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { errorText, fieldText } = useErrorText();
  const [failure, setFailure] = useState<string | null>(null);
  const reset = useCallMutation('users.resetPassword', ['audit.list']);
  const form = useForm<z.input<typeof resetSchema>>({
    resolver: zodResolver(resetSchema),
    defaultValues: { password: '' },
  });
  useEffect(() => {
    if (user) {
      form.reset({ password: '' });
      setFailure(null);
    }
  }, [user, form]);

  const submit = form.handleSubmit(async ({ password }) => {
    if (!user) return;
    try {
      await reset.mutateAsync({ id: user.id, password });
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
            error={fieldText(form.formState.errors.password)}
          />
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
