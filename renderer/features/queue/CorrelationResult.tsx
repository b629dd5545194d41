import { Alert, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { OutboxJobView } from '../../../electron/contract/index.ts';
import { correlationOutcome } from './correlationOutcome.ts';
import { hubNoteText } from './leadWords.ts';

/**
 * A correlated job's result in the queue: how many leads came back and what the hub could not compare, in the
 * reader's language (the hub's English on hover). Nothing is hidden: "0 leads" because the hub could not compare reads differently from "no match".
 */
export function CorrelationResult({ job }: { job: OutboxJobView }) {
  const { t } = useTranslation();
  const outcome = correlationOutcome(job);
  if (!outcome) return null;
  return (
    <>
      {outcome.nothingFound ? (
        <Text size="sm" maw={360} data-testid={`queue-job-${job.id}-no-leads`}>
          {t('queue.correlation.nothingFound', { calibre: job.calibre })}
        </Text>
      ) : (
        <Text size="sm">{t('queue.correlation.leads', { count: outcome.leads })}</Text>
      )}
      {outcome.notes.length > 0 ? (
        <Alert
          color="yellow"
          variant="light"
          p="xs"
          mt={4}
          maw={360}
          title={t('queue.correlation.incomplete')}
          data-testid={`queue-job-${job.id}-notes`}
        >
          <List size="sm">
            {outcome.notes.map((note, i) => (
              <List.Item key={i} title={note.text}>
                {hubNoteText(t, note)}
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
    </>
  );
}
