// Testing mode (proficiency and validation, ISO/IEC 17025 7.2.2): a manager builds a test set of pairs with a
// hidden ground truth and names the examiners who take it; each works the pairs in the same workspace (from the
// worklist, with neutral names); the manager reads conclusions against the truth and the time per comparison.
import { Anchor, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../../api/hooks.tsx';
import { useErrorText } from '../../../api/useErrorText.ts';
import { formatDateTime } from '../../../app/format.ts';
import { href } from '../../../app/router.ts';
import { TestSetForm } from './TestSetForm.tsx';

export function TestSetsPage() {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const sets = useCall('testSets.list', {});
  const [creating, setCreating] = useState(false);
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h4">
          {t('exam.tests.title')}
        </Title>
        <Button size="xs" onClick={() => setCreating((v) => !v)} variant={creating ? 'default' : 'filled'}>
          {creating ? t('common.cancel') : t('exam.tests.new')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t('exam.tests.intro')}
      </Text>
      {creating ? <TestSetForm onCreated={() => setCreating(false)} /> : null}
      {sets.error ? (
        <Text c="red" role="alert">
          {errorText(sets.error)}
        </Text>
      ) : null}
      <Table aria-label={t('exam.tests.title')} striped data-testid="test-sets">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('exam.tests.name')}</Table.Th>
            <Table.Th>{t('exam.tests.stateLabel')}</Table.Th>
            <Table.Th>{t('exam.tests.progress')}</Table.Th>
            <Table.Th>{t('exam.tests.created')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(sets.data ?? []).map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>
                <Anchor href={href(`/tests/${s.id}`)}>{s.name}</Anchor>
              </Table.Td>
              <Table.Td>
                <Badge color={s.state === 'open' ? 'blue' : 'gray'}>{t(`exam.tests.state.${s.state}`)}</Badge>
              </Table.Td>
              <Table.Td>
                {t('exam.tests.progressText', {
                  concluded: s.concluded,
                  total: s.pairs * s.participants.length,
                  pairs: s.pairs,
                  people: s.participants.length,
                })}
              </Table.Td>
              <Table.Td>
                {formatDateTime(s.createdAt)} · {s.createdBy}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
