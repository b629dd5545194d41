// Stage jog: per axis a position readout and − / + buttons with a step size, Home and Stop, and the same from
// the keyboard while the block has focus (see jogKeys.ts).
import { Button, Group, Kbd, Select, Stack, Text } from '@mantine/core';
import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { jogActionFor, nextStep, stepsFor } from './jogKeys.ts';
import { axisAmount } from '../deviceWords.ts';

export interface JogAxis {
  name: string;
  /** What the user reads: "Focus", "Rotation" (see deviceWords.ts). */
  words: string;
  unit: 'mm' | 'deg';
  role?: string;
  position: number | null;
  min?: number;
  max?: number;
}

export interface StageJogProps {
  axes: JogAxis[];
  busy: boolean;
  disabled: boolean;
  onJog(axis: string, delta: number): void;
  onHome(): void;
  onStop(): void;
}

function defaultStep(unit: string): number {
  const steps = stepsFor(unit);
  return steps[Math.floor(steps.length / 2)]!;
}

export function StageJog({ axes, busy, disabled, onJog, onHome, onStop }: StageJogProps) {
  const { t } = useTranslation();
  const [steps, setSteps] = useState<Record<string, number>>({});
  const stepOf = (axis: JogAxis) => steps[axis.name] ?? defaultStep(axis.unit);
  const focusAxis = axes.find((a) => a.role === 'focus') ?? axes[0];
  const rotationAxis = axes.find((a) => a.role === 'rotation') ?? axes.find((a) => a !== focusAxis);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    // Keys typed into the step selects belong to them.
    if ((event.target as HTMLElement).closest('input, [role="listbox"]')) return;
    // Space on a focused button presses that button; it means Stop only on the jog block itself.
    if (event.key === ' ' && event.target !== event.currentTarget) return;
    const action = jogActionFor(event.key);
    if (!action) return;
    event.preventDefault();
    if (action.kind === 'stop') return onStop();
    if (disabled) return;
    if (action.kind === 'home') return onHome();
    const axis = action.kind === 'move' ? (action.axis === 'focus' ? focusAxis : rotationAxis) : focusAxis;
    if (!axis) return;
    if (action.kind === 'step')
      setSteps((s) => ({ ...s, [axis.name]: nextStep(axis.unit, stepOf(axis), action.direction) }));
    else onJog(axis.name, action.direction * stepOf(axis) * (event.shiftKey ? 10 : 1));
  };

  return (
    <Stack
      gap={6}
      tabIndex={0}
      role="group"
      aria-label={t('rig.stage.jog')}
      onKeyDown={onKeyDown}
      data-testid="stage-jog"
    >
      {axes.map((axis) => (
        <Stack key={axis.name} gap={2}>
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm" fw={600}>
              {axis.words}
            </Text>
            <Text
              size="sm"
              className="cb-mono"
              data-testid={`stage-position-${axis.name}`}
              aria-label={t('rig.stage.position', { name: axis.words })}
            >
              {axis.position === null ? '—' : axisAmount(axis.position, axis.unit, axis.unit === 'deg' ? 2 : 3)}
            </Text>
          </Group>
          <Group gap={4} wrap="nowrap">
            <Button
              variant="default"
              size="compact-sm"
              disabled={disabled}
              onClick={() => onJog(axis.name, -stepOf(axis))}
              aria-label={t('rig.stage.minus', { name: axis.words, amount: axisAmount(stepOf(axis), axis.unit) })}
            >
              −
            </Button>
            <Select
              size="xs"
              w={100}
              aria-label={t('rig.stage.step', { name: axis.words })}
              data={stepsFor(axis.unit).map((s) => ({ value: String(s), label: axisAmount(s, axis.unit) }))}
              value={String(stepOf(axis))}
              onChange={(v) => v && setSteps((s) => ({ ...s, [axis.name]: Number(v) }))}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
            <Button
              variant="default"
              size="compact-sm"
              disabled={disabled}
              onClick={() => onJog(axis.name, stepOf(axis))}
              aria-label={t('rig.stage.plus', { name: axis.words, amount: axisAmount(stepOf(axis), axis.unit) })}
            >
              +
            </Button>
            <Text size="xs" c="dimmed" ml="xs">
              {axis.min !== undefined || axis.max !== undefined
                ? t('rig.stage.limits', {
                    min: axis.min === undefined ? '−∞' : axisAmount(axis.min, axis.unit),
                    max: axis.max === undefined ? '∞' : axisAmount(axis.max, axis.unit),
                  })
                : ''}
            </Text>
          </Group>
        </Stack>
      ))}
      <Group gap="xs">
        <Button variant="default" disabled={disabled} onClick={onHome}>
          {t('rig.stage.home')}
        </Button>
        <Button color="red" variant={busy ? 'filled' : 'light'} onClick={onStop}>
          {t('rig.stage.stop')}
        </Button>
        {busy ? (
          <Text size="xs" c="yellow" data-testid="stage-busy">
            {t('rig.stage.moving')}
          </Text>
        ) : null}
      </Group>
      <Text size="xs" c="dimmed">
        <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> {t('rig.stage.keysFocus')} · <Kbd size="xs">←</Kbd>{' '}
        <Kbd size="xs">→</Kbd> {t('rig.stage.keysRotate')} · <Kbd size="xs">[</Kbd> <Kbd size="xs">]</Kbd>{' '}
        {t('rig.stage.keysStep')} · <Kbd size="xs">Home</Kbd> {t('rig.stage.home')} · <Kbd size="xs">Esc</Kbd>{' '}
        {t('rig.stage.stop')}
      </Text>
    </Stack>
  );
}
