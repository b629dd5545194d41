import {
  Alert,
  Badge,
  Button,
  CopyButton,
  FileButton,
  Group,
  List,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { NetworkSetup } from '../../../electron/contract/networkSetup.ts';
import { useCall, useCallMutation } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { formatDateTime } from '../../app/format.ts';
import { connectionDetailText, credentialProblemText, installErrorText } from './connectionDetail.ts';

const refreshes = ['networkSetup.get', 'networkSetup.readiness', 'system.status'] as const;

/**
 * Network settings for the lab manager: the hub's address, the station's identity in the network (a key and a
 * certificate request for the network CA, then the certificate it issued; or certificate and keys from the
 * operator) and a connection test with a verdict. Every change is audited by the host.
 */
export function NetworkSettingsPage() {
  const { t } = useTranslation();
  const setup = useCall('networkSetup.get', {});
  const { errorText } = useErrorText();
  return (
    <Stack gap="sm" maw={960}>
      <Title order={1} size="h4">
        {t('networkSetup.title')}
      </Title>
      {setup.error ? (
        <Alert color="red" role="alert">
          {errorText(setup.error)}
        </Alert>
      ) : null}
      {setup.data ? (
        <>
          <StatusPanel setup={setup.data} />
          <HubPanel current={setup.data.hubUrl} />
          <EnrollPanel setup={setup.data} />
          <ImportPanel />
          <TestPanel />
        </>
      ) : null}
    </Stack>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="sm" component="section" aria-label={title}>
      <Title order={2} size="h5" mb="xs">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

const stateColour: Record<NetworkSetup['certificateState'], string> = {
  none: 'gray',
  valid: 'teal',
  expired: 'red',
  not_yet_valid: 'orange',
  unusable: 'red',
};

function StatusPanel({ setup }: { setup: NetworkSetup }) {
  const { t } = useTranslation();
  const cert = setup.certificate;
  return (
    <Section title={t('networkSetup.status.title')}>
      <Stack gap={4} data-testid="network-setup-status">
        <Group gap="xs">
          <Badge color={setup.ready ? 'teal' : 'gray'}>
            {t(setup.ready ? 'networkSetup.status.ready' : 'networkSetup.status.notReady')}
          </Badge>
          <Badge color={stateColour[setup.certificateState]} data-testid="certificate-state">
            {t(`networkSetup.certificateState.${setup.certificateState}`)}
          </Badge>
        </Group>
        <Text size="sm">
          {setup.hubUrl ? t('networkSetup.status.hub', { url: setup.hubUrl }) : t('networkSetup.status.noHub')}
        </Text>
        {cert ? (
          <>
            <Text size="sm">{t('networkSetup.status.identity', { lab: cert.labId, station: cert.stationId })}</Text>
            <Text size="sm">
              {t('networkSetup.status.validity', {
                from: formatDateTime(cert.validFrom),
                to: formatDateTime(cert.validTo),
              })}
            </Text>
            <Text size="xs" c="dimmed" className="cb-mono">
              {t('networkSetup.status.fingerprint', { value: cert.fingerprint })}
            </Text>
          </>
        ) : (
          <Text size="sm">{t('networkSetup.status.noCertificate')}</Text>
        )}
        {setup.certificateProblem ? (
          <Text size="sm" c="red" role="alert">
            {credentialProblemText(t, setup.certificateProblem)}
          </Text>
        ) : null}
        {setup.ca ? (
          <Text size="xs" c="dimmed">
            {t('networkSetup.status.ca', { subject: setup.ca.subject, to: formatDateTime(setup.ca.validTo) })}
          </Text>
        ) : null}
      </Stack>
    </Section>
  );
}

function HubPanel({ current }: { current: string | null }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const [url, setUrl] = useState(current ?? '');
  const save = useCallMutation('networkSetup.setHub', [...refreshes]);
  // Said before asking the host (which refuses it too): stations reach the hub over TLS only.
  const [notHttps, setNotHttps] = useState(false);
  return (
    <Section title={t('networkSetup.hub.title')}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const https = /^https:\/\//i.test(url.trim());
          setNotHttps(!https);
          if (https) save.mutate({ url });
        }}
      >
        <Group align="end" gap="xs">
          <TextInput
            label={t('networkSetup.hub.url')}
            description={t('networkSetup.hub.help')}
            placeholder="https://hub.example.org:8443"
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            w={480}
            required
            error={notHttps ? t('networkSetup.hub.httpsOnly') : undefined}
          />
          <Button type="submit" loading={save.isPending}>
            {t('networkSetup.hub.save')}
          </Button>
        </Group>
      </form>
      {save.error ? (
        <Alert color="red" role="alert" mt="xs">
          {errorText(save.error)}
        </Alert>
      ) : null}
      {save.isSuccess ? (
        <Text size="sm" c="teal" role="status" mt="xs">
          {t('networkSetup.hub.saved')}
        </Text>
      ) : null}
    </Section>
  );
}

/** A PEM text field that can also be filled from a file. */
function PemField(props: { label: string; value: string; onChange: (value: string) => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Textarea
        label={props.label}
        value={props.value}
        onChange={(e) => props.onChange(e.currentTarget.value)}
        autosize
        minRows={3}
        maxRows={8}
        spellCheck={false}
        styles={{ input: { fontFamily: 'monospace', fontSize: 11 } }}
        data-testid={props.testId}
      />
      <FileButton onChange={(file) => void file?.text().then(props.onChange)} accept=".pem,.crt,.cer,.key,.txt">
        {(buttonProps) => (
          <Button
            {...buttonProps}
            size="xs"
            variant="default"
            w="fit-content"
            aria-label={t('networkSetup.loadFile', { what: props.label })}
          >
            {t('networkSetup.loadFileShort')}
          </Button>
        )}
      </FileButton>
    </Stack>
  );
}

function EnrollPanel({ setup }: { setup: NetworkSetup }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const [labId, setLabId] = useState(setup.request?.labId ?? setup.certificate?.labId ?? '');
  const [stationId, setStationId] = useState(setup.request?.stationId ?? setup.certificate?.stationId ?? '');
  const [certificate, setCertificate] = useState('');
  const [ca, setCa] = useState('');
  const create = useCallMutation('networkSetup.createRequest', [...refreshes]);
  const install = useCallMutation('networkSetup.installCertificate', [...refreshes]);
  const request = setup.request;
  return (
    <Section title={t('networkSetup.enroll.title')}>
      <Stack gap="xs">
        <Text size="sm">{t('networkSetup.enroll.help')}</Text>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate({ labId, stationId });
          }}
        >
          <Group align="end" gap="xs">
            <TextInput
              label={t('networkSetup.enroll.labId')}
              value={labId}
              onChange={(e) => setLabId(e.currentTarget.value)}
              required
            />
            <TextInput
              label={t('networkSetup.enroll.stationId')}
              value={stationId}
              onChange={(e) => setStationId(e.currentTarget.value)}
              required
            />
            <Button type="submit" loading={create.isPending}>
              {t('networkSetup.enroll.create')}
            </Button>
          </Group>
        </form>
        {create.error ? (
          <Alert color="red" role="alert">
            {errorText(create.error)}
          </Alert>
        ) : null}
        {request ? (
          <Stack gap="xs" data-testid="certificate-request">
            <Text size="sm">
              {t('networkSetup.enroll.waiting', {
                lab: request.labId,
                station: request.stationId,
                date: formatDateTime(request.createdAt),
              })}
            </Text>
            <Textarea
              label={t('networkSetup.enroll.request')}
              value={request.pem}
              readOnly
              autosize
              minRows={4}
              maxRows={8}
              styles={{ input: { fontFamily: 'monospace', fontSize: 11 } }}
              data-testid="certificate-request-pem"
            />
            <Group gap="xs">
              <CopyButton value={request.pem}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="default" onClick={copy}>
                    {t(copied ? 'networkSetup.enroll.copied' : 'networkSetup.enroll.copy')}
                  </Button>
                )}
              </CopyButton>
              <Button
                size="xs"
                variant="default"
                component="a"
                download={`${request.stationId}.${request.labId}.csr`}
                href={`data:application/pkcs10;charset=utf-8,${encodeURIComponent(request.pem)}`}
              >
                {t('networkSetup.enroll.download')}
              </Button>
            </Group>
            <Title order={3} size="h6">
              {t('networkSetup.enroll.installTitle')}
            </Title>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <PemField
                label={t('networkSetup.field.certificate')}
                value={certificate}
                onChange={setCertificate}
                testId="install-certificate"
              />
              <PemField label={t('networkSetup.field.ca')} value={ca} onChange={setCa} testId="install-ca" />
            </SimpleGrid>
            <Button
              w="fit-content"
              loading={install.isPending}
              disabled={!certificate.trim() || !ca.trim()}
              onClick={() => install.mutate({ certificate, ca })}
            >
              {t('networkSetup.enroll.install')}
            </Button>
          </Stack>
        ) : null}
        {install.error ? (
          <Alert color="red" role="alert">
            {installErrorText(t, install.error, errorText)}
          </Alert>
        ) : null}
        {install.isSuccess ? (
          <Text size="sm" c="teal" role="status">
            {t('networkSetup.installed')}
          </Text>
        ) : null}
      </Stack>
    </Section>
  );
}

