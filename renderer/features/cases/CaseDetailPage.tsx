import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { DataTable } from 'mantine-datatable';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasBidiControls, UserText } from '../../shared/UserText.tsx';
import type { Case, Item } from '../../../electron/contract/index.ts';
import { useCall, useCan } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { formatDate, formatDateTime } from '../../app/format.ts';
import { href, useAddressTab } from '../../app/router.ts';
import { PageError } from '../../app/NotFoundPage.tsx';
import { AuditTable } from '../audit/AuditTable.tsx';
import { CaseFormModal } from './CaseFormModal.tsx';
import { ItemFormModal } from './ItemFormModal.tsx';
import { ItemDetails } from './ItemDetails.tsx';
import { statusColour } from './statusColour.ts';
import { CaseExaminations, LinkedCases } from '../examination/index.ts';
import { CaseReportButton, ExportPackageModal, ExportsTable } from '../packages/index.ts';

function Field({ label, value }: { label: string; value: string | number | null | undefined }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{typeof value === 'number' ? value : <UserText text={value} />}</Text>
    </div>
  );
}

/** The parts that are there, one after the other with " · " between them. */
function joined(parts: React.ReactNode[]): React.ReactNode {
  return parts.filter(Boolean).map((part, at) => (
    <Fragment key={at}>
      {at > 0 ? ' · ' : null}
      {part}
    </Fragment>
  ));
}

