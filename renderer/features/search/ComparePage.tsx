import {
  Anchor,
  Badge,
  Group,
  Kbd,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { DataTable } from 'mantine-datatable';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CellView, CompareResultView } from '../../../electron/contract/index.ts';
import { useCall } from '../../api/hooks.tsx';
import { NotFoundPage, PageError } from '../../app/NotFoundPage.tsx';
import { href } from '../../app/router.ts';
import { meaningText } from './meaning.ts';
import { SurfaceCanvas, type CellShape } from './SurfaceCanvas.tsx';

const num = (v: number | null, digits = 1) => (v === null ? '—' : v.toFixed(digits));

/** One pair in detail: both surfaces in one frame (B registered onto A), the cells of one direction drawn on both, and every cell in a table. */
export function ComparePage({ params }: { params: Record<string, string> }) {
  const { t } = useTranslation();
  const a = Number(params.a);
  const b = Number(params.b);
  const valid = a !== b;
  const comparison = useCall('compare.run', { a, b }, { enabled: valid });
  if (!valid) return <NotFoundPage reason={t('compare.sameAcquisition')} />;
  if (comparison.error) return <PageError error={comparison.error} missing={t('compare.missing')} />;
  if (!comparison.data) {
    return (
      <Text role="status" aria-live="polite">
        {t('compare.running')}
      </Text>
    );
  }
  return <CompareView result={comparison.data} />;
}

