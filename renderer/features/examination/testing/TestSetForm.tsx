// A new test set: name, instructions, the pairs (two acquisitions and whether they share a source) and the
// participating examiners. The truth is stored by the host and never shown to the participants.
import {
  ActionIcon,
  Alert,
  Button,
  Group,
  MultiSelect,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { testTruths } from '../../../../electron/contract/index.ts';
import { useCall, useCallMutation } from '../../../api/hooks.tsx';
import { useErrorText } from '../../../api/useErrorText.ts';

type Truth = (typeof testTruths)[number];
interface PairDraft {
  a: string | null;
  b: string | null;
  truth: Truth | null;
}

/**
 * Examiners who may take a test: active, recording conclusions, and unable to read a test's truth (managers and
 * administrators can, so the host refuses them as participants).
 */
function useExaminers(): Array<{ userId: number; displayName: string }> {
  const people = useCall('examinations.examiners', {});
  return (people.data ?? []).filter((p) => p.canTakeTests);
}

export function TestSetForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const sources = useCall('search.sources', {});
  const examiners = useExaminers();
  const create = useCallMutation('testSets.create', ['testSets.list']);
  const [name, setName] = useState('');
  const [instructions, setInstructions] = useState('');
  const [pairs, setPairs] = useState<PairDraft[]>([{ a: null, b: null, truth: null }]);
  const [participants, setParticipants] = useState<string[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const acquisitions = (sources.data ?? []).map((s) => ({
    value: String(s.acquisitionId),
    label: t('exam.tests.acquisition', { caseNumber: s.labCaseNumber, exhibit: s.exhibitNumber, id: s.acquisitionId }),
  }));
  const setPair = (i: number, change: Partial<PairDraft>) =>
    setPairs((list) => list.map((p, j) => (j === i ? { ...p, ...change } : p)));
  const submit = () => {
    const complete = pairs.every((p) => p.a && p.b && p.truth && p.a !== p.b);
    if (!name.trim() || !complete || participants.length === 0) return setFailure(t('exam.tests.incomplete'));
    setFailure(null);
    create.mutate(
      {
        name: name.trim(),
        instructions: instructions.trim(),
        pairs: pairs.map((p) => ({ a: Number(p.a), b: Number(p.b), truth: p.truth! })),
        participants: participants.map(Number),
      },
      { onSuccess: onCreated, onError: (error) => setFailure(errorText(error)) },
    );
  };
  return (
    <Paper withBorder p="sm">
      <form
        aria-label={t('exam.tests.new')}
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="xs">
          <TextInput
            label={t('exam.tests.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            maxLength={120}
            withAsterisk
          />
          <Textarea
            label={t('exam.tests.instructions')}
            value={instructions}
            onChange={(e) => setInstructions(e.currentTarget.value)}
            maxLength={4000}
            autosize
            minRows={2}
          />
          <Text size="sm" fw={500}>
            {t('exam.tests.pairs')}
          </Text>
          {pairs.map((p, i) => (
            <Group key={i} gap="xs" align="flex-end" wrap="nowrap">
              <Text size="sm" w={24}>
                {i + 1}
              </Text>
              <Select
                size="xs"
                style={{ flex: 1 }}
                label={t('exam.tests.pairA', { n: i + 1 })}
                data={acquisitions}
                value={p.a}
                onChange={(v) => setPair(i, { a: v })}
                searchable
              />
              <Select
                size="xs"
                style={{ flex: 1 }}
                label={t('exam.tests.pairB', { n: i + 1 })}
                data={acquisitions}
                value={p.b}
                onChange={(v) => setPair(i, { b: v })}
                searchable
              />
              <Select
                size="xs"
                w={170}
                label={t('exam.tests.truth', { n: i + 1 })}
                data={testTruths.map((v) => ({ value: v, label: t(`exam.tests.truthName.${v}`) }))}
                value={p.truth}
                onChange={(v) => setPair(i, { truth: v as Truth })}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t('exam.tests.removePair', { n: i + 1 })}
                disabled={pairs.length === 1}
                onClick={() => setPairs((list) => list.filter((_, j) => j !== i))}
              >
                ×
              </ActionIcon>
            </Group>
          ))}
          <Group>
            <Button
              size="xs"
              variant="subtle"
              onClick={() => setPairs((list) => [...list, { a: null, b: null, truth: null }])}
            >
              {t('exam.tests.addPair')}
            </Button>
          </Group>
          <MultiSelect
            label={t('exam.tests.participants')}
            data={examiners.map((p) => ({ value: String(p.userId), label: p.displayName }))}
            value={participants}
            onChange={setParticipants}
            searchable
            withAsterisk
          />
          {failure ? (
            <Alert color="red" role="alert">
              {failure}
            </Alert>
          ) : null}
          <Group justify="flex-end">
            <Button type="submit" size="xs" loading={create.isPending}>
              {t('exam.tests.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
