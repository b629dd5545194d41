// What a package verification found, shown before anything is written: whether every member, the manifest and
// the signature check out (or the first problem), who signed it under which authority, what it holds and why it
// was sent.
import { Alert, Anchor, Code, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PackageVerification } from '../../../electron/contract/index.ts';
import { formatBytes, formatDateTime } from '../../app/format.ts';
import { href } from '../../app/router.ts';
import { packageProblemText } from './problemWords.ts';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

export function VerificationCard({
  verification: v,
  fileName,
}: {
  verification: PackageVerification;
  fileName: string;
}) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" data-testid="verification">
      <Stack gap="sm">
        {v.ok ? (
          <Alert color="green" title={t('packages.verify.ok')} data-testid="verification-ok">
            {t('packages.verify.okDetail', { members: v.members, size: formatBytes(v.size) })}
          </Alert>
        ) : (
          <Alert color="red" title={t('packages.verify.refused')} role="alert" data-testid="verification-refused">
            <Text size="sm" fw={600}>
              {t(`packages.problem.${v.problem?.kind ?? 'unreadable'}`)}
              {v.problem?.member ? (
                <>
                  {': '}
                  <Code>{v.problem.member}</Code>
                </>
              ) : null}
            </Text>
            {/* The host's English detail (problem.message) is for `casebench package verify` and the logs; the
                kind, worded in the user's language, the member it concerns and what exactly is wrong (its code
                and values; for the audit extract, the entry that broke and how) say it here. */}
            {v.problem?.auditEntry ? (
              <Text size="sm" mt={4} data-testid="verification-audit-entry">
                {t(`packages.auditEntry.${v.problem.auditEntry.fault}`, v.problem.auditEntry)}
              </Text>
            ) : v.problem && packageProblemText(t, v.problem) ? (
              <Text size="sm" mt={4} data-testid="verification-problem-detail">
                {packageProblemText(t, v.problem)}
              </Text>
            ) : null}
            <Text size="sm" mt={4}>
              {t('packages.verify.nothingWritten')}
            </Text>
          </Alert>
        )}
        {v.alreadyImported ? (
          <Alert color="blue" data-testid="already-imported">
            {t('packages.verify.alreadyImported')}{' '}
            <Anchor href={href(`/cases/${v.alreadyImported.caseId}`)} className="cb-mono">
              {v.alreadyImported.labCaseNumber}
            </Anchor>
          </Alert>
        ) : null}
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm" verticalSpacing="xs">
          <Row label={t('packages.verify.file')}>
            <span className="cb-mono">{fileName}</span>
          </Row>
          <Row label={t('packages.verify.case')}>
            <span className="cb-mono">{v.labCaseNumber ?? '—'}</span>
          </Row>
          <Row label={t('packages.verify.items')}>
            {v.wholeCase === null
              ? '—'
              : v.wholeCase
                ? t('packages.verify.wholeCase', { items: v.items.join(', ') })
                : v.items.join(', ')}
          </Row>
          <Row label={t('packages.verify.from')}>{v.station ? `${v.station.labId} / ${v.station.stationId}` : '—'}</Row>
          <Row label={t('packages.verify.signedBy')}>
            {v.signer ? (
              <>
                {v.signer.subject}
                <Text size="xs" c="dimmed">
                  {t('packages.verify.issuer', { issuer: v.signer.issuer })}
                </Text>
              </>
            ) : (
              t('packages.verify.notChecked')
            )}
          </Row>
          <Row label={t('packages.verify.exported')}>
            {v.createdAt
              ? t('packages.verify.exportedBy', { at: formatDateTime(v.createdAt), user: v.exportedBy ?? '—' })
              : '—'}
          </Row>
          <Row label={t('packages.verify.reason')}>{v.reason ?? '—'}</Row>
          <Row label={t('packages.verify.personalData')}>
            {v.personalData === null
              ? '—'
              : v.personalData.included
                ? t('packages.verify.personalIncluded')
                : t('packages.verify.personalOmitted', { count: v.personalData.omitted.length })}
          </Row>
          <Row label={t('packages.verify.audit')}>
            {v.audit
              ? t('packages.verify.auditDetail', {
                  entries: v.audit.entries,
                  verified: v.audit.verified,
                  withheld: v.audit.withheld,
                })
              : t('packages.verify.notChecked')}
          </Row>
          <Row label={t('packages.verify.report')}>
            {v.reportSignature === null
              ? '—'
              : v.reportSignature.state === 'signed' && v.reportSignature.signer
                ? t('packages.verify.reportSigned', {
                    lab: v.reportSignature.signer.labId,
                    station: v.reportSignature.signer.stationId,
                  })
                : v.reportSignature.state === 'unchecked'
                  ? t('packages.verify.reportUnchecked')
                  : t('packages.verify.reportUnsigned')}
          </Row>
        </SimpleGrid>
        {v.packageSha256 ? (
          <Text size="xs" c="dimmed">
            {t('packages.verify.sha256')} <Code className="cb-mono">{v.packageSha256}</Code>
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}
