// The lab manager's dashboard: is the network queue healthy, which calibrations are due or expired, which
// verifications and network leads wait (and for how long, against the 24–72 h review target), and how many
// acquisitions each technician made week by week. Every number links to the list behind it.
import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ManagerDashboard } from '../../../electron/contract/index.ts';
import { useCall } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { formatDateTime } from '../../app/format.ts';
import { href } from '../../app/router.ts';
import { stateColour } from '../queue/stateColour.ts';
import { useRecordedProfileName } from '../rig/useRig.ts';
import { BarRows, MiniBars, SplitBar } from './charts.tsx';

const ageColours = {
  under24h: 'var(--mantine-color-green-6)',
  from24to72h: 'var(--mantine-color-yellow-6)',
  over72h: 'var(--mantine-color-red-6)',
};

function Figure({ value, link, label, testId }: { value: number; link: string; label: string; testId: string }) {
  return (
    <Anchor href={href(link)} aria-label={label} data-testid={testId} underline="hover">
      <Text span fz={28} fw={700} lh={1}>
        {value}
      </Text>
    </Anchor>
  );
}

function Panel({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <Card withBorder padding="sm" component="section" aria-label={title} data-testid={testId}>
      <Title order={5} mb="xs">
        {title}
      </Title>
      {children}
    </Card>
  );
}

function hours(t: (key: string, values?: Record<string, unknown>) => string, value: number | null): string {
  if (value === null) return '—';
  return value >= 48
    ? t('dashboard.days', { count: Math.round(value / 24) })
    : t('dashboard.hours', { count: Math.round(value) });
}

function AgeSplit({ byAge, label }: { byAge: ManagerDashboard['leads']['byAge']; label: string }) {
  const { t } = useTranslation();
  return (
    <SplitBar
      label={label}
      segments={[
        { value: byAge.under24h, colour: ageColours.under24h, label: t('dashboard.age.under24h') },
        { value: byAge.from24to72h, colour: ageColours.from24to72h, label: t('dashboard.age.from24to72h') },
        { value: byAge.over72h, colour: ageColours.over72h, label: t('dashboard.age.over72h') },
      ]}
    />
  );
}

