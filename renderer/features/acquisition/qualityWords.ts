// A capture's quality check in the user's language, from what the host measured (value and threshold), instead of
// the host's English sentence: "Out of focus: 62 % of the best sharpness (needs 80 %); refocus".
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import type { qualityCheckSchema } from '../../../electron/contract/acquisitions.ts';
import { formatNumber } from '../../app/format.ts';

type QualityCheck = z.infer<typeof qualityCheckSchema>;

const percent = (fraction: number, decimals: number) => formatNumber(fraction * 100, decimals);

export function qualityCheckText(t: TFunction, check: QualityCheck): string {
  const { value, threshold, passed } = check;
  switch (check.id) {
    case 'focus':
      return passed
        ? t('acquisition.checkText.focusPassed', { percent: percent(value, 0) })
        : t('acquisition.checkText.focusFailed', { percent: percent(value, 0), limit: percent(threshold, 0) });
    case 'saturation':
      return passed
        ? t('acquisition.checkText.saturationPassed', { percent: percent(value, 2) })
        : t('acquisition.checkText.saturationFailed', { percent: percent(value, 2), limit: percent(threshold, 2) });
    case 'coverage':
      return passed
        ? t('acquisition.checkText.coveragePassed', { percent: percent(value, 1) })
        : t('acquisition.checkText.coverageFailed', { percent: percent(value, 1), limit: percent(threshold, 0) });
    case 'calibration':
      return passed ? t('acquisition.checkText.calibrationPassed') : t('acquisition.checkText.calibrationFailed');
  }
}
