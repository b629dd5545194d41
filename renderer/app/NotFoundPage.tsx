import { Alert, Anchor, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isAppError } from '../../electron/contract/index.ts';
import { useErrorText } from '../api/useErrorText.ts';
import { href } from './router.ts';

/**
 * What an address that names nothing shows: an unknown route, a malformed one ('/cases/abc'), or a record the
 * station does not have. `reason` says which, in words; the way back is always the case list.
 */
export function NotFoundPage({ reason }: { reason?: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" maw={640} role="alert" aria-labelledby="not-found-title">
      <Title order={1} size="h3" id="not-found-title">
        {t('app.notFoundTitle')}
      </Title>
      <Text>{reason ?? t('app.notFound')}</Text>
      <Text size="sm">
        {t('app.notFoundAdvice')} <Anchor href={href('/cases')}>{t('app.backToCases')}</Anchor>
      </Text>
    </Stack>
  );
}

/** A page's failed load: a record the station does not have is a not-found page, anything else an error. */
export function PageError({ error, missing }: { error: unknown; missing?: string }) {
  const { errorText } = useErrorText();
  if (isAppError(error, 'not_found')) return <NotFoundPage reason={missing} />;
  return (
    <Alert color="red" role="alert">
      {errorText(error)}
    </Alert>
  );
}
