// One calibration record: figures, device serials, the results as recorded, and its report picture.
import { Badge, Code, Group, Image, List, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { formatDateTime } from '../../app/format.ts';

function ReportPicture({ id }: { id: number }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const report = useCall('calibrations.report', { id });
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!report.data) return;
    const object = URL.createObjectURL(new Blob([report.data.bytes as Uint8Array<ArrayBuffer>], { type: report.data.mediaType }));
    setUrl(object);
    return () => URL.revokeObjectURL(object);
  }, [report.data]);
  if (report.error) return <Text c="red" role="alert">{errorText(report.error)}</Text>;
  return url ? <Image src={url} alt={t('calibration.reportAlt', { id })} maw={720} fit="contain" data-testid="calibration-report" /> : <Text>{t('common.loading')}</Text>;
}

export function CalibrationDetailPanel({ id }: { id: number }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const detail = useCall('calibrations.get', { id });
  if (detail.error) return <Text c="red" role="alert">{errorText(detail.error)}</Text>;
  const c = detail.data;
  if (!c) return <Text>{t('common.loading')}</Text>;
  return (
    <Paper withBorder p="sm" data-testid="calibration-detail">
      <Stack gap="xs">
        <Group gap="xs">
          <Title order={5}>{t('calibration.detailTitle', { id: c.id, kind: t(`calibration.kind.${c.kind}`) })}</Title>
          <Badge color={c.expired ? 'red' : 'green'}>{c.expired ? t('calibration.expired') : t('calibration.valid')}</Badge>
          <Badge color={c.passed ? 'green' : 'orange'} variant="light">{c.passed ? t('calibration.passed') : t('calibration.failed')}</Badge>
        </Group>
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
          <div><Text size="xs" c="dimmed">{t('calibration.performed')}</Text><Text size="sm">{formatDateTime(c.performedAt)}</Text></div>
          <div><Text size="xs" c="dimmed">{t('calibration.expires')}</Text><Text size="sm">{formatDateTime(c.expiresAt)}</Text></div>
          <div><Text size="xs" c="dimmed">{t('calibration.operator')}</Text><Text size="sm">{c.operator}</Text></div>
          <div><Text size="xs" c="dimmed">{t('calibration.rigProfile')}</Text><Text size="sm">{c.rigProfile}</Text></div>
        </SimpleGrid>
        {c.messages.length > 0 ? (
          <div>
            <Text size="xs" c="dimmed">{t('calibration.figures')}</Text>
            <List size="sm" data-testid="calibration-figures">{c.messages.map((m) => <List.Item key={m}>{m}</List.Item>)}</List>
          </div>
        ) : null}
        <div>
          <Text size="xs" c="dimmed">{t('calibration.devices')}</Text>
          <Text size="sm" className="cb-mono">{Object.entries(c.deviceSerials).map(([label, serial]) => `${label}: ${serial}`).join(' · ') || '—'}</Text>
        </div>
        <div>
          <Text size="xs" c="dimmed">{t('calibration.report')}</Text>
          {c.reportSha256 ? <ReportPicture id={c.id} /> : <Text size="sm" c="dimmed">{t('calibration.noReport')}</Text>}
        </div>
        <div>
          <Text size="xs" c="dimmed">{t('calibration.results')}</Text>
          <Code block style={{ maxHeight: 320, overflow: 'auto' }}>{JSON.stringify(c.results, null, 2)}</Code>
        </div>
      </Stack>
    </Paper>
  );
}
