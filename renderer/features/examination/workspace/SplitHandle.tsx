// The split line of the merged field, as on a comparison microscope's bridge: A to its left, B to its right.
// A separator the pointer drags and the keyboard moves (arrows by 1 %, PageUp/PageDown by 10 %, Home/End).
import { Box } from '@mantine/core';
import { useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldStore } from '../../../shared/field/fieldStore.ts';
import type { Panel } from '../../../shared/field/fieldState.ts';

const clamp = (v: number) => Math.min(0.98, Math.max(0.02, v));

export function SplitHandle({ store, panel, split }: { store: FieldStore; panel: Panel; split: number }) {
  const { t } = useTranslation();
  const dragging = useRef(false);
  const x = panel.x + panel.width * split;
  const set = (value: number) => store.setField((s) => ({ ...s, split: clamp(value) }));
  const onKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const steps: Record<string, number> = { ArrowLeft: -0.01, ArrowRight: 0.01, PageDown: -0.1, PageUp: 0.1 };
    if (event.key in steps) set(split + steps[event.key]!);
    else if (event.key === 'Home') set(0);
    else if (event.key === 'End') set(1);
    else return;
    event.preventDefault();
    event.stopPropagation();
  };
  return (
    <Box
      role="separator"
      aria-orientation="vertical"
      aria-label={t('exam.split.label')}
      aria-valuemin={2}
      aria-valuemax={98}
      aria-valuenow={Math.round(split * 100)}
      aria-valuetext={t('exam.split.value', { percent: Math.round(split * 100) })}
      tabIndex={0}
      data-testid="split-handle"
      onKeyDown={onKey}
      onPointerDown={(event) => {
        dragging.current = true;
        event.currentTarget.setPointerCapture(event.pointerId);
        event.stopPropagation();
      }}
      onPointerMove={(event) => {
        if (!dragging.current) return;
        const rect = event.currentTarget.parentElement!.getBoundingClientRect();
        set((event.clientX - rect.left - panel.x) / panel.width);
      }}
      onPointerUp={() => (dragging.current = false)}
      pos="absolute"
      top={panel.y}
      h={panel.height}
      w={16}
      left={x - 8}
      style={{ cursor: 'ew-resize', display: 'flex', justifyContent: 'center', touchAction: 'none', zIndex: 2 }}
    >
      <Box w={2} h="100%" bg="yellow.4" style={{ boxShadow: '0 0 3px black' }} />
      <Box
        pos="absolute"
        top="50%"
        w={14}
        h={34}
        bg="yellow.4"
        style={{ transform: 'translateY(-50%)', borderRadius: 4, boxShadow: '0 0 3px black' }}
      />
    </Box>
  );
}
