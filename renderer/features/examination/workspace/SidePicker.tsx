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
  return (
    <Group gap={6} wrap="nowrap" dir={i18n.dir()}>
      <Text size="sm" fw={600}>
        {letter}
      </Text>
      <Text size="sm" lineClamp={1} maw={220} title={name}>
        {name}
      </Text>
      <Select
        size="xs"
        w={170}
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
