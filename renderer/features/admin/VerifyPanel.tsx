import { Alert, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useStation } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';

/** Re-checks the audit hash chain and every evidence file on demand, naming the first broken link or file. */
export function VerifyPanel() {
  const { t } = useTranslation();
  const station = useStation();
  const { errorText } = useErrorText();
  const audit = useMutation({ mutationFn: () => station.call('audit.verify', {}) });
  const evidence = useMutation({ mutationFn: () => station.call('evidence.verify', {}) });

  return (
    <Paper withBorder p="sm">
      <Title order={2} size="h5" mb="xs">
        {t('admin.verifyTitle')}
      </Title>
      <Group align="start" grow>
        <Stack gap="xs">
          <Button onClick={() => audit.mutate()} loading={audit.isPending} w="fit-content">
            {t('admin.verifyAudit')}
          </Button>
          {audit.error ? (
            <Alert color="red" role="alert">
              {errorText(audit.error)}
            </Alert>
          ) : null}
          {audit.data ? (
            audit.data.ok ? (
              <Alert color="teal" role="status" data-testid="audit-verify-result">
                {t('admin.auditOk', { count: audit.data.checked, ms: Math.round(audit.data.tookMs) })}
              </Alert>
            ) : (
              <Alert color="red" role="alert" data-testid="audit-verify-result" title={t('admin.auditBroken')}>
                {audit.data.firstBroken
                  ? t('admin.firstBroken', { seq: audit.data.firstBroken.seq, reason: audit.data.firstBroken.reason })
                  : ''}
                <Text size="xs">{t('admin.checked', { count: audit.data.checked })}</Text>
              </Alert>
            )
          ) : null}
        </Stack>
        <Stack gap="xs">
          <Button onClick={() => evidence.mutate()} loading={evidence.isPending} w="fit-content">
            {t('admin.verifyEvidence')}
          </Button>
          {evidence.error ? (
            <Alert color="red" role="alert">
              {errorText(evidence.error)}
            </Alert>
          ) : null}
          {evidence.data ? (
            evidence.data.ok ? (
              <Alert color="teal" role="status" data-testid="evidence-verify-result">
                {t('admin.evidenceOk', { count: evidence.data.checked })}
              </Alert>
            ) : (
              <Alert color="red" role="alert" data-testid="evidence-verify-result" title={t('admin.evidenceBroken')}>
                <List size="xs">
                  {evidence.data.missing.map((h) => (
                    <List.Item key={`m${h}`} className="cb-mono">
                      {t('admin.missingFile', { hash: h })}
                    </List.Item>
                  ))}
                  {evidence.data.altered.map((h) => (
                    <List.Item key={`a${h}`} className="cb-mono">
                      {t('admin.alteredFile', { hash: h })}
                    </List.Item>
                  ))}
                </List>
              </Alert>
            )
          ) : null}
        </Stack>
      </Group>
    </Paper>
  );
}
