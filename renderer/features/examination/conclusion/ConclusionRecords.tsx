// The conclusions this user may see, as technical records: whose (examination, verification, arbitration), the
// AFTE value, the basis, who and when, what supports it, what was compared (acquisition hashes, the score shown
// with its algorithm version), and amendments beside the original they amend.
import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ConclusionView } from '../../../../electron/contract/index.ts';
import { formatDateTime } from '../../../app/format.ts';
import { testSideLabel } from '../testLabels.ts';

const short = (sha: string | null) => (sha ? `${sha.slice(0, 12)}…` : '—');

/** A recorded side as the reader says it: a test pair's set and number in their language, casework as recorded. */
function recordedLabel(t: TFunction, side: ConclusionView['record']['a'], letter: 'a' | 'b'): string {
  return side.testPair ? testSideLabel(t, side.testPair, letter) : side.label;
}

export function ConclusionRecords({
  conclusions,
  userId,
  onAmend,
}: {
  conclusions: ConclusionView[];
  userId: number;
  onAmend?: (conclusion: ConclusionView) => void;
}) {
  const { t } = useTranslation();
  if (conclusions.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="conclusions">
      {conclusions.map((c) => (
        <Stack
          key={c.id}
          gap={2}
          p={6}
          data-conclusion={c.conclusion}
          data-role={c.role}
          style={{ border: '1px solid var(--mantine-color-dark-4)', borderRadius: 4, opacity: c.current ? 1 : 0.65 }}
        >
          <Group gap={6} justify="space-between">
            <Group gap={6}>
              <Badge size="sm" variant="light">
                {t(`exam.conclusionRole.${c.role}`)}
              </Badge>
              <Text fw={700} size="sm">
                {t(`exam.afte.${c.conclusion}`)}
              </Text>
              {!c.current ? (
                <Badge size="xs" color="gray">
                  {t('exam.conclusion.amended')}
                </Badge>
              ) : null}
            </Group>
            {onAmend && c.current && c.examiner.userId === userId ? (
              <Button size="compact-xs" variant="subtle" onClick={() => onAmend(c)}>
                {t('exam.conclusion.amend')}
              </Button>
            ) : null}
          </Group>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {c.basis}
          </Text>
          <Text size="xs" c="dimmed">
            {t('exam.conclusion.meta', {
              who: c.examiner.displayName,
              when: formatDateTime(c.recordedAt),
              snapshots: c.snapshotIds.length,
              annotations: c.annotations.length,
            })}
          </Text>
          {c.amends !== null ? (
            <Text size="xs" c="dimmed">
              {t('exam.conclusion.amendsText', { id: c.amends, reason: c.reason ?? '' })}
            </Text>
          ) : null}
          <Text size="xs" c="dimmed">
            {t('exam.conclusion.compared', {
              a: `${recordedLabel(t, c.record.a, 'a')} (${short(c.record.a.topographySha256)})`,
              b: `${recordedLabel(t, c.record.b, 'b')} (${short(c.record.b.topographySha256)})`,
            })}
          </Text>
          {c.record.scoresShown.map((s) => (
            <Text size="xs" c="dimmed" key={s.analysisId}>
              {t('exam.conclusion.score', {
                combined: s.cmc.combined,
                name: s.algorithm.name,
                version: s.algorithm.version,
              })}
            </Text>
          ))}
        </Stack>
      ))}
    </Stack>
  );
}
