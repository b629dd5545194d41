// The workspace's keys, from the one table the key handler uses (keys.ts).
import { Kbd, Modal, SimpleGrid, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { keyLabel, workspaceKeys } from './keys.ts';

export function HelpOverlay({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const half = Math.ceil(workspaceKeys.length / 2);
  const table = (rows: typeof workspaceKeys) => (
    <Table fz="xs" verticalSpacing={2}>
      <Table.Tbody>
        {rows.map(({ keys, action }) => (
          <Table.Tr key={action}>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>
              {keys.map((k) => (
                <Kbd size="xs" key={k} mr={2}>
                  {keyLabel(k)}
                </Kbd>
              ))}
            </Table.Td>
            <Table.Td>{t(`exam.action.${action}`)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
  return (
    <Modal opened={opened} onClose={onClose} title={t('exam.help.title')} size="xl">
      <Text size="sm" mb="xs">
        {t('exam.help.intro')}
      </Text>
      <SimpleGrid cols={2} spacing="md">
        {table(workspaceKeys.slice(0, half))}
        {table(workspaceKeys.slice(half))}
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt="xs">
        {t('exam.help.mouse')}
      </Text>
    </Modal>
  );
}
