// A case's examinations on its page: the cases it is linked to by hits (with the conclusion), and every
// comparison touching it, with its state, conclusion and a link into the workspace.
import { Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall, useCan } from '../../api/hooks.tsx';
import { formatDateTime } from '../../app/format.ts';
import { href } from '../../app/router.ts';
import { ComparePicker } from './ComparePicker.tsx';
import { hitSideText } from './conclusion/HitPanel.tsx';

/** Linked cases, shown at the top of the case page whenever there is one. */
export function LinkedCases({ caseId }: { caseId: number }) {
  const { t } = useTranslation();
  const hits = useCall('hits.forCase', { caseId });
  if (!hits.data || hits.data.length === 0) return null;
  return (
    <Paper withBorder p="xs" data-testid="linked-cases">
      <Stack gap={4}>
        <Title order={3} size="h6">
          {t('exam.linked.title')}
        </Title>
        {hits.data.map((h) => (
          <Group gap="xs" key={h.id}>
            <Badge color="green" variant="light">
              {t(`exam.afte.${h.conclusion}`)}
            </Badge>
            {h.linked.kind === 'local' ? (
              <Anchor href={href(`/cases/${h.linked.caseId}`)} size="sm">
                {hitSideText(h.linked)}
              </Anchor>
            ) : (
              <Text size="sm">{hitSideText(h.linked)}</Text>
            )}
            <Text size="xs" c="dimmed">
              {t('exam.linked.meta', {
                here: hitSideText(h.here),
                who: h.confirmedBy,
                when: formatDateTime(h.confirmedAt),
              })}
            </Text>
            <Anchor href={href(`/examinations/${h.comparisonId}`)} size="xs">
              {t('exam.linked.open')}
            </Anchor>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

export function CaseExaminations({ caseId }: { caseId: number }) {
  const { t } = useTranslation();
  const canCompare = useCan('comparison.run');
  const list = useCall('examinations.list', { caseId }, { enabled: canCompare });
  const [picking, setPicking] = useState(false);
  if (!canCompare) return <Text size="sm">{t('app.notAllowed')}</Text>;
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('exam.caseList.intro')}
        </Text>
        <Button size="compact-sm" variant="light" onClick={() => setPicking(true)}>
          {t('exam.pick.title')}
        </Button>
      </Group>
      <Table aria-label={t('exam.caseList.title')} striped fz="sm" data-testid="case-examinations">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('exam.worklist.pair')}</Table.Th>
            <Table.Th>{t('exam.worklist.state')}</Table.Th>
            <Table.Th>{t('exam.tests.conclusion')}</Table.Th>
            <Table.Th>{t('exam.caseList.opened')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(list.data ?? []).map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <Anchor href={href(`/examinations/${c.id}`)}>
                  {t('exam.worklist.pairText', { a: c.a.label, b: c.b.label })}
                </Anchor>
              </Table.Td>
              <Table.Td>{t(`exam.state.${c.state}`)}</Table.Td>
              <Table.Td>{c.conclusion ? t(`exam.afte.${c.conclusion}`) : '—'}</Table.Td>
              <Table.Td>
                {formatDateTime(c.openedAt)} · {c.openedBy}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.data && list.data.length === 0 ? <Text size="sm">{t('exam.caseList.none')}</Text> : null}
      <ComparePicker opened={picking} first={null} caseId={caseId} origin="case" onClose={() => setPicking(false)} />
    </Stack>
  );
}
