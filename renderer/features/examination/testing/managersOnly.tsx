// Testing mode's pages sit under the examinations entry (examiners' permission) but are for managers: anyone else
// is told so instead of seeing a page whose every call the host refuses.
import { Text } from '@mantine/core';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../../api/hooks.tsx';

type Page = ComponentType<{ params: Record<string, string> }>;

export function managersOnly(Page: Page): Page {
  return function ManagersOnly(props) {
    const { t } = useTranslation();
    return useCan('examination.manage') ? <Page {...props} /> : <Text role="alert">{t('app.notAllowed')}</Text>;
  };
}
