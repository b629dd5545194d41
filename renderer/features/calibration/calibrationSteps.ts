import type { TFunction } from 'i18next';
import type { CalibrationStep } from '../../../electron/contract/index.ts';

/** A calibration step in words, e.g. "Imaging the sphere under ring/3". */
export function calibrationStepText(
  t: TFunction,
  p: CalibrationStep,
  light: (key: string) => string = (key) => key,
): string {
  return t(`calibration.step.${p.step}`, { light: p.light && light(p.light) });
}
