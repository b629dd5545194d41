// A package in the station's exports folder and what can be done with it: in a browser, download it (the station
// sends it in slices); in the desktop app, save a copy wherever the user chooses or show it in its folder.
import { Alert, Button, Code, Group, Progress, Stack, Text } from '@mantine/core';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isElectronShell } from '../../api/connect.ts';
import { useStation } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { formatBytes } from '../../app/format.ts';
import { fetchExport, saveAsDownload } from './transfer.ts';

type Download =
  { phase: 'idle' } | { phase: 'running'; received: number; size: number } | { phase: 'failed'; error: unknown };

export function ExportedFile({
  fileName,
  size,
  sha256,
  folder,
}: {
  fileName: string;
  size: number;
  sha256: string;
  folder: string | null;
}) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const station = useStation();
  const [download, setDownload] = useState<Download>({ phase: 'idle' });
  const [shellError, setShellError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);
  const electron = isElectronShell();

  const startDownload = async () => {
    const controller = new AbortController();
    abort.current = controller;
    setDownload({ phase: 'running', received: 0, size });
    try {
      const parts = await fetchExport(
        (method, input) => station.call(method, input, { signal: controller.signal }),
        fileName,
        (received, total) => setDownload({ phase: 'running', received, size: total }),
        controller.signal,
      );
      saveAsDownload(parts as BlobPart[], fileName, 'application/zip');
      setDownload({ phase: 'idle' });
    } catch (error) {
      setDownload(controller.signal.aborted ? { phase: 'idle' } : { phase: 'failed', error });
    }
  };

  const shell = (run: () => Promise<unknown>) => () => {
    setShellError(null);
    run().catch(setShellError);
  };

  return (
    <Stack gap={6} data-testid="exported-file">
      <Text size="sm">
        {t('packages.file.name')}{' '}
        <Text span className="cb-mono" fw={600}>
          {fileName}
        </Text>{' '}
        ({formatBytes(size)})
      </Text>
      {folder ? (
        <Text size="sm" c="dimmed">
          {t('packages.file.folder')} <Code>{folder}</Code>
        </Text>
      ) : null}
      <Text size="sm">
        {t('packages.file.sha256')} <Code className="cb-mono">{sha256}</Code>
      </Text>
      {download.phase === 'running' ? (
        <Group gap="xs" wrap="nowrap">
          <Progress
            value={download.size ? (100 * download.received) / download.size : 0}
            style={{ flex: 1 }}
            aria-label={t('packages.file.downloading')}
          />
          <Text size="xs" c="dimmed" aria-live="polite">
            {formatBytes(download.received)} / {formatBytes(download.size)}
          </Text>
          <Button size="compact-sm" variant="default" onClick={() => abort.current?.abort()}>
            {t('common.cancel')}
          </Button>
        </Group>
      ) : null}
      {download.phase === 'failed' ? (
        <Alert color="red" role="alert">
          {errorText(download.error)}
        </Alert>
      ) : null}
      {shellError ? (
        <Alert color="red" role="alert">
          {errorText(shellError)}
        </Alert>
      ) : null}
      <Group gap="xs">
        {electron ? (
          <>
            <Button
              variant="light"
              onClick={shell(() =>
                station.call('shell.exportFile', { title: t('packages.file.saveCopyTitle'), name: fileName }),
              )}
            >
              {t('packages.file.saveCopy')}
            </Button>
            <Button
              variant="default"
              onClick={shell(() => station.call('shell.revealInFolder', { area: 'exports', name: fileName }))}
            >
              {t('packages.file.reveal')}
            </Button>
          </>
        ) : (
          <Button variant="light" onClick={() => void startDownload()} disabled={download.phase === 'running'}>
            {t('packages.file.download')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
