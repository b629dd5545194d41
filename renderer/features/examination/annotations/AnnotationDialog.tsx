// Saving a drawn shape as an annotation (layer and note), amending one (a reason is required: the previous
// revision is kept) or withdrawing one. When someone else amended it first, the host refuses with the current
// record: the dialog says so, shows what is stored now, and keeps the examiner's text so nothing typed is lost.
import { Alert, Button, Group, Modal, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  annotationLayers,
  isAppError,
  type AnnotationLayer,
  type AnnotationView,
} from '../../../../electron/contract/index.ts';
import { useStation } from '../../../api/hooks.tsx';
import { useErrorText } from '../../../api/useErrorText.ts';
import type { DrawnShape } from '../workspace/workspaceTypes.ts';

export type AnnotationEdit =
  | { mode: 'create'; shape: DrawnShape }
  | { mode: 'amend'; annotation: AnnotationView }
  | { mode: 'withdraw'; annotation: AnnotationView };

export function AnnotationDialog({
  comparisonId,
  edit,
  defaultLayer,
  onClose,
}: {
  comparisonId: number;
  edit: AnnotationEdit | null;
  defaultLayer: AnnotationLayer;
  onClose: (changed: AnnotationView | null) => void;
}) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const station = useStation();
  const [layer, setLayer] = useState<AnnotationLayer>(defaultLayer);
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [conflict, setConflict] = useState<AnnotationView | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!edit) return;
    setLayer(edit.mode === 'create' ? defaultLayer : edit.annotation.layer);
    setNote(edit.mode === 'create' ? '' : edit.annotation.note);
    setReason('');
    setFailure(null);
    setConflict(null);
  }, [edit, defaultLayer]);

  if (!edit) return null;
  const current = conflict ?? (edit.mode === 'create' ? null : edit.annotation);
  const title =
    edit.mode === 'create'
      ? t('exam.annotation.newTitle')
      : edit.mode === 'amend'
        ? t('exam.annotation.amendTitle', { id: edit.annotation.id })
        : t('exam.annotation.withdrawTitle', { id: edit.annotation.id });

  const save = async () => {
    if (edit.mode !== 'create' && !reason.trim()) return setFailure(t('exam.annotation.reasonRequired'));
    setSaving(true);
    setFailure(null);
    try {
      let saved: AnnotationView;
      if (edit.mode === 'create')
        saved = await station.call('annotations.create', {
          comparisonId,
          side: edit.shape.side === 0 ? 'a' : 'b',
          frame: edit.shape.frame,
          layer,
          shape: edit.shape.shape,
          note: note.trim(),
          view: edit.shape.view,
        });
      else if (edit.mode === 'amend')
        saved = await station.call('annotations.amend', {
          id: current!.id,
          version: current!.version,
          reason: reason.trim(),
          layer,
          note: note.trim(),
        });
      else
        saved = await station.call('annotations.withdraw', {
          id: current!.id,
          version: current!.version,
          reason: reason.trim(),
        });
      onClose(saved);
    } catch (error) {
      // Someone amended it first: show the stored record; the next save applies to it (nothing typed is lost).
      const details = isAppError(error, 'conflict') ? (error.details as { current?: AnnotationView }) : undefined;
      if (details?.current) {
        setConflict(details.current);
        setFailure(t('exam.annotation.conflict', { by: details.current.author.displayName }));
      } else setFailure(errorText(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal opened onClose={() => onClose(null)} title={title}>
      <form
        aria-label={title}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack gap="sm">
          {edit.mode !== 'withdraw' ? (
            <>
              <div>
                <Text size="sm" id="annotation-layer">
                  {t('exam.annotation.layer')}
                </Text>
                <SegmentedControl
                  aria-labelledby="annotation-layer"
                  value={layer}
                  onChange={(v) => setLayer(v as AnnotationLayer)}
                  data={annotationLayers.map((l) => ({ value: l, label: t(`exam.layer.${l}`) }))}
                />
              </div>
              <Textarea
                label={t('exam.annotation.note')}
                value={note}
                onChange={(e) => setNote(e.currentTarget.value)}
                autosize
                minRows={2}
                maxLength={2000}
                data-autofocus
              />
            </>
          ) : (
            <Text size="sm">{t('exam.annotation.withdrawExplain')}</Text>
          )}
          {edit.mode !== 'create' ? (
            <Textarea
              label={t('exam.annotation.reason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              autosize
              minRows={2}
              maxLength={500}
              withAsterisk
            />
          ) : null}
          {conflict ? (
            <Alert color="yellow" title={t('exam.annotation.storedNow')}>
              <Text size="sm">
                {t(`exam.layer.${conflict.layer}`)} · {conflict.note || t('exam.annotation.noNote')} ·{' '}
                {t('exam.annotation.revision', { revision: conflict.revision })}
              </Text>
            </Alert>
          ) : null}
          {failure ? (
            <Alert color="red" role="alert">
              {failure}
            </Alert>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => onClose(null)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={saving} color={edit.mode === 'withdraw' ? 'red' : undefined}>
              {edit.mode === 'create'
                ? t('exam.annotation.save')
                : edit.mode === 'amend'
                  ? t('exam.annotation.amend')
                  : t('exam.annotation.withdraw')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
