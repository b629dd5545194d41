// Importing a case package: the file goes to the station (uploaded from this browser, or picked among the files
// of the station's imports folder), the station verifies it and shows what it found BEFORE anything is written,
// and only then may the manager import it (verified again by the host) or discard it.
import { Alert, Anchor, Button, Group, Input, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAppError } from '../../../electron/contract/index.ts';
import { isElectronShell } from '../../api/connect.ts';
import { useCall, useStation } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { formatBytes, formatDateTime } from '../../app/format.ts';
import { href } from '../../app/router.ts';
import { useLongCall } from '../../api/useLongCall.ts';
import { uploadPackage } from './transfer.ts';
import { packageStepText } from './stepText.ts';
import { VerificationCard } from './VerificationCard.tsx';

type Stage =
  | { phase: 'choose' }
  | { phase: 'uploading'; fileName: string; sent: number; size: number }
  | { phase: 'opened'; fileName: string; uploadId: string }
  | { phase: 'failed'; error: unknown };

function Steps({
  fraction,
  message,
  onCancel,
  label,
}: {
  fraction: number;
  message: string;
  onCancel?: () => void;
  label: string;
}) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" wrap="nowrap" data-testid="import-progress">
      <Stack gap={2} style={{ flex: 1 }}>
        <Progress value={Math.round(fraction * 100)} animated aria-label={label} />
        <Text size="xs" c="dimmed" aria-live="polite">
          {message}
        </Text>
      </Stack>
      {onCancel ? (
        <Button size="compact-sm" variant="default" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      ) : null}
    </Group>
  );
}

