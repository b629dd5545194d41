import type { TFunction } from 'i18next';
import type { CaptureStep } from '../../../electron/contract/index.ts';

/** A capture step in words, e.g. "Breech face: autofocus, 7 frames". */
export function captureStepText(t: TFunction, p: CaptureStep, light: (key: string) => string = (key) => key): string {
  const step =
    p.step === 'autofocus' && p.frames !== undefined
      ? t('capture.step.autofocusFrames', { count: p.frames })
      : t(`capture.step.${p.step}`, { light: p.light && light(p.light), focusMm: p.focusMm });
  return p.region ? t('capture.stepOfRegion', { region: t(`acquisition.regionName.${p.region}`), step }) : step;
}

/** Details of the same step (autofocus frame after frame) update one line of the list of steps. */
export const captureStepOf = (p: CaptureStep) => `${p.region}/${p.step}/${p.light ?? ''}`;
