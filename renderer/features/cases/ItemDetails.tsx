import { SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Item } from '../../../electron/contract/index.ts';
import { formatDate, formatDateTime } from '../../app/format.ts';
import { fieldsOfKind, itemEnums } from './itemFields.ts';
import { ItemAcquisitions } from '../acquisition/index.ts';

/** Every recorded field of an item (the OpenFMC cartridge fields, or the firearm's), shown under its row. */
export function ItemDetails({ item, exhibitOf }: { item: Item; exhibitOf: (id: number | null) => string }) {
  const { t } = useTranslation();
  const record = item as unknown as Record<string, unknown>;
  const shown = fieldsOfKind(item.kind).filter(
    (name) => record[name] !== null && record[name] !== undefined && record[name] !== '',
  );
  const words = (name: string): string => {
    const value = record[name];
    if (name === 'firearmItemId') return exhibitOf(value as number);
    if (name in itemEnums) return t(`vocab.${name}.${String(value)}`);
    if (name === 'recoveryDate') return formatDate(String(value));
    return String(value);
  };
  return (
    <Stack gap={0}>
      <SimpleGrid
        cols={{ base: 2, sm: 4 }}
        spacing="xs"
        verticalSpacing={4}
        p="xs"
        data-testid={`item-details-${item.exhibitNumber}`}
      >
        {shown.map((name) => (
          <div key={name}>
            <Text size="xs" c="dimmed">
              {t(`fields.${name}`)}
            </Text>
            <Text size="sm">{words(name)}</Text>
          </div>
        ))}
        <div>
          <Text size="xs" c="dimmed">
            {t('fields.updatedAt')}
          </Text>
          <Text size="sm">{formatDateTime(item.updatedAt)}</Text>
        </div>
      </SimpleGrid>
      {item.kind === 'cartridge_case' ? <ItemAcquisitions item={item} /> : null}
    </Stack>
  );
}
