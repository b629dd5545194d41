// The lab's verification policy: which conclusions need a verifier's independent conclusion, and whether the
// verifier works blind. Everyone sees it; a manager changes it with a reason (audited before/after).
import { Alert, Button, Checkbox, Group, Paper, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { afteConclusions, type AfteConclusion } from '../../../../electron/contract/index.ts';
import { useCall, useCallMutation, useCan } from '../../../api/hooks.tsx';
import { useErrorText } from '../../../api/useErrorText.ts';
import { formatDateTime } from '../../../app/format.ts';

export function PolicyPanel() {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const manage = useCan('examination.manage');
  const policy = useCall('verification.policy', {});
  const save = useCallMutation('verification.setPolicy', ['verification.policy']);
  const [requireFor, setRequireFor] = useState<AfteConclusion[]>([]);
  const [blind, setBlind] = useState(true);
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    if (!policy.data) return;
    setRequireFor(policy.data.policy.requireFor);
    setBlind(policy.data.policy.blind);
  }, [policy.data]);
  if (!policy.data) return null;
  const changed =
    blind !== policy.data.policy.blind ||
    [...requireFor].sort().join() !== [...policy.data.policy.requireFor].sort().join();
  return (
    <Paper withBorder p="sm">
      <Stack gap="xs">
        <Title order={2} size="h5">
          {t('exam.policy.title')}
        </Title>
        <Text size="xs" c="dimmed">
          {policy.data.source === 'default'
            ? t('exam.policy.default')
            : t('exam.policy.setBy', {
                who: policy.data.updatedBy ?? '—',
                when: formatDateTime(policy.data.updatedAt),
              })}
        </Text>
        <Checkbox.Group
          label={t('exam.policy.requireFor')}
          value={requireFor}
          onChange={(v) => setRequireFor(v as AfteConclusion[])}
        >
          <Group gap="md" mt={4}>
            {afteConclusions.map((c) => (
              <Checkbox key={c} value={c} label={t(`exam.afte.${c}`)} disabled={!manage} size="xs" />
            ))}
          </Group>
        </Checkbox.Group>
        <Switch
          label={t('exam.policy.blind')}
          checked={blind}
          onChange={(e) => setBlind(e.currentTarget.checked)}
          disabled={!manage}
        />
        {manage ? (
          <form
            aria-label={t('exam.policy.title')}
            onSubmit={(e) => {
              e.preventDefault();
              if (!reason.trim()) return setFailure(t('exam.annotation.reasonRequired'));
              setFailure(null);
              save.mutate(
                { policy: { requireFor, blind }, reason: reason.trim() },
                { onSuccess: () => setReason(''), onError: (error) => setFailure(errorText(error)) },
              );
            }}
          >
            <Group align="flex-end" gap="xs">
              <TextInput
                size="xs"
                style={{ flex: 1 }}
                label={t('exam.annotation.reason')}
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
                maxLength={500}
              />
              <Button size="xs" type="submit" disabled={!changed} loading={save.isPending}>
                {t('exam.policy.save')}
              </Button>
            </Group>
          </form>
        ) : null}
        {failure ? (
          <Alert color="red" role="alert">
            {failure}
          </Alert>
        ) : null}
      </Stack>
    </Paper>
  );
}
