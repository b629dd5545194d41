// What waits for me: comparisons to conclude, verifications assigned to me or open to claim, arbitrations, test
// pairs; for a manager also the verifications and disputes that need someone assigned, and the lab's policy.
import { Anchor, Badge, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { callKey, useCall, useCan, useEvent } from '../../../api/hooks.tsx';
import { useErrorText } from '../../../api/useErrorText.ts';
import { formatDateTime } from '../../../app/format.ts';
import { href } from '../../../app/router.ts';
import { PolicyPanel } from './PolicyPanel.tsx';
import { testSideLabel } from '../testLabels.ts';

const kindColour: Record<string, string> = {
  examine: 'blue',
  verify: 'grape',
  claim: 'grape',
  arbitrate: 'orange',
  assign_verifier: 'yellow',
  assign_arbiter: 'orange',
  awaiting_verification: 'gray',
  test: 'cyan',
};

export function WorklistPage() {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const queryClient = useQueryClient();
  const manage = useCan('examination.manage');
  const list = useCall('examinations.worklist', {});
  useEvent(
    'examinations.changed',
    {},
    () => void queryClient.invalidateQueries({ queryKey: callKey('examinations.worklist') }),
  );
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h4">
          {t('exam.worklist.title')}
        </Title>
        {manage ? (
          <Anchor href={href('/tests')} size="sm">
            {t('exam.tests.title')}
          </Anchor>
        ) : null}
      </Group>
      <Text size="sm" c="dimmed">
        {t('exam.worklist.intro')}
      </Text>
      {list.error ? (
        <Text c="red" role="alert">
          {errorText(list.error)}
        </Text>
      ) : null}
      <Table aria-label={t('exam.worklist.title')} striped highlightOnHover data-testid="worklist">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('exam.worklist.what')}</Table.Th>
            <Table.Th>{t('exam.worklist.pair')}</Table.Th>
            <Table.Th>{t('exam.worklist.state')}</Table.Th>
            <Table.Th>{t('exam.worklist.since')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(list.data ?? []).map((e) => (
            <Table.Tr key={`${e.kind}-${e.comparisonId}-${e.verificationId ?? ''}`} data-kind={e.kind}>
              <Table.Td>
                <Badge color={kindColour[e.kind]} variant="light">
                  {t(`exam.worklist.kind.${e.kind}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Anchor href={href(`/examinations/${e.comparisonId}`)}>
                  {t('exam.worklist.pairText', {
                    a: e.test ? testSideLabel(t, e.test, 'a') : e.a,
                    b: e.test ? testSideLabel(t, e.test, 'b') : e.b,
                  })}
                </Anchor>
              </Table.Td>
              <Table.Td>{t(`exam.state.${e.state}`)}</Table.Td>
              <Table.Td>{formatDateTime(e.since)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.data && list.data.length === 0 ? <Text size="sm">{t('exam.worklist.empty')}</Text> : null}
      <PolicyPanel />
    </Stack>
  );
}
