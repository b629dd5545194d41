import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  NumberInput,
  Paper,
  Progress,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { DataTable } from 'mantine-datatable';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { SearchCandidateView, SearchProgress, SearchResultView } from '../../../electron/contract/index.ts';
import { isAppError } from '../../../electron/contract/index.ts';
import { useCall } from '../../api/hooks.tsx';
import { PageError } from '../../app/NotFoundPage.tsx';
import { sessionSlot } from '../../api/sessionMemory.ts';
import { useLongCall } from '../../api/useLongCall.ts';
import { useErrorText } from '../../api/useErrorText.ts';
import { formatDate, formatDateTime, formatNumber } from '../../app/format.ts';
import { href, navigate, pathQuery, replacePath, usePath } from '../../app/router.ts';
import { cutText, meaningText, populationName } from './meaning.ts';
import { ReliefThumbnail } from '../acquisition/ReliefThumbnail.tsx';
import { searchAddress, searchFromAddress, type Filters } from './searchAddress.ts';
import { revealReorderingControls } from '../../../electron/contract/bidiControls.ts';
import { DateField } from '../../shared/DateField.tsx';

// The last search stays on screen when the examiner opens a pair and comes back (its address names it), until the
// session ends: whoever signs in next runs it anew.
const lastSearchSlot = sessionSlot<{ address: string; result: SearchResultView }>();

function progressText(t: TFunction, p: SearchProgress | undefined): string {
  return p ? t(`search.stage.${p.stage}`, { done: p.done, total: p.total }) : t('search.starting');
}

