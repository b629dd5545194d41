// Keyboard jog for the stage: what each key does, as data so it is tested and listed in the help line.
// Up/Down move focus (Z), Left/Right rotate, [ and ] change the step size, Home homes, Esc or Space stops.

export type JogAction =
  | { kind: 'move'; axis: 'focus' | 'rotation'; direction: 1 | -1 }
  | { kind: 'step'; direction: 1 | -1 }
  | { kind: 'home' }
  | { kind: 'stop' };

export function jogActionFor(key: string): JogAction | null {
  switch (key) {
    case 'ArrowUp':
    case 'PageUp':
      return { kind: 'move', axis: 'focus', direction: 1 };
    case 'ArrowDown':
    case 'PageDown':
      return { kind: 'move', axis: 'focus', direction: -1 };
    case 'ArrowRight':
      return { kind: 'move', axis: 'rotation', direction: 1 };
    case 'ArrowLeft':
      return { kind: 'move', axis: 'rotation', direction: -1 };
    case ']':
      return { kind: 'step', direction: 1 };
    case '[':
      return { kind: 'step', direction: -1 };
    case 'Home':
      return { kind: 'home' };
    case 'Escape':
    case ' ':
      return { kind: 'stop' };
    default:
      return null;
  }
}

/** Jog steps offered per unit, smallest first; focus needs micrometres, rotation whole degrees. */
export const jogSteps: Record<string, readonly number[]> = {
  mm: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
  deg: [0.1, 1, 5, 15, 45, 90],
};

export function stepsFor(unit: string): readonly number[] {
  return jogSteps[unit] ?? [0.01, 0.1, 1, 10];
}

/** The next step size up or down the list, staying at the ends; a size not in the list goes to its neighbour. */
export function nextStep(unit: string, current: number, direction: 1 | -1): number {
  const steps = stepsFor(unit);
  const eps = current * 1e-9;
  if (direction > 0) return steps.find((s) => s > current + eps) ?? steps[steps.length - 1]!;
  return [...steps].reverse().find((s) => s < current - eps) ?? steps[0]!;
}

/** A target clamped to the axis limits, so an out-of-range jog becomes a move to the limit. */
export function clampToLimits(value: number, min?: number, max?: number): number {
  let v = value;
  if (min !== undefined) v = Math.max(min, v);
  if (max !== undefined) v = Math.min(max, v);
  return v;
}
