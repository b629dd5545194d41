// Packages this station imported: from which lab and station, the case they became, who imported them and when.
import { Anchor, Code, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { formatDateTime } from '../../app/format.ts';
import { href } from '../../app/router.ts';

export function ImportsTable() {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const list = useCall('packages.imports', { limit: 100 });
  if (list.error)
    return (
      <Text c="red" role="alert">
        {errorText(list.error)}
      </Text>
    );
  const rows = list.data ?? [];
  return (
    <Table striped aria-label={t('packages.imports.title')} data-testid="imports-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('packages.imports.when')}</Table.Th>
          <Table.Th>{t('packages.imports.case')}</Table.Th>
          <Table.Th>{t('packages.imports.from')}</Table.Th>
          <Table.Th>{t('packages.imports.exported')}</Table.Th>
          <Table.Th>{t('packages.imports.reason')}</Table.Th>
          <Table.Th>{t('packages.imports.by')}</Table.Th>
          <Table.Th>{t('packages.imports.sha256')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.length === 0 && !list.isFetching ? (
          <Table.Tr>
            <Table.Td colSpan={7}>
              <Text c="dimmed" size="sm">
                {t('packages.imports.none')}
              </Text>
            </Table.Td>
          </Table.Tr>
        ) : null}
        {rows.map((row) => (
          <Table.Tr key={row.id}>
            <Table.Td>{formatDateTime(row.importedAt)}</Table.Td>
            <Table.Td>
              <Anchor href={href(`/cases/${row.caseId}`)} className="cb-mono">
                {row.labCaseNumber}
              </Anchor>
            </Table.Td>
            <Table.Td>
              {row.originLabId} / {row.originStationId} · <span className="cb-mono">{row.originCaseNumber}</span>
            </Table.Td>
            <Table.Td>
              {formatDateTime(row.exportedAt)} · {row.exportedBy}
            </Table.Td>
            <Table.Td>{row.reason}</Table.Td>
            <Table.Td>{row.importedBy}</Table.Td>
            <Table.Td>
              <Code className="cb-mono" title={row.packageSha256}>
                {row.packageSha256.slice(0, 12)}…
              </Code>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