export function ImportPanel() {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const station = useStation();
  const queryClient = useQueryClient();
  const fileRef = useRef<HTMLInputElement>(null);
  const uploadAbort = useRef<AbortController | null>(null);
  const [stage, setStage] = useState<Stage>({ phase: 'choose' });
  const [noFile, setNoFile] = useState(false);
  const verify = useLongCall('packages.verify');
  const importCall = useLongCall('packages.import');
  const incoming = useCall('files.list', { area: 'imports' });
  const electron = isElectronShell();

  const uploadId = stage.phase === 'opened' ? stage.uploadId : null;
  // Leaving the screen (or starting over) drops an upload that was not imported: the station keeps nothing of it.
  useEffect(() => {
    if (!uploadId) return;
    return () => void station.call('packages.discard', { uploadId }).catch(() => {});
  }, [uploadId, station]);

  const startOver = () => {
    verify.reset();
    importCall.reset();
    setStage({ phase: 'choose' });
    if (fileRef.current) fileRef.current.value = '';
  };

  const opened = (fileName: string, id: string) => {
    setStage({ phase: 'opened', fileName, uploadId: id });
    void verify.run({ uploadId: id });
  };

  const upload = async () => {
    const file = fileRef.current?.files?.[0];
    setNoFile(!file);
    if (!file) return;
    const controller = new AbortController();
    uploadAbort.current = controller;
    setStage({ phase: 'uploading', fileName: file.name, sent: 0, size: file.size });
    try {
      const id = await uploadPackage(
        (method, input) => station.call(method, input, { signal: controller.signal }),
        file,
        (sent, size) => setStage({ phase: 'uploading', fileName: file.name, sent, size }),
        controller.signal,
      );
      opened(file.name, id);
    } catch (error) {
      setStage(controller.signal.aborted ? { phase: 'choose' } : { phase: 'failed', error });
    }
  };

  const openFromFolder = async (name: string) => {
    try {
      const { uploadId: id } = await station.call('packages.openImport', { name });
      opened(name, id);
    } catch (error) {
      setStage({ phase: 'failed', error });
    }
  };

  const pickWithDialog = async () => {
    try {
      const { name } = await station.call('shell.importFile', {
        title: t('packages.import.pickTitle'),
        filters: [{ name: t('packages.import.filterName'), extensions: ['zip'] }],
      });
      if (name) await openFromFolder(name);
      void incoming.refetch();
    } catch (error) {
      setStage({ phase: 'failed', error });
    }
  };

  const doImport = async () => {
    if (!uploadId) return;
    const result = await importCall.run({ uploadId });
    if (result) {
      void queryClient.invalidateQueries({ queryKey: ['packages.imports'] });
      void queryClient.invalidateQueries({ queryKey: ['cases.list'] });
    }
  };

  const verified = verify.state.phase === 'done' ? verify.state.output : null;
  // A package the host refused at import carries the verification it failed (details.verification).
  const refusedAtImport =
    importCall.state.phase === 'failed' && isAppError(importCall.state.error, 'integrity')
      ? ((importCall.state.error as { details?: { verification?: typeof verified } }).details?.verification ?? null)
      : null;
  const shown = refusedAtImport ?? verified;
  const imported = importCall.state.phase === 'done' ? importCall.state.output : null;

  return (
    <Stack gap="sm">
      <Title order={5}>{t('packages.import.title')}</Title>
      {stage.phase === 'choose' || stage.phase === 'failed' ? (
        <Paper withBorder p="sm">
          <Stack gap="sm">
            <form
              aria-label={t('packages.import.uploadForm')}
              onSubmit={(e) => {
                e.preventDefault();
                void upload();
              }}
            >
              <Group align="end" gap="sm">
                <Input.Wrapper
                  label={t('packages.import.file')}
                  description={t('packages.import.fileHint')}
                  id="package-file"
                  error={noFile ? t('packages.import.noFile') : null}
                >
                  <input
                    ref={fileRef}
                    id="package-file"
                    type="file"
                    accept=".zip,application/zip"
                    onChange={() => setNoFile(false)}
                  />
                </Input.Wrapper>
                <Button type="submit">{t('packages.import.uploadAndVerify')}</Button>
                {electron ? (
                  <Button variant="default" onClick={() => void pickWithDialog()}>
                    {t('packages.import.pick')}
                  </Button>
                ) : null}
              </Group>
            </form>
            {incoming.data ? (
              <div>
                <Text size="sm">{t('packages.import.folder')}</Text>
                <Text size="xs" c="dimmed" className="cb-mono">
                  {incoming.data.folder}
                </Text>
                {incoming.data.files.length > 0 ? (
                  <Table aria-label={t('packages.import.folderFiles')} mt={4}>
                    <Table.Tbody>
                      {incoming.data.files.map((f) => (
                        <Table.Tr key={f.name}>
                          <Table.Td className="cb-mono">{f.name}</Table.Td>
                          <Table.Td>{formatBytes(f.size)}</Table.Td>
                          <Table.Td>{formatDateTime(f.modifiedAt)}</Table.Td>
                          <Table.Td ta="right">
                            <Button
                              size="compact-xs"
                              variant="light"
                              onClick={() => void openFromFolder(f.name)}
                              aria-label={t('packages.import.verifyFile', { file: f.name })}
                            >
                              {t('packages.import.verify')}
                            </Button>
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                ) : null}
              </div>
            ) : null}
            {stage.phase === 'failed' ? (
              <Alert color="red" role="alert">
                {errorText(stage.error)}
              </Alert>
            ) : null}
          </Stack>
        </Paper>
      ) : null}

      {stage.phase === 'uploading' ? (
        <Paper withBorder p="sm">
          <Text size="sm" mb={4}>
            {t('packages.import.uploading', { file: stage.fileName })}
          </Text>
          <Steps
            fraction={stage.size ? stage.sent / stage.size : 0}
            message={`${formatBytes(stage.sent)} / ${formatBytes(stage.size)}`}
            label={t('packages.import.uploadProgress')}
            onCancel={() => uploadAbort.current?.abort()}
          />
        </Paper>
      ) : null}

      {stage.phase === 'opened' ? (
        <Stack gap="sm">
          {verify.state.phase === 'running' ? (
            <Paper withBorder p="sm">
              <Text size="sm" mb={4}>
                {t('packages.import.verifying', { file: stage.fileName })}
              </Text>
              <Steps
                fraction={verify.state.fraction}
                message={packageStepText(t, verify.state.detail)}
                label={t('packages.import.verifyProgress')}
                onCancel={verify.cancel}
              />
            </Paper>
          ) : null}
          {verify.state.phase === 'failed' ? (
            <Alert color="red" role="alert">
              {errorText(verify.state.error)}
            </Alert>
          ) : null}
          {verify.state.phase === 'canceled' ? (
            <Alert color="yellow">{t('packages.import.verifyCanceled')}</Alert>
          ) : null}
          {shown ? <VerificationCard verification={shown} fileName={stage.fileName} /> : null}
          {importCall.state.phase === 'running' ? (
            <Steps
              fraction={importCall.state.fraction}
              message={packageStepText(t, importCall.state.detail)}
              label={t('packages.import.importProgress')}
              onCancel={importCall.cancel}
            />
          ) : null}
          {importCall.state.phase === 'failed' && !refusedAtImport ? (
            <Alert color="red" role="alert">
              {errorText(importCall.state.error)}
            </Alert>
          ) : null}
          {imported ? (
            <Alert color="green" title={t('packages.import.done')} data-testid="import-done">
              {imported.alreadyImported
                ? t('packages.import.doneAlready')
                : t('packages.import.doneDetail', { items: imported.items, acquisitions: imported.acquisitions })}{' '}
              <Anchor href={href(`/cases/${imported.caseId}`)} className="cb-mono" data-testid="imported-case">
                {imported.labCaseNumber}
              </Anchor>
            </Alert>
          ) : null}
          <Group gap="xs">
            {verified?.ok && !verified.alreadyImported && !imported ? (
              <Button onClick={() => void doImport()} loading={importCall.state.phase === 'running'}>
                {t('packages.import.import')}
              </Button>
            ) : null}
            <Button variant="default" onClick={startOver} disabled={importCall.state.phase === 'running'}>
              {imported ? t('packages.import.another') : t('packages.import.discard')}
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Stack>
  );
}
