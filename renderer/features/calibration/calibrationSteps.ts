import type { TFunction } from 'i18next';
import type { CalibrationStep } from '../../../electron/contract/index.ts';
import { lightKeyWords } from '../rig/lightKeyWords.ts';

/** A calibration step in words, e.g. "Imaging the sphere under Ring light, segment 3". */
export function calibrationStepText(
  t: TFunction,
  p: CalibrationStep,
  light: (key: string) => string = (key) => lightKeyWords(t, key),
): string {
  return t(`calibration.step.${p.step}`, { light: p.light && light(p.light) });
}
