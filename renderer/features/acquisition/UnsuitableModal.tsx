// AFTE "unsuitable for comparison": set or cleared by an examiner, always with a reason (audited by the host).
import { Modal, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AcquisitionSummary } from '../../../electron/contract/index.ts';
import { useCallMutation } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { FormActions } from '../../shared/AmendableFormFooter.tsx';

export function UnsuitableModal({
  acquisition,
  onClose,
}: {
  acquisition: AcquisitionSummary | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const refresh = ['acquisitions.list', 'acquisitions.get', 'audit.forCase'] as const;
  const mark = useCallMutation('acquisitions.markUnsuitable', [...refresh]);
  const clear = useCallMutation('acquisitions.clearUnsuitable', [...refresh]);
  const clearing = !!acquisition?.unsuitableReason;

  useEffect(() => {
    setReason('');
    setFailure(null);
  }, [acquisition]);

  if (!acquisition) return null;
  const title = clearing
    ? t('acquisition.unsuitableForm.clearTitle', { id: acquisition.id })
    : t('acquisition.unsuitableForm.markTitle', { id: acquisition.id });
  const save = async () => {
    if (!reason.trim()) return setFailure(t('validation.required'));
    setFailure(null);
    try {
      await (clearing ? clear : mark).mutateAsync({
        id: acquisition.id,
        version: acquisition.version,
        reason: reason.trim(),
      });
      onClose();
    } catch (error) {
      setFailure(errorText(error));
    }
  };
  return (
    <Modal opened onClose={onClose} title={title}>
      <form
        aria-label={title}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack gap="sm">
          {clearing ? (
            <Text size="sm">{t('acquisition.unsuitableBecause', { reason: acquisition.unsuitableReason })}</Text>
          ) : (
            <Text size="sm">{t('acquisition.unsuitableForm.explain')}</Text>
          )}
          <Textarea
            label={t('acquisition.unsuitableForm.reason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            autosize
            minRows={2}
            maxLength={500}
            withAsterisk
            data-autofocus
          />
          <FormActions
            failure={failure}
            submitting={mark.isPending || clear.isPending}
            submitLabel={t('acquisition.unsuitableForm.save')}
            submitColor={clearing ? 'blue' : 'red'}
            onCancel={onClose}
          />
        </Stack>
      </form>
    </Modal>
  );
}
