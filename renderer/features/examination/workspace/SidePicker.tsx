// Which picture a side shows: its topography or one of its 2D images (any light of the capture).
import { Group, Select, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { roleLabel } from '../../acquisition/roles.ts';

export function SidePicker({
  side,
  name,
  roles,
  value,
  onChange,
}: {
  side: 0 | 1;
  name: string;
  roles: string[];
  value: string | null;
  onChange: (role: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const letter = side === 0 ? 'A' : 'B';
  // A's picker keeps to the left of its column and B's to the right (the sides as drawn); a long name folds
  // rather than being cut, and the picture's choice goes under it when the column is narrow.
  return (
    <Group
      gap={6}
      wrap="wrap"
      dir={i18n.dir()}
      justify={(side === 0) === (i18n.dir() === 'ltr') ? 'flex-start' : 'flex-end'}
      miw={0}
      data-testid={`side-picker-${letter}`}
    >
      <Text size="sm" fw={600} data-testid={`side-name-${letter}`} style={{ overflowWrap: 'anywhere', minWidth: 0 }}>
        <bdi>{letter}</bdi> <bdi>{name}</bdi>
      </Text>
      <Select
        size="xs"
        w={160}
        aria-label={t('exam.sidePicture', { side: letter })}
        data={roles.map((role) => ({ value: role, label: roleLabel(t, role) }))}
        value={value}
        onChange={(v) => v && onChange(v)}
        allowDeselect={false}
        disabled={roles.length < 2}
        data-testid={`side-picture-${letter}`}
      />
    </Group>
  );
}
