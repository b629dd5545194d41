// The packages this station exported (all, or one case's): when, by whom, why, what, and the file to fetch again.
import { Anchor, Badge, Button, Modal, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PackageExportView } from '../../../electron/contract/index.ts';
import { useCall } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { formatBytes, formatDateTime } from '../../app/format.ts';
import { href } from '../../app/router.ts';
import { ExportedFile } from './ExportedFile.tsx';

export function ExportsTable({ caseId }: { caseId?: number }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const list = useCall('packages.exports', { caseId, limit: 100 });
  const [open, setOpen] = useState<PackageExportView | null>(null);
  if (list.error)
    return (
      <Text c="red" role="alert">
        {errorText(list.error)}
      </Text>
    );
  const rows = list.data?.rows ?? [];
  return (
    <>
      <Table striped aria-label={t('packages.exports.title')} data-testid="exports-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('packages.exports.when')}</Table.Th>
            {caseId === undefined ? <Table.Th>{t('packages.exports.case')}</Table.Th> : null}
            <Table.Th>{t('packages.exports.items')}</Table.Th>
            <Table.Th>{t('packages.exports.by')}</Table.Th>
            <Table.Th>{t('packages.exports.reason')}</Table.Th>
            <Table.Th>{t('packages.exports.size')}</Table.Th>
            <Table.Th>{t('packages.exports.file')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 && !list.isFetching ? (
            <Table.Tr>
              <Table.Td colSpan={7}>
                <Text c="dimmed" size="sm">
                  {t('packages.exports.none')}
                </Text>
              </Table.Td>
            </Table.Tr>
          ) : null}
          {rows.map((row) => (
            <Table.Tr key={row.id}>
              <Table.Td>{formatDateTime(row.exportedAt)}</Table.Td>
              {caseId === undefined ? (
                <Table.Td>
                  <Anchor href={href(`/cases/${row.caseId}`)} className="cb-mono">
                    {row.labCaseNumber}
                  </Anchor>
                </Table.Td>
              ) : null}
              <Table.Td>
                {row.wholeCase ? t('packages.exports.wholeCase') : row.items.join(', ')}{' '}
                {row.personalData ? (
                  <Badge size="xs" variant="outline" color="orange">
                    {t('packages.exports.personalData')}
                  </Badge>
                ) : null}
              </Table.Td>
              <Table.Td>{row.exportedBy}</Table.Td>
              <Table.Td>{row.reason}</Table.Td>
              <Table.Td>{formatBytes(row.size)}</Table.Td>
              <Table.Td>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  className="cb-mono"
                  onClick={() => setOpen(row)}
                  aria-label={t('packages.exports.open', { file: row.fileName })}
                >
                  {row.fileName}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal
        opened={open !== null}
        onClose={() => setOpen(null)}
        title={t('packages.exports.fileTitle')}
        size="lg"
        closeButtonProps={{ 'aria-label': t('packages.close') }}
      >
        {open ? (
          <ExportedFile
            fileName={open.fileName}
            size={open.size}
            sha256={open.packageSha256}
            folder={list.data?.folder ?? null}
          />
        ) : null}
      </Modal>
    </>
  );
}
