import { Badge, Button, Group, Select, Stack, TextInput, Title, Anchor, Text, type MantineTheme } from '@mantine/core';
import { useDebouncedValue, useDisclosure, useHotkeys } from '@mantine/hooks';
import { DataTable, type DataTableSortStatus } from 'mantine-datatable';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { UserText } from '../../shared/UserText.tsx';
import { caseStatuses, type Case } from '../../../electron/contract/index.ts';
import { useCall, useCan } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { href, matchPath, navigate, pathQuery, replacePath, usePath } from '../../app/router.ts';
import { caseListAddress, caseListFromAddress, type CaseListState } from './listAddress.ts';
import { CaseFormModal } from './CaseFormModal.tsx';
import { statusColour } from './statusColour.ts';
import { formatDateTime } from '../../app/format.ts';
import { DateField } from '../../shared/DateField.tsx';

const pageSize = 50;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;
/** Windows wide enough for every column; narrower ones (1024 px) fold the lower-priority ones away. */
const wideWindow = (theme: MantineTheme) => `(min-width: ${theme.breakpoints.lg})`;

export function CaseListPage() {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const canWrite = useCan('case.write');
  const searchRef = useRef<HTMLInputElement>(null);
  const [creating, create] = useDisclosure(false);
  // Filters, sort and page come from the address and go back into it (replacing, not adding history entries), so
  // the list can be shared, bookmarked and reloaded as it is; an address changed from outside (the side bar's
  // link to the plain list, back/forward) is taken in.
  const path = usePath();
  const [state, setState] = useState<CaseListState>(() => caseListFromAddress(pathQuery(path)));
  const written = useRef(caseListAddress(state));
  useEffect(() => {
    if (!path.startsWith('/cases') || matchPath('/cases', path) === null) return;
    const current = caseListAddress(caseListFromAddress(pathQuery(path)));
    if (current !== written.current) {
      written.current = current;
      setState(caseListFromAddress(pathQuery(path)));
    }
  }, [path]);
  const { query, agency, status, receivedFrom, receivedTo, page } = state;
  const sort: DataTableSortStatus<Case> = { columnAccessor: state.sortBy, direction: state.sortDir };
  const [debouncedQuery] = useDebouncedValue(query.trim(), 200);
  const [debouncedAgency] = useDebouncedValue(agency.trim(), 200);
  useEffect(() => {
    const address = caseListAddress({ ...state, query: debouncedQuery, agency: debouncedAgency });
    written.current = address;
    replacePath(address);
  }, [debouncedQuery, debouncedAgency, status, receivedFrom, receivedTo, state.sortBy, state.sortDir, page]);
  /** A filter changed: back to the first page. */
  const setFilter =
    <K extends keyof CaseListState>(key: K) =>
    (value: CaseListState[K]) =>
      setState((s) => ({ ...s, [key]: value, page: 1 }));
  const setPage = (next: number) => setState((s) => ({ ...s, page: next }));

  useHotkeys([
    ['/', () => searchRef.current?.focus()],
    ['n', () => canWrite && create.open()],
  ]);

  const input = {
    query: debouncedQuery || undefined,
    agency: debouncedAgency || undefined,
    status: (status ?? undefined) as Case['status'] | undefined,
    receivedFrom: isoDate.test(receivedFrom) ? receivedFrom : undefined,
    receivedTo: isoDate.test(receivedTo) ? receivedTo : undefined,
    sortBy: state.sortBy,
    sortDir: state.sortDir,
    page,
    pageSize,
  };
  const list = useCall('cases.list', input, { keepPrevious: true });

  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={1} size="h4">
          {t('cases.title')}
        </Title>
        {canWrite ? (
          <Button
            onClick={create.open}
            rightSection={
              <Text span size="xs" c="dimmed">
                N
              </Text>
            }
          >
            {t('cases.new')}
          </Button>
        ) : null}
      </Group>
      <Group gap="xs" align="end" role="search" aria-label={t('cases.filters')}>
        <TextInput
          ref={searchRef}
          label={t('cases.search')}
          placeholder={t('cases.searchPlaceholder')}
          value={query}
          onChange={(e) => setFilter('query')(e.currentTarget.value)}
          onKeyDown={(e) => e.key === 'Escape' && e.currentTarget.blur()}
          w={200}
          rightSection={
            <Text span size="xs" c="dimmed">
              /
            </Text>
          }
        />
        <Select
          label={t('fields.status')}
          placeholder={t('cases.anyStatus')}
          data={caseStatuses.map((s) => ({ value: s, label: t(`caseStatus.${s}`) }))}
          value={status}
          onChange={(value) => setFilter('status')(value as CaseListState['status'])}
          clearable
          w={140}
        />
        <TextInput
          label={t('fields.agency')}
          value={agency}
          onChange={(e) => setFilter('agency')(e.currentTarget.value)}
          w={150}
        />
        <DateField
          chosen={receivedFrom}
          label={t('cases.receivedFrom')}
          value={receivedFrom}
          onChange={(e) => setFilter('receivedFrom')(e.currentTarget.value)}
          w={136}
        />
        <DateField
          chosen={receivedTo}
          label={t('cases.receivedTo')}
          value={receivedTo}
          onChange={(e) => setFilter('receivedTo')(e.currentTarget.value)}
          w={136}
        />
      </Group>
      {list.error ? (
        <Text c="red" role="alert">
          {errorText(list.error)}
        </Text>
      ) : null}
      <DataTable<Case>
        aria-label={t('cases.title')}
        withTableBorder
        striped
        highlightOnHover
        verticalSpacing={4}
        fz="sm"
        minHeight={160}
        height="calc(100vh - 230px)"
        records={list.data?.rows ?? []}
        idAccessor="id"
        fetching={list.isFetching}
        totalRecords={list.data?.total ?? 0}
        recordsPerPage={pageSize}
        page={page}
        onPageChange={setPage}
        sortStatus={sort}
        onSortStatusChange={(next) =>
          setState((s) => ({
            ...s,
            sortBy: next.columnAccessor as CaseListState['sortBy'],
            sortDir: next.direction,
            page: 1,
          }))
        }
        noRecordsText={t('cases.none')}
        loadingText={t('common.loading')}
        paginationText={({ from, to, totalRecords }) => t('common.paginationText', { from, to, total: totalRecords })}
        onRowClick={({ record }) => navigate(`/cases/${record.id}`)}
        columns={[
          {
            accessor: 'labCaseNumber',
            title: t('fields.labCaseNumber'),
            sortable: true,
            cellsClassName: 'cb-wrap',
            render: (c) => (
              <Anchor href={href(`/cases/${c.id}`)} onClick={(e) => e.stopPropagation()} className="cb-mono">
                <UserText text={c.labCaseNumber} mono />
              </Anchor>
            ),
          },
          {
            accessor: 'agency',
            title: t('fields.agency'),
            sortable: true,
            cellsClassName: 'cb-wrap',
            // Narrow windows have no column for the agency's own reference: it goes under the agency.
            render: (c) => (
              <>
                <UserText text={c.agency} />
                {c.agencyCaseNumber ? (
                  <Text size="xs" c="dimmed" hiddenFrom="lg" data-testid="agency-reference">
                    <UserText text={c.agencyCaseNumber} mono />
                  </Text>
                ) : null}
              </>
            ),
          },
          {
            accessor: 'agencyCaseNumber',
            title: t('fields.agencyCaseNumber'),
            cellsClassName: 'cb-wrap',
            visibleMediaQuery: wideWindow,
            render: (c) => <UserText text={c.agencyCaseNumber} mono />,
          },
          {
            accessor: 'offence',
            title: t('fields.offence'),
            cellsClassName: 'cb-wrap',
            render: (c) => <UserText text={c.offence} />,
          },
          { accessor: 'receivedDate', title: t('fields.receivedDate'), sortable: true, noWrap: true },
          {
            accessor: 'status',
            title: t('fields.status'),
            sortable: true,
            render: (c) => (
              <Badge size="xs" variant="light" color={statusColour[c.status]}>
                {t(`caseStatus.${c.status}`)}
              </Badge>
            ),
          },
          { accessor: 'itemCount', title: t('cases.items'), textAlign: 'right' },
          {
            accessor: 'updatedAt',
            title: t('fields.updatedAt'),
            sortable: true,
            visibleMediaQuery: wideWindow,
            render: (c) => formatDateTime(c.updatedAt),
          },
        ]}
      />
      <CaseFormModal opened={creating} onClose={create.close} onSaved={(saved) => navigate(`/cases/${saved.id}`)} />
    </Stack>
  );
}
