// Where the comparison stands under the lab's verification policy, and what this user can do about it: a manager
// assigns a verifier (or, after a disagreement, an arbiter) from the examiners the host says are eligible; an
// eligible examiner takes an unassigned verification; an examiner asks for a verification the policy does not
// require. The host enforces every rule (blindness, no self-verification); this panel only offers the steps.
import { Alert, Badge, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VerificationView, Workspace } from '../../../../electron/contract/index.ts';
import { useCall, useCan, useStation } from '../../../api/hooks.tsx';
import { useErrorText } from '../../../api/useErrorText.ts';

function Assign({
  verification,
  as,
  onDone,
}: {
  verification: VerificationView;
  as: 'verifier' | 'arbiter';
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const station = useStation();
  const candidates = useCall('verification.candidates', { verificationId: verification.id, as });
  const [chosen, setChosen] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const assign = async () => {
    if (!chosen) return setFailure(t('exam.verification.choose'));
    setSaving(true);
    setFailure(null);
    try {
      if (as === 'verifier')
        await station.call('verification.assign', {
          verificationId: verification.id,
          verifierId: Number(chosen),
          version: verification.version,
        });
      else
        await station.call('verification.assignArbiter', {
          verificationId: verification.id,
          arbiterId: Number(chosen),
          version: verification.version,
          note: note.trim() || undefined,
        });
      onDone();
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setSaving(false);
    }
  };
  const label = as === 'verifier' ? t('exam.verification.assignVerifier') : t('exam.verification.assignArbiter');
  return (
    <Stack gap={4}>
      <Select
        size="xs"
        label={label}
        placeholder={t('exam.verification.pick')}
        value={chosen}
        onChange={setChosen}
        data={(candidates.data ?? []).map((p) => ({
          value: String(p.userId),
          label: p.eligible
            ? p.displayName
            : `${p.displayName} — ${p.why ? t(`exam.ineligible.${p.why}`) : t('exam.verification.notEligible')}`,
          disabled: !p.eligible,
        }))}
        data-testid={`assign-${as}`}
      />
      {as === 'arbiter' ? (
        <TextInput
          size="xs"
          label={t('exam.verification.note')}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          maxLength={1000}
        />
      ) : null}
      {failure ? (
        <Alert color="red" role="alert">
          {failure}
        </Alert>
      ) : null}
      <Group justify="flex-end">
        <Button size="xs" onClick={() => void assign()} loading={saving}>
          {label}
        </Button>
      </Group>
    </Stack>
  );
}

export function VerificationPanel({ workspace, onChanged }: { workspace: Workspace; onChanged: () => void }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const station = useStation();
  const manage = useCan('examination.manage');
  const v = workspace.verification;
  const [failure, setFailure] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const act = async (call: () => Promise<unknown>) => {
    setFailure(null);
    try {
      await call();
      onChanged();
    } catch (error) {
      setFailure(errorText(error));
    }
  };
  const concluded = workspace.conclusions.some((c) => c.role === 'examination');
  return (
    <Stack gap="xs" data-testid="verification-panel">
      <Group gap={6}>
        <Text size="sm" fw={600}>
          {t('exam.verification.title')}
        </Text>
        {v ? (
          <Badge size="sm" variant="light" data-testid="verification-state" data-state={v.state}>
            {t(`exam.verificationState.${v.state}`)}
          </Badge>
        ) : (
          <Badge size="sm" color="gray">
            {t('exam.verification.none')}
          </Badge>
        )}
        {v?.blind ? (
          <Badge size="sm" color="grape">
            {t('exam.verification.blind')}
          </Badge>
        ) : null}
      </Group>
      {v ? (
        <Text size="xs" c="dimmed">
          {t('exam.verification.people', {
            verifier: v.verifier?.displayName ?? '—',
            arbiter: v.arbiter?.displayName ?? '—',
          })}
          {v.requestReason ? ` · ${t('exam.verification.requested', { reason: v.requestReason })}` : ''}
        </Text>
      ) : null}
      {v && manage && v.state === 'unassigned' ? <Assign verification={v} as="verifier" onDone={onChanged} /> : null}
      {v && manage && v.state === 'disputed' ? (
        <>
          <Text size="xs">{t('exam.verification.disputedExplain')}</Text>
          <Assign verification={v} as="arbiter" onDone={onChanged} />
        </>
      ) : null}
      {v && v.state === 'unassigned' && workspace.access.role !== 'examiner' ? (
        <Button
          size="xs"
          variant="light"
          onClick={() =>
            void act(() => station.call('verification.claim', { verificationId: v.id, version: v.version }))
          }
        >
          {t('exam.verification.claim')}
        </Button>
      ) : null}
      {!v && concluded && workspace.access.role === 'examiner' ? (
        <Group gap="xs" align="flex-end">
          <TextInput
            size="xs"
            style={{ flex: 1 }}
            label={t('exam.verification.requestReason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            maxLength={500}
          />
          <Button
            size="xs"
            variant="light"
            disabled={!reason.trim()}
            onClick={() =>
              void act(() =>
                station.call('verification.request', { comparisonId: workspace.comparison.id, reason: reason.trim() }),
              )
            }
          >
            {t('exam.verification.request')}
          </Button>
        </Group>
      ) : null}
      {failure ? (
        <Alert color="red" role="alert">
          {failure}
        </Alert>
      ) : null}
    </Stack>
  );
}
