// The line under the field: the hovered (or selected) CMC cell's correlation and offset, else what the tool does.
import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CellShape } from './cells.ts';
import type { Tool } from './workspaceTypes.ts';

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
      corr: cell.corr === null ? '—' : cell.corr.toFixed(3),
      theta: cell.thetaDeg === null ? '—' : cell.thetaDeg.toFixed(1),
      dx: cell.dxUm === null ? '—' : cell.dxUm.toFixed(0),
      dy: cell.dyUm === null ? '—' : cell.dyUm.toFixed(0),
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
