import type { TFunction } from 'i18next';
import type { CaptureStep } from '../../../electron/contract/index.ts';
import { lightKeyWords } from '../rig/lightKeyWords.ts';

/** A capture step in words, e.g. "Breech face: autofocus, 7 frames". */
export function captureStepText(
  t: TFunction,
  p: CaptureStep,
  light: (key: string) => string = (key) => lightKeyWords(t, key),
): string {
  const lightWords = p.light && light(p.light);
  // A light the rig names in words ("Light from 0° (right)") is the step; only a bare key needs "light" before it.
  // A light step with no key is the frame under every ring segment at once (captureRunner): the ring light.
  const step =
    p.step === 'autofocus' && p.frames !== undefined
      ? t('capture.step.autofocusFrames', { count: p.frames })
      : p.step === 'light' && !p.light
        ? t('acquisition.role.ring')
        : p.step === 'light' && lightWords && lightWords !== p.light
          ? lightWords
          : t(`capture.step.${p.step}`, { light: lightWords, focusMm: p.focusMm });
  return p.region ? t('capture.stepOfRegion', { region: t(`regionName.${p.region}`), step }) : step;
}

/** Details of the same step (autofocus frame after frame) update one line of the list of steps. */
export const captureStepOf = (p: CaptureStep) => `${p.region}/${p.step}/${p.light ?? ''}`;
