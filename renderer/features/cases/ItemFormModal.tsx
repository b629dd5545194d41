import { Modal, Select, SimpleGrid, TextInput, Textarea } from '@mantine/core';
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { Controller, useForm, useWatch, type Resolver } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { itemFieldsSchema, itemKinds, type Item, type ItemFields } from '../../../electron/contract/index.ts';
import { useCallMutation } from '../../api/hooks.tsx';
import { applyHostIssues } from '../../api/errors.ts';
import { useErrorText } from '../../api/useErrorText.ts';
import { AmendableFormFooter, amendmentReasonSchema } from '../../shared/AmendableFormFooter.tsx';
import { bidiFieldWarning, revealBidiControls } from '../../shared/UserText.tsx';
import { changedFields, toFormValues } from './formValues.ts';
import { fieldsOfKind, itemEnums, type ItemEnumField } from './itemFields.ts';
import { DateField } from '../../shared/DateField.tsx';

const createSchema = itemFieldsSchema.extend({ reason: z.string().optional() });
const amendSchema = itemFieldsSchema.extend({ reason: amendmentReasonSchema });
type FormInput = z.input<typeof createSchema>;
type FormOutput = z.output<typeof createSchema>;
const allFields = Object.keys(itemFieldsSchema.shape);

const choiceFields = [...Object.keys(itemEnums), 'firearmItemId'];

/** Every field gets a value (text '', choices null): a field left out would keep what the previous item typed. */
function defaults(existing: Item | undefined, kind: Item['kind']): FormInput {
  const values = existing
    ? toFormValues(existing, allFields)
    : { ...toFormValues({}, allFields), kind, origin: 'questioned' };
  for (const name of choiceFields) if (values[name] === '') values[name] = null;
  return { ...values, reason: '' } as FormInput;
}

