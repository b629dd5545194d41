import { Anchor, Button, Group, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import type { LeadView } from '../../../electron/contract/index.ts';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useCall, useCallMutation, useCan, useEvent } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { href } from '../../app/router.ts';
import { ReliefThumbnail } from '../acquisition/ReliefThumbnail.tsx';
import { formatDateTime, formatNumber } from '../../app/format.ts';
import { LeadHit } from './HitReportsPanel.tsx';
import { missRateText, type SearchFiguresOf } from './leadWords.ts';

/** Leads from the network: candidates from other labs for our casings, best first. A lead is not a hit. */
export function LeadsPanel({ caseId }: { caseId?: number }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const leads = useCall('outbox.leads', { caseId });
  const { errorText } = useErrorText();
  const canCompare = useCan('comparison.run');
  // A fetched casing becomes a local acquisition: the list then offers the comparison.
  const fetchLead = useCallMutation('outbox.fetchLead', ['outbox.leads']);
  useEvent('outbox.onJob', {}, (job) => {
    if (job.state === 'correlated') void queryClient.invalidateQueries({ queryKey: ['outbox.leads'] });
  });
  const rows = leads.data ?? [];
  return (
    <Stack gap={4}>
      <Title order={2} size="h5">
        {t('queue.leads.title')}
      </Title>
      <Text size="xs" c="dimmed">
        {t('queue.leads.hint')}
      </Text>
      {fetchLead.error ? (
        <Text c="red" role="alert">
          {errorText(fetchLead.error)}
        </Text>
      ) : null}
      <Table striped aria-label={t('queue.leads.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('queue.leads.ours')}</Table.Th>
            <Table.Th>{t('queue.leads.theirs')}</Table.Th>
            <Table.Th>{t('queue.calibre')}</Table.Th>
            <Table.Th>{t('queue.leads.score')}</Table.Th>
            <Table.Th>{t('queue.leads.when')}</Table.Th>
            <Table.Th>{t('network.hits.column')}</Table.Th>
            {canCompare ? (
              <Table.Th>
                <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
              </Table.Th>
            ) : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={7}>
                <Text c="dimmed">{t('queue.leads.none')}</Text>
              </Table.Td>
            </Table.Tr>
          ) : null}
          {rows.map(({ job, lead, fetched, compare, report, theirHit }) => (
            <Table.Tr key={`${job.id}-${lead.leadId}`} data-testid={`lead-${lead.leadId}`}>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  {job.acquisitionId ? (
                    <ReliefThumbnail
                      acquisitionId={job.acquisitionId}
                      size={48}
                      label={`${job.caseRef} / ${job.itemRef}`}
                    />
                  ) : null}
                  <span>
                    {job.caseId ? (
                      <Anchor href={href(`/cases/${job.caseId}`)} className="cb-mono">
                        {job.caseRef}
                      </Anchor>
                    ) : (
                      <span className="cb-mono">{job.caseRef}</span>
                    )}{' '}
                    / {job.itemRef}
                  </span>
                </Group>
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  {/* The other lab's casing can be shown once it has been fetched. */}
                  {compare ? (
                    <ReliefThumbnail
                      acquisitionId={compare.b}
                      size={48}
                      label={`${lead.otherCaseRef} / ${lead.otherItemRef}`}
                    />
                  ) : null}
                  <span className="cb-mono">
                    {lead.otherLabId} · {lead.otherCaseRef} / {lead.otherItemRef}
                  </span>
                </Group>
              </Table.Td>
              <Table.Td>
                {lead.calibre} · {t(`regionName.${lead.region ?? 'breech_face'}`)}
              </Table.Td>
              <Table.Td>
                <LeadScore lead={lead} />
              </Table.Td>
              <Table.Td>{formatDateTime(lead.createdAt)}</Table.Td>
              <Table.Td>
                <LeadHit report={report} theirHit={theirHit} />
              </Table.Td>
              {canCompare ? (
                <Table.Td>
                  {compare ? (
                    <Anchor href={href(`/compare/${compare.a}/${compare.b}?from=lead`)} size="sm">
                      {t('queue.leads.compare')}
                    </Anchor>
                  ) : fetched || (fetchLead.isSuccess && fetchLead.variables?.leadId === lead.leadId) ? (
                    <Text size="xs" c="green">
                      {t('queue.leads.fetched', { count: lead.otherArtifacts.length })}
                    </Text>
                  ) : (
                    <Button
                      size="xs"
                      variant="light"
                      loading={fetchLead.isPending && fetchLead.variables?.leadId === lead.leadId}
                      onClick={() => fetchLead.mutate({ jobId: job.id, leadId: lead.leadId })}
                    >
                      {t('queue.leads.fetch')}
                    </Button>
                  )}
                </Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** A CMC lead shows its count, both directions, and how often such a count occurs among known non-matches. */
function LeadScore({ lead }: { lead: LeadView }) {
  const { t } = useTranslation();
  if (!lead.scorer.startsWith('cmc/')) return <span title={lead.scorer}>{formatNumber(lead.score, 3)}</span>;
  return (
    <Stack gap={0} title={lead.scorer}>
      <Text fw={600} data-testid={`lead-${lead.leadId}-cmc`}>
        {t('queue.leads.cmc', { count: lead.score })}
      </Text>
      {lead.detail ? (
        <Text size="xs" c="dimmed">
          {t('queue.leads.cmcWays', { ab: lead.detail.cmcAb, ba: lead.detail.cmcBa })}
        </Text>
      ) : null}
      {lead.detail?.calibrated ? (
        <Text size="xs" c="dimmed" maw={360}>
          {lead.detail.calibrated}
        </Text>
      ) : null}
      {lead.detail?.lr ? (
        <Text size="xs" maw={360} title={lead.detail.lr.statement} data-testid={`lead-${lead.leadId}-lr`}>
          {lead.detail.lr.clipped
            ? t('network.lead.lrClipped', { value: formatNumber(lead.detail.lr.log10Lr, 1) })
            : t('network.lead.lr', {
                value: formatNumber(lead.detail.lr.log10Lr, 1),
                low: formatNumber(lead.detail.lr.interval[0], 1),
                high: formatNumber(lead.detail.lr.interval[1], 1),
              })}
          {lead.detail.lr.betweenClasses ? ` ${t('exam.lr.inconclusive')}` : ''}
        </Text>
      ) : null}
      {lead.detail?.screened !== undefined ? (
        <SearchFigures
          testId={`lead-${lead.leadId}-screened`}
          figures={lead.detail}
          registration={lead.detail.registration}
        />
      ) : null}
      {lead.detail?.foundBy?.screened !== undefined ? (
        <SearchFigures
          testId={`lead-${lead.leadId}-found-by`}
          figures={lead.detail.foundBy}
          registration={lead.detail.registration}
          theirs
        />
      ) : null}
    </Stack>
  );
}

/**
 * What the search that found a lead did: how many casings it screened, registered and fully scored, its cut and miss
 * rate, and where the casing stood in its order. `theirs`: the search of the OTHER lab's casing found this lead (the
 * hub stores each lead both ways): said so first, and the place is our casing's in that search.
 */
function SearchFigures({
  testId,
  figures,
  registration,
  theirs = false,
}: {
  testId: string;
  figures: SearchFiguresOf;
  registration: number | undefined;
  theirs?: boolean;
}) {
  const { t } = useTranslation();
  const screened = figures.screened ?? 0;
  const place = theirs
    ? registration !== undefined
      ? 'network.lead.placeOursRegistered'
      : 'network.lead.placeOurs'
    : registration !== undefined
      ? 'network.lead.placeRegistered'
      : 'network.lead.place';
  return (
    <Text size="xs" c="dimmed" maw={360} data-testid={testId}>
      {theirs ? `${t('network.lead.foundBy')} ` : null}
      {figures.registered
        ? t('network.lead.screenedChecked', {
            count: screened,
            registered: figures.registered,
            fully: figures.fullyScored ?? 0,
            cut: formatNumber(figures.cut ?? 0, 2),
          })
        : t('network.lead.screened', {
            count: screened,
            fully: figures.fullyScored ?? 0,
            cut: formatNumber(figures.cut ?? 0, 2),
          })}
      {figures.expectedMissRate !== undefined && (figures.fullyScored ?? 0) < screened
        ? ` ${missRateText(t, { ...figures, expectedMissRate: figures.expectedMissRate })}`
        : null}
      {figures.signatureRank !== undefined
        ? ` ${t(place, {
            rank: figures.signatureRank,
            registration: registration === undefined ? '' : formatNumber(registration, 2),
          })}`
        : null}
    </Text>
  );
}
