// Snapshots stored on the comparison: caption, who and when; show the picture as stored (evidence, by its hash)
// or put the workspace back in the view it was taken in.
import { Button, Group, Image, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SnapshotView } from '../../../electron/contract/index.ts';
import { useCall } from '../../api/hooks.tsx';
import { formatDateTime } from '../../app/format.ts';

function Picture({ snapshot, onClose }: { snapshot: SnapshotView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const content = useCall('snapshots.content', { id: snapshot?.id ?? 0 }, { enabled: !!snapshot });
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!content.data) return;
    const next = URL.createObjectURL(new Blob([content.data.bytes as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [content.data]);
  if (!snapshot) return null;
  return (
    <Modal opened onClose={onClose} title={t('exam.snapshot.name', { id: snapshot.id, caption: '' })} size="90%">
      {url ? <Image src={url} alt={snapshot.caption} /> : <Text>{t('common.loading')}</Text>}
      <Text size="xs" c="dimmed" mt="xs">
        {t('exam.snapshot.evidence', { sha: snapshot.sha256, width: snapshot.width, height: snapshot.height })}
      </Text>
    </Modal>
  );
}

export function SnapshotsPanel({
  snapshots,
  onRestore,
}: {
  snapshots: SnapshotView[];
  onRestore: (snapshot: SnapshotView) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<SnapshotView | null>(null);
  return (
    <Stack gap="xs" data-testid="snapshots-panel">
      {snapshots.length === 0 ? <Text size="sm">{t('exam.snapshot.none')}</Text> : null}
      {snapshots.map((s) => (
        <Stack key={s.id} gap={2} p={6} style={{ border: '1px solid var(--mantine-color-dark-4)', borderRadius: 4 }}>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {s.caption}
          </Text>
          <Text size="xs" c="dimmed">
            {t('exam.snapshot.meta', {
              id: s.id,
              who: s.author.displayName,
              when: formatDateTime(s.createdAt),
              width: s.width,
              height: s.height,
            })}
          </Text>
          <Group gap={4}>
            <Button size="compact-xs" variant="subtle" onClick={() => setOpen(s)}>
              {t('exam.snapshot.open')}
            </Button>
            <Button size="compact-xs" variant="subtle" onClick={() => onRestore(s)}>
              {t('exam.snapshot.restore')}
            </Button>
          </Group>
        </Stack>
      ))}
      <Picture snapshot={open} onClose={() => setOpen(null)} />
    </Stack>
  );
}
