// One calibration record: figures, device serials, the results as recorded, and its report picture.
import {
  Accordion,
  Badge,
  Code,
  Group,
  Image,
  List,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { formatDateTime } from '../../app/format.ts';
import { calibrationFigures } from './figures.ts';
import { CalibrationFigure } from './CalibrationFigure.tsx';
import { useLightWords } from '../rig/lightWords.ts';
import { useRecordedProfileName } from '../rig/useRig.ts';
import { calibrationProblemsText } from './problemWords.ts';

function ReportPicture({ id, reference }: { id: number; reference: string }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const report = useCall('calibrations.report', { id });
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!report.data) return;
    const object = URL.createObjectURL(
      new Blob([report.data.bytes as Uint8Array<ArrayBuffer>], { type: report.data.mediaType }),
    );
    setUrl(object);
    return () => URL.revokeObjectURL(object);
  }, [report.data]);
  if (report.error)
    return (
      <Text c="red" role="alert">
        {errorText(report.error)}
      </Text>
    );
  return url ? (
    <Image
      src={url}
      alt={t('calibration.reportAlt', { reference })}
      maw={720}
      fit="contain"
      data-testid="calibration-report"
    />
  ) : (
    <Text>{t('common.loading')}</Text>
  );
}

export function CalibrationDetailPanel({ id }: { id: number }) {
  const { t } = useTranslation();
  const light = useLightWords();
  const profileName = useRecordedProfileName();
  const { errorText } = useErrorText();
  const detail = useCall('calibrations.get', { id });
  if (detail.error)
    return (
      <Text c="red" role="alert">
        {errorText(detail.error)}
      </Text>
    );
  const c = detail.data;
  if (!c) return <Text>{t('common.loading')}</Text>;
  const problems = calibrationProblemsText(t, light, c);
  return (
    <Paper withBorder p="sm" data-testid="calibration-detail">
      <Stack gap="xs">
        <Group gap="xs">
          <Title order={2} size="h5">
            {t('calibration.detailTitle', { reference: c.reference, kind: t(`calibrationKind.${c.kind}`) })}
          </Title>
          <Badge color={c.expired ? 'red' : 'green'}>
            {c.expired ? t('calibration.expired') : t('calibration.valid')}
          </Badge>
          <Badge color={c.passed ? 'green' : 'orange'} variant="light">
            {c.passed ? t('calibration.passed') : t('calibration.failed')}
          </Badge>
        </Group>
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
          <div>
            <Text size="xs" c="dimmed">
              {t('calibration.performed')}
            </Text>
            <Text size="sm">{formatDateTime(c.performedAt)}</Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              {t('calibration.expires')}
            </Text>
            <Text size="sm">{formatDateTime(c.expiresAt)}</Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              {t('calibration.operator')}
            </Text>
            <Text size="sm">{c.operator}</Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              {t('calibration.rigProfile')}
            </Text>
            <Text size="sm">{profileName(c.rigProfile)}</Text>
          </div>
        </SimpleGrid>
        {problems.length > 0 ? (
          <div>
            <Text size="xs" c="dimmed">
              {t('calibration.figures')}
            </Text>
            <List size="sm" data-testid="calibration-figures">
              {problems.map((m) => (
                <List.Item key={m}>{m}</List.Item>
              ))}
            </List>
          </div>
        ) : null}
        <div>
          <Text size="xs" c="dimmed">
            {t('calibration.devices')}
          </Text>
          <Text size="sm" className="cb-mono">
            {Object.entries(c.deviceSerials)
              .map(([label, serial]) => `${label}: ${serial}`)
              .join(' · ') || '—'}
          </Text>
        </div>
        <CalibrationFigure calibration={c} />
        {/* The photo the check was made on (dot grid, sphere), or the report tiles when no panel drew them. */}
        {['scale', 'lights'].includes(c.kind) ? (
          <div>
            <Text size="xs" c="dimmed">
              {t('calibration.report')}
            </Text>
            {c.reportSha256 ? (
              <ReportPicture id={c.id} reference={c.reference} />
            ) : (
              <Text size="sm" c="dimmed">
                {t('calibration.noReport')}
              </Text>
            )}
          </div>
        ) : null}
        {calibrationFigures(c.kind, c.results).map((table) => (
          <div key={table.group}>
            <Text size="sm" fw={500}>
              {t(`calibration.figureGroup.${table.group}`)}
            </Text>
            <Table
              fz="xs"
              verticalSpacing={2}
              striped
              aria-label={t(`calibration.figureGroup.${table.group}`)}
              data-testid={`figures-${table.group}`}
            >
              <Table.Thead>
                <Table.Tr>
                  {table.rows.some((r) => r.label) ? <Table.Th>{t('calibration.channel')}</Table.Th> : null}
                  {table.columns.map((col) => (
                    <Table.Th key={col}>{t(`calibration.figure.${col}`)}</Table.Th>
                  ))}
                  {table.rows.some((r) => r.passed !== undefined) ? (
                    <Table.Th>{t('calibration.state')}</Table.Th>
                  ) : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {table.rows.map((row, i) => (
                  <Table.Tr key={row.label || i}>
                    {row.label ? <Table.Td>{light(row.label)}</Table.Td> : null}
                    {row.values.map((v, j) => (
                      <Table.Td key={j}>{v}</Table.Td>
                    ))}
                    {row.passed !== undefined ? (
                      <Table.Td>
                        <Badge size="xs" color={row.passed ? 'green' : 'red'}>
                          {row.passed ? t('calibration.passed') : t('calibration.failed')}
                        </Badge>
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        ))}
        <Accordion variant="contained">
          <Accordion.Item value="raw">
            <Accordion.Control>{t('calibration.results')}</Accordion.Control>
            <Accordion.Panel>
              <Code block style={{ maxHeight: 320, overflow: 'auto' }}>
                {JSON.stringify(c.results, null, 2)}
              </Code>
            </Accordion.Panel>
          </Accordion.Item>
        </Accordion>
      </Stack>
    </Paper>
  );
}