function ImportPanel() {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const [fields, setFields] = useState({ certificate: '', tlsKey: '', signingKey: '', ca: '' });
  const imported = useCallMutation('networkSetup.importCredentials', [...refreshes]);
  const set = (name: keyof typeof fields) => (value: string) => setFields((f) => ({ ...f, [name]: value }));
  return (
    <Section title={t('networkSetup.import.title')}>
      <Stack gap="xs">
        <Text size="sm">{t('networkSetup.import.help')}</Text>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <PemField
            label={t('networkSetup.field.certificate')}
            value={fields.certificate}
            onChange={set('certificate')}
            testId="import-certificate"
          />
          <PemField label={t('networkSetup.field.ca')} value={fields.ca} onChange={set('ca')} testId="import-ca" />
          <PemField
            label={t('networkSetup.field.tlsKey')}
            value={fields.tlsKey}
            onChange={set('tlsKey')}
            testId="import-tls-key"
          />
          <PemField
            label={t('networkSetup.field.signingKey')}
            value={fields.signingKey}
            onChange={set('signingKey')}
            testId="import-signing-key"
          />
        </SimpleGrid>
        <Button
          w="fit-content"
          loading={imported.isPending}
          disabled={Object.values(fields).some((v) => !v.trim())}
          onClick={() => imported.mutate(fields)}
        >
          {t('networkSetup.import.submit')}
        </Button>
        {imported.error ? (
          <Alert color="red" role="alert">
            {installErrorText(t, imported.error, errorText)}
          </Alert>
        ) : null}
        {imported.isSuccess ? (
          <Text size="sm" c="teal" role="status">
            {t('networkSetup.installed')}
          </Text>
        ) : null}
      </Stack>
    </Section>
  );
}

