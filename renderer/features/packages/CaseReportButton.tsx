// The case report as a PDF, made by the station in the reader's language and handed to the browser as a download.
import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { reportLanguages } from '../../../electron/contract/index.ts';
import { useStation } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { saveAsDownload } from './transfer.ts';

export function CaseReportButton({ caseId }: { caseId: number }) {
  const { t, i18n } = useTranslation();
  const { errorText } = useErrorText();
  const station = useStation();
  const [busy, setBusy] = useState(false);
  const language = (reportLanguages as readonly string[]).includes(i18n.language)
    ? (i18n.language as (typeof reportLanguages)[number])
    : 'en';
  const make = async () => {
    setBusy(true);
    try {
      const report = await station.call('reports.case', { caseId, language });
      saveAsDownload([report.bytes as BlobPart], report.fileName, 'application/pdf');
    } catch (error) {
      notifications.show({ color: 'red', title: t('packages.report.failed'), message: errorText(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button variant="default" loading={busy} onClick={() => void make()} title={t('packages.report.hint')}>
      {t('packages.report.button')}
    </Button>
  );
}
