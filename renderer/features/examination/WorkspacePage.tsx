// /compare/:a/:b — the comparison-microscope workspace for two acquisitions, reached from search results,
// network leads, an item's acquisitions and a case. Without an examination it is a free comparison: nothing
// drawn is stored; the examination pages host the same workspace with annotations, snapshots and conclusions.
import { Alert, Anchor, Group, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AcquisitionDetail } from '../../../electron/contract/index.ts';
import { useCall } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { href } from '../../app/router.ts';
import { Workspace } from './workspace/Workspace.tsx';

/** "LAB-2026-0100 / Q1" for an acquisition, once its item's place is known; its number until then. */
export function useAcquisitionName(detail: AcquisitionDetail | undefined): string {
  const { t } = useTranslation();
  const sources = useCall('search.sources', { itemId: detail?.itemId ?? 0 }, { enabled: !!detail });
  const ref = sources.data?.find((r) => r.acquisitionId === detail?.id) ?? sources.data?.[0];
  if (!detail) return '';
  return ref ? `${ref.labCaseNumber} / ${ref.exhibitNumber}` : t('exam.acquisitionN', { id: detail.id });
}

export function WorkspacePage({ params }: { params: Record<string, string> }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const a = Number(params.a);
  const b = Number(params.b);
  const valid = Number.isInteger(a) && Number.isInteger(b) && a > 0 && b > 0 && a !== b;
  const detailA = useCall('acquisitions.get', { id: a }, { enabled: valid });
  const detailB = useCall('acquisitions.get', { id: b }, { enabled: valid });
  const nameA = useAcquisitionName(detailA.data);
  const nameB = useAcquisitionName(detailB.data);
  if (!valid)
    return (
      <Alert color="red" role="alert">
        {t('compare.badAddress')}
      </Alert>
    );
  const error = detailA.error ?? detailB.error;
  if (error)
    return (
      <Alert color="red" role="alert">
        {errorText(error)}
      </Alert>
    );
  if (!detailA.data || !detailB.data)
    return (
      <Text role="status" aria-live="polite">
        {t('common.loading')}
      </Text>
    );
  return (
    <Workspace
      key={`${a}-${b}`}
      details={[detailA.data, detailB.data]}
      names={[nameA, nameB]}
      header={
        <Group gap="xs">
          <Anchor href={href('/search')} size="sm">
            {t('search.title')}
          </Anchor>
          <Text c="dimmed">/</Text>
          <Title order={4}>{t('exam.title', { a: nameA, b: nameB })}</Title>
        </Group>
      }
    />
  );
}
