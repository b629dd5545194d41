// The Packages screen: import a package from another station (verified and shown before anything is written),
// and the packages this station imported and exported.
import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../api/hooks.tsx';
import { ExportsTable } from './ExportsTable.tsx';
import { ImportPanel } from './ImportPanel.tsx';
import { ImportsTable } from './ImportsTable.tsx';

export function PackagesPage() {
  const { t } = useTranslation();
  const canExport = useCan('export.create');
  return (
    <Stack gap="md">
      <Title order={1} size="h4">
        {t('packages.title')}
      </Title>
      <ImportPanel />
      <Stack gap={4}>
        <Title order={5}>{t('packages.imports.title')}</Title>
        <ImportsTable />
      </Stack>
      {canExport ? (
        <Stack gap={4}>
          <Title order={5}>{t('packages.exports.title')}</Title>
          <ExportsTable />
        </Stack>
      ) : null}
    </Stack>
  );
}
