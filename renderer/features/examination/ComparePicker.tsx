// Opening a comparison from an item's acquisitions or a case: choose the second acquisition (any on the station
// with a topography or 2D pictures, this case's first; those without a topography or marked unsuitable say so),
// then the workspace opens on the pair.
import { Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../api/hooks.tsx';
import { navigate } from '../../app/router.ts';

export function ComparePicker({
  opened,
  first,
  caseId,
  origin,
  onClose,
}: {
  opened: boolean;
  /** The acquisition to compare; null lets the user choose both. */
  first: number | null;
  caseId?: number;
  origin: 'item' | 'case';
  onClose: () => void;
}) {
  const { t } = useTranslation();
  // Anything the workspace can show: topographies, and acquisitions with 2D pictures only.
  const all = useCall('search.sources', { withImages: true }, { enabled: opened });
  const [a, setA] = useState<string | null>(null);
  const [b, setB] = useState<string | null>(null);
  const options = (all.data ?? [])
    .slice()
    .sort((x, y) => Number(y.caseId === caseId) - Number(x.caseId === caseId))
    .map((s) => ({
      value: String(s.acquisitionId),
      // What the examiner should know before choosing: no topography (no 3D tools), or judged unsuitable.
      label: [
        t('exam.tests.acquisition', { caseNumber: s.labCaseNumber, exhibit: s.exhibitNumber, id: s.acquisitionId }),
        ...(s.topography ? [] : [t('exam.pick.twoD')]),
        ...(s.unsuitableReason ? [t('exam.pick.unsuitable')] : []),
      ].join(' · '),
    }));
  // A new opening starts from nothing chosen.
  const close = () => {
    setA(null);
    setB(null);
    onClose();
  };
  const chosenA = first !== null ? String(first) : a;
  return (
    <Modal opened={opened} onClose={close} title={t('exam.pick.title')}>
      <form
        aria-label={t('exam.pick.title')}
        onSubmit={(e) => {
          e.preventDefault();
          if (chosenA && b && chosenA !== b) navigate(`/compare/${chosenA}/${b}?from=${origin}`);
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{t('exam.pick.intro')}</Text>
          {first === null ? (
            <Select label={t('exam.pick.a')} data={options} value={a} onChange={setA} searchable data-autofocus />
          ) : null}
          <Select
            label={t('exam.pick.b')}
            data={options.filter((o) => o.value !== chosenA)}
            value={b}
            onChange={setB}
            searchable
            data-autofocus={first !== null}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={!chosenA || !b || chosenA === b}>
              {t('exam.pick.open')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
