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
import { isAppError, type SearchCandidateView, type SearchResultView } from '../../../electron/contract/index.ts';
import { useCall, useStation } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { formatDateTime } from '../../app/format.ts';
import { href, navigate } from '../../app/router.ts';
import { meaningText } from './meaning.ts';

interface Filters {
  calibre: string;
  dateField: 'acquired' | 'recovered';
  from: string;
  to: string;
  topK: number;
}

// The last search stays on screen when the examiner opens a pair and comes back.
let lastSearch: { acquisitionId: string; filters: Filters; result: SearchResultView } | null = null;

const progressPattern = /^(signatures|scoring) (\d+)\/(\d+)$/;

/** Search the local database for one acquisition: every filter visible, progress and cancel, and the whole ranked list. */
export function SearchPage({ params }: { params: Record<string, string> }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const station = useStation();
  const itemId = params.itemId ? Number(params.itemId) : undefined;
  const sources = useCall('search.sources', itemId ? { itemId } : {});
  const [acquisitionId, setAcquisitionId] = useState<string | null>(
    params.acquisitionId ?? (itemId ? null : (lastSearch?.acquisitionId ?? null)),
  );
  const [filters, setFilters] = useState<Filters>(
    lastSearch?.filters ?? { calibre: '', dateField: 'acquired', from: '', to: '', topK: 20 },
  );
  const [result, setResult] = useState<SearchResultView | null>(
    lastSearch && (!params.acquisitionId || params.acquisitionId === lastSearch.acquisitionId) && !itemId
      ? lastSearch.result
      : null,
  );
  const [running, setRunning] = useState<{ fraction: number; message?: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const controller = useRef<AbortController | null>(null);

  const options = (sources.data ?? []).map((s) => ({
    value: String(s.acquisitionId),
    label:
      t('search.sourceLabel', {
        caseNumber: s.labCaseNumber,
        exhibit: s.exhibitNumber,
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
  useEffect(() => {
    if (chosen && lastSearch?.acquisitionId !== String(chosen.acquisitionId))
      setFilters((f) => ({ ...f, calibre: chosen.calibre ?? '' }));
  }, [chosen]);
  useEffect(() => () => controller.current?.abort(), []);

  async function run() {
    if (!acquisitionId || running) return;
    const abort = new AbortController();
    controller.current = abort;
    setError(null);
    setResult(null);
    setRunning({ fraction: 0 });
    try {
      const output = await station.call(
        'search.run',
        {
          acquisitionId: Number(acquisitionId),
          filters: {
            calibre: filters.calibre.trim() || null,
            dateField: filters.dateField,
            from: filters.from || null,
            to: filters.to || null,
          },
          topK: filters.topK,
        },
        { signal: abort.signal, onProgress: (fraction, message) => setRunning({ fraction, message }) },
      );
      setResult(output);
      lastSearch = { acquisitionId, filters, result: output };
    } catch (e) {
      setError(e);
    } finally {
      setRunning(null);
      controller.current = null;
    }
  }
  const cancel = () => controller.current?.abort();
  useHotkeys([
    ['mod+Enter', () => void run()],
    ['Escape', cancel],
  ]);

  const stage = running?.message?.match(progressPattern);
  const progressText = stage
    ? t(`search.stage.${stage[1]}`, { done: Number(stage[2]), total: Number(stage[3]) })
    : t('search.starting');
  const queryId = result?.query.acquisitionId;

  return (
    <Stack gap="sm">
      <Title order={4}>{t('search.title')}</Title>
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
            <SimpleGrid cols={{ base: 2, md: 5 }} spacing="xs">
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
              <TextInput
                type="date"
                label={t('search.from')}
                value={filters.from}
                onChange={(e) => setFilters({ ...filters, from: e.currentTarget.value })}
              />
              <TextInput
                type="date"
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
          <Text size="sm">{progressText}</Text>
        </Stack>
      ) : null}
      {error ? (
        isAppError(error, 'canceled') ? (
          <Alert color="yellow" role="status">
            {t('search.canceled')}
          </Alert>
        ) : (
          <Alert color="red" role="alert">
            {errorText(error)}
          </Alert>
        )
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
        <Text size="sm">
          {t('search.query', {
            caseNumber: result.query.labCaseNumber,
            exhibit: result.query.exhibitNumber,
            id: result.query.acquisitionId,
          })}
          {result.query.regionsUsed === 'manual' ? ` — ${t('regions.manualUsed')}` : null}
        </Text>
        <Text size="sm">
          {t('search.applied', {
            calibre: f.calibre ?? any,
            dateField: t(`search.${f.dateField}`),
            from: f.from ?? '…',
            to: f.to ?? '…',
            region: t(`search.region.${f.region}`, { defaultValue: f.region }),
          })}
        </Text>
        <Text size="sm">{t('search.skipped', { count: result.skipped.length })}</Text>
        <Text size="xs" c="dimmed">
          {t('search.facts', {
            seconds: (result.timing.totalMs / 1000).toFixed(1),
            cached: result.signatures.cached,
            computed: result.signatures.computed,
            population: result.population.name,
            size: result.population.size,
          })}
        </Text>
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
          { accessor: 'rank', title: t('search.rank'), width: 64 },
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
            render: (r) => (r.screeningScore === null ? '—' : r.screeningScore.toFixed(3)),
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
            accessor: 'meaning',
            title: t('search.meaningTitle'),
            render: (r) =>
              r.error ? (
                <Text c="red" size="sm">
                  {t('search.failed', { message: r.error.message })}
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
