import { Accordion, Anchor, Code, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../electron/contract/index.ts';
import { formatDateTime } from '../../app/format.ts';
import { href } from '../../app/router.ts';
import { detailRows } from './auditDetails.ts';
import { actionWords, entityWords } from './auditWords.ts';

/** The values the entry recorded, in words; the entry whole, as recorded, one click further. */
function Changes({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const rows = detailRows(t, entry);
  const hasBefore = rows.some((row) => row.before !== null);
  return (
    <Stack gap={4} p="xs" data-testid={`audit-details-${entry.seq}`}>
      {entry.reason ? <Text size="sm">{t('audit.reasonLine', { reason: entry.reason })}</Text> : null}
      {rows.length ? (
        <Table fz="xs" withTableBorder withColumnBorders maw={820} aria-label={t('audit.valuesOf', { seq: entry.seq })}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('audit.field')}</Table.Th>
              {hasBefore ? <Table.Th>{t('audit.before')}</Table.Th> : null}
              <Table.Th>{hasBefore ? t('audit.after') : t('audit.value.recorded')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.key}>
                <Table.Th scope="row" fw={500}>
                  {row.label ?? <span className="cb-mono">{row.key}</span>}
                </Table.Th>
                {hasBefore ? <Table.Td>{row.before ?? '—'}</Table.Td> : null}
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{row.after ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text size="xs" c="dimmed">
          {t('audit.noValues')}
        </Text>
      )}
      <Accordion variant="contained" maw={820}>
        <Accordion.Item value="recorded">
          <Accordion.Control>{t('audit.asRecorded')}</Accordion.Control>
          <Accordion.Panel>
            <Code block style={{ maxHeight: 280, overflow: 'auto' }} dir="ltr">
              {JSON.stringify({ action: entry.action, before: entry.before, after: entry.after }, null, 2)}
            </Code>
            <Text size="xs" c="dimmed" mt={4}>
              {t('audit.hash')} <Code>{entry.hash}</Code>
            </Text>
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>
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
