import { Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCallMutation, useCan } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';

/**
 * "Send to the network" for one acquisition (for the acquisition views to place). The host refuses what the
 * network cannot use and says why (unsuitable, no topography, no calibre…); the reason is shown here. Marking it
 * twice is harmless: the host answers with the job already queued.
 */
export function SubmitAcquisitionButton({ acquisitionId }: { acquisitionId: number }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const canSubmit = useCan('acquisition.write');
  const submit = useCallMutation('outbox.submitAcquisition', ['outbox.list']);
  if (!canSubmit) return null;
  return (
    <Group gap="xs">
      <Button
        size="xs"
        variant="light"
        loading={submit.isPending}
        disabled={submit.isSuccess}
        onClick={() => submit.mutate({ acquisitionId })}
      >
        {t('queue.submit.button')}
      </Button>
      {submit.isSuccess ? (
        <Text size="xs" c="green" role="status">
          {t(submit.data.alreadyQueued ? 'queue.submit.already' : 'queue.submit.queued')}
        </Text>
      ) : null}
      {submit.error ? (
        <Text size="xs" c="red" role="alert">
          {errorText(submit.error)}
        </Text>
      ) : null}
    </Group>
  );
}
