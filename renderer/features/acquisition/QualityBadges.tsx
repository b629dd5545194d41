import { Badge, Group, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AcquisitionSummary, QualityReportView } from '../../../electron/contract/index.ts';
import { qualityCheckText } from './qualityWords.ts';

/** The overall quality verdict of an acquisition and, when known, each check (focus, saturation, coverage, calibration). */
export function QualityBadges({
  summary,
  report,
}: {
  summary: Pick<AcquisitionSummary, 'qualityPassed' | 'unsuitableReason'>;
  report?: QualityReportView | null;
}) {
  const { t } = useTranslation();
  const overall =
    summary.qualityPassed === null
      ? t('acquisition.qualityNone')
      : summary.qualityPassed
        ? t('acquisition.qualityPassed')
        : t('acquisition.qualityFailed');
  return (
    <Group gap={4} wrap="wrap">
      <Badge
        size="sm"
        variant="light"
        color={summary.qualityPassed === null ? 'gray' : summary.qualityPassed ? 'green' : 'orange'}
      >
        {overall}
      </Badge>
      {report?.checks.map((check) => (
        <Tooltip key={check.id} label={qualityCheckText(t, check)}>
          <Badge size="sm" variant="outline" color={check.passed ? 'green' : 'red'}>
            {t(`acquisition.check.${check.id}`)} {check.passed ? '✓' : '✗'}
          </Badge>
        </Tooltip>
      ))}
      {summary.unsuitableReason ? (
        <Tooltip label={summary.unsuitableReason}>
          <Badge size="sm" color="red" data-testid="unsuitable-badge">
            {t('acquisition.unsuitable')}
          </Badge>
        </Tooltip>
      ) : null}
    </Group>
  );
}
