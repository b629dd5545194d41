import { Anchor, Code, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../electron/contract/index.ts';
import { formatDateTime } from '../../app/format.ts';
import { href } from '../../app/router.ts';
import { actionWords, entityWords } from './auditWords.ts';

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Before and after, field by field; for a creation only the values recorded. */
function Changes({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const keys = [...new Set([...Object.keys(entry.before ?? {}), ...Object.keys(entry.after ?? {})])];
  return (
    <Stack gap={4} p="xs">
      {entry.reason ? <Text size="sm">{t('audit.reasonLine', { reason: entry.reason })}</Text> : null}
      {keys.length ? (
        <Table fz="xs" withTableBorder withColumnBorders maw={720}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('audit.field')}</Table.Th>
              <Table.Th>{t('audit.before')}</Table.Th>
              <Table.Th>{t('audit.after')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {keys.map((k) => (
              <Table.Tr key={k}>
                <Table.Td>{t(`fields.${k}`, { defaultValue: k })}</Table.Td>
                <Table.Td>{show(entry.before?.[k])}</Table.Td>
                <Table.Td>{show(entry.after?.[k])}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text size="xs" c="dimmed">
          {t('audit.noValues')}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {t('audit.hash')} <Code>{entry.hash}</Code>
      </Text>
    </Stack>
  );
}

export function AuditTable({
  entries,
  fetching,
  showCase,
}: {
  entries: AuditEntry[];
  fetching?: boolean;
  showCase?: boolean;
}) {
  const { t } = useTranslation();
  const [expanded, setExpanded] = useState<number[]>([]);
  const toggle = (seq: number) =>
    setExpanded((all) => (all.includes(seq) ? all.filter((s) => s !== seq) : [...all, seq]));
  return (
    <DataTable<AuditEntry>
      aria-label={t('audit.entries')}
      withTableBorder
      striped
      highlightOnHover
      verticalSpacing={4}
      fz="sm"
      minHeight={120}
      records={entries}
      idAccessor="seq"
      fetching={fetching}
      noRecordsText={t('audit.none')}
      rowExpansion={{
        allowMultiple: true,
        expanded: { recordIds: expanded, onRecordIdsChange: (ids: unknown[]) => setExpanded(ids as number[]) },
        content: ({ record }) => <Changes entry={record} />,
      }}
      columns={[
        {
          accessor: 'seq',
          title: '#',
          textAlign: 'right',
          width: 70,
          // A button as well as a clickable row, so the keyboard reaches the before/after values.
          render: (e) => (
            <UnstyledButton
              aria-expanded={expanded.includes(e.seq)}
              aria-label={t('audit.showChanges', { seq: e.seq })}
              onClick={(event) => {
                event.stopPropagation();
                toggle(e.seq);
              }}
            >
              {expanded.includes(e.seq) ? '▾' : '▸'} {e.seq}
            </UnstyledButton>
          ),
        },
        { accessor: 'at', title: t('audit.at'), render: (e) => formatDateTime(e.at), width: 150 },
        { accessor: 'username', title: t('audit.user'), render: (e) => e.username ?? t('audit.system') },
        {
          accessor: 'action',
          title: t('audit.action'),
          render: (e) => actionWords(t, e.action) ?? <span className="cb-mono">{e.action}</span>,
        },
        { accessor: 'entityType', title: t('audit.entity'), render: (e) => entityWords(t, e) },
        ...(showCase
          ? [
              {
                accessor: 'caseId' as const,
                title: t('audit.case'),
                render: (e: AuditEntry) =>
                  e.caseId === null ? (
                    ''
                  ) : (
                    <Anchor href={href(`/cases/${e.caseId}`)} className="cb-mono" size="sm">
                      {e.caseNumber ?? `#${e.caseId}`}
                    </Anchor>
                  ),
              },
            ]
          : []),
        { accessor: 'reason', title: t('audit.reason'), render: (e) => e.reason ?? '' },
      ]}
    />
  );
}
