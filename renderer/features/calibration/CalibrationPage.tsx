// The rig's calibration records (newest first) with their expiry, a run of a new calibration with progress and
// cancel, and the chosen record's figures and report picture (lighting uniformity in false colour).
import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  Select,
  Stack,
  Table,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { calibrationRunKinds, isAppError, type CalibrationSummary } from '../../../electron/contract/index.ts';
import { useCall, useCan } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { formatDateTime, formatNumber } from '../../app/format.ts';
import { href, navigate } from '../../app/router.ts';
import { PageError } from '../../app/NotFoundPage.tsx';
import { useLongCall } from '../../api/useLongCall.ts';
import { useLightWords } from '../rig/lightWords.ts';
import { useRecordedProfileName } from '../rig/useRig.ts';
import { calibrationStepText } from './calibrationSteps.ts';
import { calibrationProblemsText } from './problemWords.ts';
import { CalibrationDetailPanel } from './CalibrationDetailPanel.tsx';
import { ValidityPanel } from './ValidityPanel.tsx';

type RunKind = (typeof calibrationRunKinds)[number];

export function calibrationState(c: Pick<CalibrationSummary, 'expired' | 'passed'>): 'expired' | 'failed' | 'valid' {
  return c.expired ? 'expired' : c.passed ? 'valid' : 'failed';
}
const stateColour = { expired: 'red', failed: 'orange', valid: 'green' } as const;
const stateWords = {
  expired: 'calibration.expired',
  failed: 'calibration.failed',
  valid: 'calibration.valid',
} as const;

export function CalibrationPage({ params }: { params: Record<string, string> }) {
  const { t } = useTranslation();
  const light = useLightWords();
  const profileName = useRecordedProfileName();
  const { errorText } = useErrorText();
  const queryClient = useQueryClient();
  const canRun = useCan('rig.operate');
  const list = useCall('calibrations.list', { limit: 200 });
  const [kind, setKind] = useState<RunKind>('all');
  const runner = useLongCall('calibrations.run');
  const { state } = runner;
  const selected = params.id ? Number(params.id) : (list.data?.rows[0]?.id ?? null);
  // The same query as the detail panel's: an address naming no calibration shows the not-found page.
  const addressed = useCall('calibrations.get', { id: selected ?? 0 }, { enabled: params.id !== undefined });

  const run = async () => {
    const done = await runner.run({ kind });
    await queryClient.invalidateQueries({ queryKey: ['calibrations.list'] });
    void queryClient.invalidateQueries({ queryKey: ['capture.readiness'] });
    if (done) navigate(`/calibration/${done.id}`);
  };

  const rows = list.data?.rows ?? [];
  if (isAppError(addressed.error, 'not_found'))
    return <PageError error={addressed.error} missing={t('calibration.missing')} />;
  return (
    <Stack gap="sm">
      <Title order={1} size="h4">
        {t('calibration.title')}
      </Title>
      <ValidityPanel />
      {canRun ? (
        <Paper withBorder p="sm">
          <Group align="flex-end">
            <Select
              label={t('calibration.runKind')}
              data={calibrationRunKinds.map((k) => ({ value: k, label: t(`calibration.runKinds.${k}`) }))}
              value={kind}
              onChange={(v) => v && setKind(v as RunKind)}
              allowDeselect={false}
              disabled={state.phase === 'running'}
              w={260}
            />
            {state.phase === 'running' ? (
              <Button color="red" variant="light" onClick={runner.cancel} disabled={state.canceling}>
                {t('calibration.cancel')}
              </Button>
            ) : (
              <Button onClick={() => void run()}>{t('calibration.run')}</Button>
            )}
          </Group>
          {state.phase === 'running' ? (
            <Stack gap={4} mt="sm">
              <Progress value={state.fraction * 100} animated aria-label={t('calibration.running')} />
              <Text size="sm" data-testid="calibration-message" aria-live="polite">
                {state.detail ? calibrationStepText(t, state.detail, light) : t('calibration.running')}
              </Text>
            </Stack>
          ) : null}
          {state.phase === 'canceled' ? (
            <Alert mt="sm" color="yellow" role="status">
              {t('calibration.canceled')}
            </Alert>
          ) : null}
          {state.phase === 'failed' ? (
            <Alert mt="sm" color="red" role="alert">
              {errorText(state.error)}
            </Alert>
          ) : null}
        </Paper>
      ) : null}
      {list.error ? (
        <Text c="red" role="alert">
          {errorText(list.error)}
        </Text>
      ) : null}
      <Table striped highlightOnHover fz="sm" aria-label={t('calibration.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('calibration.referenceColumn')}</Table.Th>
            <Table.Th>{t('calibration.performed')}</Table.Th>
            <Table.Th>{t('calibration.kindColumn')}</Table.Th>
            <Table.Th>{t('calibration.rigProfile')}</Table.Th>
            <Table.Th>{t('calibration.operator')}</Table.Th>
            <Table.Th>{t('calibration.expires')}</Table.Th>
            <Table.Th>{t('calibration.state')}</Table.Th>
            <Table.Th>{t('calibration.figures')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 && !list.isFetching ? (
            <Table.Tr>
              <Table.Td colSpan={8}>
                <Text c="dimmed">{t('calibration.none')}</Text>
              </Table.Td>
            </Table.Tr>
          ) : null}
          {rows.map((c) => {
            const s = calibrationState(c);
            return (
              <Table.Tr
                key={c.id}
                data-testid={`calibration-${c.id}`}
                bg={c.id === selected ? 'var(--mantine-primary-color-light)' : undefined}
              >
                <Table.Td>
                  <UnstyledButton component="a" href={href(`/calibration/${c.id}`)}>
                    {c.reference}
                  </UnstyledButton>
                </Table.Td>
                <Table.Td>{formatDateTime(c.performedAt)}</Table.Td>
                <Table.Td>{t(`calibrationKind.${c.kind}`)}</Table.Td>
                <Table.Td>{profileName(c.rigProfile)}</Table.Td>
                <Table.Td>{c.operator}</Table.Td>
                <Table.Td>{formatDateTime(c.expiresAt)}</Table.Td>
                <Table.Td>
                  <Badge size="sm" color={stateColour[s]}>
                    {t(stateWords[s])}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" lineClamp={2}>
                    {[...headlineWords(t, c), ...calibrationProblemsText(t, light, c)].join(' · ')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {selected !== null ? (
        <CalibrationDetailPanel id={selected} />
      ) : rows.length > 0 ? (
        <Text c="dimmed">{t('calibration.select')}</Text>
      ) : null}
    </Stack>
  );
}

/** The figures a list shows for a record: its pixel size, lights fitted and worst non-uniformity, where measured. */
function headlineWords(t: TFunction, c: CalibrationSummary): string[] {
  const h = c.headline;
  if (!h) return [];
  return [
    h.umPerPixel === null ? null : t('calibration.headline.umPerPixel', { value: formatNumber(h.umPerPixel, 3) }),
    h.lights === null ? null : t('calibration.headline.lights', { count: h.lights }),
    h.worstNonUniformity === null
      ? null
      : t('calibration.headline.nonUniformity', { value: formatNumber(h.worstNonUniformity * 100, 1) }),
  ].filter((w): w is string => w !== null);
}