/** Search the local database for one acquisition: every filter visible, progress and cancel, and the whole ranked list. */
export function SearchPage({ params }: { params: Record<string, string> }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const search = useLongCall('search.run');
  const lastSearch = lastSearchSlot.get();
  const itemId = params.itemId ? Number(params.itemId) : undefined;
  const sources = useCall('search.sources', itemId ? { itemId } : {});
  // An address naming an acquisition the station does not have is a not-found page, not an empty search form.
  const addressed = params.acquisitionId ? Number(params.acquisitionId) : undefined;
  const addressedAcquisition = useCall(
    'acquisitions.get',
    { id: addressed ?? 0 },
    { enabled: addressed !== undefined },
  );
  // The address holds the whole search (what for, every filter, whether it ran), so it can be bookmarked or sent.
  const path = usePath();
  const fromAddress = searchFromAddress(params.acquisitionId ?? null, pathQuery(path));
  const [acquisitionId, setAcquisitionId] = useState<string | null>(fromAddress.acquisitionId);
  const [filters, setFilters] = useState<Filters>(fromAddress.filters);
  const [result, setResult] = useState<SearchResultView | null>(
    lastSearch && fromAddress.ran && lastSearch.address === path ? lastSearch.result : null,
  );
  const running = search.state.phase === 'running' ? search.state : null;

  const options = (sources.data ?? []).map((s) => ({
    value: String(s.acquisitionId),
    label:
      t('search.sourceLabel', {
        caseNumber: s.labCaseNumber,
        exhibit: s.exhibitNumber,
        region: t(`search.region.${s.region}`),
        id: s.acquisitionId,
        when: formatDateTime(s.acquiredAt),
      }) + (s.unsuitableReason ? ` — ${t('search.unsuitable')}` : ''),
  }));
  // From an item: its most recent topography, and its calibre as the first filter.
  useEffect(() => {
    if (!sources.data?.length || acquisitionId) return;
    if (itemId)
      setAcquisitionId(
        String((sources.data.find((s) => s.region === 'breech_face') ?? sources.data[0]!).acquisitionId),
      );
  }, [sources.data, itemId, acquisitionId]);
  const chosen = sources.data?.find((s) => String(s.acquisitionId) === acquisitionId);
  const calibreFromAddress = fromAddress.filters.calibre !== '' || fromAddress.ran;
  useEffect(() => {
    if (chosen && !calibreFromAddress) setFilters((f) => ({ ...f, calibre: chosen.calibre ?? '' }));
  }, [chosen, calibreFromAddress]);
  // A shared address of a search that ran shows its results: the search runs again, as it was set.
  const autoRun = useRef(fromAddress.ran && !result);
  useEffect(() => {
    if (!autoRun.current || !acquisitionId) return;
    autoRun.current = false;
    void run();
  });

  async function run() {
    if (!acquisitionId || running) return;
    const address = searchAddress(acquisitionId, filters, true);
    replacePath(address);
    setResult(null);
    const output = await search.run({
      acquisitionId: Number(acquisitionId),
      filters: {
        calibre: filters.calibre.trim() || null,
        dateField: filters.dateField,
        from: filters.from || null,
        to: filters.to || null,
      },
      topK: filters.topK,
    });
    if (!output) return;
    setResult(output);
    lastSearchSlot.set({ address, result: output });
  }
  const cancel = search.cancel;
  useHotkeys([
    ['mod+Enter', () => void run()],
    ['Escape', cancel],
  ]);

  const queryId = result?.query.acquisitionId;

  if (isAppError(sources.error, 'not_found'))
    return <PageError error={sources.error} missing={t('search.itemMissing')} />;
  if (isAppError(addressedAcquisition.error, 'not_found'))
    return <PageError error={addressedAcquisition.error} missing={t('search.acquisitionMissing')} />;
  return (
    <Stack gap="sm">
      <Title order={1} size="h4">
        {t('search.title')}
      </Title>
      <Paper withBorder p="sm">
        <form
          aria-label={t('search.form')}
          onSubmit={(e) => {
            e.preventDefault();
            void run();
          }}
        >
          <Stack gap="xs">
            <Select
              label={t('search.source')}
              placeholder={sources.isLoading ? t('common.loading') : t('search.sourcePlaceholder')}
              data={options}
              value={acquisitionId}
              onChange={setAcquisitionId}
              searchable
              nothingFoundMessage={t('search.noSources')}
              data-autofocus
            />
            {sources.data && sources.data.length === 0 ? (
              <Text size="sm" c="dimmed">
                {itemId ? t('search.itemHasNone') : t('search.noSources')}
              </Text>
            ) : null}
            <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="xs">
              <TextInput
                label={t('search.calibre')}
                description={t('search.calibreHint')}
                value={filters.calibre}
                onChange={(e) => setFilters({ ...filters, calibre: e.currentTarget.value })}
              />
              <div>
                <Text size="sm" fw={500} id="search-date-field">
                  {t('search.dateField')}
                </Text>
                <SegmentedControl
                  aria-labelledby="search-date-field"
                  value={filters.dateField}
                  onChange={(v) => setFilters({ ...filters, dateField: v as Filters['dateField'] })}
                  data={[
                    { value: 'acquired', label: t('search.acquired') },
                    { value: 'recovered', label: t('search.recovered') },
                  ]}
                />
              </div>
              <DateField
                chosen={filters.from}
                label={t('search.from')}
                value={filters.from}
                onChange={(e) => setFilters({ ...filters, from: e.currentTarget.value })}
              />
              <DateField
                chosen={filters.to}
                label={t('search.to')}
                value={filters.to}
                onChange={(e) => setFilters({ ...filters, to: e.currentTarget.value })}
              />
              <NumberInput
                label={t('search.topK')}
                description={t('search.topKHint')}
                min={0}
                max={200}
                value={filters.topK}
                onChange={(v) => setFilters({ ...filters, topK: typeof v === 'number' ? v : 0 })}
              />
            </SimpleGrid>
            <Group>
              <Button type="submit" disabled={!acquisitionId || !!running}>
                {t('search.run')}
              </Button>
              {running ? (
                <Button variant="default" onClick={cancel}>
                  {t('search.cancel')}
                </Button>
              ) : null}
              <Text size="xs" c="dimmed">
                {t('search.keys')}
              </Text>
            </Group>
          </Stack>
        </form>
      </Paper>
      {running ? (
        <Stack gap={4} role="status" aria-live="polite">
          <Progress value={running.fraction * 100} aria-label={t('search.progress')} />
          <Text size="sm">{progressText(t, running.detail)}</Text>
        </Stack>
      ) : null}
      {search.state.phase === 'canceled' ? (
        <Alert color="yellow" role="status">
          {t('search.canceled')}
        </Alert>
      ) : null}
      {search.state.phase === 'failed' ? (
        <Alert color="red" role="alert">
          {errorText(search.state.error)}
        </Alert>
      ) : null}
      {result ? (
        <ResultView
          result={result}
          onOpen={(c) => queryId && navigate(`/compare/${queryId}/${c.acquisitionId}?from=search`)}
        />
      ) : null}
    </Stack>
  );
}

