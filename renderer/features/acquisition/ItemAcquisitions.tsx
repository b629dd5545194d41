// An item's acquisitions, shown under its row on the case page: when, how (capture or import), which region,
// who, quality and the examiner's "unsuitable" flag, with the actions the role allows.
import { Anchor, Badge, Button, Group, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AcquisitionSummary, Item } from '../../../electron/contract/index.ts';
import { useCall, useCan, useEvent } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { formatDateTime, formatNumber } from '../../app/format.ts';
import { href } from '../../app/router.ts';
import { ReliefThumbnail } from './ReliefThumbnail.tsx';
import { CaptureWizard } from './CaptureWizard.tsx';
import { ImportModal } from './ImportModal.tsx';
import { QualityBadges } from './QualityBadges.tsx';
import { UnsuitableModal } from './UnsuitableModal.tsx';
import { ComparePicker } from '../examination/ComparePicker.tsx';

export function ItemAcquisitions({ item }: { item: Item }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const queryClient = useQueryClient();
  const canAcquire = useCan('acquisition.write');
  const canJudge = useCan('conclusion.write');
  const canCompare = useCan('comparison.run');
  const list = useCall('acquisitions.list', { itemId: item.id });
  const [importing, setImporting] = useState(false);
  const [capturing, setCapturing] = useState(false);
  const [judging, setJudging] = useState<AcquisitionSummary | null>(null);
  const [comparing, setComparing] = useState<number | null>(null);
  useEvent(
    'acquisitions.changed',
    { itemId: item.id },
    () => void queryClient.invalidateQueries({ queryKey: ['acquisitions.list', { itemId: item.id }] }),
  );

  const rows = list.data?.rows ?? [];
  return (
    <Stack gap={4} px="xs" pb="xs" data-testid={`acquisitions-${item.exhibitNumber}`}>
      {/* The two ways to acquire are buttons of their own, a clear space apart, that go under the title when the row
          is short of room (in Arabic at 1024 px they touched). */}
      <Group justify="space-between" gap="xs" pt={4}>
        <Title order={3} size="h6">
          {t('acquisition.title')}
        </Title>
        {canAcquire ? (
          <Group gap="sm" data-testid="acquire-buttons">
            <Button size="xs" variant="light" onClick={() => setImporting(true)}>
              {t('acquisition.import')}
            </Button>
            <Button size="xs" onClick={() => setCapturing(true)}>
              {t('acquisition.capture')}
            </Button>
          </Group>
        ) : null}
      </Group>
      {list.error ? (
        <Text c="red" role="alert">
          {errorText(list.error)}
        </Text>
      ) : null}
      {rows.length === 0 && !list.isFetching ? (
        <Text size="sm" c="dimmed">
          {t('acquisition.none')}
        </Text>
      ) : (
        <Table striped verticalSpacing={2} fz="sm" aria-label={t('acquisition.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('acquisition.picture')}</Table.Th>
              <Table.Th>{t('acquisition.when')}</Table.Th>
              <Table.Th>{t('acquisition.source')}</Table.Th>
              <Table.Th>{t('acquisition.region')}</Table.Th>
              {/* Operator and size fold away below 1200 px (the provenance tab has both): the row fits 1024 px. */}
              <Table.Th visibleFrom="lg">{t('acquisition.operator')}</Table.Th>
              <Table.Th visibleFrom="lg">{t('acquisition.size')}</Table.Th>
              <Table.Th>{t('acquisition.quality')}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((a) => (
              <Table.Tr key={a.id} data-testid={`acquisition-${a.id}`}>
                <Table.Td>
                  {a.topographySha256 ? (
                    <ReliefThumbnail
                      acquisitionId={a.id}
                      size={48}
                      label={`${item.exhibitNumber} · ${t(`regionName.${a.region}`)}`}
                    />
                  ) : null}
                </Table.Td>
                <Table.Td>{formatDateTime(a.completedAt)}</Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="outline" color={a.source === 'capture' ? 'blue' : 'grape'}>
                    {t(`acquisition.sourceName.${a.source}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{t(`regionName.${a.region}`)}</Table.Td>
                <Table.Td visibleFrom="lg">{a.operator}</Table.Td>
                <Table.Td visibleFrom="lg">
                  {a.width && a.height
                    ? a.lateralUm
                      ? t('acquisition.sizeWithPixel', {
                          width: a.width,
                          height: a.height,
                          um: formatNumber(a.lateralUm, 2),
                        })
                      : t('acquisition.sizeValue', { width: a.width, height: a.height })
                    : ''}
                </Table.Td>
                <Table.Td>
                  <QualityBadges summary={a} />
                </Table.Td>
                <Table.Td>
                  {/* Apart enough that two links never read as one phrase ("فتح بحث"). */}
                  <Group gap="xs" justify="flex-end">
                    <Anchor
                      size="sm"
                      href={href(`/cases/${item.caseId}/acquisitions/${a.id}`)}
                      aria-label={t('acquisition.openTitle', { id: a.id })}
                    >
                      {t('acquisition.open')}
                    </Anchor>
                    {canCompare && a.topographySha256 && !a.unsuitableReason ? (
                      <Anchor
                        size="sm"
                        href={href(`/search/acquisition/${a.id}`)}
                        aria-label={t('search.fromAcquisitionTitle', { id: a.id })}
                      >
                        {t('search.fromItem')}
                      </Anchor>
                    ) : null}
                    {canCompare ? (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        onClick={() => setComparing(a.id)}
                        aria-label={t('exam.pick.compareTitle', { id: a.id })}
                      >
                        {t('exam.pick.compare')}
                      </Button>
                    ) : null}
                    {canJudge ? (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color={a.unsuitableReason ? 'blue' : 'red'}
                        onClick={() => setJudging(a)}
                      >
                        {a.unsuitableReason ? t('acquisition.clearUnsuitable') : t('acquisition.markUnsuitable')}
                      </Button>
                    ) : null}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <ImportModal
        opened={importing}
        onClose={() => setImporting(false)}
        itemId={item.id}
        caseId={item.caseId}
        exhibit={item.exhibitNumber}
      />
      <CaptureWizard opened={capturing} onClose={() => setCapturing(false)} item={item} />
      <UnsuitableModal acquisition={judging} onClose={() => setJudging(null)} />
      <ComparePicker
        opened={comparing !== null}
        first={comparing}
        caseId={item.caseId}
        origin="item"
        onClose={() => setComparing(null)}
      />
    </Stack>
  );
}
