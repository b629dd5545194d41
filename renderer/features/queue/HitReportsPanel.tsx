import { Badge, Button, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { HitReportView, NetworkHitView } from '../../../electron/contract/index.ts';
import { useCall, useCallMutation, useCan, useEvent } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { formatDateTime } from '../../app/format.ts';

const reportColour: Record<HitReportView['state'], string> = {
  queued: 'gray',
  sending: 'blue',
  recorded: 'green',
  rejected: 'red',
  dead: 'red',
};

/** A lead's hit: the one the other lab reported on this pair, and ours (with where it stands). */
export function LeadHit({ report, theirHit }: { report: HitReportView | null; theirHit: NetworkHitView | null }) {
  const { t } = useTranslation();
  if (!report && !theirHit) return null;
  return (
    <Stack gap={2}>
      {theirHit ? (
        // Text, not a badge: the sentence must wrap, never be cut.
        <Text size="xs" fw={600} c="grape" maw={260} data-testid="lead-their-hit">
          {t('network.hits.theirs', {
            lab: theirHit.reportedByLabId,
            caseRef: theirHit.reportedCaseRef,
            itemRef: theirHit.reportedItemRef,
            date: formatDateTime(theirHit.confirmedAt),
          })}
        </Text>
      ) : null}
      {report ? (
        <Text size="xs" fw={600} c={reportColour[report.state]} maw={260} data-testid="lead-our-hit">
          {t('network.hits.ours', { state: t(`network.hits.state.${report.state}`) })}
        </Text>
      ) : null}
    </Stack>
  );
}

/** Our hit reports to the hub: where each stands, the reason a refused one gives, and a manager's retry. */
export function HitReportsPanel() {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const queryClient = useQueryClient();
  const canManage = useCan('outbox.manage');
  const reports = useCall('outbox.hitReports', { limit: 200 });
  const retry = useCallMutation('outbox.retryHitReport', ['outbox.hitReports']);
  useEvent('outbox.onJob', {}, () => void queryClient.invalidateQueries({ queryKey: ['outbox.hitReports'] }));
  const rows = reports.data ?? [];
  return (
    <Stack gap={4}>
      <Title order={2} size="h5">
        {t('network.hits.reportsTitle')}
      </Title>
      <Text size="xs" c="dimmed">
        {t('network.hits.reportsHint')}
      </Text>
      {retry.error ? (
        <Text c="red" role="alert">
          {errorText(retry.error)}
        </Text>
      ) : null}
      <Table striped aria-label={t('network.hits.reportsTitle')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('network.hits.hitRef')}</Table.Th>
            <Table.Th>{t('network.hits.stateColumn')}</Table.Th>
            <Table.Th>{t('network.hits.reason')}</Table.Th>
            <Table.Th>{t('queue.updated')}</Table.Th>
            {canManage ? <Table.Th /> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={5}>
                <Text c="dimmed">{t('network.hits.reportsNone')}</Text>
              </Table.Td>
            </Table.Tr>
          ) : null}
          {rows.map((report) => (
            <Table.Tr key={report.id} data-testid={`hit-report-${report.id}`}>
              <Table.Td className="cb-mono">{report.hitRef}</Table.Td>
              <Table.Td>
                <Badge color={reportColour[report.state]}>{t(`network.hits.state.${report.state}`)}</Badge>
              </Table.Td>
              <Table.Td>
                {report.lastError ? (
                  <Text size="sm" c={report.state === 'rejected' || report.state === 'dead' ? 'red' : 'dimmed'}>
                    {report.lastError}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>{formatDateTime(report.recordedAt ?? report.createdAt)}</Table.Td>
              {canManage ? (
                <Table.Td>
                  {report.state === 'rejected' || report.state === 'dead' ? (
                    <Button
                      size="xs"
                      variant="light"
                      loading={retry.isPending}
                      onClick={() => retry.mutate({ id: report.id })}
                    >
                      {t('network.hits.retry')}
                    </Button>
                  ) : null}
                </Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
