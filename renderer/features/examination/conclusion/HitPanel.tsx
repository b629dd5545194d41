// A verified identification of casings from two cases (or a network lead) is confirmed as a hit here; the hit
// then links both case records and, for a network lead, is reported to the hub once through the outbox.
import { Alert, Badge, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HitView, Workspace } from '../../../../electron/contract/index.ts';
import { useStation } from '../../../api/hooks.tsx';
import { useErrorText } from '../../../api/useErrorText.ts';
import { formatDateTime } from '../../../app/format.ts';

export function hitSideText(side: HitView['here']): string {
  return side.kind === 'local'
    ? `${side.labCaseNumber} / ${side.exhibitNumber}`
    : `${side.labId}: ${side.caseRef} / ${side.itemRef}`;
}

export function HitPanel({ workspace, onChanged }: { workspace: Workspace; onChanged: () => void }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const station = useStation();
  const [note, setNote] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const hit = workspace.hit;
  if (hit)
    return (
      <Stack gap={4} data-testid="hit">
        <Group gap={6}>
          <Badge color="green">{t('exam.hit.confirmed')}</Badge>
          <Text size="sm">{t('exam.hit.links', { here: hitSideText(hit.here), linked: hitSideText(hit.linked) })}</Text>
        </Group>
        <Text size="xs" c="dimmed">
          {t('exam.hit.meta', {
            who: hit.confirmedBy,
            when: formatDateTime(hit.confirmedAt),
            verifiedBy: hit.verifiedBy.join(', ') || '—',
          })}
        </Text>
        {hit.report ? <Text size="xs">{t('exam.hit.report', { state: hit.report.state })}</Text> : null}
      </Stack>
    );
  const c = workspace.comparison;
  const differentCases =
    workspace.lead !== null || (workspace.a.caseId !== null && workspace.a.caseId !== workspace.b.caseId);
  if (c.state !== 'verified' || c.conclusion !== 'identification' || !differentCases || c.testSetId !== null)
    return null;
  const confirm = async () => {
    setSaving(true);
    setFailure(null);
    try {
      await station.call('hits.confirm', { comparisonId: c.id, note: note.trim() || undefined });
      onChanged();
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Stack gap={4}>
      <Text size="sm">{t('exam.hit.explain')}</Text>
      <TextInput
        size="xs"
        label={t('exam.hit.note')}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        maxLength={1000}
      />
      {failure ? (
        <Alert color="red" role="alert">
          {failure}
        </Alert>
      ) : null}
      <Group justify="flex-end">
        <Button size="xs" color="green" onClick={() => void confirm()} loading={saving}>
          {t('exam.hit.confirm')}
        </Button>
      </Group>
    </Stack>
  );
}