function ResultView({ result, onOpen }: { result: SearchResultView; onOpen: (c: SearchCandidateView) => void }) {
  const { t } = useTranslation();
  const f = result.filters;
  const any = t('search.any');
  return (
    <Stack gap="xs">
      <Alert
        color="blue"
        data-testid="search-banner"
        title={t('search.banner', {
          screened: result.screened,
          candidates: result.candidates,
          fullyScored: result.fullyScored,
          topK: result.topK,
        })}
      >
        <Group align="flex-start" wrap="nowrap" gap="sm">
          <ReliefThumbnail
            acquisitionId={result.query.acquisitionId}
            size={72}
            label={revealReorderingControls(`${result.query.labCaseNumber} / ${result.query.exhibitNumber}`)}
          />
          <Stack gap={2}>
            <Text size="sm">
              {t('search.query', {
                caseNumber: result.query.labCaseNumber,
                exhibit: result.query.exhibitNumber,
                id: result.query.acquisitionId,
              })}
              {result.query.regionsUsed === 'manual' ? ` — ${t('regions.manualUsed')}` : null}
            </Text>
            <Text size="sm" data-testid="search-cut">
              {cutText(t, result.cut)}
              {result.cut.checked > result.cut.kept
                ? ` ${t('search.cutChecked', { checked: result.cut.checked })}`
                : null}
            </Text>
            <Text size="sm">
              {t('search.applied', {
                calibre: f.calibre ?? any,
                dates: t(`search.dates.${f.from && f.to ? 'between' : f.from ? 'from' : f.to ? 'to' : 'none'}`, {
                  field: t(f.dateField === 'recovered' ? 'search.recovered' : 'search.acquired'),
                  from: f.from ? formatDate(f.from) : '',
                  to: f.to ? formatDate(f.to) : '',
                }),
                region: t(`search.region.${f.region}`),
              })}
            </Text>
            <Text size="sm">{t('search.skipped', { count: result.skipped.length })}</Text>
            <Text size="xs" c="dimmed">
              {t('search.facts', {
                seconds: formatNumber(result.timing.totalMs / 1000, 1),
                cached: result.signatures.cached,
                computed: result.signatures.computed,
                population: populationName(result.population.name, result.population.size),
                size: result.population.size,
              })}
            </Text>
          </Stack>
        </Group>
      </Alert>
      <DataTable<SearchCandidateView>
        aria-label={t('search.results')}
        withTableBorder
        striped
        highlightOnHover
        verticalSpacing={4}
        fz="sm"
        minHeight={120}
        records={result.results}
        idAccessor="acquisitionId"
        noRecordsText={t('search.noCandidates')}
        onRowClick={({ record }) => record.cmc && onOpen(record)}
        rowStyle={(r) => (r.cmc ? { cursor: 'pointer' } : undefined)}
        columns={[
          { accessor: 'rank', title: t('search.rank'), width: 'max-content' },
          {
            accessor: 'picture',
            title: t('acquisition.picture'),
            width: 80,
            render: (r) => (
              <ReliefThumbnail
                acquisitionId={r.acquisitionId}
                size={48}
                label={revealReorderingControls(`${r.labCaseNumber} / ${r.exhibitNumber}`)}
              />
            ),
          },
          {
            accessor: 'where',
            title: t('search.item'),
            render: (r) => (
              <Anchor href={href(`/cases/${r.caseId}`)} className="cb-mono" onClick={(e) => e.stopPropagation()}>
                {r.labCaseNumber} / {r.exhibitNumber}
              </Anchor>
            ),
          },
          {
            accessor: 'acquisitionId',
            title: t('search.acquisition'),
            width: 90,
            // An examiner's region override changes what was compared: said next to the acquisition.
            render: (r) => (
              <Group gap={4} wrap="nowrap">
                {r.acquisitionId}
                {r.regionsUsed === 'manual' ? (
                  <Tooltip label={t('regions.manualUsed')}>
                    <Badge size="xs" variant="outline" data-testid="manual-regions">
                      {t('regions.manualShort')}
                    </Badge>
                  </Tooltip>
                ) : null}
              </Group>
            ),
          },
          { accessor: 'calibre', title: t('search.calibre') },
          {
            accessor: 'screeningScore',
            title: t('search.screening'),
            render: (r) => (r.screeningScore === null ? '—' : formatNumber(r.screeningScore, 3)),
          },
          {
            accessor: 'registrationScore',
            title: t('search.registration'),
            render: (r) => (r.registrationScore === null ? '—' : formatNumber(r.registrationScore, 3)),
          },
          { accessor: 'ab', title: t('search.ab'), render: (r) => r.cmc?.ab ?? '—' },
          { accessor: 'ba', title: t('search.ba'), render: (r) => r.cmc?.ba ?? '—' },
          {
            accessor: 'combined',
            title: t('search.combined'),
            render: (r) =>
              r.cmc ? (
                <Text fw={700} size="sm">
                  {r.cmc.combined}
                </Text>
              ) : (
                '—'
              ),
          },
          {
            accessor: 'lr',
            title: t('search.lr'),
            // The likelihood ratio beside the count, never instead of it; explained in the pair's workspace.
            render: (r) =>
              r.lr ? (
                <Text size="sm" data-testid="search-lr" title={r.lr.statement}>
                  {r.lr.clipped
                    ? t('search.lrAtLimit', { value: formatNumber(r.lr.log10Lr, 2) })
                    : formatNumber(r.lr.log10Lr, 2)}
                  {r.lr.betweenClasses ? ` ${t('exam.lr.inconclusive')}` : ''}
                </Text>
              ) : (
                '—'
              ),
          },
          {
            accessor: 'meaning',
            title: t('search.meaningTitle'),
            render: (r) =>
              r.error ? (
                <Text c="red" size="sm">
                  {t('search.failed', {
                    problem: t(`search.candidateProblem.${r.error.problem ?? 'other'}`),
                  })}
                </Text>
              ) : r.calibrated ? (
                <CalibratedText r={r} />
              ) : (
                <Text c="dimmed" size="sm">
                  {t('search.notScored')}
                </Text>
              ),
          },
          {
            accessor: 'open',
            title: '',
            render: (r) =>
              r.error || r.screeningScore === null ? null : (
                <Button
                  size="compact-xs"
                  variant="light"
                  aria-label={t('search.openPairTitle', { caseNumber: r.labCaseNumber, exhibit: r.exhibitNumber })}
                  onClick={(e) => {
                    e.stopPropagation();
                    onOpen(r);
                  }}
                >
                  {t('search.openPair')}
                </Button>
              ),
          },
        ]}
      />
      {result.skipped.length > 0 ? (
        <Text size="xs" c="dimmed">
          {result.skipped
            .map((s) => t('search.skippedOne', { id: s.acquisitionId, reason: t(`search.skipReason.${s.reason}`) }))
            .join(' · ')}
        </Text>
      ) : null}
    </Stack>
  );
}

function CalibratedText({ r }: { r: SearchCandidateView }) {
  const { t } = useTranslation();
  return <Text size="sm">{meaningText(t, r.calibrated!)}</Text>;
}
