// The line under the field: the hovered (or selected) CMC cell's correlation and offset, else what the tool does.
import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CellShape } from './cells.ts';
import type { Tool } from './workspaceTypes.ts';
import { formatNumber } from '../../../app/format.ts';

export function FieldHint({
  hovered,
  selected,
  cells,
  tool,
}: {
  hovered: CellShape | null;
  selected: number | null;
  cells: CellShape[][] | null;
  tool: Tool;
}) {
  const { t } = useTranslation();
  const cellText = (cell: CellShape): string =>
    t('exam.cells.hover', {
      cell: `${cell.col + 1},${cell.row + 1}`,
      corr: formatNumber(cell.corr, 3),
      theta: formatNumber(cell.thetaDeg, 1),
      dx: formatNumber(cell.dxUm, 0),
      dy: formatNumber(cell.dyUm, 0),
      state: cell.congruent ? t('exam.cells.congruent') : t('exam.cells.notCongruent'),
    });
  return (
    <Text size="xs" c="dimmed" aria-live="polite" data-testid="cell-hover">
      {hovered
        ? cellText(hovered)
        : selected !== null && cells
          ? cellText(cells.flat().find((c) => c.index === selected && c.role === 'reference') ?? cells.flat()[0]!)
          : tool !== 'pan'
            ? t(`exam.tool.hint.${tool}`)
            : t('exam.hint')}
    </Text>
  );
}