export function CaseDetailPage({ params }: { params: Record<string, string> }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const id = Number(params.id);
  const canWrite = useCan('case.write');
  const canCompare = useCan('comparison.run');
  const canExport = useCan('export.create');
  const [tab, setTab] = useAddressTab(
    ['items', ...(canCompare ? ['examinations'] : []), 'history', ...(canExport ? ['packages'] : [])],
    'items',
  );
  const [exporting, exportPackage] = useDisclosure(false);
  const detail = useCall('cases.get', { id }, { enabled: Number.isInteger(id) });
  const history = useCall('audit.forCase', { caseId: id, limit: 200 }, { enabled: Number.isInteger(id) });
  const [editingCase, editCase] = useDisclosure(false);
  const [itemModal, setItemModal] = useState<{ existing?: Item } | null>(null);
  const [expandedItems, setExpandedItems] = useState<number[]>([]);
  const toggleItem = (itemId: number) =>
    setExpandedItems((ids) => (ids.includes(itemId) ? ids.filter((x) => x !== itemId) : [...ids, itemId]));
  useHotkeys([['i', () => canWrite && detail.data && setItemModal({})]]);

  if (detail.error) return <PageError error={detail.error} missing={t('cases.missing')} />;
  if (!detail.data) return <Text>{t('common.loading')}</Text>;
  const c: Case = detail.data.case;
  const items = detail.data.items;
  const firearms = items.filter((i) => i.kind === 'firearm');
  const exhibitOf = (itemId: number | null) => items.find((i) => i.id === itemId)?.exhibitNumber ?? '';

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Group gap="xs">
          <Anchor href={href('/cases')} size="sm">
            {t('cases.title')}
          </Anchor>
          <Text c="dimmed">/</Text>
          <Title order={1} size="h4" className="cb-mono">
            <UserText text={c.labCaseNumber} mono />
          </Title>
          <Badge size="sm" variant="light" color={statusColour[c.status]}>
            {t(`caseStatus.${c.status}`)}
          </Badge>
        </Group>
        <Group gap="xs">
          {canExport ? (
            <>
              <CaseReportButton caseId={c.id} />
              <Button variant="default" onClick={exportPackage.open} data-testid="export-package">
                {t('packages.export.open')}
              </Button>
            </>
          ) : null}
          {canWrite ? (
            <Button variant="default" onClick={editCase.open}>
              {t('cases.edit')}
            </Button>
          ) : null}
        </Group>
      </Group>
      <Paper withBorder p="sm">
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs" verticalSpacing="xs">
          <Field label={t('fields.agency')} value={c.agency} />
          <Field label={t('fields.agencyCaseNumber')} value={c.agencyCaseNumber} />
          <Field label={t('fields.offence')} value={c.offence} />
          <Field label={t('fields.offenceDate')} value={c.offenceDate && formatDate(c.offenceDate)} />
          <Field label={t('fields.receivedDate')} value={c.receivedDate && formatDate(c.receivedDate)} />
          <Field label={t('fields.createdBy')} value={c.createdBy} />
          <Field label={t('fields.createdAt')} value={formatDateTime(c.createdAt)} />
          <Field label={t('fields.updatedAt')} value={formatDateTime(c.updatedAt)} />
        </SimpleGrid>
        {c.notes ? (
          <Text size="sm" mt="xs" style={{ whiteSpace: 'pre-wrap' }}>
            {c.notes}
          </Text>
        ) : null}
      </Paper>
      <LinkedCases caseId={c.id} />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="items">{t('items.tab', { count: items.length })}</Tabs.Tab>
          {canCompare ? <Tabs.Tab value="examinations">{t('exam.caseList.title')}</Tabs.Tab> : null}
          <Tabs.Tab value="history">{t('audit.historyTab')}</Tabs.Tab>
          {canExport ? <Tabs.Tab value="packages">{t('packages.caseTab')}</Tabs.Tab> : null}
        </Tabs.List>
        <Tabs.Panel value="items" pt="xs">
          <Stack gap="xs">
            {canWrite ? (
              <Group>
                <Button
                  onClick={() => setItemModal({})}
                  rightSection={
                    <Text span size="xs" c="dimmed">
                      I
                    </Text>
                  }
                >
                  {t('items.new')}
                </Button>
              </Group>
            ) : null}
            <DataTable<Item>
              aria-label={t('items.title')}
              withTableBorder
              striped
              verticalSpacing={4}
              fz="sm"
              minHeight={120}
              records={items}
              idAccessor="id"
              noRecordsText={t('items.none')}
              rowExpansion={{
                allowMultiple: true,
                expanded: {
                  recordIds: expandedItems,
                  onRecordIdsChange: (ids: unknown[]) => setExpandedItems(ids as number[]),
                },
                content: ({ record }) => <ItemDetails item={record} exhibitOf={exhibitOf} />,
              }}
              columns={[
                {
                  accessor: 'exhibitNumber',
                  title: t('fields.exhibitNumber'),
                  // A real button, so the keyboard can open the full record too.
                  render: (i) => (
                    <UnstyledButton
                      className="cb-mono"
                      aria-expanded={expandedItems.includes(i.id)}
                      // The name holds what the button shows, the flag of a disguised exhibit number included.
                      aria-label={[
                        t('items.showDetails', { exhibit: i.exhibitNumber }),
                        hasBidiControls(i.exhibitNumber) ? t('userText.bidiFlag') : null,
                      ]
                        .filter(Boolean)
                        .join(' ')}
                      onClick={(e) => {
                        e.stopPropagation();
                        toggleItem(i.id);
                      }}
                    >
                      {expandedItems.includes(i.id) ? '▾' : '▸'} <UserText text={i.exhibitNumber} mono />
                    </UnstyledButton>
                  ),
                },
                { accessor: 'kind', title: t('fields.kind'), render: (i) => t(`itemKind.${i.kind}`) },
                {
                  accessor: 'calibre',
                  title: t('fields.calibre'),
                  render: (i) => (i.calibre ? <UserText text={i.calibre} /> : ''),
                },
                {
                  accessor: 'origin',
                  title: t('fields.origin'),
                  render: (i) =>
                    i.kind === 'firearm'
                      ? ''
                      : i.origin === 'test_fire'
                        ? t('items.testFireFrom', { exhibit: exhibitOf(i.firearmItemId) })
                        : i.origin
                          ? t(`vocab.origin.${i.origin}`)
                          : '',
                },
                {
                  accessor: 'summary',
                  title: t('items.details'),
                  // Typed text (make, brand, headstamp…) isolated and flagged like every other; vocabulary in words.
                  render: (i) =>
                    joined(
                      i.kind === 'firearm'
                        ? [
                            i.make && <UserText text={i.make} />,
                            i.model && <UserText text={i.model} />,
                            i.serialNumber && t('items.serial', { serial: i.serialNumber }),
                          ]
                        : [
                            i.brand && <UserText text={i.brand} />,
                            i.headstamp && <>“{<UserText text={i.headstamp} />}”</>,
                            i.firingPinShape && t(`vocab.firingPinShape.${i.firingPinShape}`),
                            i.breechFaceClass && t(`vocab.breechFaceClass.${i.breechFaceClass}`),
                          ],
                    ),
                },
                {
                  accessor: 'actions',
                  title: '',
                  textAlign: 'right',
                  render: (i) => (
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      {canCompare && i.kind === 'cartridge_case' ? (
                        <Button
                          component="a"
                          href={href(`/search/item/${i.id}`)}
                          size="compact-xs"
                          variant="subtle"
                          onClick={(e) => e.stopPropagation()}
                          aria-label={t('search.fromItemTitle', { exhibit: i.exhibitNumber })}
                        >
                          {t('search.fromItem')}
                        </Button>
                      ) : null}
                      {canWrite ? (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          onClick={(e) => {
                            e.stopPropagation();
                            setItemModal({ existing: i });
                          }}
                          aria-label={t('items.editOf', { exhibit: i.exhibitNumber })}
                        >
                          {t('common.edit')}
                        </Button>
                      ) : null}
                    </Group>
                  ),
                },
              ]}
            />
          </Stack>
        </Tabs.Panel>
        {canCompare ? (
          <Tabs.Panel value="examinations" pt="xs">
            <CaseExaminations caseId={c.id} />
          </Tabs.Panel>
        ) : null}
        <Tabs.Panel value="history" pt="xs">
          {history.error ? (
            <Text c="red" role="alert">
              {errorText(history.error)}
            </Text>
          ) : (
            <AuditTable entries={history.data ?? []} fetching={history.isFetching} />
          )}
        </Tabs.Panel>
        {canExport ? (
          <Tabs.Panel value="packages" pt="xs">
            <ExportsTable caseId={c.id} />
          </Tabs.Panel>
        ) : null}
      </Tabs>
      {canExport ? (
        <ExportPackageModal opened={exporting} onClose={exportPackage.close} theCase={c} items={items} />
      ) : null}
      <CaseFormModal opened={editingCase} onClose={editCase.close} existing={c} />
      <ItemFormModal
        opened={itemModal !== null}
        onClose={() => setItemModal(null)}
        caseId={c.id}
        existing={itemModal?.existing}
        firearms={firearms}
      />
    </Stack>
  );
}
