// One test set for its manager: the pairs with their truth, every participant's conclusion against it with the
// time taken, the rates per participant and overall, and closing the set (with a reason).
import { Alert, Anchor, Badge, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { testOutcomes } from '../../../../electron/contract/index.ts';
import { useCall, useCallMutation } from '../../../api/hooks.tsx';
import { useErrorText } from '../../../api/useErrorText.ts';
import { href } from '../../../app/router.ts';
import { PageError } from '../../../app/NotFoundPage.tsx';
import { formatPercent } from '../../../app/format.ts';

const outcomeColour: Record<string, string> = {
  correct: 'green',
  false_positive: 'red',
  false_negative: 'red',
  inconclusive: 'yellow',
  unsuitable: 'gray',
  pending: 'gray',
};
const pct = (v: number | null) => formatPercent(v, 1);

export function TestSetPage({ params }: { params: Record<string, string> }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const id = Number(params.id);
  const results = useCall('testSets.results', { id }, { enabled: id > 0 });
  const close = useCallMutation('testSets.close', ['testSets.results', 'testSets.list']);
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  if (results.error) return <PageError error={results.error} missing={t('exam.tests.missing')} />;
  if (!results.data) return <Text>{t('common.loading')}</Text>;
  const { testSet, rows, summary } = results.data;
  return (
    <Stack gap="md">
      <Group gap="xs">
        <Anchor href={href('/tests')} size="sm">
          {t('exam.tests.title')}
        </Anchor>
        <Text c="dimmed">/</Text>
        <Title order={1} size="h4">
          {testSet.name}
        </Title>
        <Badge color={testSet.state === 'open' ? 'blue' : 'gray'}>{t(`exam.tests.state.${testSet.state}`)}</Badge>
      </Group>
      {testSet.instructions ? <Text size="sm">{testSet.instructions}</Text> : null}
      <Title order={2} size="h5">
        {t('exam.tests.summary')}
      </Title>
      <Table aria-label={t('exam.tests.summary')} data-testid="test-summary">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('exam.tests.participant')}</Table.Th>
            {testOutcomes.map((o) => (
              <Table.Th key={o}>{t(`exam.tests.outcome.${o}`)}</Table.Th>
            ))}
            <Table.Th>{t('exam.tests.fpr')}</Table.Th>
            <Table.Th>{t('exam.tests.fnr')}</Table.Th>
            <Table.Th>{t('exam.tests.median')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {summary.map((s) => (
            <Table.Tr key={s.username}>
              <Table.Td>{s.username === '*' ? t('exam.tests.everyone') : s.username}</Table.Td>
              {testOutcomes.map((o) => (
                <Table.Td key={o}>{s.counts[o] ?? 0}</Table.Td>
              ))}
              <Table.Td>{pct(s.falsePositiveRate)}</Table.Td>
              <Table.Td>{pct(s.falseNegativeRate)}</Table.Td>
              <Table.Td>
                {s.medianSeconds === null ? '—' : t('exam.tests.seconds', { value: Math.round(s.medianSeconds) })}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Title order={2} size="h5">
        {t('exam.tests.rows')}
      </Title>
      <Table aria-label={t('exam.tests.rows')} striped fz="sm" data-testid="test-rows">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('exam.tests.participant')}</Table.Th>
            <Table.Th>{t('exam.tests.pair')}</Table.Th>
            <Table.Th>{t('exam.tests.truthLabel')}</Table.Th>
            <Table.Th>{t('exam.tests.conclusion')}</Table.Th>
            <Table.Th>{t('exam.tests.outcomeLabel')}</Table.Th>
            <Table.Th>{t('exam.tests.time')}</Table.Th>
            <Table.Th>{t('exam.tests.annotations')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={`${r.participant.userId}-${r.position}`}>
              <Table.Td>{r.participant.displayName}</Table.Td>
              <Table.Td>{r.position}</Table.Td>
              <Table.Td>{t(`exam.tests.truthName.${r.truth}`)}</Table.Td>
              <Table.Td>{r.conclusion ? t(`exam.afte.${r.conclusion}`) : '—'}</Table.Td>
              <Table.Td>
                <Badge color={outcomeColour[r.outcome]} variant="light">
                  {t(`exam.tests.outcome.${r.outcome}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                {r.seconds === null ? '—' : t('exam.tests.seconds', { value: Math.round(r.seconds) })}
              </Table.Td>
              <Table.Td>{r.annotations}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {testSet.state === 'open' ? (
        <form
          aria-label={t('exam.tests.close')}
          onSubmit={(e) => {
            e.preventDefault();
            if (!reason.trim()) return setFailure(t('exam.annotation.reasonRequired'));
            close.mutate(
              { id, version: testSet.version, reason: reason.trim() },
              { onError: (error) => setFailure(errorText(error)) },
            );
          }}
        >
          <Group align="flex-end" gap="xs">
            <TextInput
              size="xs"
              style={{ flex: 1 }}
              label={t('exam.tests.closeReason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              maxLength={500}
            />
            <Button size="xs" type="submit" color="red" variant="light" loading={close.isPending}>
              {t('exam.tests.close')}
            </Button>
          </Group>
        </form>
      ) : null}
      {failure ? (
        <Alert color="red" role="alert">
          {failure}
        </Alert>
      ) : null}
    </Stack>
  );
}
