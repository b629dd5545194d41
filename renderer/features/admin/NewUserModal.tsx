import { Alert, Button, Checkbox, Group, Modal, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { calls, isAppError, roles } from '../../../electron/contract/index.ts';
import { useCallMutation } from '../../api/hooks.tsx';
import { applyHostIssues } from '../../api/errors.ts';
import { useErrorText } from '../../api/useErrorText.ts';

const newUserSchema = calls['users.create'].input
  .extend({ confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'passwords differ' });
type Form = z.input<typeof newUserSchema>;
const empty: Form = {
  username: '',
  displayName: '',
  password: '',
  confirm: '',
  role: 'technician',
  passwordChangeDue: true,
};

export function NewUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { errorText, fieldText } = useErrorText();
  const [failure, setFailure] = useState<string | null>(null);
  const create = useCallMutation('users.create', ['users.list', 'audit.list']);
  const form = useForm<Form, unknown, z.output<typeof newUserSchema>>({
    resolver: zodResolver(newUserSchema),
    defaultValues: empty,
  });
  const { errors, isSubmitting } = form.formState;
  useEffect(() => {
    if (opened) {
      form.reset(empty);
      setFailure(null);
    }
  }, [opened, form]);

  const submit = form.handleSubmit(async ({ confirm: _confirm, ...input }) => {
    setFailure(null);
    try {
      await create.mutateAsync(input);
      onClose();
    } catch (error) {
      if (applyHostIssues(error, ['username', 'displayName', 'password', 'role'], form.setError)) return;
      if (isAppError(error, 'conflict'))
        form.setError('username', { type: 'server', message: t('admin.usernameTaken') });
      else setFailure(errorText(error));
    }
  });
  const message = (e: { message?: string; type?: string } | undefined) =>
    e?.type === 'server'
      ? e.message
      : e?.message === 'passwords differ'
        ? t('validation.passwordsDiffer')
        : fieldText(e);

  return (
    <Modal opened={opened} onClose={onClose} title={t('admin.newUser')}>
      <form onSubmit={submit} noValidate aria-label={t('admin.newUser')}>
        <Stack gap="xs">
          <TextInput
            label={t('fields.username')}
            withAsterisk
            data-autofocus
            {...form.register('username')}
            error={message(errors.username)}
          />
          <TextInput
            label={t('fields.displayName')}
            withAsterisk
            {...form.register('displayName')}
            error={message(errors.displayName)}
          />
          <PasswordInput
            label={t('fields.password')}
            withAsterisk
            autoComplete="new-password"
            {...form.register('password')}
            error={message(errors.password)}
          />
          <PasswordInput
            label={t('fields.confirmPassword')}
            withAsterisk
            autoComplete="new-password"
            {...form.register('confirm')}
            error={message(errors.confirm)}
          />
          <Checkbox label={t('admin.passwordChangeDue')} {...form.register('passwordChangeDue')} />
          <Controller
            control={form.control}
            name="role"
            render={({ field }) => (
              <Select
                label={t('fields.role')}
                data={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                value={field.value}
                onChange={(v) => field.onChange(v ?? 'technician')}
                allowDeselect={false}
              />
            )}
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
            <Button type="submit" loading={isSubmitting}>
              {t('admin.createUser')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