export function DashboardPage() {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const profileName = useRecordedProfileName();
  const query = useCall('dashboard.manager', {});
  if (query.error)
    return (
      <Text c="red" role="alert">
        {errorText(query.error)}
      </Text>
    );
  const d = query.data;
  if (!d) return <Text>{t('common.loading')}</Text>;

  const queueTotal = d.queue.byState.reduce((n, s) => n + s.count, 0);
  const maxWeek = Math.max(1, ...d.acquisitions.byTechnician.flatMap((r) => r.perWeek));
  const lastWeek = d.acquisitions.weeks.at(-1) ?? '';

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={1} size="h4">
          {t('dashboard.title')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('dashboard.asOf', { at: formatDateTime(d.generatedAt) })}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="sm">
        <Panel title={t('dashboard.queue.title')} testId="dash-queue">
          {queueTotal === 0 ? (
            <Text size="sm" c="dimmed">
              {t('dashboard.queue.empty')}
            </Text>
          ) : (
            <BarRows
              label={t('dashboard.queue.title')}
              rows={d.queue.byState.map((s) => ({
                key: s.state,
                label: t(`queue.state.${s.state}`, { defaultValue: s.state }),
                value: s.count,
                colour: `var(--mantine-color-${stateColour[s.state as keyof typeof stateColour] ?? 'gray'}-6)`,
                link: (
                  <Anchor
                    href={href(s.link)}
                    size="sm"
                    fw={600}
                    data-testid={`dash-queue-${s.state}`}
                    aria-label={t('dashboard.queue.link', {
                      count: s.count,
                      state: t(`queue.state.${s.state}`, { defaultValue: s.state }),
                    })}
                  >
                    {s.count}
                  </Anchor>
                ),
                extra:
                  s.olderThanDay > 0 && !['correlated', 'canceled'].includes(s.state) ? (
                    <Badge size="xs" color="orange" variant="light">
                      {t('dashboard.queue.olderThanDay', { count: s.olderThanDay, age: hours(t, s.oldestHours) })}
                    </Badge>
                  ) : null,
              }))}
            />
          )}
        </Panel>

        <Panel title={t('dashboard.calibrations.title')} testId="dash-calibrations">
          <Group gap="xl" mb="xs">
            <Stack gap={0}>
              <Figure
                value={d.calibrations.expired.count}
                link={d.calibrations.expired.link}
                label={t('dashboard.calibrations.expiredLink', { count: d.calibrations.expired.count })}
                testId="dash-calibrations-expired"
              />
              <Text size="xs" c={d.calibrations.expired.count ? 'red' : 'dimmed'}>
                {t('dashboard.calibrations.expired')}
              </Text>
            </Stack>
            <Stack gap={0}>
              <Figure
                value={d.calibrations.dueWithinWeek.count}
                link={d.calibrations.dueWithinWeek.link}
                label={t('dashboard.calibrations.dueLink', { count: d.calibrations.dueWithinWeek.count })}
                testId="dash-calibrations-due"
              />
              <Text size="xs" c={d.calibrations.dueWithinWeek.count ? 'orange' : 'dimmed'}>
                {t('dashboard.calibrations.due')}
              </Text>
            </Stack>
          </Group>
          {d.calibrations.rows.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('dashboard.calibrations.none')}
            </Text>
          ) : (
            <Table fz="xs" verticalSpacing={2} aria-label={t('dashboard.calibrations.title')}>
              <Table.Tbody>
                {d.calibrations.rows.map((c) => (
                  <Table.Tr key={`${c.rigProfile}/${c.kind}`}>
                    <Table.Td>
                      {profileName(c.rigProfile)} · {t(`calibrationKind.${c.kind}`, { defaultValue: c.kind })}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(c.expiresAt)}</Table.Td>
                    <Table.Td>
                      <Text
                        span
                        size="xs"
                        fw={600}
                        c={c.state === 'expired' ? 'red' : c.state === 'due' ? 'orange' : 'green'}
                      >
                        {t(`dashboard.calibrations.state.${c.state}`)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Panel>

        <Panel title={t('dashboard.verifications.title')} testId="dash-verifications">
          {d.verifications.waiting === null ? (
            <Text size="sm" c="dimmed">
              {t('dashboard.verifications.unavailable')}
            </Text>
          ) : (
            <Stack gap="xs">
              <Group gap="xs" align="end">
                <Figure
                  value={d.verifications.waiting.count}
                  link={d.verifications.waiting.link}
                  label={t('dashboard.verifications.link', { count: d.verifications.waiting.count })}
                  testId="dash-verifications-waiting"
                />
                <Text size="sm" c="dimmed">
                  {t('dashboard.verifications.waiting', { oldest: hours(t, d.verifications.oldestHours) })}
                </Text>
              </Group>
              {d.verifications.byAge ? (
                <AgeSplit byAge={d.verifications.byAge} label={t('dashboard.verifications.byAge')} />
              ) : null}
            </Stack>
          )}
        </Panel>

        <Panel title={t('dashboard.leads.title')} testId="dash-leads">
          <Stack gap="xs">
            <Group gap="xs" align="end">
              <Figure
                value={d.leads.waiting.count}
                link={d.leads.waiting.link}
                label={t('dashboard.leads.link', { count: d.leads.waiting.count })}
                testId="dash-leads-waiting"
              />
              <Text size="sm" c="dimmed">
                {t('dashboard.leads.waiting', { oldest: hours(t, d.leads.oldestHours) })}
              </Text>
            </Group>
            <AgeSplit byAge={d.leads.byAge} label={t('dashboard.leads.byAge')} />
            <Text size="xs" c="dimmed">
              {t('dashboard.leads.target')}
            </Text>
          </Stack>
        </Panel>

        <Panel title={t('dashboard.acquisitions.title')} testId="dash-acquisitions">
          {d.acquisitions.byTechnician.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('dashboard.acquisitions.none', { weeks: d.acquisitions.weeks.length })}
            </Text>
          ) : (
            <Table fz="sm" verticalSpacing={4} aria-label={t('dashboard.acquisitions.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('dashboard.acquisitions.technician')}</Table.Th>
                  <Table.Th>
                    {t('dashboard.acquisitions.weeks', {
                      from: d.acquisitions.weeks[0],
                      to: lastWeek,
                    })}
                  </Table.Th>
                  <Table.Th>{t('dashboard.acquisitions.thisWeek')}</Table.Th>
                  <Table.Th>{t('dashboard.acquisitions.total')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.acquisitions.byTechnician.map((r) => {
                  const total = r.perWeek.reduce((n, v) => n + v, 0);
                  return (
                    <Table.Tr key={r.username}>
                      <Table.Td>{r.username}</Table.Td>
                      <Table.Td>
                        <MiniBars
                          values={r.perWeek}
                          max={maxWeek}
                          label={t('dashboard.acquisitions.chart', {
                            user: r.username,
                            counts: r.perWeek.join(', '),
                          })}
                          titles={r.perWeek.map((v, i) => `${d.acquisitions.weeks[i]}: ${v}`)}
                        />
                      </Table.Td>
                      <Table.Td>{r.perWeek.at(-1) ?? 0}</Table.Td>
                      <Table.Td>
                        <Anchor
                          href={href(r.link)}
                          fw={600}
                          aria-label={t('dashboard.acquisitions.link', { count: total, user: r.username })}
                        >
                          {total}
                        </Anchor>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )}
        </Panel>
      </SimpleGrid>
    </Stack>
  );
}