function CompareView({ result }: { result: CompareResultView }) {
  const { t } = useTranslation();
  const [direction, setDirection] = useState<'a' | 'b'>('a');
  const [showAll, setShowAll] = useState(false);
  const [selected, setSelected] = useState<number | null>(null);
  const current = result.directions[direction === 'a' ? 0 : 1];
  const cells = useMemo(() => current.cells.filter((c) => showAll || c.congruent), [current, showAll]);
  const shapes = useMemo(() => {
    const reference: CellShape[] = cells.map((c) => ({ index: c.index, corners: c.reference, congruent: c.congruent }));
    const target: CellShape[] = cells.map((c) => ({ index: c.index, corners: c.target, congruent: c.congruent }));
    return direction === 'a' ? { a: reference, b: target } : { a: target, b: reference };
  }, [cells, direction]);

  const step = (delta: number) => {
    if (cells.length === 0) return;
    const at = cells.findIndex((c) => c.index === selected);
    const next = at < 0 ? (delta > 0 ? 0 : cells.length - 1) : (at + delta + cells.length) % cells.length;
    setSelected(cells[next]!.index);
  };
  useHotkeys([
    [']', () => step(1)],
    ['[', () => step(-1)],
    ['d', () => setDirection((d) => (d === 'a' ? 'b' : 'a'))],
    ['n', () => setShowAll((v) => !v)],
  ]);

  const label = (r: CompareResultView['a']) => `${r.labCaseNumber} / ${r.exhibitNumber}`;
  const reg = result.registration;
  return (
    <Stack gap="sm">
      <Group gap="xs">
        <Anchor href={href('/search')} size="sm">
          {t('search.title')}
        </Anchor>
        <Text c="dimmed">/</Text>
        <Title order={1} size="h4">
          {t('compare.title', { a: label(result.a), b: label(result.b) })}
        </Title>
      </Group>
      <Paper withBorder p="sm">
        <SimpleGrid cols={{ base: 2, md: 4 }} spacing="xs">
          <div>
            <Text size="xs" c="dimmed">
              {t('search.combined')}
            </Text>
            <Text size="xl" fw={700} data-testid="compare-combined">
              {result.cmc.combined}
            </Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              {t('compare.directions')}
            </Text>
            <Text size="sm">
              {t('compare.counts', {
                ab: result.cmc.ab,
                ba: result.cmc.ba,
                cellsA: result.directions[0].validCells,
                cellsB: result.directions[1].validCells,
              })}
            </Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              {t('compare.registration')}
            </Text>
            <Text size="sm">
              {t('compare.registrationText', {
                theta: reg.thetaDeg.toFixed(1),
                dx: ((reg.tx * result.pixelUm) / 1000).toFixed(3),
                dy: ((reg.ty * result.pixelUm) / 1000).toFixed(3),
                score: reg.score.toFixed(2),
              })}
            </Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              {t('compare.time')}
            </Text>
            <Text size="sm">
              {t('compare.timeText', {
                seconds: (result.timing.totalMs / 1000).toFixed(1),
                pixel: result.pixelUm.toFixed(2),
              })}
            </Text>
          </div>
        </SimpleGrid>
        <Text size="sm" mt="xs" data-testid="compare-meaning">
          {meaningText(t, result.calibrated)}
        </Text>
        {/* An examiner's region override changes what was compared: said with the result. */}
        {[result.a, result.b]
          .filter((r) => r.regionsUsed === 'manual')
          .map((r) => (
            <Text
              size="sm"
              key={r.acquisitionId}
              data-testid="compare-manual-regions"
            >{`${label(r)}: ${t('regions.manualUsed')}`}</Text>
          ))}
      </Paper>
      <Group gap="md">
        <SegmentedControl
          aria-label={t('compare.direction')}
          value={direction}
          onChange={(v) => {
            setDirection(v as 'a' | 'b');
            setSelected(null);
          }}
          data={[
            { value: 'a', label: t('compare.cellsOf', { name: label(result.a) }) },
            { value: 'b', label: t('compare.cellsOf', { name: label(result.b) }) },
          ]}
        />
        <Switch checked={showAll} onChange={(e) => setShowAll(e.currentTarget.checked)} label={t('compare.showAll')} />
        <Text size="xs" c="dimmed">
          <Kbd size="xs">D</Kbd> {t('compare.keyDirection')} · <Kbd size="xs">N</Kbd> {t('compare.keyAll')} ·{' '}
          <Kbd size="xs">[</Kbd> <Kbd size="xs">]</Kbd> {t('compare.keyCells')}
        </Text>
      </Group>
      <SimpleGrid cols={2} spacing="sm">
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('compare.surfaceA', { name: label(result.a) })}
          </Text>
          <SurfaceCanvas
            surface={result.surfaces.a}
            cells={shapes.a}
            selected={selected}
            label={t('compare.surfaceA', { name: label(result.a) })}
            testId="surface-a"
          />
        </Stack>
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('compare.surfaceB', { name: label(result.b) })}
          </Text>
          <SurfaceCanvas
            surface={result.surfaces.b}
            cells={shapes.b}
            selected={selected}
            label={t('compare.surfaceB', { name: label(result.b) })}
            testId="surface-b"
          />
        </Stack>
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        {t('compare.legend')}
      </Text>
      <DataTable<CellView>
        aria-label={t('compare.cells')}
        withTableBorder
        striped
        highlightOnHover
        verticalSpacing={2}
        fz="xs"
        height={320}
        // The table scrolls on its own: the keyboard must be able to reach and scroll it too.
        scrollAreaProps={{ viewportProps: { tabIndex: 0, 'aria-label': t('compare.cells') } }}
        records={current.cells}
        idAccessor="index"
        onRowClick={({ record }) => setSelected(record.index)}
        rowStyle={(c) => (c.index === selected ? { outline: '2px solid var(--mantine-color-blue-filled)' } : undefined)}
        columns={[
          { accessor: 'index', title: t('compare.cell'), render: (c) => `${c.col + 1},${c.row + 1}` },
          { accessor: 'x', title: t('compare.position'), render: (c) => `${Math.round(c.x)}, ${Math.round(c.y)}` },
          {
            accessor: 'congruent',
            title: t('compare.congruent'),
            render: (c) =>
              c.congruent ? (
                <Badge size="xs" color="green">
                  {t('compare.yes')}
                </Badge>
              ) : (
                <Text size="xs" c="dimmed">
                  {t('compare.no')}
                </Text>
              ),
          },
          { accessor: 'corr', title: t('compare.corr'), render: (c) => num(c.corr, 3) },
          { accessor: 'thetaDeg', title: t('compare.theta'), render: (c) => num(c.thetaDeg) },
          { accessor: 'dx', title: t('compare.dx'), render: (c) => num(c.dx) },
          { accessor: 'dy', title: t('compare.dy'), render: (c) => num(c.dy) },
        ]}
      />
    </Stack>
  );
}
