// Recording a conclusion on the AFTE range with its required written basis and the snapshots, annotations and
// analysis that support it; or amending one's own conclusion with a reason (the original record is kept). The
// host decides whose conclusion it is (examiner, verifier, arbiter) and refuses what the rules forbid; its words
// are shown as they come.
import { Alert, Button, Checkbox, Group, Radio, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  afteConclusions,
  type AfteConclusion,
  type ConclusionView,
  type Workspace,
} from '../../../../electron/contract/index.ts';
import { useStation } from '../../../api/hooks.tsx';
import { useErrorText } from '../../../api/useErrorText.ts';

export function ConclusionForm({
  workspace,
  analysisId,
  amends,
  onSaved,
  onCancel,
}: {
  workspace: Workspace;
  /** The analysis shown in the workspace (its score goes into the technical record when ticked). */
  analysisId: number | null;
  amends?: ConclusionView;
  onSaved: (workspace: Workspace) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const station = useStation();
  const unsuitable = [workspace.a, workspace.b].filter((s) => s.unsuitableReason);
  const [conclusion, setConclusion] = useState<AfteConclusion | null>(
    amends?.conclusion ?? (unsuitable.length ? 'unsuitable' : null),
  );
  const [basis, setBasis] = useState(amends?.basis ?? '');
  const [reason, setReason] = useState('');
  const [snapshots, setSnapshots] = useState<number[]>(amends?.snapshotIds ?? workspace.snapshots.map((s) => s.id));
  const [annotations, setAnnotations] = useState<number[]>(
    amends?.annotations.map((a) => a.id) ?? workspace.annotations.filter((a) => !a.withdrawn).map((a) => a.id),
  );
  const [withScore, setWithScore] = useState(analysisId !== null);
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const save = async () => {
    if (!conclusion) return setFailure(t('exam.conclusion.chooseOne'));
    if (!basis.trim()) return setFailure(t('exam.conclusion.basisRequired'));
    if (amends && !reason.trim()) return setFailure(t('exam.annotation.reasonRequired'));
    setSaving(true);
    setFailure(null);
    const fields = {
      conclusion,
      basis: basis.trim(),
      snapshotIds: snapshots,
      annotationIds: annotations,
      analysisIds: withScore && analysisId !== null ? [analysisId] : [],
    };
    try {
      const answer = amends
        ? await station.call('conclusions.amend', { amends: amends.id, reason: reason.trim(), ...fields })
        : await station.call('conclusions.record', { comparisonId: workspace.comparison.id, ...fields });
      onSaved(answer.workspace);
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setSaving(false);
    }
  };

  const title = amends ? t('exam.conclusion.amendTitle') : t(`exam.conclusion.title.${workspace.access.role}`);
  return (
    <form
      aria-label={title}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <Stack gap="xs">
        <Text fw={600} size="sm">
          {title}
        </Text>
        {unsuitable.map((s) => (
          <Text size="xs" c="red" key={s.side}>
            {t('exam.conclusion.unsuitableOnly', { name: s.label })}
          </Text>
        ))}
        <Radio.Group
          label={t('exam.conclusion.afte')}
          value={conclusion}
          onChange={(v) => setConclusion(v as AfteConclusion)}
          withAsterisk
        >
          <Stack gap={4} mt={4}>
            {afteConclusions.map((c) => (
              <Radio
                key={c}
                value={c}
                label={t(`exam.afte.${c}`)}
                description={t(`exam.afteHelp.${c}`)}
                disabled={unsuitable.length > 0 && c !== 'unsuitable'}
              />
            ))}
          </Stack>
        </Radio.Group>
        <Textarea
          label={t('exam.conclusion.basis')}
          description={t('exam.conclusion.basisHelp')}
          value={basis}
          onChange={(e) => setBasis(e.currentTarget.value)}
          autosize
          minRows={3}
          maxLength={8000}
          withAsterisk
        />
        {workspace.snapshots.length > 0 ? (
          <Checkbox.Group
            label={t('exam.conclusion.snapshots')}
            value={snapshots.map(String)}
            onChange={(v) => setSnapshots(v.map(Number))}
          >
            <Stack gap={2} mt={4}>
              {workspace.snapshots.map((s) => (
                <Checkbox
                  key={s.id}
                  value={String(s.id)}
                  label={t('exam.snapshot.name', { id: s.id, caption: s.caption.split('\n')[0] })}
                  size="xs"
                />
              ))}
            </Stack>
          </Checkbox.Group>
        ) : null}
        {workspace.annotations.some((a) => !a.withdrawn) ? (
          <Checkbox.Group
            label={t('exam.conclusion.annotations')}
            value={annotations.map(String)}
            onChange={(v) => setAnnotations(v.map(Number))}
          >
            <Stack gap={2} mt={4}>
              {workspace.annotations
                .filter((a) => !a.withdrawn)
                .map((a) => (
                  <Checkbox
                    key={a.id}
                    value={String(a.id)}
                    size="xs"
                    label={`${t(`exam.layer.${a.layer}`)} · ${a.side.toUpperCase()} · ${a.note || t('exam.annotation.noNote')}`}
                  />
                ))}
            </Stack>
          </Checkbox.Group>
        ) : null}
        {analysisId !== null ? (
          <Checkbox
            size="xs"
            label={t('exam.conclusion.withScore')}
            checked={withScore}
            onChange={(e) => setWithScore(e.currentTarget.checked)}
          />
        ) : null}
        {amends ? (
          <TextInput
            label={t('exam.annotation.reason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            maxLength={500}
            withAsterisk
          />
        ) : null}
        {failure ? (
          <Alert color="red" role="alert">
            {failure}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          {onCancel ? (
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          ) : null}
          <Button type="submit" loading={saving}>
            {amends ? t('exam.conclusion.saveAmendment') : t('exam.conclusion.record')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
