import { describe, expect, it } from 'vitest';
import { createInstance } from 'i18next';
import { resources } from '../../i18n/index.ts';
import type { CaptureStep } from '../../../electron/contract/index.ts';
import { addStep } from '../../api/useLongCall.ts';
import { captureStepOf, captureStepText } from './captureSteps.ts';

// The station's own English words, through i18next.
const i18n = createInstance();
await i18n.init({
  lng: 'en',
  resources: { en: { translation: resources.en } },
  interpolation: { escapeValue: false },
});
const t = i18n.t;

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
      'Breech face: Ring light, segment 0',
      'Breech face: Ring light, segment 1',
      'Firing pin: Ring light, segment 1',
    ]);
  });

  it('names a light the rig knows in its own words, without "light" twice', () => {
    const words = (key: string) => (key === 'ring/0' ? 'Light from 0° (right)' : key);
    expect(captureStepText(t, { step: 'light', region: 'breech_face', light: 'ring/0' }, words)).toBe(
      'Breech face: Light from 0° (right)',
    );
    // The frame under all ring segments at once has no light key: it is the ring light, not "light ".
    expect(captureStepText(t, { step: 'light', region: 'firing_pin' })).toBe('Firing pin: Ring light');
    // A key the rig cannot name is worded from the key (lightKeyWords.test.ts), not shown raw.
    expect(captureStepText(t, { step: 'light', region: 'breech_face', light: 'ring/9' })).not.toMatch(/ring\/9/);
  });
});
