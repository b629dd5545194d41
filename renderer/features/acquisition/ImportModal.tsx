// Import of a scan made elsewhere (X3P, PNG, TIFF) into an item. The host recognises the file by its content,
// stores the original unmodified and answers with what its reader corrected; a hostile or broken file is
// refused as a whole with the reader's reason, shown here.
import { Alert, Button, Group, Input, List, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  acquisitionRegions,
  maxImportBytes,
  type AcquisitionDetail,
  type AcquisitionRegion,
} from '../../../electron/contract/index.ts';
import { useCallMutation } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { href } from '../../app/router.ts';
import { importCorrections } from './correctionWords.ts';

export function ImportModal({
  opened,
  onClose,
  itemId,
  caseId,
  exhibit,
}: {
  opened: boolean;
  onClose: () => void;
  itemId: number;
  caseId: number;
  exhibit: string;
}) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const fileRef = useRef<HTMLInputElement>(null);
  const [region, setRegion] = useState<AcquisitionRegion>('breech_face');
  const [notes, setNotes] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [result, setResult] = useState<AcquisitionDetail | null>(null);
  const importCall = useCallMutation('acquisitions.import', ['acquisitions.list', 'audit.forCase']);

  useEffect(() => {
    if (!opened) return;
    setFailure(null);
    setResult(null);
    setNotes('');
  }, [opened]);

  const submit = async () => {
    setFailure(null);
    const file = fileRef.current?.files?.[0];
    if (!file) return setFailure(t('acquisition.importForm.noFile'));
    // Said before anything is sent: a message that large cannot reach the host (it refuses it too).
    if (file.size > maxImportBytes)
      return setFailure(t('acquisition.importForm.tooLarge', { mib: maxImportBytes / 1024 / 1024 }));
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch {
      return setFailure(t('acquisition.importForm.unreadable'));
    }
    try {
      setResult(
        await importCall.mutateAsync({ itemId, region, fileName: file.name, bytes, notes: notes.trim() || undefined }),
      );
    } catch (error) {
      // The host says why in typed details (an empty file, a PNG picture named .x3p, a damaged archive): worded here.
      setFailure(`${t('acquisition.importForm.failed')} ${errorText(error)}`);
    }
  };

  const title = t('acquisition.importForm.title', { exhibit });
  const corrections = result ? importCorrections(t, result) : [];
  const format = result && typeof result.settings.format === 'string' ? result.settings.format.toUpperCase() : '';
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="lg">
      {result ? (
        <Stack gap="sm" data-testid="import-result">
          <Alert color="green">{t('acquisition.importForm.done', { id: result.id, format })}</Alert>
          {corrections.length > 0 ? (
            <div>
              <Text size="sm">{t('acquisition.importForm.corrections')}</Text>
              <List size="sm" data-testid="import-corrections">
                {corrections.map((c) => (
                  <List.Item key={c}>{c}</List.Item>
                ))}
              </List>
            </div>
          ) : (
            <Text size="sm">{t('acquisition.importForm.noCorrections')}</Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('acquisition.importForm.close')}
            </Button>
            <Button component="a" href={href(`/cases/${caseId}/acquisitions/${result.id}`)}>
              {t('capture.openViewer')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form
          aria-label={title}
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <Stack gap="sm">
            <Input.Wrapper
              label={t('acquisition.importForm.file')}
              description={t('acquisition.importForm.fileHint')}
              id="import-file"
            >
              <input
                ref={fileRef}
                id="import-file"
                type="file"
                accept=".x3p,.png,.tif,.tiff"
                data-autofocus
                onChange={() => setFailure(null)}
              />
            </Input.Wrapper>
            <Select
              label={t('acquisition.region')}
              data={acquisitionRegions.map((r) => ({ value: r, label: t(`regionName.${r}`) }))}
              value={region}
              onChange={(v) => v && setRegion(v as AcquisitionRegion)}
              allowDeselect={false}
            />
            <Textarea
              label={t('acquisition.importForm.notes')}
              value={notes}
              onChange={(e) => setNotes(e.currentTarget.value)}
              autosize
              minRows={1}
              maxLength={2000}
            />
            {failure ? (
              <Alert color="red" role="alert" data-testid="import-error">
                {failure}
              </Alert>
            ) : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={importCall.isPending}>
                {t('acquisition.importForm.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
