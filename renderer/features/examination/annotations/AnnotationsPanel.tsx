// The annotations of a comparison that this user may see: layer, side, note, who and when, revision; amend or
// withdraw one's own (with a reason), and the full history of any. Selecting one highlights it on the field and
// shows the view it was drawn in.
import { ActionIcon, Badge, Button, Group, Modal, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnnotationView } from '../../../../electron/contract/index.ts';
import { useCall } from '../../../api/hooks.tsx';
import { formatDateTime } from '../../../app/format.ts';
import { layerColours } from '../workspace/FieldOverlay.tsx';

function History({ annotation, onClose }: { annotation: AnnotationView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const history = useCall('annotations.history', { id: annotation?.id ?? 0 }, { enabled: !!annotation });
  if (!annotation) return null;
  return (
    <Modal opened onClose={onClose} title={t('exam.annotation.historyTitle', { id: annotation.id })} size="lg">
      <Table fz="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('exam.annotation.revisionShort')}</Table.Th>
            <Table.Th>{t('exam.annotation.layer')}</Table.Th>
            <Table.Th>{t('exam.annotation.note')}</Table.Th>
            <Table.Th>{t('exam.annotation.when')}</Table.Th>
            <Table.Th>{t('exam.annotation.reason')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(history.data ?? []).map((r) => (
            <Table.Tr key={r.revision}>
              <Table.Td>{r.revision}</Table.Td>
              <Table.Td>{t(`exam.layer.${r.layer}`)}</Table.Td>
              <Table.Td>{r.withdrawn ? t('exam.annotation.withdrawn') : r.note}</Table.Td>
              <Table.Td>
                {formatDateTime(r.at)} · {r.by}
              </Table.Td>
              <Table.Td>{r.reason ?? t('exam.annotation.original')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}

export function AnnotationsPanel({
  annotations,
  names,
  selected,
  userId,
  canAnnotate,
  onSelect,
  onAmend,
  onWithdraw,
}: {
  annotations: AnnotationView[];
  names: [string, string];
  selected: number | null;
  userId: number;
  canAnnotate: boolean;
  onSelect: (annotation: AnnotationView) => void;
  onAmend: (annotation: AnnotationView) => void;
  onWithdraw: (annotation: AnnotationView) => void;
}) {
  const { t } = useTranslation();
  const [history, setHistory] = useState<AnnotationView | null>(null);
  const shown = annotations.filter((a) => !a.withdrawn);
  const withdrawn = annotations.length - shown.length;
  return (
    <Stack gap="xs" data-testid="annotations-panel">
      <Text size="xs" c="dimmed">
        {canAnnotate ? t('exam.annotation.howTo') : t('exam.annotation.readOnly')}
      </Text>
      {shown.length === 0 ? <Text size="sm">{t('exam.annotation.none')}</Text> : null}
      {shown.map((a) => (
        <Stack
          key={a.id}
          gap={2}
          p={6}
          data-annotation={a.id}
          style={{
            border: `1px solid ${a.id === selected ? 'var(--mantine-color-blue-5)' : 'var(--mantine-color-dark-4)'}`,
            borderRadius: 4,
          }}
        >
          <Group gap={6} justify="space-between" wrap="nowrap">
            <Group gap={6} wrap="nowrap">
              <Badge size="sm" variant="light" style={{ color: layerColours[a.layer], flexShrink: 0 }}>
                {t(`exam.layer.${a.layer}`)}
              </Badge>
              <Text size="xs">
                {t('exam.annotation.onSide', { side: a.side.toUpperCase(), name: names[a.side === 'a' ? 0 : 1] })}
              </Text>
            </Group>
            <Group gap={2} wrap="nowrap">
              <Button size="compact-xs" variant="subtle" onClick={() => onSelect(a)}>
                {t('exam.annotation.show')}
              </Button>
              <Tooltip label={t('exam.annotation.history')}>
                <ActionIcon
                  size="sm"
                  variant="subtle"
                  aria-label={t('exam.annotation.history')}
                  onClick={() => setHistory(a)}
                >
                  ⟲
                </ActionIcon>
              </Tooltip>
              {canAnnotate && a.author.userId === userId ? (
                <>
                  <Button size="compact-xs" variant="subtle" onClick={() => onAmend(a)}>
                    {t('exam.annotation.amend')}
                  </Button>
                  <Button size="compact-xs" variant="subtle" color="red" onClick={() => onWithdraw(a)}>
                    {t('exam.annotation.withdraw')}
                  </Button>
                </>
              ) : null}
            </Group>
          </Group>
          {a.note ? <Text size="sm">{a.note}</Text> : null}
          <Text size="xs" c="dimmed">
            {t('exam.annotation.meta', {
              kind: t(`exam.annotation.kind.${a.shape.kind}`),
              who: a.author.displayName,
              when: formatDateTime(a.updatedAt),
              revision: a.revision,
            })}
          </Text>
        </Stack>
      ))}
      {withdrawn > 0 ? (
        <Text size="xs" c="dimmed">
          {t('exam.annotation.withdrawnCount', { count: withdrawn })}
        </Text>
      ) : null}
      <History annotation={history} onClose={() => setHistory(null)} />
    </Stack>
  );
}
