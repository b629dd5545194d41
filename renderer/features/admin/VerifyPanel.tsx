import { Alert, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useStation } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { auditProblemText } from './auditFindingWords.ts';

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
                <Text size="xs">
                  {audit.data.keyId ? t('admin.auditKeyed', { keyId: audit.data.keyId }) : t('admin.auditNotKeyed')}
                </Text>
                {audit.data.latestCheckpoint ? (
                  <Text size="xs">{t('admin.latestCheckpoint', audit.data.latestCheckpoint)}</Text>
                ) : null}
              </Alert>
            ) : (
              <Alert color="red" role="alert" data-testid="audit-verify-result" title={t('admin.auditBroken')}>
                {audit.data.firstBroken ? t('admin.firstBroken', { seq: audit.data.firstBroken.seq }) : ''}
                <Text size="xs">{t('admin.checked', { count: audit.data.checked })}</Text>
                <List size="xs" data-testid="audit-problems">
                  {audit.data.problems.map((p, i) => (
                    <List.Item key={i}>
                      <Text span fw={600} size="xs">
                        {t(`admin.auditProblem.${p.kind}`)}
                      </Text>
                      {p.seq !== null ? ` · ${t('admin.entry', { seq: p.seq })}` : ''}
                      {/* Which record, checkpoint file line or submission is bad is in these words (the host's
                          English subject and message are for the CLI and the logs). */}
                      <Text size="xs" c="dimmed">
                        {auditProblemText(t, p)}
                      </Text>
                    </List.Item>
                  ))}
                </List>
                {audit.data.moreProblems > 0 ? (
                  <Text size="xs">{t('admin.moreProblems', { count: audit.data.moreProblems })}</Text>
                ) : null}
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
                  {evidence.data.missingRecords.map((r) => (
                    <List.Item key={`r${r.sha256}${r.referencedBy}`} className="cb-mono">
                      {t(r.fileOnDisk ? 'admin.missingRecordFileKept' : 'admin.missingRecord', {
                        hash: r.sha256,
                        by: r.referencedBy,
                      })}
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
