// How long a new calibration stays valid, and where that period comes from (the station's own setting or the
// host configuration's default). Managers and admins change it with a reason (the host audits it); everyone
// else sees it read-only. Existing calibration records keep the expiry they were written with.
import { Alert, Badge, Button, Group, NumberInput, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { calibrationValidityDaysSchema } from '../../../electron/contract/index.ts';
import { useCall, useCallMutation, useCan } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';

const formSchema = z.object({
  validityDays: calibrationValidityDaysSchema,
  reason: z.string().trim().min(1, 'required').max(500, 'at most 500 characters'),
});
type FormInput = z.input<typeof formSchema>;

export function ValidityPanel() {
  const { t } = useTranslation();
  const { errorText, fieldText } = useErrorText();
  const canManage = useCan('calibration.manage');
  const settings = useCall('calibrations.settings', {});
  const save = useCallMutation('calibrations.setValidity', ['calibrations.settings', 'audit.list']);
  const [outcome, setOutcome] = useState<{ ok: true } | { ok: false; text: string } | null>(null);
  const form = useForm<FormInput>({
    resolver: zodResolver(formSchema),
    defaultValues: { validityDays: undefined, reason: '' },
  });

  const submit = form.handleSubmit(async (values) => {
    setOutcome(null);
    try {
      await save.mutateAsync(formSchema.parse(values));
      form.reset({ validityDays: undefined, reason: '' });
      setOutcome({ ok: true });
    } catch (error) {
      setOutcome({ ok: false, text: errorText(error) });
    }
  });

  const current = settings.data;
  return (
    <Paper withBorder p="sm" aria-labelledby="calibration-validity-title">
      <Stack gap="xs">
        <Title order={2} size="h5" id="calibration-validity-title">
          {t('calibration.validity.title')}
        </Title>
        {settings.error ? (
          <Text c="red" role="alert">
            {errorText(settings.error)}
          </Text>
        ) : null}
        {current ? (
          <Group gap="xs">
            <Text size="sm" data-testid="calibration-validity">
              {t('calibration.validity.current', { count: current.validityDays })}
            </Text>
            <Badge
              size="sm"
              variant="light"
              color={current.source === 'station' ? 'blue' : 'gray'}
              data-testid="calibration-validity-source"
            >
              {t(`calibration.validity.source.${current.source}`)}
            </Badge>
          </Group>
        ) : !settings.error ? (
          <Text size="sm">{t('common.loading')}</Text>
        ) : null}
        <Text size="xs" c="dimmed">
          {t('calibration.validity.explain')}
        </Text>
        {canManage ? (
          <form onSubmit={submit} noValidate>
            <Group align="flex-start" gap="xs">
              <Controller
                control={form.control}
                name="validityDays"
                render={({ field, fieldState }) => (
                  <NumberInput
                    label={t('calibration.validity.days')}
                    min={1}
                    max={3650}
                    step={1}
                    allowDecimal={false}
                    w={160}
                    name={field.name}
                    ref={field.ref}
                    onBlur={field.onBlur}
                    value={field.value ?? ''}
                    onChange={(v) => field.onChange(typeof v === 'number' ? v : undefined)}
                    error={fieldState.error ? t('calibration.validity.daysRange') : undefined}
                  />
                )}
              />
              <TextInput
                label={t('calibration.validity.reason')}
                w={340}
                {...form.register('reason')}
                error={fieldText(form.formState.errors.reason)}
              />
              <Button type="submit" mt={25} loading={form.formState.isSubmitting}>
                {t('calibration.validity.save')}
              </Button>
            </Group>
          </form>
        ) : null}
        {outcome?.ok ? (
          <Alert color="green" role="status">
            {t('calibration.validity.saved')}
          </Alert>
        ) : null}
        {outcome && !outcome.ok ? (
          <Alert color="red" role="alert">
            {outcome.text}
          </Alert>
        ) : null}
      </Stack>
    </Paper>
  );
}
