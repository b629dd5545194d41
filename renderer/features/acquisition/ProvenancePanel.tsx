// Everything recorded about how an acquisition came to be: operator and times, devices, calibration, settings,
// quality checks and the evidence files with their hashes.
import { Accordion, Anchor, Badge, Code, List, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { specimenLabel, type AcquisitionDetail } from '../../../electron/contract/index.ts';
import { formatBytes, formatDateTime, formatNumber, formatSignificant } from '../../app/format.ts';
import { href } from '../../app/router.ts';
import { importCorrections } from './correctionWords.ts';
import { roleLabel } from './roles.ts';
import { qualityCheckText } from './qualityWords.ts';
import { useLightWords } from '../rig/lightWords.ts';
import { useRecordedProfileName } from '../rig/useRig.ts';
import { calibrationProblemsText } from '../calibration/problemWords.ts';
import { UserText } from '../../shared/UserText.tsx';
import { settingLines } from './settingsWords.ts';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children ?? '—'}
      </Text>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="sm">
      <Title order={3} size="h6" mb={4}>
        {title}
      </Title>
      {children}
    </Paper>
  );
}

export function ProvenancePanel({ detail }: { detail: AcquisitionDetail }) {
  const { t } = useTranslation();
  const light = useLightWords();
  // Provenance states what was recorded: acquisitions keep no profile id, so the name stays as recorded (two
  // profiles may share a name; the current one's translation could name another rig).
  const profileName = useRecordedProfileName({ needsId: true });
  const corrections = importCorrections(t, detail);
  const { corrections: _c, correctionNotes: _n, ...settings } = detail.settings;
  const lines = settingLines(t, settings, light, detail.calibrationReferences);
  const cal = detail.calibration;
  return (
    <Stack gap="sm" data-testid="provenance">
      <Section title={t('acquisition.viewer.general')}>
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs" verticalSpacing="xs">
          <Field label={t('acquisition.source')}>{t(`acquisition.sourceName.${detail.source}`)}</Field>
          <Field label={t('acquisition.region')}>{t(`regionName.${detail.region}`)}</Field>
          <Field label={t('acquisition.operator')}>{detail.operator}</Field>
          <Field label={t('acquisition.viewer.rigProfile')}>
            {detail.rigProfile === null ? null : <UserText text={profileName(detail.rigProfile)} />}
          </Field>
          {typeof settings.simulatedSpecimen === 'string' ? (
            <Field label={t('acquisition.viewer.simulatedFrom')}>{specimenLabel(settings.simulatedSpecimen)}</Field>
          ) : null}
          <Field label={t('acquisition.viewer.started')}>{formatDateTime(detail.startedAt)}</Field>
          <Field label={t('acquisition.viewer.completed')}>{formatDateTime(detail.completedAt)}</Field>
          <Field label={t('acquisition.size')}>
            {detail.width && detail.height
              ? t(detail.lateralUm ? 'acquisition.sizeWithPixel' : 'acquisition.sizeValue', {
                  width: detail.width,
                  height: detail.height,
                  um: formatNumber(detail.lateralUm, 3),
                })
              : null}
          </Field>
          <Field label={t('acquisition.unsuitable')}>{detail.unsuitableReason}</Field>
        </SimpleGrid>
      </Section>

      <Section title={t('acquisition.viewer.qualityTitle')}>
        {detail.quality ? (
          <Table fz="sm" verticalSpacing={2} aria-label={t('acquisition.viewer.qualityTitle')}>
            <Table.Tbody>
              {detail.quality.checks.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>{t(`acquisition.check.${c.id}`)}</Table.Td>
                  <Table.Td>
                    <Badge size="sm" color={c.passed ? 'green' : 'red'}>
                      {c.passed ? t('acquisition.viewer.passed') : t('acquisition.viewer.failed')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {t('acquisition.viewer.checkValue', {
                      value: formatSignificant(c.value, 4),
                      threshold: formatSignificant(c.threshold, 4),
                    })}
                  </Table.Td>
                  <Table.Td>{qualityCheckText(t, c)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text size="sm" c="dimmed">
            {t('acquisition.viewer.noQuality')}
          </Text>
        )}
      </Section>

      <Section title={t('acquisition.viewer.calibration')}>
        {cal ? (
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs" verticalSpacing="xs">
            <Field label={t('calibration.title')}>
              <Anchor size="sm" href={href(`/calibration/${cal.id}`)}>
                {t('calibration.detailTitle', { reference: cal.reference, kind: t(`calibrationKind.${cal.kind}`) })}
              </Anchor>
            </Field>
            <Field label={t('calibration.performed')}>{formatDateTime(cal.performedAt)}</Field>
            <Field label={t('calibration.expires')}>
              {formatDateTime(cal.expiresAt)}{' '}
              <Badge size="xs" color={cal.expired ? 'red' : 'green'}>
                {cal.expired ? t('calibration.expired') : t('calibration.valid')}
              </Badge>
            </Field>
            <Field label={t('calibration.operator')}>{cal.operator}</Field>
            {cal.messages.length > 0 ? (
              <Field label={t('calibration.figures')}>{calibrationProblemsText(t, light, cal).join(' · ')}</Field>
            ) : null}
          </SimpleGrid>
        ) : (
          <Text size="sm" c="dimmed">
            {t('acquisition.viewer.noCalibration')}
          </Text>
        )}
      </Section>

      <Section title={t('acquisition.viewer.devices')}>
        {detail.devices.length > 0 ? (
          <Table fz="sm" verticalSpacing={2} aria-label={t('acquisition.viewer.devices')}>
            <Table.Thead>
              <Table.Tr>
                {(['label', 'driver', 'model', 'serial', 'firmware'] as const).map((k) => (
                  <Table.Th key={k}>{t(`acquisition.viewer.device.${k}`)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {detail.devices.map((d) => (
                <Table.Tr key={d.label}>
                  <Table.Td>{d.label}</Table.Td>
                  <Table.Td>{d.driver}</Table.Td>
                  <Table.Td>{d.model ?? '—'}</Table.Td>
                  <Table.Td className="cb-mono">{d.serial ?? '—'}</Table.Td>
                  <Table.Td>{d.firmware ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text size="sm" c="dimmed">
            {t('acquisition.viewer.noDevices')}
          </Text>
        )}
      </Section>

      <Section title={t('acquisition.viewer.settings')}>
        {corrections.length > 0 ? (
          <>
            <Text size="sm">{t('acquisition.viewer.corrections')}</Text>
            <List size="sm" mb="xs">
              {corrections.map((c) => (
                <List.Item key={c}>{c}</List.Item>
              ))}
            </List>
          </>
        ) : null}
        {lines.length > 0 ? (
          <Table fz="sm" verticalSpacing={2} aria-label={t('acquisition.viewer.settings')} mb="xs">
            <Table.Tbody>
              {lines.map((line) => (
                <Table.Tr key={line.label}>
                  <Table.Th scope="row" fw={500} w="30%">
                    {line.label}
                  </Table.Th>
                  <Table.Td>{line.typed ? <UserText text={line.value} /> : line.value}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
        <Accordion variant="contained">
          <Accordion.Item value="recorded">
            <Accordion.Control>{t('acquisition.setting.asRecorded')}</Accordion.Control>
            <Accordion.Panel>
              <Code block style={{ maxHeight: 280, overflow: 'auto' }}>
                {JSON.stringify(settings, null, 2)}
              </Code>
            </Accordion.Panel>
          </Accordion.Item>
        </Accordion>
      </Section>

      <Section title={t('acquisition.viewer.files')}>
        <Table fz="sm" verticalSpacing={2} aria-label={t('acquisition.viewer.files')}>
          <Table.Thead>
            <Table.Tr>
              {(['role', 'mediaType', 'size', 'sha256'] as const).map((k) => (
                <Table.Th key={k}>{t(`acquisition.viewer.file.${k}`)}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {detail.files.map((f) => (
              <Table.Tr key={f.role}>
                <Table.Td>{roleLabel(t, f.role, light)}</Table.Td>
                <Table.Td>{f.mediaType}</Table.Td>
                <Table.Td>{formatBytes(f.size)}</Table.Td>
                <Table.Td className="cb-mono" style={{ wordBreak: 'break-all' }}>
                  {f.sha256}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
    </Stack>
  );
}
