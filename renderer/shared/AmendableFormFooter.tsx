// The end of a form that changes a record: the reason the audit keeps when it amends a stored record
// (ISO/IEC 17025: who, when, what and why), the host's refusal if any, cancel and save.
import { Alert, Button, Group, Stack, Textarea } from '@mantine/core';
import type { UseFormRegisterReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';

/** The reason an amendment must give; a new record needs none. */
export const amendmentReasonSchema = z.string().trim().min(1, 'required').max(500, 'at most 500 characters');

/** The host's refusal (when there is one), then cancel and the form's submit button. */
export function FormActions({
  failure,
  submitting,
  submitLabel,
  submitColor,
  onCancel,
}: {
  failure: string | null;
  submitting: boolean;
  submitLabel: string;
  submitColor?: string;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      {failure ? (
        <Alert color="red" role="alert">
          {failure}
        </Alert>
      ) : null}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" color={submitColor} loading={submitting}>
          {submitLabel}
        </Button>
      </Group>
    </>
  );
}

/** A record form's footer: the reason when `amending` a stored record, then the form's actions. */
export function AmendableFormFooter({
  amending,
  reason,
  reasonError,
  ...actions
}: {
  amending: boolean;
  reason: UseFormRegisterReturn<'reason'>;
  reasonError: string | undefined;
} & Parameters<typeof FormActions>[0]) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" mt="xs">
      {amending ? (
        <Textarea
          label={t('forms.reason')}
          description={t('forms.reasonHint')}
          withAsterisk
          autosize
          minRows={2}
          {...reason}
          error={reasonError}
        />
      ) : null}
      <FormActions {...actions} />
    </Stack>
  );
}