function TestPanel() {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const test = useCallMutation('networkSetup.test', []);
  const result = test.data;
  return (
    <Section title={t('networkSetup.test.title')}>
      <Stack gap="xs">
        <Text size="sm">{t('networkSetup.test.help')}</Text>
        <Button w="fit-content" loading={test.isPending} onClick={() => test.mutate({})}>
          {t('networkSetup.test.run')}
        </Button>
        {test.error ? (
          <Alert color="red" role="alert">
            {errorText(test.error)}
          </Alert>
        ) : null}
        {result ? (
          <Alert
            color={result.ok ? 'teal' : 'red'}
            role={result.ok ? 'status' : 'alert'}
            title={t(result.ok ? 'networkSetup.test.ok' : 'networkSetup.test.failed')}
            data-testid="connection-verdict"
          >
            <List size="sm" spacing={2}>
              {result.checks.map((check) => (
                <List.Item key={check.check} data-testid={`check-${check.check}`}>
                  <Text span fw={600} size="sm">
                    {check.ok ? '✓ ' : '✗ '}
                    {t(`networkSetup.check.${check.check}`)}
                  </Text>
                  <Text span size="sm">
                    {' — '}
                    {connectionDetailText(t, check.detail)}
                  </Text>
                </List.Item>
              ))}
            </List>
            <Text size="xs" mt={4}>
              {t('networkSetup.test.at', { date: formatDateTime(result.testedAt) })}
            </Text>
          </Alert>
        ) : null}
      </Stack>
    </Section>
  );
}
