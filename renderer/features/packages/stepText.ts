// A package export, verification or import step in the reader's words (the host reports codes and byte counts).
import type { TFunction } from 'i18next';
import type { PackageStep } from '../../../electron/contract/index.ts';
import { formatBytes } from '../../app/format.ts';

export function packageStepText(t: TFunction, detail: PackageStep | undefined): string {
  if (!detail) return '';
  const words = t(`packages.step.${detail.step}`);
  if (detail.done === undefined || !detail.total) return words;
  return t('packages.step.withBytes', {
    step: words,
    done: formatBytes(detail.done),
    total: formatBytes(detail.total),
  });
}
