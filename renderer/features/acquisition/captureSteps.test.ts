import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import type { CaptureStep } from '../../../electron/contract/index.ts';
import { addStep } from '../../api/useLongCall.ts';
import { captureStepOf, captureStepText } from './captureSteps.ts';

// The words of the English resources, with the interpolation i18next does (enough for these keys).
const { acquisitionEn } = await import('../../i18n/en.acquisition.ts');
const t = ((key: string, values: Record<string, unknown> = {}) => {
  let node: unknown = acquisitionEn;
  const parts = key.split('.');
  const last = parts.pop()!;
  for (const part of parts) node = (node as Record<string, unknown>)[part];
  const record = node as Record<string, string>;
  const text = record[last] ?? record[`${last}_${values.count === 1 ? 'one' : 'other'}`];
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));
}) as unknown as TFunction;

describe('progress steps', () => {
  it('lists each stage once, keeping its latest detail', () => {
    const steps: CaptureStep[] = [];
    const details: CaptureStep[] = [
      { step: 'connecting', region: null },
      { step: 'autofocus', region: 'breech_face' },
      { step: 'autofocus', region: 'breech_face', frames: 1 },
      { step: 'autofocus', region: 'breech_face', frames: 2 },
      { step: 'exposure', region: 'breech_face' },
      { step: 'exposure', region: 'breech_face' },
    ];
    for (const d of details) addStep(steps, d, captureStepOf);
    expect(steps.map((s) => captureStepText(t, s))).toEqual([
      'connecting to the rig',
      'Breech face: autofocus, 2 frames',
      'Breech face: exposure',
    ]);
  });

  it('keeps one step per light and per region', () => {
    const steps: CaptureStep[] = [];
    for (const d of [
      { step: 'light', region: 'breech_face', light: 'ring/0' },
      { step: 'light', region: 'breech_face', light: 'ring/1' },
      { step: 'light', region: 'firing_pin', light: 'ring/1' },
    ] as CaptureStep[])
      addStep(steps, d, captureStepOf);
    expect(steps.map((s) => captureStepText(t, s))).toEqual([
      'Breech face: light ring/0',
      'Breech face: light ring/1',
      'Firing pin: light ring/1',
    ]);
  });

  it('names a light the rig knows in its own words, without "light" twice', () => {
    const words = (key: string) => (key === 'ring/0' ? 'Light from 0° (right)' : key);
    expect(captureStepText(t, { step: 'light', region: 'breech_face', light: 'ring/0' }, words)).toBe(
      'Breech face: Light from 0° (right)',
    );
    expect(captureStepText(t, { step: 'light', region: 'breech_face', light: 'ring/9' }, words)).toBe(
      'Breech face: light ring/9',
    );
  });
});
