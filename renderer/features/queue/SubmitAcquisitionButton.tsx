import { Anchor, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCall, useCallMutation, useCan } from '../../api/hooks.tsx';
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
  const canSetUp = useCan('outbox.manage');
  const readiness = useCall('networkSetup.readiness', {}, { enabled: canSubmit });
  const submit = useCallMutation('outbox.submitAcquisition', ['outbox.list']);
  if (!canSubmit) return null;
  // Until the station has network credentials, sending is disabled and says who can set it up, and where.
  const notSetUp = readiness.data?.ready === false;
  return (
    <Group gap="xs">
      <Button
        size="xs"
        variant="light"
        loading={submit.isPending}
        disabled={submit.isSuccess || notSetUp || !readiness.data}
        aria-describedby={notSetUp ? `network-not-set-up-${acquisitionId}` : undefined}
        onClick={() => submit.mutate({ acquisitionId })}
      >
        {t('queue.submit.button')}
      </Button>
      {notSetUp ? (
        <Text size="xs" c="dimmed" id={`network-not-set-up-${acquisitionId}`} data-testid="network-not-set-up">
          {canSetUp ? (
            <>
              {t('queue.submit.notSetUpManager')}{' '}
              <Anchor href="#/network" size="xs">
                {t('nav.network')}
              </Anchor>
            </>
          ) : (
            t('queue.submit.notSetUp')
          )}
        </Text>
      ) : null}
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