export function ItemFormModal({
  opened,
  onClose,
  caseId,
  existing,
  firearms,
}: {
  opened: boolean;
  onClose: () => void;
  caseId: number;
  existing?: Item;
  firearms: Item[];
}) {
  const { t } = useTranslation();
  const { errorText, fieldText } = useErrorText();
  const [failure, setFailure] = useState<string | null>(null);
  const invalidates = ['cases.get', 'cases.list', 'audit.forCase', 'audit.list'] as const;
  const create = useCallMutation('items.create', [...invalidates]);
  const amend = useCallMutation('items.update', [...invalidates]);
  const form = useForm<FormInput, unknown, FormOutput>({
    resolver: zodResolver(existing ? amendSchema : createSchema) as unknown as Resolver<FormInput, unknown, FormOutput>,
    defaultValues: defaults(existing, 'cartridge_case'),
  });
  const { errors, isSubmitting } = form.formState;
  const kind = useWatch({ control: form.control, name: 'kind' });
  const origin = useWatch({ control: form.control, name: 'origin' });
  // Every value as typed (or as stored, when amending): a field holding hidden direction controls is flagged.
  const values = useWatch({ control: form.control }) as Record<string, unknown>;

  useEffect(() => {
    if (!opened) return;
    setFailure(null);
    form.reset(defaults(existing, existing?.kind ?? 'cartridge_case'));
  }, [opened, existing, form]);

  const submit = form.handleSubmit(async ({ reason, ...all }) => {
    setFailure(null);
    // Only the fields of this kind of item travel; a test fire names its firearm, a questioned case does not.
    const relevant = new Set(fieldsOfKind(all.kind));
    const fields = Object.fromEntries(
      Object.entries(all).filter(([k]) => k === 'kind' || relevant.has(k)),
    ) as ItemFields;
    if (all.kind === 'cartridge_case' && all.origin !== 'test_fire') fields.firearmItemId = null;
    try {
      if (existing) {
        const { kind: _kind, ...changes } = changedFields(existing, fields);
        if (Object.keys(changes).length === 0) return setFailure(t('forms.nothingChanged'));
        await amend.mutateAsync({ id: existing.id, version: existing.version, fields: changes, reason });
      } else {
        await create.mutateAsync({ caseId, fields });
      }
      onClose();
    } catch (error) {
      if (!applyHostIssues(error, allFields, form.setError)) setFailure(errorText(error));
    }
  });

  const text = (name: keyof FormInput & string, extra: Record<string, unknown> = {}) => (
    <TextInput
      label={t(`fields.${name}`)}
      {...form.register(name)}
      description={bidiFieldWarning(t, values[name])}
      error={fieldText(errors[name] as { message?: string } | undefined)}
      {...extra}
    />
  );
  const choice = (name: ItemEnumField) => (
    <Controller
      key={name}
      control={form.control}
      name={name}
      render={({ field }) => (
        <Select
          label={t(`fields.${name}`)}
          data={itemEnums[name].map((v) => ({ value: v, label: t(`vocab.${name}.${v}`) }))}
          value={(field.value as string | undefined) ?? null}
          onChange={(v) => field.onChange(v ?? null)}
          onBlur={field.onBlur}
          clearable={name !== 'origin'}
          error={fieldText(errors[name])}
        />
      )}
    />
  );
  const title = existing ? t('items.editTitle', { exhibit: existing.exhibitNumber }) : t('items.newTitle');

  return (
    <Modal opened={opened} onClose={onClose} title={title} size="lg">
      <form onSubmit={submit} noValidate aria-label={title}>
        <SimpleGrid cols={2} spacing="xs" verticalSpacing="xs">
          <Controller
            control={form.control}
            name="kind"
            render={({ field }) => (
              <Select
                label={t('fields.kind')}
                data={itemKinds.map((k) => ({ value: k, label: t(`itemKind.${k}`) }))}
                value={field.value}
                onChange={(v) => field.onChange(v ?? 'cartridge_case')}
                allowDeselect={false}
                disabled={!!existing}
              />
            )}
          />
          {text('exhibitNumber', { withAsterisk: true, 'data-autofocus': true })}
          {text('calibre')}
          {kind === 'firearm' ? (
            <>
              {choice('firearmType')}
              {text('make')}
              {text('model')}
              {text('serialNumber')}
            </>
          ) : (
            <>
              {choice('origin')}
              {origin === 'test_fire' ? (
                <Controller
                  control={form.control}
                  name="firearmItemId"
                  render={({ field }) => (
                    <Select
                      label={t('fields.firearmItemId')}
                      placeholder={firearms.length ? undefined : t('items.noFirearms')}
                      data={firearms.map((f) => ({
                        value: String(f.id),
                        label: revealBidiControls(
                          `${f.exhibitNumber} · ${[f.make, f.model].filter(Boolean).join(' ')}`,
                        ),
                      }))}
                      value={field.value == null ? null : String(field.value)}
                      onChange={(v) => field.onChange(v ? Number(v) : null)}
                      clearable
                      error={fieldText(errors.firearmItemId)}
                    />
                  )}
                />
              ) : null}
              {text('brand')}
              {text('headstamp')}
              {choice('primerMaterial')}
              {choice('caseMaterial')}
              {choice('firingPinShape')}
              {choice('breechFaceClass')}
              {text('recoveryPlace')}
              <DateField
                hint="below"
                chosen={values.recoveryDate}
                label={t('fields.recoveryDate')}
                {...form.register('recoveryDate')}
                error={fieldText(errors.recoveryDate)}
              />
            </>
          )}
        </SimpleGrid>
        <Textarea
          label={t('fields.description')}
          autosize
          minRows={2}
          mt="xs"
          {...form.register('description')}
          description={bidiFieldWarning(t, values.description)}
          error={fieldText(errors.description)}
        />
        <AmendableFormFooter
          amending={!!existing}
          reason={form.register('reason')}
          reasonError={fieldText(errors.reason)}
          failure={failure}
          submitting={isSubmitting}
          submitLabel={existing ? t('forms.saveAmendment') : t('items.create')}
          onCancel={onClose}
        />
      </form>
    </Modal>
  );
}
