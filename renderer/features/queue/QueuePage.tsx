import { Anchor, Badge, Button, Group, Progress, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { outboxStates, type OutboxJobView } from '../../../electron/contract/index.ts';
import { useCall, useCallMutation, useCan, useEvent } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { href, pathQuery, usePath } from '../../app/router.ts';
import { formatDateTime } from '../../app/format.ts';
import { CorrelationResult } from './CorrelationResult.tsx';
import { LeadsPanel } from './LeadsPanel.tsx';
import { HitReportsPanel } from './HitReportsPanel.tsx';
import { canCancel, canRetry, percentSent, stateColour } from './stateColour.ts';

/** Where every network submission stands: state, upload progress, reason for a failure, retry and cancel. */
export function QueuePage() {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const queryClient = useQueryClient();
  const canManage = useCan('outbox.manage');
  // The dashboard links here with a filter in the address: ?state=<state>, and &leads=waiting for submissions with leads.
  const query = pathQuery(usePath());
  const stateFilter = outboxStates.find((s) => s === query.get('state'));
  const withLeads = query.get('leads') === 'waiting';
  const list = useCall('outbox.list', { limit: 200, states: stateFilter ? [stateFilter] : undefined });
  const [live, setLive] = useState<Record<number, number>>({});
  const retry = useCallMutation('outbox.retry', ['outbox.list']);
  const cancel = useCallMutation('outbox.cancel', ['outbox.list']);

  useEvent('outbox.onJob', {}, () => void queryClient.invalidateQueries({ queryKey: ['outbox.list'] }));
  useEvent('outbox.onProgress', {}, (p) => setLive((prev) => ({ ...prev, [p.jobId]: p.bytesSent })));

  const data = list.data;
  const jobs = (data?.jobs ?? []).filter((job) => !withLeads || (job.leads?.length ?? 0) > 0);
  const actionError = retry.error ?? cancel.error;

  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={1} size="h4">
          {t('queue.title')}
        </Title>
        {data ? (
          <Tooltip label={data.connectivityReason ?? ''} disabled={!data.connectivityReason}>
            <Badge
              color={data.connectivity === 'online' ? 'green' : data.connectivity === 'offline' ? 'red' : 'gray'}
              data-testid="queue-connectivity"
            >
              {t(`queue.connectivity.${data.connectivity}`)}
            </Badge>
          </Tooltip>
        ) : null}
      </Group>
      <Group gap="xs" aria-label={t('queue.counts')}>
        {outboxStates.map((state) => (
          <Badge key={state} variant="light" color={stateColour[state]}>
            {t(`queue.state.${state}`)}: {data?.counts[state] ?? 0}
          </Badge>
        ))}
      </Group>
      {list.error ? (
        <Text c="red" role="alert">
          {errorText(list.error)}
        </Text>
      ) : null}
      {actionError ? (
        <Text c="red" role="alert">
          {errorText(actionError)}
        </Text>
      ) : null}
      {stateFilter || withLeads ? (
        <Group gap="xs" data-testid="queue-filter">
          <Text size="sm">
            {t('queue.filtered', {
              filter: [stateFilter ? t(`queue.state.${stateFilter}`) : null, withLeads ? t('queue.withLeads') : null]
                .filter(Boolean)
                .join(', '),
            })}
          </Text>
          <Anchor href={href('/queue')} size="sm">
            {t('queue.showAll')}
          </Anchor>
        </Group>
      ) : null}
      <Table striped highlightOnHover aria-label={t('queue.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('queue.case')}</Table.Th>
            <Table.Th>{t('queue.calibre')}</Table.Th>
            <Table.Th>{t('queue.stateColumn')}</Table.Th>
            <Table.Th w={180}>{t('queue.progress')}</Table.Th>
            <Table.Th>{t('queue.attempts')}</Table.Th>
            <Table.Th>{t('queue.reason')}</Table.Th>
            <Table.Th>{t('queue.result')}</Table.Th>
            <Table.Th>{t('queue.updated')}</Table.Th>
            {canManage ? <Table.Th /> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {jobs.length === 0 && !list.isFetching ? (
            <Table.Tr>
              <Table.Td colSpan={9}>
                <Text c="dimmed">{t('queue.empty')}</Text>
              </Table.Td>
            </Table.Tr>
          ) : null}
          {jobs.map((job: OutboxJobView) => (
            <Table.Tr key={job.id} data-testid={`queue-job-${job.id}`}>
              <Table.Td>
                {job.caseId ? (
                  <Anchor href={href(`/cases/${job.caseId}`)} className="cb-mono">
                    {job.caseRef}
                  </Anchor>
                ) : (
                  <span className="cb-mono">{job.caseRef}</span>
                )}{' '}
                / {job.itemRef}
              </Table.Td>
              <Table.Td>{job.calibre}</Table.Td>
              <Table.Td>
                <Badge color={stateColour[job.state]}>{t(`queue.state.${job.state}`)}</Badge>
                {job.exportedAt ? (
                  <Badge ml={4} variant="outline">
                    {t('queue.exported')}
                  </Badge>
                ) : null}
              </Table.Td>
              <Table.Td>
                <Progress
                  value={percentSent(job, live[job.id])}
                  aria-label={t('queue.progress')}
                  animated={job.state === 'uploading'}
                />
                <Text size="xs" c="dimmed">
                  {percentSent(job, live[job.id])} %
                </Text>
              </Table.Td>
              <Table.Td>{job.attempts}</Table.Td>
              <Table.Td>
                {job.lastError ? (
                  <Text size="sm" c={job.state === 'rejected' || job.state === 'dead' ? 'red' : 'dimmed'}>
                    {job.lastErrorCode
                      ? t(`queue.errors.${job.lastErrorCode}`, { defaultValue: job.lastErrorCode })
                      : ''}{' '}
                    — {job.lastError}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                <CorrelationResult job={job} />
              </Table.Td>
              <Table.Td>{formatDateTime(job.updatedAt)}</Table.Td>
              {canManage ? (
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    {canRetry(job) ? (
                      <Button
                        size="xs"
                        variant="light"
                        loading={retry.isPending}
                        onClick={() => retry.mutate({ id: job.id })}
                      >
                        {t('queue.retry')}
                      </Button>
                    ) : null}
                    {canCancel(job) ? (
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        loading={cancel.isPending}
                        onClick={() => cancel.mutate({ id: job.id })}
                      >
                        {t('queue.cancel')}
                      </Button>
                    ) : null}
                  </Group>
                </Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <LeadsPanel />
      <HitReportsPanel />
    </Stack>
  );
}
