// The analysis behind the pair: CMC counts in both directions with their calibrated meaning and the LR beside them,
// the registration,
// and every cell of the chosen direction in a table (a row selects the cell on the field). This was the pair
// view's page; it is now one panel of the workspace, so the examiner has one viewer for a pair.
import { Badge, Group, SegmentedControl, SimpleGrid, Stack, Switch, Text } from '@mantine/core';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type { CellView } from '../../../../electron/contract/index.ts';
import type { WorkspaceAnalysis } from './workspaceTypes.ts';
import { meaningText } from '../../search/meaning.ts';
import { LrLine } from './LrPanel.tsx';
import { formatDateTime, formatNumber } from '../../../app/format.ts';

const num = (v: number | null, digits = 1) => formatNumber(v, digits);

export interface CellsView {
  visible: boolean;
  direction: 0 | 1;
  showAll: boolean;
  selected: number | null;
}

export function CellsPanel({
  result,
  view,
  onChange,
  names,
}: {
  result: WorkspaceAnalysis;
  view: CellsView;
  onChange: (next: Partial<CellsView>) => void;
  names: [string, string];
}) {
  const { t } = useTranslation();
  const reg = result.registration;
  const current = result.directions[view.direction];
  return (
    <Stack gap="xs">
      <SimpleGrid cols={2} spacing={4}>
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
          <Text size="xs">
            {t('compare.counts', {
              ab: result.cmc.ab,
              ba: result.cmc.ba,
              cellsA: result.directions[0].validCells,
              cellsB: result.directions[1].validCells,
            })}
          </Text>
        </div>
      </SimpleGrid>
      <Text size="xs" data-testid="compare-meaning">
        {meaningText(t, result.calibrated)}
      </Text>
      <LrLine lr={result.lr} />
      <Text size="xs" c="dimmed">
        {t('exam.cells.registration', {
          theta: formatNumber(reg.thetaDeg, 1),
          dx: formatNumber(reg.tx * result.pixelUm, 0),
          dy: formatNumber(reg.ty * result.pixelUm, 0),
          score: formatNumber(reg.score, 2),
          pixel: formatNumber(result.pixelUm, 2),
        })}
      </Text>
      {result.algorithm && result.ranAt ? (
        <Text size="xs" c="dimmed">
          {t('exam.cells.ranBy', {
            name: result.algorithm.name,
            version: result.algorithm.version,
            when: formatDateTime(result.ranAt),
          })}
        </Text>
      ) : null}
      <Group gap="sm">
        <Switch
          size="xs"
          label={t('exam.cells.show')}
          checked={view.visible}
          onChange={(e) => onChange({ visible: e.currentTarget.checked })}
        />
        <Switch
          size="xs"
          label={t('compare.showAll')}
          checked={view.showAll}
          onChange={(e) => onChange({ showAll: e.currentTarget.checked })}
        />
      </Group>
      {/* Full width, the names folding onto two lines when the panel is narrow, never cut. */}
      <SegmentedControl
        size="xs"
        fullWidth
        aria-label={t('compare.direction')}
        value={String(view.direction)}
        onChange={(v) => onChange({ direction: Number(v) as 0 | 1, selected: null })}
        data={[
          { value: '0', label: t('compare.cellsOf', { name: names[0] }) },
          { value: '1', label: t('compare.cellsOf', { name: names[1] }) },
        ]}
      />
      <DataTable<CellView>
        aria-label={t('compare.cells')}
        withTableBorder
        striped
        highlightOnHover
        verticalSpacing={2}
        fz="xs"
        height={280}
        // The table scrolls on its own: the keyboard must be able to reach and scroll it too.
        scrollAreaProps={{ viewportProps: { tabIndex: 0, 'aria-label': t('compare.cells') } }}
        records={current.cells}
        idAccessor="index"
        onRowClick={({ record }) => onChange({ selected: record.index, visible: true })}
        rowStyle={(c) =>
          c.index === view.selected ? { outline: '2px solid var(--mantine-color-blue-filled)' } : undefined
        }
        columns={[
          { accessor: 'index', title: t('compare.cell'), render: (c) => `${c.col + 1},${c.row + 1}` },
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
          {
            accessor: 'dx',
            title: t('exam.cells.shift'),
            render: (c) =>
              c.dx === null || c.dy === null
                ? '—'
                : `${formatNumber(c.dx * result.pixelUm, 0)}; ${formatNumber(c.dy * result.pixelUm, 0)}`,
          },
        ]}
      />
    </Stack>
  );
}
