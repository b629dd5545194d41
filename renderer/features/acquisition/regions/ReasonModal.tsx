// Saving or resetting regions is an amendment: it always takes a reason, kept with the old and new circles.
import { Modal, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HeadRegions } from '../../../../electron/contract/index.ts';
import { useCallMutation } from '../../../api/hooks.tsx';
import { useErrorText } from '../../../api/useErrorText.ts';
import { FormActions } from '../../../shared/AmendableFormFooter.tsx';

export function ReasonModal(props: {
  mode: 'set' | 'clear' | null;
  acquisitionId: number;
  version: number;
  regions: HeadRegions | null;
  onClose: (saved: boolean) => void;
}) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const refresh = ['acquisitions.regions', 'acquisitions.get', 'acquisitions.list', 'audit.forCase'] as const;
  const set = useCallMutation('acquisitions.setRegions', [...refresh]);
  const clear = useCallMutation('acquisitions.clearRegions', [...refresh]);

  useEffect(() => {
    setReason('');
    setFailure(null);
  }, [props.mode]);

  if (!props.mode) return null;
  const title =
    props.mode === 'set'
      ? t('regions.saveTitle', { id: props.acquisitionId })
      : t('regions.resetTitle', { id: props.acquisitionId });
  const save = async () => {
    if (!reason.trim()) return setFailure(t('validation.required'));
    setFailure(null);
    try {
      const base = { id: props.acquisitionId, version: props.version, reason: reason.trim() };
      if (props.mode === 'set' && props.regions) await set.mutateAsync({ ...base, regions: props.regions });
      else await clear.mutateAsync(base);
      props.onClose(true);
    } catch (error) {
      setFailure(errorText(error));
    }
  };
  return (
    <Modal opened onClose={() => props.onClose(false)} title={title}>
      <form
        aria-label={title}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{t('regions.reasonExplain')}</Text>
          <Textarea
            label={t('regions.reason')}
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
            submitting={set.isPending || clear.isPending}
            submitLabel={t('regions.confirm')}
            onCancel={() => props.onClose(false)}
          />
        </Stack>
      </form>
    </Modal>
  );
}
