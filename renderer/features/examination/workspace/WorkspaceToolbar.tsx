// The workspace's toolbar: view mode, the lock of the two sides, the side that moves, auto-alignment, the tool, the
// snapshot and the key help. Each button runs the same action as its key.
import { ActionIcon, Button, Group, SegmentedControl, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { viewModes, type SideIndex, type ViewMode } from '../../../shared/field/fieldState.ts';
import { useFieldView, type FieldStore } from '../../../shared/field/fieldStore.ts';
import type { WorkspaceAction } from './keys.ts';
import type { Tool } from './workspaceTypes.ts';

const toolActions = { pan: 'toolPan', profile: 'toolProfile', polygon: 'toolPolygon', brush: 'toolBrush' } as const;

export function WorkspaceToolbar({
  store,
  run,
  setMode,
  tool,
  analysed,
  both3d,
  surfaces,
  canDraw,
  canSnapshot,
  snapping,
}: {
  store: FieldStore;
  run: (action: WorkspaceAction, shift: boolean) => void;
  setMode: (mode: ViewMode) => void;
  tool: Tool;
  /** The analysis is in (auto-alignment can use its registration). */
  analysed: boolean;
  both3d: boolean;
  surfaces: boolean;
  canDraw: boolean;
  canSnapshot: boolean;
  snapping: boolean;
}) {
  const { t } = useTranslation();
  const mode = useFieldView(store, (v) => v.field.mode);
  const locked = useFieldView(store, (v) => v.field.locked);
  const active = useFieldView(store, (v) => v.field.active);
  return (
    <Group gap="xs" wrap="wrap" role="toolbar" aria-label={t('exam.toolbar')}>
      <SegmentedControl
        size="xs"
        aria-label={t('exam.mode.label')}
        value={mode}
        onChange={(v) => setMode(v as ViewMode)}
        data={viewModes.map((m) => ({ value: m, label: t(`exam.mode.${m}`) }))}
      />
      <Button
        size="xs"
        variant={locked ? 'filled' : 'outline'}
        color={locked ? 'blue' : 'orange'}
        aria-pressed={locked}
        onClick={() => run('toggleLock', false)}
        data-testid="lock-toggle"
      >
        {locked ? t('exam.lock.locked') : t('exam.lock.unlocked')}
      </Button>
      <SegmentedControl
        size="xs"
        aria-label={t('exam.activeSide')}
        value={String(active)}
        onChange={(v) => store.setField((s) => ({ ...s, active: Number(v) as SideIndex }))}
        data={[
          { value: '0', label: t('exam.sideShort', { side: 'A' }) },
          { value: '1', label: t('exam.sideShort', { side: 'B' }) },
        ]}
      />
      <Tooltip label={analysed ? t('exam.align.tooltip') : both3d ? t('exam.align.waiting') : t('exam.align.needs3d')}>
        <Button
          size="xs"
          variant="light"
          onClick={() => run('autoAlign', false)}
          disabled={!analysed}
          data-testid="auto-align"
        >
          {t('exam.align.button')}
        </Button>
      </Tooltip>
      <Button size="xs" variant="subtle" onClick={() => run('resetAlignment', false)}>
        {t('exam.align.reset')}
      </Button>
      <SegmentedControl
        size="xs"
        aria-label={t('exam.tool.label')}
        value={tool}
        onChange={(v) => run(toolActions[v as Tool], false)}
        data={[
          { value: 'pan', label: t('exam.tool.pan') },
          { value: 'profile', label: t('exam.tool.profile'), disabled: !surfaces },
          { value: 'polygon', label: t('exam.tool.polygon'), disabled: !canDraw },
          { value: 'brush', label: t('exam.tool.brush'), disabled: !canDraw },
        ]}
      />
      <Button
        size="xs"
        variant="light"
        onClick={() => run('snapshot', false)}
        loading={snapping}
        disabled={!canSnapshot}
      >
        {t('exam.snapshot.button')}
      </Button>
      <Tooltip label={t('exam.help.title')}>
        <ActionIcon variant="default" onClick={() => run('help', false)} aria-label={t('exam.help.title')}>
          ?
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
