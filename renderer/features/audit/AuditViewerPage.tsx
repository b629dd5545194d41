import { Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall, useCan } from '../../api/hooks.tsx';
import { VerifyPanel } from '../admin/VerifyPanel.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { pathQuery, replacePath, usePath } from '../../app/router.ts';
import { auditAddress, auditFiltersFromAddress } from './auditAddress.ts';
import { AuditTable } from './AuditTable.tsx';
import { actionWords } from './auditWords.ts';
import { DateField } from '../../shared/DateField.tsx';

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** The whole audit trail, newest first, filtered by case, user, action and date; pages backwards by sequence number. */
export function AuditViewerPage() {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  // Links (the dashboard's) may open the trail already filtered: ?case=<lab case number>&user=&action=&from=&to=.
  const path = usePath();
  const [initial] = useState(() => auditFiltersFromAddress(pathQuery(path)));
  const [caseNumber, setCaseNumber] = useState(initial.caseNumber);
  const [username, setUsername] = useState(initial.username);
  const [action, setAction] = useState<string | null>(initial.action);
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [cursor, setCursor] = useState<number[]>([]); // the beforeSeq of each page we stepped past
  // Managers verify from here; administrators also have it on the admin screen.
  const showVerify = useCan('audit.verify') && !useCan('user.manage');
  const [debounced] = useDebouncedValue({ caseNumber: caseNumber.trim(), username: username.trim() }, 250);
  // The filters in force go into the address, to bookmark, share or open in another tab.
  useEffect(() => {
    replacePath(auditAddress({ caseNumber: debounced.caseNumber, username: debounced.username, action, from, to }));
  }, [debounced.caseNumber, debounced.username, action, from, to]);
  const reset =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setCursor([]);
    };

  const list = useCall(
    'audit.list',
    {
      caseNumber: debounced.caseNumber || undefined,
      username: debounced.username || undefined,
      action: action ?? undefined,
      from: isoDate.test(from) ? `${from}T00:00:00.000Z` : undefined,
      to: isoDate.test(to) ? `${to}T23:59:59.999Z` : undefined,
      beforeSeq: cursor.at(-1),
      limit: 100,
    },
    { keepPrevious: true },
  );
  const entries = list.data?.entries ?? [];

  return (
    <Stack gap="xs">
      <Title order={1} size="h4">
        {t('audit.title')}
      </Title>
      <Group gap="xs" align="end" role="search" aria-label={t('audit.filters')}>
        <TextInput
          label={t('fields.labCaseNumber')}
          value={caseNumber}
          onChange={(e) => reset(setCaseNumber)(e.currentTarget.value)}
          w={190}
        />
        <TextInput
          label={t('audit.user')}
          value={username}
          onChange={(e) => reset(setUsername)(e.currentTarget.value)}
          w={160}
        />
        <Select
          label={t('audit.action')}
          placeholder={t('audit.anyAction')}
          data={(list.data?.actions ?? []).map((a) => ({ value: a, label: actionWords(t, a) ?? a }))}
          value={action}
          onChange={reset(setAction)}
          clearable
          searchable
          w={200}
        />
        <DateField
          chosen={from}
          label={t('audit.from')}
          value={from}
          onChange={(e) => reset(setFrom)(e.currentTarget.value)}
          w={140}
        />
        <DateField
          chosen={to}
          label={t('audit.to')}
          value={to}
          onChange={(e) => reset(setTo)(e.currentTarget.value)}
          w={140}
        />
      </Group>
      {list.error ? (
        <Text c="red" role="alert">
          {errorText(list.error)}
        </Text>
      ) : null}
      <AuditTable entries={entries} fetching={list.isFetching} showCase />
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {entries.length ? t('audit.range', { first: entries[0]!.seq, last: entries.at(-1)!.seq }) : ''}
        </Text>
        <Group gap="xs">
          <Button variant="default" disabled={cursor.length === 0} onClick={() => setCursor([])}>
            {t('audit.newest')}
          </Button>
          <Button variant="default" disabled={cursor.length === 0} onClick={() => setCursor(cursor.slice(0, -1))}>
            {t('audit.newer')}
          </Button>
          <Button
            variant="default"
            disabled={!list.data?.hasMore}
            onClick={() => setCursor([...cursor, entries.at(-1)!.seq])}
          >
            {t('audit.older')}
          </Button>
        </Group>
      </Group>
      {showVerify ? <VerifyPanel /> : null}
    </Stack>
  );
}
