// One acquisition: its topography as a shaded relief, its images per light, and its provenance.
import { Anchor, Badge, Button, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall, useCan } from '../../api/hooks.tsx';
import { formatDateTime } from '../../app/format.ts';
import { href, useAddressTab } from '../../app/router.ts';
import { ProvenancePanel } from './ProvenancePanel.tsx';
import { QualityBadges } from './QualityBadges.tsx';
import { imageRoles } from './roles.ts';
import { UnsuitableModal } from './UnsuitableModal.tsx';
import { ImageViewer } from './viewer/ImageViewer.tsx';
import { TopographyViewer } from './viewer/TopographyViewer.tsx';
import { SubmitAcquisitionButton } from '../queue/SubmitAcquisitionButton.tsx';
import { RegionsPanel } from './regions/RegionsPanel.tsx';
import { NotFoundPage, PageError } from '../../app/NotFoundPage.tsx';

export function AcquisitionViewerPage({ params }: { params: Record<string, string> }) {
  const { t } = useTranslation();
  const id = Number(params.id);
  const caseId = Number(params.caseId);
  const canJudge = useCan('conclusion.write');
  const detail = useCall('acquisitions.get', { id }, { enabled: Number.isInteger(id) });
  const theCase = useCall('cases.get', { id: caseId }, { enabled: Number.isInteger(caseId) });
  const [judging, setJudging] = useState(false);
  const roles = useMemo(() => (detail.data ? imageRoles(detail.data.files) : []), [detail.data]);
  const hasTopography = detail.data ? detail.data.topographySha256 !== null : false;
  const offered = [
    ...(hasTopography ? ['topography'] : []),
    ...(roles.length > 0 ? ['images'] : []),
    ...(hasTopography || roles.length > 0 ? ['regions'] : []),
    'provenance',
  ];
  const [tab, setTab] = useAddressTab(offered, offered[0]!);

  if (detail.error) return <PageError error={detail.error} missing={t('acquisition.missing')} />;
  if (!detail.data) return <Text>{t('common.loading')}</Text>;
  const a = detail.data;
  // The address names the case too: an acquisition shown under another case's address would mislead.
  if (theCase.data && !theCase.data.items.some((i) => i.id === a.itemId))
    return <NotFoundPage reason={t('acquisition.missing')} />;
  const exhibit = theCase.data?.items.find((i) => i.id === a.itemId)?.exhibitNumber;

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Group gap="xs">
          <Anchor href={href(`/cases/${caseId}`)} size="sm">
            {theCase.data ? theCase.data.case.labCaseNumber : t('acquisition.viewer.back')}
          </Anchor>
          {exhibit ? <Text c="dimmed">/ {exhibit} /</Text> : <Text c="dimmed">/</Text>}
          <Title order={1} size="h4">
            {t('acquisition.viewer.title', { id: a.id })}
          </Title>
          <Badge size="sm" variant="outline">
            {t(`regionName.${a.region}`)}
          </Badge>
          <Badge size="sm" variant="outline" color={a.source === 'capture' ? 'blue' : 'grape'}>
            {t(`acquisition.sourceName.${a.source}`)}
          </Badge>
          <Text size="sm" c="dimmed">
            {formatDateTime(a.completedAt)} · {a.operator}
          </Text>
        </Group>
        <Group gap="xs">
          <QualityBadges summary={a} report={a.quality} />
          <SubmitAcquisitionButton acquisitionId={a.id} />
          {canJudge ? (
            <Button
              size="xs"
              variant="light"
              color={a.unsuitableReason ? 'blue' : 'red'}
              onClick={() => setJudging(true)}
            >
              {a.unsuitableReason ? t('acquisition.clearUnsuitable') : t('acquisition.markUnsuitable')}
            </Button>
          ) : null}
        </Group>
      </Group>
      {a.unsuitableReason ? (
        <Text c="red" size="sm">
          {t('acquisition.unsuitableBecause', { reason: a.unsuitableReason })}
        </Text>
      ) : null}
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="topography" disabled={!hasTopography}>
            {t('acquisition.viewer.topography')}
          </Tabs.Tab>
          <Tabs.Tab value="images" disabled={roles.length === 0}>
            {t('acquisition.viewer.images')}
          </Tabs.Tab>
          <Tabs.Tab value="regions" disabled={!hasTopography && roles.length === 0}>
            {t('regions.tab')}
          </Tabs.Tab>
          <Tabs.Tab value="provenance">{t('acquisition.viewer.provenance')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="topography" pt="xs">
          {hasTopography ? (
            <TopographyViewer detail={a} />
          ) : (
            <Text c="dimmed">{t('acquisition.viewer.noTopography')}</Text>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="images" pt="xs">
          <ImageViewer acquisitionId={a.id} roles={roles} sourcePixelUm={a.lateralUm} />
        </Tabs.Panel>
        <Tabs.Panel value="regions" pt="xs">
          <RegionsPanel acquisitionId={a.id} />
        </Tabs.Panel>
        <Tabs.Panel value="provenance" pt="xs">
          <ProvenancePanel detail={a} />
        </Tabs.Panel>
      </Tabs>
      <UnsuitableModal acquisition={judging ? a : null} onClose={() => setJudging(false)} />
    </Stack>
  );
}
