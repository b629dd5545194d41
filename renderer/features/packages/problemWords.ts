// What package verify found, in the reader's words: the host sends each problem's code with the names and figures
// it needs (contract packageProblemCodes); its English sentence is for `casebench package verify` and the logs.
import type { TFunction } from 'i18next';
import { acquisitionRegions, type PackageVerification } from '../../../electron/contract/index.ts';
import { formatDateTime, formatNumber } from '../../app/format.ts';

type Problem = NonNullable<PackageVerification['problem']>;

/** The names the words of packages.problemDetail.* use (contract packageProblemCodes says which code has which). */
const wordedValues = [
  'calibration',
  'exhibit',
  'expected',
  'file',
  'firearm',
  'issuer',
  'region',
  'signer',
  'size',
  'station',
] as const;

/** The problem in words, or null when the station sent no code (a station from before codes were sent). */
export function packageProblemText(t: TFunction, problem: Problem): string | null {
  if (!problem.detail) return null;
  // Only the values the words use: the others are not translation options (a value named lng, ns or defaultValue
  // would change the language or the words).
  const values: Record<string, string> = {};
  const sent = problem.detail.values ?? {};
  for (const key of wordedValues) {
    const value = sent[key];
    if (value === undefined) continue;
    values[key] =
      typeof value === 'number'
        ? formatNumber(value)
        : key === 'calibration' && /^\d{4}-\d{2}-\d{2}T/.test(value)
          ? // A calibration with no reference is named by when it was made (an ISO timestamp).
            t('packages.calibrationMadeOn', { date: formatDateTime(value) })
          : key === 'region' && (acquisitionRegions as readonly string[]).includes(value)
            ? t(`regionName.${value}`)
            : value;
  }
  return t(`packages.problemDetail.${problem.detail.code}`, values);
}
