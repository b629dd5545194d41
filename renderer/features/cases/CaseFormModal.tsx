import { Modal, Select, SimpleGrid, TextInput, Textarea } from '@mantine/core';
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { Controller, useForm, useWatch, type Resolver } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import {
  caseCreateSchema,
  caseFieldsSchema,
  caseStatuses,
  isAppError,
  type Case,
  type CaseFields,
} from '../../../electron/contract/index.ts';
import { useCallMutation, useCan } from '../../api/hooks.tsx';
import { applyHostIssues } from '../../api/errors.ts';
import { useErrorText } from '../../api/useErrorText.ts';
import { AmendableFormFooter, amendmentReasonSchema } from '../../shared/AmendableFormFooter.tsx';
import { bidiFieldWarning } from '../../shared/UserText.tsx';
import { changedFields, toFormValues } from './formValues.ts';
import { DateField } from '../../shared/DateField.tsx';

// An amendment to an existing case must say why (ISO/IEC 17025: who, when, what and why).
const createSchema = caseCreateSchema.extend({ reason: z.string().optional() });
const amendSchema = caseFieldsSchema.extend({ reason: amendmentReasonSchema });
type FormInput = z.input<typeof createSchema>;
type FormOutput = z.output<typeof createSchema>;
const fieldNames = Object.keys(caseFieldsSchema.shape);
const emptyCase: FormInput = {
  labCaseNumber: '',
  agency: '',
  agencyCaseNumber: '',
  offence: '',
  offenceDate: '',
  receivedDate: '',
  status: 'open',
  notes: '',
  reason: '',
};

export function CaseFormModal({
  opened,
  onClose,
  existing,
  onSaved,
}: {
  opened: boolean;
  onClose: () => void;
  existing?: Case;
  onSaved?: (saved: Case) => void;
}) {
  const { t } = useTranslation();
  const { errorText, fieldText } = useErrorText();
  const [failure, setFailure] = useState<string | null>(null);
  const create = useCallMutation('cases.create', ['cases.list', 'audit.list']);
  const amend = useCallMutation('cases.update', ['cases.list', 'cases.get', 'audit.forCase', 'audit.list']);
  const form = useForm<FormInput, unknown, FormOutput>({
    resolver: zodResolver(existing ? amendSchema : createSchema) as unknown as Resolver<FormInput, unknown, FormOutput>,
    defaultValues: emptyCase,
  });
  const { errors, isSubmitting } = form.formState;
  // Closing, archiving and reopening need a manager; other roles only see the statuses they may set.
  const canClose = useCan('case.close');
  const statusLocked = !canClose && (existing?.status === 'closed' || existing?.status === 'archived');
  const statusChoices = statusLocked
    ? [existing!.status]
    : canClose
      ? caseStatuses
      : caseStatuses.filter((s) => s === 'open' || s === 'active');

  // Every value as typed (or as stored, when amending): a field holding hidden direction controls is flagged.
  const values = useWatch({ control: form.control }) as Record<string, unknown>;

  useEffect(() => {
    if (!opened) return;
    setFailure(null);
    form.reset(existing ? { ...(toFormValues(existing, fieldNames) as FormInput), reason: '' } : emptyCase);
  }, [opened, existing, form]);

  const submit = form.handleSubmit(async ({ reason, ...fields }) => {
    setFailure(null);
    try {
      let saved: Case;
      if (existing) {
        const changes = changedFields(existing, fields as CaseFields);
        if (Object.keys(changes).length === 0) return setFailure(t('forms.nothingChanged'));
        saved = await amend.mutateAsync({ id: existing.id, version: existing.version, fields: changes, reason });
      } else {
        saved = await create.mutateAsync(fields);
      }
      onSaved?.(saved);
      onClose();
    } catch (error) {
      if (applyHostIssues(error, fieldNames, form.setError)) return;
      if (!existing && isAppError(error, 'conflict'))
        form.setError('labCaseNumber', { type: 'server', message: 'duplicate' });
      else setFailure(errorText(error));
    }
  });
  const message = (e: { message?: string } | undefined) =>
    e?.message === 'duplicate' ? t('cases.duplicateNumber') : fieldText(e);

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={existing ? t('cases.editTitle', { number: existing.labCaseNumber }) : t('cases.newTitle')}
      size="lg"
    >
      <form
        onSubmit={submit}
        noValidate
        aria-label={existing ? t('cases.editTitle', { number: existing.labCaseNumber }) : t('cases.newTitle')}
      >
        <SimpleGrid cols={2} spacing="xs" verticalSpacing="xs">
          <TextInput
            label={t('fields.labCaseNumber')}
            withAsterisk
            data-autofocus
            {...form.register('labCaseNumber')}
            description={bidiFieldWarning(t, values.labCaseNumber)}
            error={message(errors.labCaseNumber)}
          />
          <Controller
            control={form.control}
            name="status"
            render={({ field }) => (
              <Select
                label={t('fields.status')}
                data={statusChoices.map((s) => ({ value: s, label: t(`caseStatus.${s}`) }))}
                description={canClose ? undefined : t('cases.closeNeedsManager')}
                disabled={statusLocked}
                value={field.value ?? 'open'}
                onChange={(v) => field.onChange(v ?? 'open')}
                onBlur={field.onBlur}
                allowDeselect={false}
                error={fieldText(errors.status)}
              />
            )}
          />
          <TextInput
            label={t('fields.agency')}
            {...form.register('agency')}
            description={bidiFieldWarning(t, values.agency)}
            error={fieldText(errors.agency)}
          />
          <TextInput
            label={t('fields.agencyCaseNumber')}
            {...form.register('agencyCaseNumber')}
            description={bidiFieldWarning(t, values.agencyCaseNumber)}
            error={fieldText(errors.agencyCaseNumber)}
          />
          <TextInput
            label={t('fields.offence')}
            {...form.register('offence')}
            description={bidiFieldWarning(t, values.offence)}
            error={fieldText(errors.offence)}
          />
          <DateField
            hint="below"
            chosen={values.offenceDate}
            label={t('fields.offenceDate')}
            {...form.register('offenceDate')}
            error={fieldText(errors.offenceDate)}
          />
          <DateField
            hint="below"
            chosen={values.receivedDate}
            label={t('fields.receivedDate')}
            {...form.register('receivedDate')}
            error={fieldText(errors.receivedDate)}
          />
        </SimpleGrid>
        <Textarea
          label={t('fields.notes')}
          autosize
          minRows={2}
          maxRows={6}
          mt="xs"
          {...form.register('notes')}
          description={bidiFieldWarning(t, values.notes)}
          error={fieldText(errors.notes)}
        />
        <AmendableFormFooter
          amending={!!existing}
          reason={form.register('reason')}
          reasonError={fieldText(errors.reason)}
          failure={failure}
          submitting={isSubmitting}
          submitLabel={existing ? t('forms.saveAmendment') : t('cases.create')}
          onCancel={onClose}
        />
      </form>
    </Modal>
  );
}
